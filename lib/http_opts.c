/* The HTTP options shared by every HTTP plugin. */
#include <stdlib.h>
#include <string.h>

#include "streamwatch/http_opts.h"
#include "streamwatch/secret.h"

int sw_http_option(sw_http_req *r, sw_strvec *headers, int c, const char *arg,
                   sw_err *err) {
  char spec[300];
  switch (c) {
  case 'k':
    if (!strchr(arg, ':') || strpbrk(arg, "\r\n"))
      return sw_fail(err, "-k: invalid header '%s' (Name: value)", arg);
    return sw_strvec_add(headers, arg) < 0 ? sw_fail(err, "-k: out of memory")
                                           : 0;
  case SW_HOPT_CONNECT_TO:
    if (sw_http_connect_to(arg, spec, sizeof spec) < 0)
      return sw_fail(err,
                     "--connect-to: invalid address '%s' (ADDR, "
                     "ADDR:PORT or [V6]:PORT)",
                     arg);
    r->connect_to = arg;
    return 0;
  case SW_HOPT_INSECURE: r->insecure = true; return 0;
  case SW_HOPT_CA_FILE: r->ca_file = arg; return 0;
  case SW_HOPT_CLIENT_CERT: r->client_cert = arg; return 0;
  case SW_HOPT_CLIENT_KEY: r->client_key = arg; return 0;
  case SW_HOPT_PROXY: r->proxy = arg; return 0;
  case SW_HOPT_TLS_MIN:
    if (strcmp(arg, "1.2") && strcmp(arg, "1.3"))
      return sw_fail(err, "--tls-min: invalid version '%s' (1.2 or 1.3)", arg);
    r->tls_min = arg[2] == '2' ? 12 : 13;
    return 0;
  case SW_HOPT_HTTP_VERSION:
    if (strcmp(arg, "1.1") && strcmp(arg, "2"))
      return sw_fail(err, "--http-version: invalid version '%s' (1.1 or 2)",
                     arg);
    r->http_version = arg[0] == '2' ? 2 : 11;
    return 0;
  default: return 1;
  }
}

int sw_bearer_option(char **bearer, int c, const char *arg, sw_err *err) {
  switch (c) {
  case SW_HOPT_BEARER:
    sw_secret_free(*bearer);
    return (*bearer = strdup(arg)) ? 0
                                   : sw_fail(err, "--bearer: out of memory");
  case SW_HOPT_BEARER_FILE:
    sw_secret_free(*bearer);
    *bearer = NULL;
    return sw_secret_file(arg, "--bearer-file", bearer, err);
  case SW_HOPT_BEARER_ENV:
    sw_secret_free(*bearer);
    *bearer = NULL;
    return sw_secret_env(arg, "--bearer-env", bearer, err);
  default: return 1;
  }
}
