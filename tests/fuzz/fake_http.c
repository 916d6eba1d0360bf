/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scripted HTTP server of the whole-plugin fuzz targets; see
 * fake_http.h. What lib/http.c does is mirrored here in its effects on
 * sw_http_resp: header values sanitised into their arrays, the reason
 * phrase after the status code, a header block cut short as "reading
 * headers", failures worded by the real sw_http_explain. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fake_http.h"
#include "http_hop.h"
#include "oracle.h"
#include "streamwatch/deadline.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"

/* The server of the run in progress. The wrapped functions are called
 * deep inside a plugin with no argument to carry it: this is the one
 * file-scope state of the fuzz targets, set and cleared around each run. */
static fake_http *current;

/* Where the fake clock starts, and the wall clock it stands for. */
#define FAKE_T0 1000.0
#define FAKE_EPOCH 1796000000

int __wrap_sw_http_perform(const sw_http_req *req, const sw_deadline *d,
                           sw_http_resp *resp, sw_err *err);
const char *__wrap_sw_http_session_url(const sw_http_session *s);
double __wrap_sw_now(void);
double __real_sw_now(void);
time_t __wrap_time(time_t *t);
time_t __real_time(time_t *t);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
int __real_nanosleep(const struct timespec *req, struct timespec *rem);

void fake_http_begin(fake_http *s, const unsigned char *script, size_t n) {
  memset(s, 0, sizeof *s);
  s->d = script;
  s->n = n;
  s->clock = FAKE_T0;
  current = s;
}

void fake_http_end(fake_http *s) {
  (void)s;
  current = NULL;
}

/* The next response of the script, or false when it is used up. */
static bool next_section(fake_http *s, const unsigned char **p, size_t *n) {
  if (!s->d)
    return false;
  const unsigned char *sep =
      memmem(s->d, s->n, FAKE_HTTP_SEP, strlen(FAKE_HTTP_SEP));
  *p = s->d;
  *n = sep ? (size_t)(sep - s->d) : s->n;
  if (sep) {
    s->n -= *n + strlen(FAKE_HTTP_SEP);
    s->d = sep + strlen(FAKE_HTTP_SEP);
  } else {
    s->d = NULL;
    s->n = 0;
  }
  return true;
}

/* A decimal number from n bytes at p (a bounded copy for strtod). */
static double number(const unsigned char *p, size_t n, double dflt) {
  char tmp[32];
  char *end;
  if (n >= sizeof tmp)
    n = sizeof tmp - 1;
  memcpy(tmp, p, n);
  tmp[n] = '\0';
  double v = strtod(tmp, &end);
  return end == tmp || v != v ? dflt : v;
}

/* Phase times of a hop that took total seconds, as sw_http_read_times
 * reports them; with reached < 5, the phases from reached on were never
 * reached (-1), as in a failure. */
static void set_times(sw_http_times *t, double total, bool https, int reached) {
  double *ph[] = {&t->dns, &t->connect, &t->tls, &t->ttfb, &t->transfer};
  double share[] = {0.1, 0.1, 0.2, 0.3, 0.3};
  for (int i = 0; i < 5; i++)
    *ph[i] = i < reached ? total * share[i] : -1;
  if (!https)
    t->tls = 0;
  t->total = total;
}

/* What one hop's script says beyond what the callbacks see. */
enum { CHAIN_MAX = 4 };

typedef struct {
  int reached;      /* phases reached (5: all) */
  double time;      /* X-Fuzz-Time */
  double cert_days; /* X-Fuzz-Cert-Days */
  int tls;          /* X-Fuzz-Tls: 0 (none), 12 or 13 */
  bool stapled;     /* X-Fuzz-Tls's second word 1 */
  int chain_n;      /* X-Fuzz-Chain lines */
  double chain_days[CHAIN_MAX];
  char chain_subject[CHAIN_MAX][256];
  char location[2048]; /* the raw Location, libcurl's to follow */
} hop_script;

/* A header line for the plugin, or a pseudo-header for the script. */
static void header_line(sw_http_ctx *c, const unsigned char *l, size_t len,
                        hop_script *h) {
  size_t nl = 0;
  const char *names[] = {"x-fuzz-time:", "x-fuzz-cert-days:", "location:",
                         "x-fuzz-tls:", "x-fuzz-chain:"};
  int which = -1;
  for (int i = 0; i < 5 && which < 0; i++)
    if (len > (nl = strlen(names[i])) &&
        strncasecmp((const char *)l, names[i], nl) == 0)
      which = i;
  const unsigned char *v = l + nl;
  size_t vl = which >= 0 ? len - nl : 0;
  while (vl && (*v == ' ' || *v == '\t'))
    v++, vl--;
  while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
    vl--;
  if (which == 0) {
    h->time = number(v, vl, 0.05);
    if (!(h->time >= 0 && h->time < 1e6)) /* a real time is neither */
      h->time = 0.05;
  } else if (which == 1) {
    h->cert_days = number(v, vl, 90);
  } else if (which == 3) { /* "13 1": the version, an OCSP staple */
    h->tls = vl >= 2 && v[0] == '1' && v[1] == '2' ? 12 : 13;
    h->stapled = vl >= 4 && v[3] == '1';
  } else if (which == 4 && h->chain_n < CHAIN_MAX) {
    /* "DAYS SUBJECT": one certificate, its subject as server bytes */
    const unsigned char *sp = memchr(v, ' ', vl);
    size_t sl = sp ? vl - (size_t)(sp + 1 - v) : 0;
    h->chain_days[h->chain_n] = number(v, sp ? (size_t)(sp - v) : vl, 90);
    snprintf(h->chain_subject[h->chain_n], sizeof *h->chain_subject, "%.*s",
             (int)sl, sp ? (const char *)sp + 1 : "");
    h->chain_n++;
  } else {
    if (which == 2)
      snprintf(h->location, sizeof h->location, "%.*s", (int)vl, v);
    sw_http_on_header((char *)l, 1, len, c);
  }
}

/* "HTTP/x NNN ...": the status, or 0 when libcurl would refuse it. */
static long status_of(const unsigned char *p, size_t n) {
  const unsigned char *sp = memchr(p, ' ', n);
  if (n < 5 || memcmp(p, "HTTP/", 5) || !sp || (size_t)(sp - p) + 4 > n)
    return 0;
  for (int i = 1; i <= 3; i++)
    if (sp[i] < '0' || sp[i] > '9')
      return 0;
  if ((size_t)(sp - p) + 4 < n && sp[4] != ' ' && sp[4] != '\r' &&
      sp[4] != '\n')
    return 0;
  long st = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
  return st >= 100 ? st : 0;
}

/* The status line and header block at *p through lib/http_io.c's
 * header callback; moves *p past them. Returns a CURLcode. */
static int feed_headers(sw_http_ctx *c, const unsigned char **p,
                        const unsigned char *end, hop_script *h) {
  for (;;) {
    const unsigned char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const unsigned char *le = nl ? nl + 1 : end;
    long st = status_of(*p, (size_t)(le - *p));
    if (!st || memchr(*p, '\0', (size_t)(le - *p)))
      return CURLE_WEIRD_SERVER_REPLY;
    c->resp->status = st;
    sw_http_on_header((char *)*p, 1, (size_t)(le - *p), c);
    for (*p = le; *p < end && !c->resp->headers_done; *p = le) {
      nl = memchr(*p, '\n', (size_t)(end - *p));
      le = nl ? nl + 1 : end;
      if (memchr(*p, '\0', (size_t)(le - *p)))
        return CURLE_WEIRD_SERVER_REPLY; /* libcurl refuses a NUL there */
      header_line(c, *p, (size_t)(le - *p), h);
    }
    /* 1xx (but 101) is interim: libcurl reads the next status line */
    if (!(st < 200 && st != 101 && c->resp->headers_done && *p < end &&
          end - *p > 5 && memcmp(*p, "HTTP/", 5) == 0))
      return CURLE_OK;
  }
}

/* The body through the body callback in chunks, the fake clock moving
 * and on_tick called between them, as libcurl's progress callback does.
 * Returns a CURLcode. */
static int feed_body(fake_http *s, sw_http_ctx *c, const unsigned char *p,
                     size_t n) {
  const sw_http_req *req = c->req;
  for (size_t at = 0; at < n;) {
    size_t k = n - at < 4096 ? n - at : 4096;
    if (sw_http_on_body((char *)p + at, 1, k, c) != k)
      return CURLE_WRITE_ERROR;
    at += k;
    s->clock += req->on_data ? 0.01 : 0;
    if (req->on_tick && !req->on_tick(req->stream_arg, s->clock)) {
      c->resp->stopped = true;
      return CURLE_ABORTED_BY_CALLBACK;
    }
  }
  return CURLE_OK;
}

/* One hop's transfer from the next section of the script. Returns the
 * CURLcode curl_easy_perform would. */
static int transfer(fake_http *s, sw_http_ctx *c, hop_script *h) {
  const unsigned char *p;
  size_t n;
  h->reached = 5;
  h->time = 0.05;
  h->cert_days = 90;
  h->tls = h->chain_n = 0;
  h->stapled = false;
  h->location[0] = '\0';
  if (!next_section(s, &p, &n)) {
    h->reached = 1;
    return CURLE_COULDNT_CONNECT;
  }
  if (n >= 5 && memcmp(p, "FAIL ", 5) == 0) {
    const unsigned char *sp = memchr(p + 5, ' ', n - 5);
    /* checked as doubles: a huge number must not reach an int */
    double code = number(p + 5, n - 5, CURLE_COULDNT_CONNECT);
    double k = sp ? number(sp + 1, n - (size_t)(sp + 1 - p), 0) : 0;
    h->reached = k >= 0 && k <= 5 ? (int)k : 0;
    return code >= 1 && code < 100 ? (int)code : CURLE_COULDNT_CONNECT;
  }
  const unsigned char *end = p + n;
  if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
    int code = feed_headers(c, &p, end, h);
    if (code != CURLE_OK || !c->resp->headers_done) {
      h->reached = 4;
      return code;
    }
  } else {
    /* a bare body: a 200 with no header at all */
    static const char ok[] = "HTTP/1.1 200 OK\r\n", blank[] = "\r\n";
    c->resp->status = 200;
    sw_http_on_header((char *)ok, 1, strlen(ok), c);
    sw_http_on_header((char *)blank, 1, strlen(blank), c);
  }
  return feed_body(s, c, p, (size_t)(end - p));
}

/* lib/http.c's hop_finish on the fake transfer's result. */
static int finish(fake_http *s, sw_http_ctx *c, const char *url, int code,
                  const hop_script *h) {
  const sw_http_req *req = c->req;
  sw_http_resp *resp = c->resp;
  bool https = sw_url_https(url);
  set_times(&resp->t, h->time, https, h->reached);
  resp->tcp_connected = h->reached >= 2;
  s->clock += h->time;
  if (sw_http_headers_cut(resp, code == CURLE_OK))
    return -1;
  if (code == CURLE_OK || resp->stopped) {
    if (req->want_cert && https && !resp->have_cert) {
      resp->have_cert = true;
      resp->cert_days = h->cert_days;
      for (int i = 0; i < h->chain_n; i++) /* lib/http_tls.c's own step */
        sw_http_chain_add(resp, i, h->chain_subject[i], h->chain_days[i],
                          req->secrets);
      if (h->tls) {
        resp->tls.known = resp->tls.ocsp_asked = true;
        resp->tls.version = h->tls;
        resp->tls.ocsp_stapled = h->stapled;
        snprintf(resp->tls.cipher, sizeof resp->tls.cipher, "%s",
                 "TLS_AES_256_GCM_SHA384");
      }
    }
    return 0;
  }
  sw_http_explain(code, "", code == CURLE_COULDNT_CONNECT ? 111 : 0, url, https,
                  s->clock - FAKE_T0, req->secrets, resp);
  return -1;
}

/* libcurl's CURLINFO_REDIRECT_URL: the Location of a 3xx resolved
 * against url (RFC 3986 5.2), or NULL. Free with curl_free. */
static char *redirect_url(const char *url, long status, const char *loc) {
  CURLU *u = curl_url();
  char *out = NULL;
  if (u && status >= 300 && status < 400 && loc[0] &&
      curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_URL, loc, CURLU_NON_SUPPORT_SCHEME) ==
          CURLUE_OK)
    curl_url_get(u, CURLUPART_URL, &out, 0);
  curl_url_cleanup(u);
  return out;
}

/* lib/http.c's check_req: what no request may carry. */
static int check_req(const sw_http_req *req, sw_err *err) {
  char spec[300];
  if (req->bearer && strlen(req->bearer) > SW_HTTP_BEARER_MAX)
    return sw_fail(err, "the bearer token is longer than %d bytes (the limit)",
                   SW_HTTP_BEARER_MAX);
  for (const char *p = req->bearer; p && *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      return sw_fail(err, "the bearer token holds a control character (CR, "
                          "LF...): refused");
  if (req->connect_to &&
      sw_http_connect_to(req->connect_to, spec, sizeof spec) < 0)
    return sw_fail(err, "--connect-to: invalid address '%s'", req->connect_to);
  return 0;
}

/* lib/http.c's sw_http_perform and run_hops, with the script in place of
 * libcurl's transfers: the real hop rules (lib/http_redirect.c) decide
 * where credentials go, the real callbacks (lib/http_io.c) fill resp. */
int __wrap_sw_http_perform(const sw_http_req *req, const sw_deadline *d,
                           sw_http_resp *resp, sw_err *err) {
  fake_http *s = current;
  sw_http_ctx c = {.req = req, .resp = resp, .fd = CURL_SOCKET_BAD};
  sw_http_hop hop;
  hop_script h;
  double total = 0;
  (void)d;
  if (!s)
    abort(); /* a target that forgot fake_http_begin */
  memset(resp, 0, sizeof *resp);
  err->msg[0] = '\0';
  if (check_req(req, err) < 0)
    return -1;
  s->requests++;
  int rc = sw_http_hop_first(&hop, req, resp, err);
  while (rc == 0) {
    /* what a redirect's answer left is not this hop's (one_hop) */
    c.redirect = false;
    resp->body_len = 0;
    if (resp->body)
      resp->body[0] = '\0';
    resp->status = 0;
    resp->too_big = resp->tcp_connected = resp->headers_done = false;
    rc = finish(s, &c, hop.url, transfer(s, &c, &h), &h);
    if (resp->t.total > 0)
      total += resp->t.total;
    if (rc < 0 || resp->stopped || !req->follow)
      break;
    char *target = redirect_url(hop.url, resp->status, h.location);
    int next = sw_http_hop_next(&hop, req, resp->status, target, resp, err);
    curl_free(target);
    if (next <= 0) {
      rc = next;
      break;
    }
  }
  resp->t.total = total;
  resp->redirects = hop.redirects;
  snprintf(s->url, sizeof s->url, "%s", hop.url ? hop.url : req->url);
  sw_http_hop_free(&hop);
  return rc;
}

const char *__wrap_sw_http_session_url(const sw_http_session *s) {
  (void)s;
  return current ? current->url : "";
}

double __wrap_sw_now(void) {
  return current ? current->clock : __real_sw_now();
}

time_t __wrap_time(time_t *t) {
  time_t v = current ? FAKE_EPOCH + (time_t)(current->clock - FAKE_T0)
                     : __real_time(NULL);
  if (t)
    *t = v;
  return v;
}

/* A wait inside a plugin (a live playlist fetched again a target
 * duration later) passes on the fake clock at once. */
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem) {
  if (!current)
    return __real_nanosleep(req, rem);
  current->clock += (double)req->tv_sec + (double)req->tv_nsec / 1e9;
  if (rem)
    rem->tv_sec = 0, rem->tv_nsec = 0;
  return 0;
}

int fake_http_run(int (*run)(void *, const sw_deadline *), void *cfg,
                  double timeout, const uint8_t *script, size_t n, char **out,
                  size_t *len) {
  sw_deadline dl;
  fake_http srv;
  fuzz_capture cap;
  sw_deadline_start(&dl, timeout);
  fake_http_begin(&srv, script, n);
  fuzz_capture_begin(&cap);
  int state = run(cfg, &dl);
  fuzz_capture_end(&cap, out, len);
  fake_http_end(&srv);
  return state;
}
