/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP options every HTTP plugin shares (check_api, check_login,
 * check_stream): one table, one parser. */
#ifndef STREAMWATCH_HTTP_OPTS_H
#define STREAMWATCH_HTTP_OPTS_H

#include "streamwatch/http.h"
#include "streamwatch/optab.h"
#include "streamwatch/strvec.h"

/* Long-option values between the standard ones and the plugins' own. */
enum {
  SW_HOPT_CONNECT_TO = 0x1040,
  SW_HOPT_INSECURE,
  SW_HOPT_CA_FILE,
  SW_HOPT_CLIENT_CERT,
  SW_HOPT_CLIENT_KEY,
  SW_HOPT_TLS_MIN,
  SW_HOPT_PROXY,
  SW_HOPT_HTTP_VERSION,
  SW_HOPT_BEARER,
  SW_HOPT_BEARER_FILE,
  SW_HOPT_BEARER_ENV,
  SW_HOPT_CA_PATH
};

/* The option table's rows of the shared HTTP options: -k (each plugin
 * says in its own words where credentials go), the TLS and transport
 * options, and the bearer token's three sources. */
#define SW_HTTP_HEADER_HELP                                                    \
  "extra request header; repeatable (a credential's\n"                         \
  "value -- Authorization, Cookie, a name with\n"                              \
  "Token, Key, Secret... -- is wiped from argv and\n"                          \
  "masked in the output)"
#define SW_HTTP_OPTDEF_HEADER(help)                                            \
  {                                                                            \
    'k', "header", SW_ARG_MANY, "'Name: value'", help, NULL,                   \
        "Extra request header 'Name: value'; an array for several (a "         \
        "credential's value is wiped from argv and masked in the output)"      \
  }
#define SW_HTTP_OPTDEF_TLS                                                     \
  {SW_HOPT_CA_FILE,                                                            \
   "ca-file",                                                                  \
   SW_ARG_ONE,                                                                 \
   "F",                                                                        \
   "CA certificates to verify the server with",                                \
   NULL,                                                                       \
   "CA certificates (PEM) to verify the server with, and no others "           \
   "(default: the system's)"},                                                 \
      {SW_HOPT_CA_PATH,                                                        \
       "ca-path",                                                              \
       SW_ARG_ONE,                                                             \
       "DIR",                                                                  \
       "hashed CA directory (openssl rehash) to verify with",                  \
       NULL,                                                                   \
       "Hashed CA directory (openssl rehash) to verify the server with, and "  \
       "no others (default: the system's /etc/ssl/certs when hashed)"},        \
      {SW_HOPT_CLIENT_CERT,                                                    \
       "client-cert",                                                          \
       SW_ARG_ONE,                                                             \
       "F",                                                                    \
       "TLS client certificate",                                               \
       NULL,                                                                   \
       "TLS client certificate (PEM file)"},                                   \
      {SW_HOPT_CLIENT_KEY,                                                     \
       "client-key",                                                           \
       SW_ARG_ONE,                                                             \
       "F",                                                                    \
       "its key",                                                              \
       NULL,                                                                   \
       "TLS client key (PEM file)"},                                           \
      {SW_HOPT_TLS_MIN,                                                        \
       "tls-min",                                                              \
       SW_ARG_ONE,                                                             \
       "1.2|1.3",                                                              \
       "lowest TLS version accepted",                                          \
       NULL,                                                                   \
       "Lowest TLS version accepted: 1.2 or 1.3"},                             \
  {                                                                            \
    SW_HOPT_INSECURE, "insecure", SW_ARG_NONE, NULL,                           \
        "no certificate or host name verification", NULL,                      \
        "No certificate or host name verification (the output says so)"        \
  }
#define SW_HTTP_OPTDEF_PROXY                                                   \
  {SW_HOPT_PROXY,                                                              \
   "proxy",                                                                    \
   SW_ARG_ONE,                                                                 \
   "URL",                                                                      \
   "proxy to use",                                                             \
   NULL,                                                                       \
   "Proxy URL (http://, https:// or socks5://)"},                              \
  {                                                                            \
    SW_HOPT_HTTP_VERSION, "http-version", SW_ARG_ONE, "1.1|2",                 \
        "HTTP version to ask for", NULL, "HTTP version to ask for: 1.1 or 2"   \
  }
#define SW_BEARER_OPTDEF                                                       \
  {SW_HOPT_BEARER_FILE,                                                        \
   "bearer-file",                                                              \
   SW_ARG_ONE,                                                                 \
   "F",                                                                        \
   "Authorization: Bearer token from file F",                                  \
   NULL,                                                                       \
   "Authorization: Bearer token read from this file (one only the icinga "     \
   "user can read)"},                                                          \
      {SW_HOPT_BEARER_ENV,                                                     \
       "bearer-env",                                                           \
       SW_ARG_ONE,                                                             \
       "VAR",                                                                  \
       "... from environment variable VAR",                                    \
       NULL,                                                                   \
       "Authorization: Bearer token from this environment variable (fill it "  \
       "through the command's env)"},                                          \
  {                                                                            \
    SW_HOPT_BEARER, "bearer", SW_ARG_ONE, "TOKEN",                             \
        "... literal (wiped from the process's argv)", NULL,                   \
        "Authorization: Bearer token, literal (wiped from the plugin's argv, " \
        "but kept in Icinga's state and API: prefer @_bearer_file)"            \
  }

/* Is name[0..len) a header name, an RFC 9110 token (5.6.2: letters,
 * digits and !#$%&'*+-.^_`|~)? */
bool sw_http_token(const char *name, size_t len);

/* The longest -k header value accepted. */
#define SW_HEADER_MAX 65536

/* Applies one shared HTTP option (c as getopt_long returned it) to r, or
 * -k to headers. -k takes "Name: value" with Name a token and no control
 * character but HTAB in the value (CR/LF would inject headers); its
 * errors name -k and at most the header name, never the value.
 * --ca-file, --client-cert and --client-key must name regular files
 * (sw_file_check). Returns 0, 1 when c is not a shared HTTP option, or
 * -1 with err naming the option. */
int sw_http_option(sw_http_req *r, sw_strvec *headers, int c, const char *arg,
                   sw_err *err);

/* Reads a bearer token option into *bearer (freeing the old one): the
 * literal, a file's content (sw_secret_file) or an environment variable.
 * The token must be 1 to SW_HTTP_BEARER_MAX bytes without blanks or control
 * characters (header injection). Returns 0, 1 when c is not a bearer
 * option, or -1 with err naming the option and never showing the token
 * (*bearer is then NULL). */
int sw_bearer_option(char **bearer, int c, const char *arg, sw_err *err);

/* Checks a bearer token from any source (also a token cache): 1 to
 * SW_HTTP_BEARER_MAX bytes, no blank, no control character. Returns 0, or -1
 * with err "OPT: invalid token: why (the token is not shown)" after
 * freeing *bearer and setting it to NULL. */
int sw_bearer_check(char **bearer, const char *opt, sw_err *err);

/* --token-cache F: the bearer check_login saved in F, while it is valid
 * (check_api, check_stream). Sets *bearer (owned; it must be NULL: a
 * --bearer* option too is refused) and *left, the seconds it is valid
 * for. A stale, missing or broken cache is -1 with err naming
 * --token-cache (UNKNOWN: the login service check is the one that pages
 * for it); the token is never shown. */
int sw_bearer_from_cache(char **bearer, const char *path, long long *left,
                         sw_err *err);

/* A URL given with userinfo ("https://user:password@host/path") split
 * into the URL without it and the credentials, so that the password
 * never shows where the URL is shown (output, trace, hop names) and goes
 * only as HTTP authentication (sw_http_req username/password), to the
 * URL's own origin. The plugin adds password to its masks; argv is wiped
 * by sw_args_wipe already. */
typedef struct {
  char *url;      /* without "user:password@" (owned) */
  char *username; /* percent-decoded, or NULL (owned) */
  char *password; /* percent-decoded, or NULL (owned, a secret) */
} sw_http_url;

/* Fills u (zeroed or from an earlier call: freed first) from arg, given
 * to option opt ("-u"). Returns 0, or -1 with err naming opt and never
 * showing the user name or password (a broken %-escape, a control
 * character, out of memory). */
int sw_http_url_parse(sw_http_url *u, const char *arg, const char *opt,
                      sw_err *err);

/* Frees what u holds (the password overwritten first); u is then zero. */
void sw_http_url_free(sw_http_url *u);

/* -u for an HTTP plugin in one call: parses arg into u, then sets r->url
 * to the URL without userinfo and, when it had some, r->username and
 * r->password (Basic unless r->digest; "" for "user@"), which libcurl
 * sends only to that URL's origin. The plugin adds u->password to its
 * masks (sw_masks_add) and frees u with its configuration. A plugin with
 * its own --username/--password decides which wins after this call.
 * Returns 0, or -1 with err naming opt. */
int sw_http_url_option(sw_http_req *r, sw_http_url *u, const char *arg,
                       const char *opt, sw_err *err);

#endif
