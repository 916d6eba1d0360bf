/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One libcurl easy-handle setup for every HTTP plugin, run under the
 * run's deadline, one hop at a time (lib/http_redirect.c decides what a
 * hop may carry); see include/streamwatch/http.h for the contract. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_hop.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"

/* Wipes a list's lines (credentials among them), then frees it. */
static void free_headers(struct curl_slist *list) {
  for (struct curl_slist *p = list; p; p = p->next)
    memset(p->data, 0, strlen(p->data));
  curl_slist_free_all(list);
}

/* "Authorization: Bearer TOKEN" appended to list; the caller checked the
 * token's size (SW_HTTP_BEARER_MAX). Returns the list or NULL. */
static struct curl_slist *add_bearer(struct curl_slist *list,
                                     const char *bearer) {
  static const char name[] = "Authorization: Bearer ";
  struct curl_slist *next = NULL;
  sw_buf line;
  sw_buf_init(&line, sizeof name + strlen(bearer));
  /* sw_buf grows before it copies: the token lands in one block only,
   * never in one that realloc frees unwiped */
  if (sw_buf_add(&line, name, sizeof name - 1) == 0 &&
      sw_buf_puts(&line, bearer) == 0)
    next = curl_slist_append(list, sw_buf_str(&line));
  if (line.p)
    memset(line.p, 0, line.size);
  sw_buf_free(&line);
  return next;
}

/* Request headers for one hop: every -k header, but credential headers
 * (sw_secret_header) and the bearer token (last) only with creds. The
 * caller frees the list with free_headers. NULL with *bad set when out
 * of memory. */
static struct curl_slist *build_headers(const sw_http_req *req, bool creds,
                                        int *bad) {
  struct curl_slist *list = NULL, *next;
  for (size_t i = 0; req->headers && i < req->headers->n; i++) {
    const char *h = req->headers->v[i];
    if (!creds && sw_secret_header(h, strlen(h)))
      continue;
    if (!(next = curl_slist_append(list, h)))
      goto nomem;
    list = next;
  }
  if (creds && req->bearer) {
    if (!(next = add_bearer(list, req->bearer)))
      goto nomem;
    list = next;
  }
  return list;
nomem:
  free_headers(list);
  *bad = 1;
  return NULL;
}

/* Sets one option unless an earlier one failed. */
#define SET(opt, val)                                                          \
  do {                                                                         \
    if (rc == CURLE_OK)                                                        \
      rc = curl_easy_setopt(h, opt, val);                                      \
  } while (0)

/* TLS, proxy, HTTP version and cookies. A session's handle is reused
 * without curl_easy_reset (which in libcurl 7.88 leaks the cookie file
 * list), so every option is set each time, to its default when unused. */
static CURLcode setup_security(CURL *h, const sw_http_req *req, sw_http_ctx *c,
                               sw_http_resp *resp) {
  CURLcode rc = CURLE_OK;
  sw_http_store store;
  SET(CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
  SET(CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
  SET(CURLOPT_CERTINFO, req->want_cert ? 1L : 0L);
  /* the TLS facts (lib/http_tls.c); a libcurl without OpenSSL refuses
   * these two (CURLE_NOT_BUILT_IN): the request goes on without them */
  curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION,
                   req->want_cert ? sw_http_tls_ctx : NULL);
  curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, req->want_cert ? (void *)c : NULL);
  SET(CURLOPT_SSLVERSION, req->tls_min == 13   ? CURL_SSLVERSION_TLSv1_3
                          : req->tls_min == 12 ? CURL_SSLVERSION_TLSv1_2
                                               : CURL_SSLVERSION_DEFAULT);
  SET(CURLOPT_HTTP_VERSION, req->http_version == 2    ? CURL_HTTP_VERSION_2TLS
                            : req->http_version == 11 ? CURL_HTTP_VERSION_1_1
                                                      : CURL_HTTP_VERSION_NONE);
  sw_http_trust(h, req, &store);
  SET(CURLOPT_CAINFO, store.file);
  SET(CURLOPT_CAPATH, store.dir);
  snprintf(resp->trust, sizeof resp->trust, "%s", store.said);
  SET(CURLOPT_SSLCERT, req->client_cert);
  SET(CURLOPT_SSLKEY, req->client_key);
  SET(CURLOPT_PROXY, req->proxy);
  SET(CURLOPT_HTTPAUTH, req->digest ? CURLAUTH_DIGEST : CURLAUTH_BASIC);
  if (req->session && !req->session->used) {
    /* The first request switches the cookie engine on ("" reads no
     * file) and loads the jar; the handle keeps the cookies after. */
    SET(CURLOPT_COOKIEFILE,
        req->session->cookie_jar ? req->session->cookie_jar : "");
  }
  return rc;
}

/* Everything that stays the same for every hop of one request. The data
 * pointers point at this call's frame: detach() takes them back. */
static CURLcode http_setup(CURL *h, const sw_http_req *req, sw_http_ctx *c,
                           struct curl_slist *to, struct curl_slist *icy,
                           char *errbuf) {
  CURLcode rc = CURLE_OK;
  bool trace = req->verbose >= 2 && req->trace;
  SET(CURLOPT_ERRORBUFFER, errbuf);
  /* SHOUTcast 1 answers "ICY 200 OK" for "HTTP/1.0 200 OK"; libcurl
   * takes a line starting with an alias as a 200 (so "ICY 200", never
   * "ICY": "ICY 401" would pass), anything else as HTTP/0.9, refused */
  SET(CURLOPT_HTTP200ALIASES, icy);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_USERAGENT, req->user_agent);
  SET(CURLOPT_WRITEFUNCTION, sw_http_on_body);
  SET(CURLOPT_WRITEDATA, c);
  SET(CURLOPT_HEADERFUNCTION, sw_http_on_header);
  SET(CURLOPT_HEADERDATA, c);
  SET(CURLOPT_NOPROGRESS, 0L);
  SET(CURLOPT_XFERINFOFUNCTION, sw_http_on_progress);
  SET(CURLOPT_XFERINFODATA, c);
  SET(CURLOPT_SOCKOPTFUNCTION, sw_http_on_sockopt);
  SET(CURLOPT_SOCKOPTDATA, c);
  /* redirects are followed hop by hop in run_hops, never by libcurl */
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_IPRESOLVE, req->family == 4   ? CURL_IPRESOLVE_V4
                         : req->family == 6 ? CURL_IPRESOLVE_V6
                                            : CURL_IPRESOLVE_WHATEVER);
  SET(CURLOPT_CONNECT_TO, to);
  SET(CURLOPT_INTERFACE, req->source_addr ? c->iface : NULL);
  SET(CURLOPT_CONNECT_ONLY, req->connect_only ? 1L : 0L);
  SET(CURLOPT_DEBUGFUNCTION, trace ? sw_http_on_debug : NULL);
  SET(CURLOPT_DEBUGDATA, trace ? c : NULL);
  SET(CURLOPT_VERBOSE, trace ? 1L : 0L);
  return rc == CURLE_OK ? setup_security(h, req, c, c->resp) : rc;
}

/* One hop's URL, headers, credentials, method and body. */
static CURLcode setup_hop(CURL *h, const sw_http_req *req,
                          const sw_http_hop *hop, struct curl_slist *headers,
                          long timeout_ms) {
  CURLcode rc = CURLE_OK;
  const char *m = hop->method;
  bool creds = hop->creds;
  SET(CURLOPT_URL, hop->url);
  SET(CURLOPT_HTTPHEADER, headers);
  SET(CURLOPT_TIMEOUT_MS, timeout_ms);
  SET(CURLOPT_CONNECTTIMEOUT_MS,
      req->connect_ms > 0 && req->connect_ms < timeout_ms ? req->connect_ms
                                                          : timeout_ms);
  SET(CURLOPT_USERNAME, creds ? req->username : NULL);
  SET(CURLOPT_PASSWORD, !creds || !req->username ? NULL
                        : req->password          ? req->password
                                                 : "");
  /* POSTFIELDS switches to POST, HTTPGET back to GET: in this order the
   * handle forgets an earlier hop's body and method. */
  SET(CURLOPT_POSTFIELDS, NULL);
  SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
  SET(CURLOPT_HTTPGET, 1L);
  SET(CURLOPT_NOBODY, 0L);
  SET(CURLOPT_CUSTOMREQUEST, NULL);
  if (m && strcasecmp(m, "HEAD") == 0)
    SET(CURLOPT_NOBODY, 1L);
  else if (m && strcasecmp(m, "GET") != 0 &&
           !(hop->body && strcasecmp(m, "POST") == 0))
    SET(CURLOPT_CUSTOMREQUEST, m);
  if (hop->body) {
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    SET(CURLOPT_POSTFIELDS, req->body);
  }
  return rc;
}

/* Takes back from the handle every pointer into this call (its frame,
 * the headers and --connect-to lists, the caller's body and
 * credentials): a session's handle lives on, and curl_easy_cleanup
 * talks to the debug callback ("closing connection"). */
static void detach(CURL *h) {
  CURLcode rc = CURLE_OK;
  SET(CURLOPT_HTTPHEADER, NULL);
  SET(CURLOPT_CONNECT_TO, NULL);
  SET(CURLOPT_HTTP200ALIASES, NULL);
  SET(CURLOPT_ERRORBUFFER, NULL);
  SET(CURLOPT_VERBOSE, 0L);
  SET(CURLOPT_DEBUGFUNCTION, NULL);
  SET(CURLOPT_DEBUGDATA, NULL);
  SET(CURLOPT_SSL_CTX_FUNCTION, NULL);
  SET(CURLOPT_SSL_CTX_DATA, NULL);
  SET(CURLOPT_NOPROGRESS, 1L);
  SET(CURLOPT_XFERINFOFUNCTION, NULL);
  SET(CURLOPT_XFERINFODATA, NULL);
  SET(CURLOPT_SOCKOPTFUNCTION, NULL);
  SET(CURLOPT_SOCKOPTDATA, NULL);
  SET(CURLOPT_WRITEFUNCTION, NULL);
  SET(CURLOPT_WRITEDATA, NULL);
  SET(CURLOPT_HEADERFUNCTION, NULL);
  SET(CURLOPT_HEADERDATA, NULL);
  SET(CURLOPT_POSTFIELDS, NULL);
  SET(CURLOPT_HTTPGET, 1L);
  SET(CURLOPT_USERNAME, NULL);
  SET(CURLOPT_PASSWORD, NULL);
  (void)rc; /* resetting options to their defaults cannot fail */
}
#undef SET

/* After one hop's transfer: timings, status, certificate, or why it
 * failed. Returns 0 when a response arrived, else -1. */
static int hop_finish(CURL *h, sw_http_ctx *c, const char *url, CURLcode code,
                      const char *errbuf, const sw_deadline *d) {
  const sw_http_req *req = c->req;
  sw_http_resp *resp = c->resp;
  bool https = sw_url_https(url);
  sw_http_read_times(h, c, https, &resp->t);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
  if (!req->connect_only && sw_http_headers_cut(resp, code == CURLE_OK))
    return -1;
  if (code == CURLE_OK || resp->stopped) {
    /* the first https hop's: the certificate of the origin asked for */
    if (req->want_cert && https && !resp->have_cert) {
      sw_http_read_cert(h, resp);
      sw_http_read_chain(h, resp, req->secrets);
    }
    return 0;
  }
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  sw_http_explain((int)code, errbuf, os_errno, url, https,
                  sw_deadline_elapsed(d), req->secrets, resp);
  return -1;
}

/* What is left of the deadline for one hop (libcurl takes 0 as none). */
static long hop_timeout_ms(const sw_deadline *d) {
  long left = sw_deadline_work_ms(d);
  return left > 1 ? left : 1;
}

/* One hop: its headers, its options, the transfer. Returns 0 when a
 * response arrived, -1 on a transport failure (resp says why) or with
 * err set. */
static int one_hop(CURL *h, sw_http_ctx *c, const sw_http_hop *hop,
                   const sw_deadline *d, char *errbuf, sw_err *err) {
  sw_http_resp *r = c->resp;
  int bad = 0, rc = -1;
  struct curl_slist *headers = build_headers(c->req, hop->creds, &bad);
  if (bad)
    return sw_fail(err, "out of memory");
  /* what a redirect's answer left is not this hop's */
  c->fd = CURL_SOCKET_BAD;
  c->redirect = false;
  memset(c->seen, 0, sizeof c->seen);
  r->body_len = 0;
  if (r->body)
    r->body[0] = '\0';
  r->status = 0;
  r->too_big = r->tcp_connected = r->headers_done = false;
  errbuf[0] = '\0';
  /* a session's cookies are credentials too: not for another origin */
  struct curl_slist *cookies = NULL;
  bool hide = c->req->session && !hop->creds;
  CURLcode code = setup_hop(h, c->req, hop, headers, hop_timeout_ms(d));
  if (code != CURLE_OK) {
    sw_fail(err, "libcurl: %s", curl_easy_strerror(code));
  } else {
    if (hide && sw_http_cookies_hide(h, &cookies) < 0)
      sw_fail(err, "out of memory");
    else
      rc = hop_finish(h, c, hop->url, curl_easy_perform(h), errbuf, d);
    if (cookies) /* there were some to keep back */
      sw_http_note_withheld(c->req, hop->url, r);
    if (hide && sw_http_cookies_restore(h, cookies) < 0 && rc == 0)
      rc = sw_fail(err, "out of memory");
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  free_headers(headers);
  return rc;
}

/* -vv: each redirect followed, and whether credentials went along. */
static void trace_hop(const sw_http_req *req, long status,
                      const sw_http_hop *hop) {
  char url[300], line[400];
  sw_buf b;
  if (req->verbose < 2 || !req->trace)
    return;
  sw_url_display(url, sizeof url, hop->url, 250, req->secrets);
  sw_buf_fixed(&b, line, sizeof line);
  sw_buf_addf(&b, "* redirect: HTTP %ld to %s%s", status, url,
              hop->creds || !sw_http_has_creds(req)
                  ? ""
                  : " (credentials not sent: another origin)");
  req->trace(req->trace_arg, line);
}

/* The request and its redirects, hop by hop. Returns as one_hop. */
static int run_hops(CURL *h, sw_http_ctx *c, const sw_deadline *d, char *errbuf,
                    sw_err *err) {
  const sw_http_req *req = c->req;
  sw_http_resp *resp = c->resp;
  sw_http_hop hop;
  double total = 0;
  int rc = sw_http_hop_first(&hop, req, resp, err);
  while (rc == 0) {
    rc = one_hop(h, c, &hop, d, errbuf, err);
    if (resp->t.total > 0)
      total += resp->t.total;
    if (req->session)
      req->session->used = true;
    if (rc < 0 || resp->stopped || !req->follow)
      break;
    char *target = NULL;
    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &target);
    int next = sw_http_hop_next(&hop, req, resp->status, target, resp, err);
    if (next <= 0) {
      rc = next;
      break;
    }
    trace_hop(req, resp->status, &hop);
  }
  resp->t.total = total;
  resp->redirects = hop.redirects;
  if (req->session) {
    sw_buf url;
    sw_buf_fixed(&url, req->session->url, sizeof req->session->url);
    sw_buf_puts(&url, hop.url ? hop.url : req->url);
  }
  sw_http_hop_free(&hop);
  return rc;
}

/* What the request must not carry, whatever its hops. */
static int check_req(const sw_http_req *req, sw_err *err) {
  if (!req->bearer)
    return 0;
  if (strlen(req->bearer) > SW_HTTP_BEARER_MAX)
    return sw_fail(err, "the bearer token is longer than %d bytes (the limit)",
                   SW_HTTP_BEARER_MAX);
  for (const char *p = req->bearer; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      return sw_fail(err, "the bearer token holds a control character (CR, "
                          "LF...): refused");
  return 0;
}

int sw_http_perform(const sw_http_req *req, const sw_deadline *d,
                    sw_http_resp *resp, sw_err *err) {
  char errbuf[CURL_ERROR_SIZE] = "", to_spec[600];
  struct curl_slist *to = NULL, icy = {(char *)"ICY 200", NULL};
  sw_http_ctx c = {.req = req,
                   .resp = resp,
                   .fd = CURL_SOCKET_BAD,
                   .on_tls = req->want_cert ? sw_http_tls_read : NULL};
  int rc = -1;
  memset(resp, 0, sizeof *resp);
  /* no phase reached until a hop reaches it (perfdata U, not 0) */
  resp->t = (sw_http_times){-1, -1, -1, -1, -1, 0};
  err->msg[0] = '\0';
  if (check_req(req, err) < 0)
    return -1;
  if (req->source_addr && snprintf(c.iface, sizeof c.iface, "host!%s",
                                   req->source_addr) >= (int)sizeof c.iface)
    return sw_fail(err, "--source-address: too long");
  if (req->connect_to) {
    /* the pin is for the host the user named (-u), not for every host a
     * redirect or a playlist names */
    const char *pinned = req->cred_origin ? req->cred_origin : req->url;
    if (sw_http_pin_spec(pinned, req->connect_to, to_spec, sizeof to_spec) < 0)
      return sw_fail(err, "--connect-to: invalid address '%s'",
                     req->connect_to);
    if (!(to = curl_slist_append(NULL, to_spec)))
      return sw_fail(err, "out of memory");
    /* --sticky: the host's other ports too (libcurl takes the first
     * entry that matches, so the pinned port keeps its own) */
    struct curl_slist *more = NULL;
    if (req->pin_sticky && (sw_http_pin_sticky(pinned, req->connect_to, to_spec,
                                               sizeof to_spec) < 0 ||
                            !(more = curl_slist_append(to, to_spec)))) {
      curl_slist_free_all(to);
      return sw_fail(err, "out of memory");
    }
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    curl_slist_free_all(to);
    return sw_fail(err, "libcurl: global init failed");
  }
  CURL *h = req->session ? req->session->h : curl_easy_init();
  c.handle = h;
  CURLcode code =
      h ? http_setup(h, req, &c, to, &icy, errbuf) : CURLE_OUT_OF_MEMORY;
  if (code != CURLE_OK)
    sw_fail(err, "libcurl: %s", curl_easy_strerror(code));
  else
    rc = run_hops(h, &c, d, errbuf, err);
  if (h)
    detach(h);
  curl_slist_free_all(to);
  if (h && !req->session)
    curl_easy_cleanup(h);
  curl_global_cleanup();
  return rc;
}
