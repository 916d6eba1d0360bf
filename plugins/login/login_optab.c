/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login's options, the one list of them: getopt's table, --help, the
 * man page's option heads and the Icinga 2 arguments are made from it
 * (streamwatch/optab.h). */
#include "login.h"
#include "streamwatch/http_opts.h"

static const sw_optdef rows[] = {
    {'u', "url", SW_ARG_ONE, "URL", "token URL, protected URL or login page",
     NULL,
     "Token URL (OAuth2 flows), protected URL (basic) or login page (form) "
     "(required)"},
    {OPT_FLOW, "flow", SW_ARG_ONE, "FLOW", "one of the flows above", NULL,
     "client-credentials (default), refresh-token, password, basic or form"},
    {OPT_CLIENT_ID, "client-id", SW_ARG_ONE, "ID", "OAuth2 client id", NULL,
     "OAuth2 client id"},
    {SECRET_OPT(SEC_CLIENT, SRC_FILE), "client-secret-file", SW_ARG_ONE, "F",
     "client secret from file F", NULL,
     "OAuth2 client secret read from this file (one only the icinga user can "
     "read)"},
    {SECRET_OPT(SEC_CLIENT, SRC_ENV), "client-secret-env", SW_ARG_ONE, "VAR",
     "... from environment variable VAR", NULL,
     "OAuth2 client secret from this environment variable (fill it through the "
     "command's env)"},
    {SECRET_OPT(SEC_CLIENT, SRC_ARG), "client-secret", SW_ARG_ONE, "S",
     "... literal (wiped from argv at once)", NULL,
     "OAuth2 client secret, literal (wiped from the plugin's argv, but kept in "
     "Icinga's state and API: prefer login_client_secret_file)"},
    {OPT_CLIENT_AUTH, "client-auth", SW_ARG_ONE, "basic|post",
     "client credentials in HTTP Basic (default) or in\n"
     "the form (client_id, client_secret)",
     NULL,
     "Client credentials in HTTP Basic (basic, default) or in the form (post)"},
    {OPT_USERNAME, "username", SW_ARG_ONE, "U",
     "user for the password, basic and form flows", NULL,
     "User for the password, basic and form flows"},
    {SECRET_OPT(SEC_PASSWORD, SRC_FILE), "password-file", SW_ARG_ONE, "F",
     "password from file F", NULL, "Password read from this file"},
    {SECRET_OPT(SEC_PASSWORD, SRC_ENV), "password-env", SW_ARG_ONE, "VAR",
     "... from environment variable VAR", NULL,
     "Password from this environment variable"},
    {SECRET_OPT(SEC_PASSWORD, SRC_ARG), "password", SW_ARG_ONE, "P",
     "... literal (wiped from argv at once)", NULL,
     "Password, literal (wiped from argv; prefer login_password_file)"},
    {SECRET_OPT(SEC_REFRESH, SRC_FILE), "refresh-token-file", SW_ARG_ONE, "F",
     "refresh token from file F", NULL,
     "Refresh token (refresh-token flow) read from this file"},
    {SECRET_OPT(SEC_REFRESH, SRC_ENV), "refresh-token-env", SW_ARG_ONE, "VAR",
     "... from environment variable VAR", NULL,
     "Refresh token from this environment variable"},
    {SECRET_OPT(SEC_REFRESH, SRC_ARG), "refresh-token", SW_ARG_ONE, "T",
     "... literal (wiped from argv at once)", NULL,
     "Refresh token, literal (wiped from argv; prefer "
     "login_refresh_token_file)"},
    {OPT_SCOPE, "scope", SW_ARG_ONE, "S", "scope added to token requests", NULL,
     "Scope added to token requests"},
    {OPT_AUDIENCE, "audience", SW_ARG_ONE, "A",
     "audience added to token requests", NULL,
     "Audience added to token requests"},
    SW_HTTP_OPTDEF_HEADER(SW_HTTP_HEADER_HELP),
    {OPT_DIGEST, "digest", SW_ARG_NONE, NULL,
     "HTTP Digest instead of Basic (basic flow)", NULL,
     "basic flow: HTTP Digest instead of Basic"},
    {OPT_VERIFY_REJECTS, "verify-rejects", SW_ARG_NONE, NULL,
     "basic: the URL must refuse a request without\n"
     "credentials (no open door)",
     NULL,
     "basic flow: the URL must refuse a request without credentials (no open "
     "door)"},
    {OPT_FORM_FIELD, "form-field", SW_ARG_MANY, "NAME=VALUE",
     "extra form field; repeatable", NULL,
     "form flow: extra form field NAME=VALUE; an array for several"},
    {OPT_USER_FIELD, "user-field", SW_ARG_ONE, "NAME",
     "form field of the user name (username)", NULL,
     "form flow: name of the user field (plugin default username)"},
    {OPT_PASSWORD_FIELD, "password-field", SW_ARG_ONE, "NAME",
     "form field of the password (password)", NULL,
     "form flow: name of the password field (plugin default password)"},
    {OPT_CSRF_FIELD, "csrf-field", SW_ARG_ONE, "NAME",
     "hidden field that must be on the login page", NULL,
     "form flow: hidden CSRF field that must be on the login page"},
    {OPT_CSRF_REGEX, "csrf-regex", SW_ARG_ONE, "RE",
     "take its value from the page (first group)", NULL,
     "form flow: take the CSRF value from the page (first group)"},
    {OPT_SUCCESS_URL, "success-url", SW_ARG_ONE, "URL",
     "page to GET after logging in", NULL,
     "form flow: page to GET after logging in"},
    {OPT_SUCCESS_STRING, "success-string", SW_ARG_ONE, "S",
     "the final page must show S", NULL,
     "form flow: the final page must show this string"},
    {OPT_SUCCESS_REGEX, "success-regex", SW_ARG_ONE, "RE",
     "the final page must match RE", NULL,
     "form flow: the final page must match this regex"},
    {OPT_FAILURE_STRING, "failure-string", SW_ARG_ONE, "S",
     "text of a rejected login", NULL, "form flow: text of a rejected login"},
    {OPT_FORM_ORIGIN, "form-origin", SW_ARG_ONE, "URL",
     "the form may post the password to this origin\n"
     "too (default: -u's origin only)",
     NULL,
     "form flow: an origin (URL) the form may post the password to besides "
     "login_url's (default: login_url's origin only; never http when login_url "
     "is https)"},
    {OPT_COOKIE_JAR, "cookie-jar", SW_ARG_ONE, "F",
     "keep the session's cookies in F (mode 0600; a\n"
     "symbolic link is refused)",
     NULL,
     "Keep the session's cookies in this file (mode 0600; a symbolic link is "
     "refused)"},
    {OPT_TOKEN_CACHE, "token-cache", SW_ARG_ONE, "F",
     "save the token for check_api --token-cache", NULL,
     "Save the access token to this file for streamwatch_api's api_token_cache "
     "(docs/token-cache.md)"},
    {OPT_SAVE_REFRESH, "save-refresh-token", SW_ARG_ONE, "F",
     "save a new refresh token (mode 0600)", NULL,
     "Save a new refresh token to this file (mode 0600)"},
    {OPT_TTL_WARN, "ttl-warning", SW_ARG_ONE, "RANGE",
     "token lifetime (expires_in), seconds: WARNING\n"
     "below a bare number (300 is 300:), else as a range",
     NULL,
     "The token's expires_in that warns, seconds: a bare number is a floor "
     "(600 warns below 600 s), or a range (@0:60)"},
    {OPT_TTL_CRIT, "ttl-critical", SW_ARG_ONE, "RANGE", "the same for CRITICAL",
     NULL,
     "The token's expires_in that is critical, seconds: a bare number is a "
     "floor, or a range"},
    {OPT_REJECTED_STATE, "rejected-state", SW_ARG_ONE, "STATE",
     "state of rejected credentials (default critical)", NULL,
     "State of rejected credentials (plugin default critical)"},
    {'w', "warning", SW_ARG_ONE, "RANGE", "total login time, seconds (e.g. 1)",
     NULL, "Range on the total login time, seconds"},
    {'c', "critical", SW_ARG_ONE, "RANGE", "total login time, seconds (e.g. 3)",
     NULL, "Range on the total login time, seconds"},
    SW_HTTP_OPTDEF_TLS,
    {SW_HOPT_CONNECT_TO, "connect-to", SW_ARG_ONE, "ADDR[:PORT]",
     "connect there for -u's host, keeping Host and SNI", NULL,
     "Connect to ADDR[:PORT] instead of what login_url's host resolves to, "
     "keeping Host and SNI. No default: a token endpoint is usually an "
     "identity provider elsewhere, not the host's address"},
    SW_EDGES_OPTDEF,
    SW_HTTP_OPTDEF_PROXY,
    SW_OPTDEF_TIMEOUT("flow"),
    SW_OPTDEF_IPV4("IPv4 only", "Use IPv4 only"),
    SW_OPTDEF_IPV6("IPv6 only", "Use IPv6 only"),
    SW_OPTDEF_EXTRA_OPTS,
    SW_OPTDEF_VERBOSE("more detail: -v each step's answer and time, -vv\n"
                      "the requests and answer headers, -vvv libcurl's\n"
                      "whole trace (secrets masked)"),
    SW_OPTDEF_HELP_VERSION};

const sw_optab login_optab = SW_OPTAB("check_login", "login", rows);
