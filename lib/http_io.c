/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libcurl's callbacks for lib/http.c: body, headers, progress (phase
 * times, streaming ticks), socket, debug trace; and reading the times
 * and certificate after a transfer. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "http_hop.h"
#include "streamwatch/sanitize.h"

static const CURLINFO time_info[T_COUNT] = {
    CURLINFO_NAMELOOKUP_TIME_T,    CURLINFO_CONNECT_TIME_T,
    CURLINFO_APPCONNECT_TIME_T,    CURLINFO_PRETRANSFER_TIME_T,
    CURLINFO_STARTTRANSFER_TIME_T, CURLINFO_TOTAL_TIME_T};

/* libcurl zeroes the phase times of a failed transfer, which would hide
 * how far it got (connected, then stuck in the TLS handshake): the
 * progress callback, called at least once a second, remembers them. */
static void remember_times(CURL *h, sw_http_ctx *c) {
  for (int i = 0; i < T_COUNT; i++) {
    curl_off_t v = 0;
    if (curl_easy_getinfo(h, time_info[i], &v) == CURLE_OK && v > c->seen[i])
      c->seen[i] = v;
  }
}

int sw_http_on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
                        curl_off_t ultotal, curl_off_t ulnow) {
  sw_http_ctx *c = arg;
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

int sw_http_on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose) {
  if (purpose == CURLSOCKTYPE_IPCXN)
    ((sw_http_ctx *)arg)->fd = fd;
  return CURL_SOCKOPT_OK;
}

/* Keeps at most max_size body bytes: past that the transfer is aborted
 * (returning less than given makes libcurl stop with a write error). */
size_t sw_http_on_body(char *data, size_t size, size_t nmemb, void *arg) {
  sw_http_ctx *c = arg;
  sw_http_resp *r = c->resp;
  size_t n = size * nmemb;
  if (c->redirect && r->location[0])
    return n;
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

/* Copies a header's value (after "Name:") into dst, masked and
 * sanitised (a Location may echo a token). */
static bool header_value(const sw_http_req *req, const char *line, size_t len,
                         const char *name, char *dst, size_t n) {
  size_t nl = strlen(name);
  if (len <= nl || strncasecmp(line, name, nl) != 0)
    return false;
  const char *v = line + nl;
  size_t vl = len - nl;
  while (vl && (*v == ' ' || *v == '\t'))
    v++, vl--;
  while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
    vl--;
  sw_text_safe(dst, n, v, vl, 0, req->secrets);
  return true;
}

/* The status codes followed (RFC 9110 15.4.2-15.4.9: 300, 304, 305 and
 * 306 are not redirects to follow), from the status line's 3 digits. */
static bool is_redirect(const char *code) {
  static const char *const followed[] = {"301", "302", "303", "307", "308"};
  for (size_t i = 0; i < sizeof followed / sizeof followed[0]; i++)
    if (strncmp(code, followed[i], 3) == 0 &&
        (code[3] == ' ' || code[3] == '\r' || code[3] == '\n'))
      return true;
  return false;
}

/* Status line and the few headers the plugins judge. A new status line
 * (after a redirect or a 100 Continue) starts a new response. */
size_t sw_http_on_header(char *data, size_t size, size_t nmemb, void *arg) {
  sw_http_ctx *c = arg;
  sw_http_resp *r = c->resp;
  size_t n = size * nmemb;
  if (c->req->on_header)
    c->req->on_header(c->req->stream_arg, data, n);
  if (c->on_tls && !r->tls.known) /* the connection is up now */
    c->on_tls(c->handle, r);
  if (c->req->keep_headers)
    sw_http_keep_header(r, data, n);
  if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
    const char *sp = memchr(data, ' ', n);
    const char *reason =
        sp ? memchr(sp + 1, ' ', n - (size_t)(sp + 1 - data)) : NULL;
    r->reason[0] = r->content_type[0] = r->retry_after[0] = '\0';
    r->location[0] = '\0';
    r->headers_done = false;
    c->redirect = c->req->follow && sp && n - (size_t)(sp - data) > 4 &&
                  is_redirect(sp + 1);
    if (reason)
      header_value(c->req, reason, n - (size_t)(reason - data), "", r->reason,
                   sizeof r->reason);
    return n;
  }
  /* the empty line that ends the header block ("stuck in the headers"
   * and "stuck in the body" are different faults) */
  if ((n == 2 && data[0] == '\r' && data[1] == '\n') ||
      (n == 1 && data[0] == '\n'))
    r->headers_done = true;
  if (!header_value(c->req, data, n, "content-type:", r->content_type,
                    sizeof r->content_type) &&
      !header_value(c->req, data, n, "retry-after:", r->retry_after,
                    sizeof r->retry_after))
    header_value(c->req, data, n, "location:", r->location, sizeof r->location);
  return n;
}

int sw_http_on_debug(CURL *h, curl_infotype type, char *data, size_t size,
                     void *arg) {
  (void)h;
  sw_http_trace(((sw_http_ctx *)arg)->req, (int)type, data, size);
  return 0;
}

/* libcurl's times are cumulative from the start of the hop
 * (microseconds); the plugins report each phase on its own, -1 for
 * phases not reached. */
void sw_http_read_times(CURL *h, sw_http_ctx *c, bool https, sw_http_times *t) {
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

bool sw_http_headers_cut(sw_http_resp *resp, bool ok) {
  if (!ok || resp->stopped || resp->headers_done)
    return false;
  resp->phase = "reading headers";
  snprintf(resp->err, sizeof resp->err, "%s",
           "reading headers failed: connection closed before the end of "
           "the headers");
  return true;
}

/* Days until the leaf certificate's notAfter, from CURLOPT_CERTINFO. */
void sw_http_read_cert(CURL *h, sw_http_resp *r) {
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
