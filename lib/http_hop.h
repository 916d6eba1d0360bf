/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal to lib/http*.c: one request's way through its redirects, hop
 * by hop, and what each hop may carry (credentials stay with their
 * origin: conventions.md). */
#ifndef STREAMWATCH_HTTP_HOP_H
#define STREAMWATCH_HTTP_HOP_H

#include <stdbool.h>
#include "streamwatch/http.h"

#include <curl/curl.h>

/* A sequence of requests on one libcurl handle (see http.h). */
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
  bool redirect;  /* this response is a 3xx to follow: its body is not the
                     answer (libcurl's own follow dropped it too) */
  char iface[64]; /* CURLOPT_INTERFACE "host!ADDR" (req->source_addr) */
  /* sw_http_tls_read with req->want_cert, called from the header
   * callback (a pointer: what links http_io.c alone, check_resolve's
   * DNS over HTTPS, needs no libssl) */
  void (*on_tls)(CURL *h, sw_http_resp *r);
} sw_http_ctx;

/* libcurl's callbacks (lib/http_io.c); arg is the sw_http_ctx. */
int sw_http_on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
                        curl_off_t ultotal, curl_off_t ulnow);
int sw_http_on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose);
size_t sw_http_on_body(char *data, size_t size, size_t nmemb, void *arg);
size_t sw_http_on_header(char *data, size_t size, size_t nmemb, void *arg);
int sw_http_on_debug(CURL *h, curl_infotype type, char *data, size_t size,
                     void *arg);

/* With req->keep_headers: keeps one header line (a status line starts
 * the list anew) in resp->headers (lib/http_headers.c). */
void sw_http_keep_header(sw_http_resp *r, const char *line, size_t n);

/* After a hop's transfer: its phases (see sw_http_times), and the
 * leaf certificate's days left (resp->have_cert, cert_days). */
void sw_http_read_times(CURL *h, sw_http_ctx *c, bool https, sw_http_times *t);
void sw_http_read_cert(CURL *h, sw_http_resp *r);

/* lib/http_tls.c: CURLOPT_SSL_CTX_FUNCTION (arg: the sw_http_ctx) asking
 * for a stapled OCSP response; the version, cipher and stapled response
 * of h's connection while it is up (once: resp->tls.known); and the
 * chain's first certificate to expire (CURLINFO_CERTINFO, the subject
 * masked and sanitised). */
CURLcode sw_http_tls_ctx(CURL *h, void *ssl_ctx, void *arg);
void sw_http_tls_read(CURL *h, sw_http_resp *r);
void sw_http_read_chain(CURL *h, sw_http_resp *r, const char *const *secrets);
/* One certificate of the chain (the i-th, 0 the leaf; subject as the
 * server sent it) into resp->tls: read_chain's step, and the fuzz
 * targets' way in (tests/fuzz/fake_http.c). */
void sw_http_chain_add(sw_http_resp *r, int i, const char *subject, double days,
                       const char *const *secrets);

/* libcurl 7.88 takes a connection closed inside the header block
 * ("HTTP/1.1 200 OK", a header, EOF) as a complete empty reply: true,
 * with resp's phase and err set, when a transfer that ended without
 * error (ok) and was not stopped on purpose never saw its headers end. */
bool sw_http_headers_cut(sw_http_resp *resp, bool ok);

/* --connect-to's ADDR for the host and port of url only, in libcurl's
 * CURLOPT_CONNECT_TO form "HOST:PORT:ADDR:PORT" (lib/http_session.c):
 * a redirect or a playlist entry naming another host goes there, not to
 * the pinned address. Returns 0, or -1 (malformed ADDR or URL). */
int sw_http_pin_spec(const char *url, const char *to, char *buf, size_t n);

/* req->pin_sticky's entry, after sw_http_pin_spec's: "HOST::ADDR:",
 * every port of url's host to ADDR, on the port the hop names. Returns
 * 0, or -1 as sw_http_pin_spec. */
int sw_http_pin_sticky(const char *url, const char *to, char *buf, size_t n);

/* Notes (once) that credentials were not sent to url's origin:
 * resp->cred_withheld, and withheld_at ("http://other:8080/"). */
void sw_http_note_withheld(const sw_http_req *req, const char *url,
                           sw_http_resp *resp);

/* A session's cookies kept from a hop that may not carry credentials
 * (lib/http_cookies.c): hide empties the jar (reading a jar file not yet
 * read first) into *saved; restore puts them back, with the cookies the
 * hop's answer set, and frees saved. Return 0, or -1 (out of memory). */
int sw_http_cookies_hide(CURL *h, struct curl_slist **saved);
int sw_http_cookies_restore(CURL *h, struct curl_slist *saved);

typedef struct {
  char *url;          /* where this hop goes (owned) */
  const char *method; /* NULL: GET; else "HEAD", "POST" or req->method */
  bool body;          /* req->body goes with this hop */
  bool creds;         /* credentials go with this hop */
  long redirects;     /* redirects followed so far */
} sw_http_hop;

/* Does req carry a credential (bearer, username, a credential header,
 * a secret body)? */
bool sw_http_has_creds(const sw_http_req *req);

/* The first hop: req->url as asked. Returns 0, or -1 with resp->phase
 * and resp->err set (a secret body for another origin), or -1 with err
 * set (out of memory). */
int sw_http_hop_first(sw_http_hop *hop, const sw_http_req *req,
                      sw_http_resp *resp, sw_err *err);

/* After a response with this status whose Location resolved to target
 * (NULL: none): moves hop on to the next one (RFC 9110 15.4 method
 * rules). Returns 1 to follow, 0 when the response is the final one, or
 * -1 with resp->phase and resp->err set (too many redirects; a secret
 * body that would go to another origin), or -1 with err set (out of
 * memory). */
int sw_http_hop_next(sw_http_hop *hop, const sw_http_req *req, long status,
                     const char *target, sw_http_resp *resp, sw_err *err);

void sw_http_hop_free(sw_http_hop *hop);

#endif
