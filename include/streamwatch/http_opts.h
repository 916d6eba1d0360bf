/* The HTTP options every HTTP plugin shares (check_api, check_login,
 * check_stream): one table, one parser. */
#ifndef STREAMWATCH_HTTP_OPTS_H
#define STREAMWATCH_HTTP_OPTS_H

#include <getopt.h>
#include "streamwatch/http.h"
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
  SW_HOPT_BEARER_ENV
};

#define SW_HTTP_SHORTOPTS "k:"
#define SW_HTTP_LONGOPTS                                                       \
  {"header", required_argument, NULL, 'k'},                                    \
      {"connect-to", required_argument, NULL, SW_HOPT_CONNECT_TO},             \
      {"insecure", no_argument, NULL, SW_HOPT_INSECURE},                       \
      {"ca-file", required_argument, NULL, SW_HOPT_CA_FILE},                   \
      {"client-cert", required_argument, NULL, SW_HOPT_CLIENT_CERT},           \
      {"client-key", required_argument, NULL, SW_HOPT_CLIENT_KEY},             \
      {"tls-min", required_argument, NULL, SW_HOPT_TLS_MIN},                   \
      {"proxy", required_argument, NULL, SW_HOPT_PROXY}, {                     \
    "http-version", required_argument, NULL, SW_HOPT_HTTP_VERSION              \
  }

/* --bearer (wiped from argv), --bearer-file, --bearer-env. */
#define SW_BEARER_LONGOPTS                                                     \
  {"bearer", required_argument, NULL, SW_HOPT_BEARER},                         \
      {"bearer-file", required_argument, NULL, SW_HOPT_BEARER_FILE}, {         \
    "bearer-env", required_argument, NULL, SW_HOPT_BEARER_ENV                  \
  }

/* Applies one shared HTTP option (c as getopt_long returned it) to r, or
 * -k to headers. Returns 0, 1 when c is not a shared HTTP option, or -1
 * with err naming the option. */
int sw_http_option(sw_http_req *r, sw_strvec *headers, int c, const char *arg,
                   sw_err *err);

/* Reads a bearer token option into *bearer (freeing the old one).
 * Returns 0, 1 when c is not a bearer option, or -1 with err. */
int sw_bearer_option(char **bearer, int c, const char *arg, sw_err *err);

#endif
