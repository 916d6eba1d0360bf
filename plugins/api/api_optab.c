/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's options, the one list of them: getopt's table, --help, the
 * man page's option heads and the Icinga 2 arguments are made from it
 * (streamwatch/optab.h). */
#include "api.h"
#include "streamwatch/http_opts.h"

static const sw_optdef rows[] = {
    {'u', "url", SW_ARG_ONE, "URL", "full http:// or https:// URL", NULL,
     "Full http:// or https:// URL (required)"},
    {'X', "method", SW_ARG_ONE, "METHOD", "GET (default), POST, PUT, HEAD, ...",
     NULL, "HTTP method: GET (default), POST, PUT, HEAD, ..."},
    {OPT_USER_AGENT, "user-agent", SW_ARG_ONE, "STRING",
     "User-Agent sent (default check_api/VERSION\n"
     "(streamwatch))",
     NULL,
     "User-Agent header sent (plugin default check_api/VERSION "
     "(streamwatch))"},
    SW_HTTP_OPTDEF_HEADER(SW_HTTP_HEADER_HELP),
    {'d', "data", SW_ARG_ONE, "BODY", "request body", NULL, "Request body"},
    {OPT_DATA_FILE, "data-file", SW_ARG_ONE, "F",
     "request body read from file F", NULL, "Request body read from this file"},
    SW_BEARER_OPTDEF,
    {OPT_TOKEN_CACHE, "token-cache", SW_ARG_ONE, "F",
     "... from the cache check_login --token-cache keeps", NULL,
     "Bearer token from the cache a streamwatch_login service keeps "
     "(login_token_cache); UNKNOWN when missing or expired "
     "(docs/token-cache.md)"},
    {OPT_AUTH_FILE, "auth-file", SW_ARG_ONE, "F",
     "HTTP Basic credentials user:password from file F", NULL,
     "HTTP Basic credentials, user:password, read from this file (one only "
     "the icinga user can read); sent only to the URL's origin"},
    {OPT_AUTH_ENV, "auth-env", SW_ARG_ONE, "VAR",
     "... from environment variable VAR", NULL,
     "HTTP Basic credentials, user:password, from this environment variable "
     "(fill it through the command's env)"},
    {'e', "expect-status", SW_ARG_ONE, "CODES",
     "accepted codes: 200, 200,204, 200-299 (default)", NULL,
     "Accepted status codes: 200, 200,204 or 200-299 (plugin default 200-299)"},
    {'s', "string", SW_ARG_ONE, "STRING", "body must contain STRING", NULL,
     "The body must contain this string"},
    {'r', "regex", SW_ARG_ONE, "REGEX",
     "body must match the POSIX extended REGEX", NULL,
     "The body must match this POSIX extended regular expression"},
    {'R', "eregi", SW_ARG_ONE, "REGEX", "as -r, ignoring case (check_curl -R)",
     NULL,
     "The body must match this POSIX extended regular expression, ignoring "
     "case"},
    {OPT_INVERT, "invert", SW_ARG_NONE, NULL, "-s/-r/-R must NOT match", NULL,
     "api_string, api_regex or api_eregi must NOT match"},
    {OPT_EXPECT_HEADER, "expect-header", SW_ARG_MANY, "'Name: REGEX'",
     "response header Name must be there, its value\n"
     "matching the POSIX extended REGEX ('Name:' alone:\n"
     "any value); repeatable",
     NULL,
     "'Name: REGEX': the response header Name must be there and its value "
     "match this POSIX extended regular expression ('Name:' alone: any "
     "value); an array for several"},
    {OPT_HEADER_ABSENT, "header-absent", SW_ARG_MANY, "NAME",
     "response header NAME must not be there;\n"
     "repeatable",
     NULL, "The response header NAME must not be there; an array for several"},
    {OPT_MAX_AGE, "max-age", SW_ARG_ONE, "SECONDS",
     "CRITICAL when the document (Last-Modified, else\n"
     "Date) is older; 30s, 5m, 2h, 1d also work",
     NULL,
     "CRITICAL when the document (Last-Modified, else Date) is older than "
     "this: seconds, or 30s, 5m, 2h, 1d"},
    {'j', "json", SW_ARG_MANY, "ASSERTION",
     "POINTER, POINTER==VALUE, POINTER!=VALUE or\n"
     "POINTER~=REGEX; POINTER is RFC 6901\n"
     "(/tracks/items/0/id); VALUE is JSON or plain\n"
     "text; repeatable",
     NULL,
     "JSON assertion: POINTER, POINTER==VALUE, POINTER!=VALUE or "
     "POINTER~=REGEX (RFC 6901 pointer, /tracks/items/0/id); an array for "
     "several"},
    {'M', "metric", SW_ARG_MANY, "LABEL=POINTER[;WARN[;CRIT]]",
     "the number at POINTER as perfdata LABEL, checked\n"
     "against the ranges; repeatable",
     NULL,
     "LABEL=POINTER[;WARN[;CRIT]]: the number at POINTER as perfdata LABEL, "
     "checked against the ranges; an array for several"},
    {'w', "warning", SW_ARG_ONE, "RANGE", "total time, seconds (e.g. 0.5)",
     NULL, "Range on the total time, seconds (e.g. 0.5)"},
    {'c', "critical", SW_ARG_ONE, "RANGE", "total time, seconds (e.g. 1)", NULL,
     "Range on the total time, seconds (e.g. 1)"},
    {OPT_MAX_SIZE, "max-size", SW_ARG_ONE, "BYTES",
     "body bytes read at most (default 4194304)", NULL,
     "Body bytes read at most (plugin default 4194304)"},
    {OPT_SIZE, "size", SW_ARG_ONE, "MIN[:MAX]",
     "CRITICAL when the body's bytes are outside\n"
     "MIN:MAX (a bare number: at least MIN)",
     NULL,
     "CRITICAL when the body's size in bytes is outside MIN:MAX (a bare "
     "number is a floor, as check_curl --pagesize)"},
    {SW_HOPT_CONNECT_TO, "connect-to", SW_ARG_ONE, "ADDR[:PORT]",
     "connect there, keeping Host and SNI", NULL,
     "Connect to ADDR[:PORT] instead of what the URL's host resolves to, "
     "keeping Host and SNI (one server behind a load balancer, one CDN edge). "
     "Default: the host's address (address6 when the host has no address or "
     "api_ipv6 is set); false or null: the URL's host name decides"},
    SW_EDGES_OPTDEF,
    {OPT_CERT_WARN, "cert-warning", SW_ARG_ONE, "DAYS",
     "certificate expiry: WARNING below DAYS left\n"
     "(default 14; a range such as 14:90 also works)",
     NULL,
     "Days left on the certificate that warn: a bare number is a floor (14 "
     "warns below 14 days, as check_http -C), or a range (plugin default 14)"},
    {OPT_CERT_CRIT, "cert-critical", SW_ARG_ONE, "DAYS",
     "certificate expiry: CRITICAL below DAYS left\n"
     "(default 7)",
     NULL,
     "Days left on the certificate that are critical: a bare number is a "
     "floor, or a range (plugin default 7)"},
    {OPT_OCSP_REQUIRED, "ocsp-required", SW_ARG_NONE, NULL,
     "WARNING when the server staples no OCSP response", NULL,
     "WARNING when the server staples no OCSP response to its certificate"},
    {OPT_CERT_ONLY, "certificate-only", SW_ARG_NONE, NULL,
     "connect and judge the TLS handshake and the\n"
     "certificate only: no request is sent (https://)",
     NULL,
     "Connect and judge the TLS handshake and the certificate only, sending "
     "no request (https:// only; not with the options that judge an "
     "answer)"},
    SW_HTTP_OPTDEF_TLS,
    SW_HTTP_OPTDEF_PROXY,
    {OPT_SOURCE_ADDRESS, "source-address", SW_ARG_ONE, "ADDR",
     "connect from this local address (numeric)", NULL,
     "Local address (numeric, of this host) to connect from"},
    {'f', "onredirect", SW_ARG_ONE, "follow|ok|warning|critical",
     "follow 3xx (default, up to 10) or give that state", NULL,
     "On a 3xx answer: follow (default, up to 10), ok, warning or critical"},
    {OPT_MAX_REDIRECTS, "max-redirects", SW_ARG_ONE, "N",
     "redirects followed at most (default 10)", NULL,
     "Redirects followed at most, 0 to 50 (plugin default 10)"},
    {OPT_STICKY, "sticky", SW_ARG_NONE, NULL,
     "redirects to the same host on another port go to\n"
     "--connect-to's (or the edge's) address too",
     NULL,
     "Redirects to the same host name on another port or scheme go to "
     "api_connect_to's (or the edge's) address too (check_curl -f "
     "sticky)"},
    {OPT_RATE_LIMIT_STATE, "rate-limit-state", SW_ARG_ONE, "STATE",
     "state of a 429 answer (default warning)", NULL,
     "State of a 429 answer: ok, warning (plugin default), critical or "
     "unknown"},
    SW_OPTDEF_TIMEOUT("run"),
    SW_OPTDEF_IPV4("IPv4 only", "Use IPv4 only"),
    SW_OPTDEF_IPV6("IPv6 only", "Use IPv6 only"),
    {OPT_PREFER_IPV6, "prefer-ipv6", SW_ARG_NONE, NULL,
     "IPv6 first; IPv4 when the host has no IPv6\n"
     "address or it does not connect (--resolver)",
     NULL,
     "Connect over IPv6 first, over IPv4 when the host has no IPv6 address "
     "or the IPv6 connection fails (the name resolved through "
     "api_resolver, else the system's resolvers)"},
    {OPT_PREFER_IPV4, "prefer-ipv4", SW_ARG_NONE, NULL,
     "IPv4 first; IPv6 when the host has no IPv4\n"
     "address or it does not connect",
     NULL,
     "Connect over IPv4 first, over IPv6 when the host has no IPv4 address "
     "or the IPv4 connection fails"},
    SW_OPTDEF_EXTRA_OPTS,
    SW_OPTDEF_VERBOSE("more detail: -v the answer and its phases, -vv\n"
                      "the request and answer headers, -vvv libcurl's\n"
                      "whole trace (credentials masked)"),
    SW_OPTDEF_HELP_VERSION};

const sw_optab api_optab = SW_OPTAB("check_api", "api", rows);
