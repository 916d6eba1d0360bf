/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP options shared by every HTTP plugin. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "streamwatch/file.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/token.h"

/* Is the byte one that must not be inside a header field value (RFC
 * 9110 5.5: CR, LF, NUL and the other controls but HTAB)? */
static bool ctl_byte(unsigned char c) {
  return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Is name[0..len) a header field name (RFC 9110 5.1: a token)? */
bool sw_http_token(const char *name, size_t len) {
  if (len == 0)
    return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c <= ' ' || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c))
      return false;
  }
  return true;
}

/* -k "Name: value". The value may be a credential (X-Api-Key...), so no
 * message ever shows it; the name is shown once it is known to be a
 * plain token. A CR or LF would add a header (or, echoed, a status
 * line): refused. */
static int header_option(sw_strvec *headers, const char *arg, sw_err *err) {
  const char *colon = strchr(arg, ':');
  if (!colon)
    return sw_fail(err, "-k: invalid header: no ':' (give Name: value; "
                        "the value is not shown)");
  size_t nl = (size_t)(colon - arg);
  if (!sw_http_token(arg, nl))
    return sw_fail(err, "-k: invalid header name (letters, digits and "
                        "-_.!#$%%&'*+^`|~ before the ':'; the value is not "
                        "shown)");
  int shown = nl > 64 ? 64 : (int)nl;
  if (strlen(colon + 1) > SW_HEADER_MAX)
    return sw_fail(err, "-k: header '%.*s': value longer than %d bytes", shown,
                   arg, SW_HEADER_MAX);
  for (const char *p = colon + 1; *p; p++)
    if (ctl_byte((unsigned char)*p))
      return sw_fail(err,
                     "-k: header '%.*s': a control character (CR, LF...) "
                     "in the value would inject headers; refused (the "
                     "value is not shown)",
                     shown, arg);
  return sw_strvec_add(headers, arg) < 0 ? sw_fail(err, "-k: out of memory")
                                         : 0;
}

int sw_http_option(sw_http_req *r, sw_strvec *headers, int c, const char *arg,
                   sw_err *err) {
  char spec[300];
  switch (c) {
  case 'k': return header_option(headers, arg, err);
  case SW_HOPT_CONNECT_TO:
    if (sw_http_connect_to(arg, spec, sizeof spec) < 0)
      return sw_fail(err,
                     "--connect-to: invalid address '%s' (ADDR, "
                     "ADDR:PORT or [V6]:PORT)",
                     arg);
    r->connect_to = arg;
    return 0;
  case SW_HOPT_INSECURE: r->insecure = true; return 0;
  /* libcurl opens these during the transfer: a FIFO there would hang it
   * until -t and look like a slow service */
  case SW_HOPT_CA_FILE:
    r->ca_file = arg;
    return sw_file_check(arg, "--ca-file", err);
  case SW_HOPT_CA_PATH: {
    struct stat st;
    r->ca_path = arg;
    if (stat(arg, &st) < 0 || !S_ISDIR(st.st_mode))
      return sw_fail(err, "--ca-path: %s is not a directory", arg);
    if (!sw_ca_dir_hashed(arg))
      return sw_fail(err,
                     "--ca-path: %s has no hash links (run openssl rehash "
                     "on it, or give the bundle with --ca-file)",
                     arg);
    return 0;
  }
  case SW_HOPT_CLIENT_CERT:
    r->client_cert = arg;
    return sw_file_check(arg, "--client-cert", err);
  case SW_HOPT_CLIENT_KEY:
    r->client_key = arg;
    return sw_file_check(arg, "--client-key", err);
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

/* A token goes into "Authorization: Bearer TOKEN": RFC 6750's b64token
 * holds no blank and no control byte, and a CR or LF would inject
 * headers. */
_Static_assert(SW_HTTP_BEARER_MAX == 65536, "the message below says 65536");

int sw_bearer_check(char **bearer, const char *opt, sw_err *err) {
  size_t n = strlen(*bearer);
  const char *why = NULL;
  if (n == 0)
    why = "empty";
  else if (n > SW_HTTP_BEARER_MAX)
    why = "longer than the 65536-byte limit";
  for (size_t i = 0; !why && i < n; i++) {
    unsigned char c = (unsigned char)(*bearer)[i];
    if (c <= ' ' || c == 0x7f)
      why = "a blank or control character (CR, LF...) inside would inject "
            "headers";
  }
  if (!why)
    return 0;
  sw_secret_free(*bearer);
  *bearer = NULL;
  return sw_fail(err, "%s: invalid token: %s (the token is not shown)", opt,
                 why);
}

int sw_bearer_option(char **bearer, int c, const char *arg, sw_err *err) {
  const char *opt = c == SW_HOPT_BEARER        ? "--bearer"
                    : c == SW_HOPT_BEARER_FILE ? "--bearer-file"
                                               : "--bearer-env";
  int rc;
  if (c != SW_HOPT_BEARER && c != SW_HOPT_BEARER_FILE &&
      c != SW_HOPT_BEARER_ENV)
    return 1;
  sw_secret_free(*bearer);
  *bearer = NULL;
  if (c == SW_HOPT_BEARER)
    rc = (*bearer = strdup(arg)) ? 0 : sw_fail(err, "--bearer: out of memory");
  else if (c == SW_HOPT_BEARER_FILE)
    rc = sw_secret_file(arg, opt, bearer, err);
  else
    rc = sw_secret_env(arg, opt, bearer, err);
  return rc < 0 ? -1 : sw_bearer_check(bearer, opt, err);
}

int sw_bearer_from_cache(char **bearer, const char *path, long long *left,
                         sw_err *err) {
  sw_token t;
  if (*bearer)
    return sw_fail(err, "--token-cache: not together with --bearer*");
  if (sw_token_load(path, "--token-cache", &t, err) < 0)
    return -1;
  /* checked like a token from --bearer-file: no header injection, the
   * size limit, the option named */
  if (sw_bearer_check(&t.access_token, "--token-cache", err) < 0) {
    sw_token_free(&t);
    return -1;
  }
  long long l = t.expires_at - (long long)time(NULL);
  if (l <= 0) {
    sw_token_free(&t);
    return sw_fail(err,
                   "--token-cache: the token in %s expired %lld s ago "
                   "(is check_login --token-cache running?)",
                   path, -l);
  }
  *bearer = t.access_token; /* the token's owner now */
  *left = l;
  return 0;
}

static int hex_digit(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* A percent-decoded copy of s[0..n) (RFC 3986 2.1) in *out. Returns 0,
 * -1 for a broken escape or a control byte in the result (it would go
 * into an Authorization header), or -2 when out of memory. */
static int pct_decode(const char *s, size_t n, char **out) {
  char *d = malloc(n + 1);
  size_t o = 0;
  if (!d)
    return -2;
  for (size_t i = 0; i < n; i++) {
    int c = (unsigned char)s[i];
    if (c == '%') {
      int hi = i + 2 < n ? hex_digit(s[i + 1]) : -1;
      int lo = i + 2 < n ? hex_digit(s[i + 2]) : -1;
      c = hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
      i += 2;
    }
    if (c <= 0 || ctl_byte((unsigned char)c)) {
      d[o] = '\0';
      sw_secret_free(d);
      return -1;
    }
    d[o++] = (char)c;
  }
  d[o] = '\0';
  *out = d;
  return 0;
}

void sw_http_url_free(sw_http_url *u) {
  free(u->url);
  free(u->username);
  sw_secret_free(u->password);
  memset(u, 0, sizeof *u);
}

/* Fills u from the userinfo s[0..n) ("user" or "user:password"). */
static int userinfo_split(sw_http_url *u, const char *s, size_t n,
                          const char *opt, sw_err *err) {
  const char *colon = memchr(s, ':', n);
  size_t ul = colon ? (size_t)(colon - s) : n;
  int rc = pct_decode(s, ul, &u->username);
  if (rc == 0 && colon)
    rc = pct_decode(colon + 1, n - ul - 1, &u->password);
  if (rc == -2)
    return sw_fail(err, "%s: out of memory", opt);
  if (rc < 0)
    return sw_fail(err,
                   "%s: the user name or password in the URL has a broken "
                   "%%-escape or a control character (not shown)",
                   opt);
  return 0;
}

int sw_http_url_parse(sw_http_url *u, const char *arg, const char *opt,
                      sw_err *err) {
  const char *sep = strstr(arg, "://");
  const char *auth = sep ? sep + 3 : arg;
  const char *end = auth + strcspn(auth, "/?#"), *at = NULL;
  sw_http_url_free(u);
  for (const char *p = auth; p < end; p++)
    if (*p == '@')
      at = p; /* the last one: RFC 3986 3.2.1 has no '@' in userinfo */
  if (!sep || !at) {
    if (!(u->url = strdup(arg)))
      return sw_fail(err, "%s: out of memory", opt);
    return 0;
  }
  sw_buf b;
  sw_buf_init(&b, strlen(arg));
  sw_buf_add(&b, arg, (size_t)(auth - arg));
  sw_buf_puts(&b, at + 1);
  if (b.nomem || !(u->url = sw_buf_take(&b))) {
    sw_buf_free(&b);
    return sw_fail(err, "%s: out of memory", opt);
  }
  if (userinfo_split(u, auth, (size_t)(at - auth), opt, err) < 0) {
    sw_http_url_free(u);
    return -1;
  }
  return 0;
}

int sw_http_url_option(sw_http_req *r, sw_http_url *u, const char *arg,
                       const char *opt, sw_err *err) {
  /* credentials of an earlier -u are freed by the parse: drop them */
  if (u->username && r->username == u->username) {
    r->username = NULL;
    r->password = NULL;
  }
  if (r->url == u->url)
    r->url = NULL;
  if (sw_http_url_parse(u, arg, opt, err) < 0)
    return -1;
  r->url = u->url;
  if (u->username) {
    r->username = u->username;
    r->password = u->password ? u->password : "";
  }
  return 0;
}
