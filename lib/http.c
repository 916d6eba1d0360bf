/* One libcurl easy-handle setup for every HTTP plugin, run under the
 * run's deadline; see include/streamwatch/http.h for the contract. */
#include <curl/curl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "streamwatch/http.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strparse.h"

struct sw_http_session {
  CURL *h;
  bool used;        /* a request was made: the cookie engine is on */
  char *cookie_jar; /* NULL: cookies in memory only */
  char url[1024];   /* where the last request ended */
};

/* libcurl's cumulative times, in microseconds, by CURLINFO order. */
enum { T_DNS, T_CONNECT, T_APP, T_PRE, T_START, T_TOTAL, T_COUNT };

typedef struct {
  const sw_http_req *req;
  sw_http_resp *resp;
  size_t cap;
  CURL *handle;
  curl_socket_t fd;         /* the socket libcurl connects, for phases */
  curl_off_t seen[T_COUNT]; /* the times as last seen during the transfer */
} http_ctx;

static const CURLINFO time_info[T_COUNT] = {
    CURLINFO_NAMELOOKUP_TIME_T,    CURLINFO_CONNECT_TIME_T,
    CURLINFO_APPCONNECT_TIME_T,    CURLINFO_PRETRANSFER_TIME_T,
    CURLINFO_STARTTRANSFER_TIME_T, CURLINFO_TOTAL_TIME_T};

/* libcurl zeroes the phase times of a failed transfer, which would hide
 * how far it got (connected, then stuck in the TLS handshake): the
 * progress callback, called at least once a second, remembers them. */
static void remember_times(CURL *h, http_ctx *c) {
  for (int i = 0; i < T_COUNT; i++) {
    curl_off_t v = 0;
    if (curl_easy_getinfo(h, time_info[i], &v) == CURLE_OK && v > c->seen[i])
      c->seen[i] = v;
  }
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow) {
  http_ctx *c = arg;
  struct sockaddr_storage peer;
  socklen_t len = sizeof peer;
  (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
  remember_times(c->handle, c);
  if (c->req->on_tick && !c->req->on_tick(c->req->stream_arg, sw_now())) {
    c->resp->stopped = true;
    return 1; /* ends the transfer: CURLE_ABORTED_BY_CALLBACK */
  }
  /* libcurl 7.88 sets its connect time only once TLS is up too, so a
   * stalled handshake would look like a stalled connect: the kernel
   * knows whether TCP is connected. */
  curl_socket_t active = CURL_SOCKET_BAD;
  if (c->resp->tcp_connected)
    return 0;
  if (c->fd != CURL_SOCKET_BAD &&
      getpeername(c->fd, (struct sockaddr *)&peer, &len) == 0)
    c->resp->tcp_connected = true;
  /* A connection reused from an earlier step was connected all along. */
  if (curl_easy_getinfo(c->handle, CURLINFO_ACTIVESOCKET, &active) ==
          CURLE_OK &&
      active != CURL_SOCKET_BAD)
    c->resp->tcp_connected = true;
  return 0;
}

static int on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose) {
  if (purpose == CURLSOCKTYPE_IPCXN)
    ((http_ctx *)arg)->fd = fd;
  return CURL_SOCKOPT_OK;
}

/* Keeps at most max_size body bytes: past that the transfer is aborted
 * (returning less than given makes libcurl stop with a write error). */
static size_t on_body(char *data, size_t size, size_t nmemb, void *arg) {
  http_ctx *c = arg;
  sw_http_resp *r = c->resp;
  size_t n = size * nmemb;
  if (c->req->on_data) {
    r->body_len += n;
    if (c->req->on_data(c->req->stream_arg, (const unsigned char *)data, n,
                        sw_now()))
      return n;
    r->stopped = true;
    return 0;
  }
  if (r->body_len + n > c->req->max_size) {
    r->too_big = true;
    return 0;
  }
  if (r->body_len + n + 1 > c->cap) {
    size_t cap = c->cap ? c->cap : 16384;
    while (cap < r->body_len + n + 1)
      cap *= 2;
    char *body = realloc(r->body, cap);
    if (!body)
      return 0;
    r->body = body;
    c->cap = cap;
  }
  memcpy(r->body + r->body_len, data, n);
  r->body_len += n;
  r->body[r->body_len] = '\0';
  return n;
}

/* Copies a header's value (after "Name:") into dst, sanitised. */
static bool header_value(const char *line, size_t len, const char *name,
                         char *dst, size_t n) {
  size_t nl = strlen(name);
  if (len <= nl || strncasecmp(line, name, nl) != 0)
    return false;
  const char *v = line + nl;
  size_t vl = len - nl;
  while (vl && (*v == ' ' || *v == '\t'))
    v++, vl--;
  while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
    vl--;
  sw_sanitize(dst, n, v, vl, 0);
  return true;
}

/* Status line and the few headers the plugins judge. A new status line
 * (after a redirect or a 100 Continue) starts a new response. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *arg) {
  http_ctx *c = arg;
  sw_http_resp *r = c->resp;
  size_t n = size * nmemb;
  if (c->req->on_header)
    c->req->on_header(c->req->stream_arg, data, n);
  if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
    const char *sp = memchr(data, ' ', n);
    const char *reason =
        sp ? memchr(sp + 1, ' ', n - (size_t)(sp + 1 - data)) : NULL;
    r->reason[0] = r->content_type[0] = r->retry_after[0] = '\0';
    r->location[0] = '\0';
    r->headers_done = false;
    if (reason)
      header_value(reason, n - (size_t)(reason - data), "", r->reason,
                   sizeof r->reason);
    return n;
  }
  /* the empty line that ends the header block ("stuck in the headers"
   * and "stuck in the body" are different faults) */
  if ((n == 2 && data[0] == '\r' && data[1] == '\n') ||
      (n == 1 && data[0] == '\n'))
    r->headers_done = true;
  if (!header_value(data, n, "content-type:", r->content_type,
                    sizeof r->content_type) &&
      !header_value(data, n, "retry-after:", r->retry_after,
                    sizeof r->retry_after))
    header_value(data, n, "location:", r->location, sizeof r->location);
  return n;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size,
                    void *arg) {
  (void)h;
  sw_http_trace(((http_ctx *)arg)->req, (int)type, data, size);
  return 0;
}

/* Request headers, with the bearer token last. The caller frees the list
 * with free_headers, which wipes the token first. */
static struct curl_slist *build_headers(const sw_http_req *req, int *bad) {
  struct curl_slist *list = NULL, *next;
  for (size_t i = 0; req->headers && i < req->headers->n; i++) {
    if (!(next = curl_slist_append(list, req->headers->v[i])))
      goto nomem;
    list = next;
  }
  if (req->bearer) {
    char line[8192];
    int len =
        snprintf(line, sizeof line, "Authorization: Bearer %s", req->bearer);
    next = len > 0 && (size_t)len < sizeof line ? curl_slist_append(list, line)
                                                : NULL;
    memset(line, 0, sizeof line);
    if (!next)
      goto nomem;
    list = next;
  }
  return list;
nomem:
  *bad = 1;
  return list;
}

static void free_headers(struct curl_slist *list) {
  for (struct curl_slist *p = list; p; p = p->next)
    memset(p->data, 0, strlen(p->data));
  curl_slist_free_all(list);
}

int sw_http_connect_to(const char *to, char *buf, size_t n) {
  char addr[128];
  const char *port = "";
  const char *first = strchr(to, ':'), *last = strrchr(to, ':');
  size_t al;
  if (to[0] == '[') { /* [v6] or [v6]:port */
    const char *close = strchr(to, ']');
    if (!close || (close[1] && close[1] != ':'))
      return -1;
    al = (size_t)(close + 1 - to);
    port = close[1] ? close + 2 : "";
    snprintf(addr, sizeof addr, "%.*s", (int)al, to);
  } else if (first && first != last) { /* a bare IPv6 address */
    al = strlen(to);
    snprintf(addr, sizeof addr, "[%s]", to);
  } else { /* v4 or name, with or without a port */
    al = first ? (size_t)(first - to) : strlen(to);
    port = first ? first + 1 : "";
    snprintf(addr, sizeof addr, "%.*s", (int)al, to);
  }
  unsigned long p;
  if (al == 0 || al >= sizeof addr - 2 || strpbrk(addr, " \t/") ||
      (port[0] && sw_parse_ulong(port, 1, 65535, &p) < 0))
    return -1;
  /* HOST:PORT:ADDR:PORT with the first two empty: every connection of
   * the transfer goes to ADDR while the URL's host stays in Host and SNI
   * (an empty last PORT keeps the URL's port). */
  int len = snprintf(buf, n, "::%s:%s", addr, port);
  return len > 0 && (size_t)len < n ? 0 : -1;
}

/* Sets one option unless an earlier one failed. */
#define SET(opt, val)                                                          \
  do {                                                                         \
    if (rc == CURLE_OK)                                                        \
      rc = curl_easy_setopt(h, opt, val);                                      \
  } while (0)

/* TLS, proxy, HTTP version, authentication and cookies. */
static CURLcode setup_security(CURL *h, const sw_http_req *req) {
  CURLcode rc = CURLE_OK;
  SET(CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
  SET(CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
  SET(CURLOPT_CERTINFO, req->want_cert ? 1L : 0L);
  if (req->tls_min)
    SET(CURLOPT_SSLVERSION,
        req->tls_min == 13 ? CURL_SSLVERSION_TLSv1_3 : CURL_SSLVERSION_TLSv1_2);
  if (req->http_version)
    SET(CURLOPT_HTTP_VERSION, req->http_version == 2 ? CURL_HTTP_VERSION_2TLS
                                                     : CURL_HTTP_VERSION_1_1);
  if (req->ca_file)
    SET(CURLOPT_CAINFO, req->ca_file);
  if (req->client_cert)
    SET(CURLOPT_SSLCERT, req->client_cert);
  if (req->client_key)
    SET(CURLOPT_SSLKEY, req->client_key);
  if (req->proxy)
    SET(CURLOPT_PROXY, req->proxy);
  SET(CURLOPT_USERNAME, req->username);
  SET(CURLOPT_PASSWORD, req->username && req->password ? req->password
                        : req->username                ? ""
                                                       : NULL);
  SET(CURLOPT_HTTPAUTH, req->digest ? CURLAUTH_DIGEST : CURLAUTH_BASIC);
  if (req->session && !req->session->used) {
    /* The first request switches the cookie engine on ("" reads no
     * file) and loads the jar; the handle keeps the cookies after. */
    SET(CURLOPT_COOKIEFILE,
        req->session->cookie_jar ? req->session->cookie_jar : "");
  }
  return rc;
}

/* The method and the body. Every option a later request of a session
 * may change is set each time, to its default when unused: the handle is
 * reused without curl_easy_reset, which in libcurl 7.88 leaks the cookie
 * file list. */
static CURLcode setup_method(CURL *h, const sw_http_req *req) {
  CURLcode rc = CURLE_OK;
  SET(CURLOPT_HTTPGET, 1L);
  SET(CURLOPT_NOBODY, 0L);
  SET(CURLOPT_CUSTOMREQUEST, NULL);
  if (req->method && strcasecmp(req->method, "HEAD") == 0)
    SET(CURLOPT_NOBODY, 1L);
  else if (req->method && strcasecmp(req->method, "GET") != 0 &&
           !(req->body && strcasecmp(req->method, "POST") == 0))
    /* A POST with a body needs no custom method, and must not have one:
     * it would survive redirects, where a browser turns the POST of a
     * login form into a GET of the next page (RFC 9110 15.4.3). */
    SET(CURLOPT_CUSTOMREQUEST, req->method);
  if (req->body) {
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    SET(CURLOPT_POSTFIELDS, req->body);
  }
  return rc;
}

/* Applies every option; returns the first failing CURLcode or CURLE_OK. */
static CURLcode http_setup(CURL *h, const sw_http_req *req, http_ctx *c,
                           struct curl_slist *headers, struct curl_slist *to,
                           long timeout_ms, char *errbuf) {
  CURLcode rc = CURLE_OK;
  SET(CURLOPT_URL, req->url);
  SET(CURLOPT_ERRORBUFFER, errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_TIMEOUT_MS, timeout_ms);
  SET(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_USERAGENT, req->user_agent);
  SET(CURLOPT_WRITEFUNCTION, on_body);
  SET(CURLOPT_WRITEDATA, c);
  SET(CURLOPT_HEADERFUNCTION, on_header);
  SET(CURLOPT_HEADERDATA, c);
  SET(CURLOPT_NOPROGRESS, 0L);
  SET(CURLOPT_XFERINFOFUNCTION, on_progress);
  SET(CURLOPT_XFERINFODATA, c);
  SET(CURLOPT_SOCKOPTFUNCTION, on_sockopt);
  SET(CURLOPT_SOCKOPTDATA, c);
  SET(CURLOPT_HTTPHEADER, headers);
  SET(CURLOPT_FOLLOWLOCATION, req->follow ? 1L : 0L);
  SET(CURLOPT_MAXREDIRS, req->max_redirects);
  SET(CURLOPT_IPRESOLVE, req->family == 4   ? CURL_IPRESOLVE_V4
                         : req->family == 6 ? CURL_IPRESOLVE_V6
                                            : CURL_IPRESOLVE_WHATEVER);
  if (to)
    SET(CURLOPT_CONNECT_TO, to);
  if (req->verbose >= 2 && req->trace) {
    SET(CURLOPT_DEBUGFUNCTION, on_debug);
    SET(CURLOPT_DEBUGDATA, c);
    SET(CURLOPT_VERBOSE, 1L);
  }
  if (rc == CURLE_OK)
    rc = setup_security(h, req);
  return rc == CURLE_OK ? setup_method(h, req) : rc;
}
#undef SET

/* libcurl's times are cumulative from the start (microseconds); the
 * plugins report each phase on its own, -1 for phases not reached. */
static void read_times(CURL *h, http_ctx *c, bool https, sw_http_times *t) {
  remember_times(h, c);
  const curl_off_t *v = c->seen;
  /* Once the request was about to be sent (pretransfer), every phase
   * before it is over: a reused connection took 0 s to connect. */
  bool ready = v[T_PRE] > 0;
  t->dns = v[T_DNS] > 0 || ready ? v[T_DNS] / 1e6 : -1;
  t->connect = v[T_CONNECT] > 0 ? (v[T_CONNECT] - v[T_DNS]) / 1e6
               : ready          ? 0
                                : -1;
  t->tls = !https         ? 0
           : v[T_APP] > 0 ? (v[T_APP] - v[T_CONNECT]) / 1e6
           : ready        ? 0
                          : -1;
  if (ready)
    c->resp->tcp_connected = true;
  curl_off_t sent = v[T_PRE] > 0 ? v[T_PRE] : v[T_CONNECT];
  t->ttfb = v[T_START] > 0 ? (v[T_START] - sent) / 1e6 : -1;
  t->transfer = v[T_START] > 0 ? (v[T_TOTAL] - v[T_START]) / 1e6 : -1;
  t->total = v[T_TOTAL] / 1e6;
}

/* Days until the leaf certificate's notAfter, from CURLOPT_CERTINFO. */
static void read_cert(CURL *h, sw_http_resp *r) {
  struct curl_certinfo *ci = NULL;
  if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
      ci->num_of_certs < 1)
    return;
  for (struct curl_slist *p = ci->certinfo[0]; p; p = p->next) {
    if (strncmp(p->data, "Expire date:", 12) != 0)
      continue;
    time_t when = curl_getdate(p->data + 12, NULL);
    if (when == -1)
      return;
    r->have_cert = true;
    r->cert_days = difftime(when, time(NULL)) / 86400.0;
    return;
  }
}

/* After a transfer: timings, status, certificate, or why it failed. */
static int http_finish(CURL *h, http_ctx *c, CURLcode code, const char *errbuf,
                       const sw_deadline *d) {
  const sw_http_req *req = c->req;
  sw_http_resp *resp = c->resp;
  bool https = strncasecmp(req->url, "https:", 6) == 0;
  read_times(h, c, https, &resp->t);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
  curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &resp->redirects);
  if (req->session) {
    char *url = NULL;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url);
    snprintf(req->session->url, sizeof req->session->url, "%s",
             url ? url : req->url);
  }
  /* libcurl 7.88 takes a connection closed inside the header block
   * ("HTTP/1.1 200 OK", a header, EOF) as a complete empty reply. */
  if (code == CURLE_OK && !resp->stopped && !resp->headers_done) {
    resp->phase = "reading headers";
    snprintf(resp->err, sizeof resp->err, "%s",
             "reading headers failed: connection closed before the end of "
             "the headers");
    return -1;
  }
  if (code == CURLE_OK || resp->stopped) {
    if (req->want_cert && https)
      read_cert(h, resp);
    return 0;
  }
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  sw_http_explain((int)code, errbuf, os_errno, req->url, https,
                  sw_deadline_elapsed(d), resp);
  return -1;
}

int sw_http_perform(const sw_http_req *req, const sw_deadline *d,
                    sw_http_resp *resp, sw_err *err) {
  char errbuf[CURL_ERROR_SIZE] = "", to_spec[300];
  struct curl_slist *headers = NULL, *to = NULL;
  http_ctx c = {.req = req, .resp = resp, .fd = CURL_SOCKET_BAD};
  int bad = 0, rc = -1;
  long total_ms = (long)((d->end - d->start) * 1000.0);
  long margin = total_ms / 10 < 200 ? total_ms / 10 : 200;
  long timeout_ms = sw_deadline_remaining_ms(d) - margin;
  memset(resp, 0, sizeof *resp);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return sw_fail(err, "libcurl: global init failed");
  CURL *h = req->session ? req->session->h : curl_easy_init();
  c.handle = h;
  headers = build_headers(req, &bad);
  if (req->connect_to) {
    if (sw_http_connect_to(req->connect_to, to_spec, sizeof to_spec) < 0) {
      sw_fail(err, "--connect-to: invalid address '%s'", req->connect_to);
      goto out;
    }
    if (!(to = curl_slist_append(NULL, to_spec)))
      bad = 1;
  }
  if (!h || bad) {
    sw_fail(err, "out of memory");
    goto out;
  }
  CURLcode code = http_setup(h, req, &c, headers, to,
                             timeout_ms > 1 ? timeout_ms : 1, errbuf);
  if (code != CURLE_OK) {
    sw_fail(err, "libcurl: %s", curl_easy_strerror(code));
    goto out;
  }
  err->msg[0] = '\0';
  rc = http_finish(h, &c, curl_easy_perform(h), errbuf, d);
  if (req->session)
    req->session->used = true;
out:
  /* Headers and credentials leave libcurl's keeping before they are
   * wiped, so a reused handle never points at freed memory. */
  if (h)
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  /* The trace callback's data is c, on this stack: a session's handle
   * must not call it later (curl_easy_cleanup says "closing connection"
   * through it; valgrind saw the stale read). */
  if (h && req->session) {
    curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, NULL);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, NULL);
  }
  free_headers(headers);
  curl_slist_free_all(to);
  if (h && !req->session)
    curl_easy_cleanup(h);
  curl_global_cleanup();
  return rc;
}

int sw_http_session_open(sw_http_session **s, const char *cookie_jar,
                         sw_err *err) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return sw_fail(err, "libcurl: global init failed");
  *s = calloc(1, sizeof **s);
  if (!*s || !((*s)->h = curl_easy_init()) ||
      (cookie_jar && !((*s)->cookie_jar = strdup(cookie_jar)))) {
    sw_http_session_close(*s);
    *s = NULL;
    return sw_fail(err, "out of memory");
  }
  return 0;
}

void sw_http_session_close(sw_http_session *s) {
  if (!s)
    return;
  if (s->h) {
    if (s->cookie_jar) { /* written on cleanup, owner-only */
      curl_easy_setopt(s->h, CURLOPT_COOKIEJAR, s->cookie_jar);
      mode_t old = umask(077);
      curl_easy_cleanup(s->h);
      umask(old);
    } else {
      curl_easy_cleanup(s->h);
    }
  }
  free(s->cookie_jar);
  free(s);
  curl_global_cleanup();
}

const char *sw_http_session_url(const sw_http_session *s) {
  return s->url;
}

void sw_http_resp_free(sw_http_resp *resp) {
  free(resp->body);
  resp->body = NULL;
  resp->body_len = 0;
}

const char *sw_http_version(char *buf, size_t n) {
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  snprintf(buf, n, "libcurl/%s%s%s", v->version, v->ssl_version ? " " : "",
           v->ssl_version ? v->ssl_version : "");
  return buf;
}
