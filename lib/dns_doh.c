/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS over HTTPS (RFC 8484): every query of one resolver POSTed at once
 * as application/dns-message through one libcurl multi handle, over
 * HTTP/2 where the server speaks it (one connection, a stream each),
 * else HTTP/1.1. Only a 200 with Content-Type application/dns-message
 * and a body of at most one DNS message (65535 bytes) is a reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns_enc.h"
#include "streamwatch/sanitize.h"

static const char media_type[] = "application/dns-message";

int sw_doh_check(long status, const char *content_type, size_t body_len,
                 sw_err *err) {
  if (status != 200)
    return sw_fail(err, "HTTP %ld (expected 200)", status);
  /* RFC 9110 8.3.1: type/subtype case-insensitive, then parameters */
  const char *ct = content_type ? content_type : "";
  size_t n = strcspn(ct, ";");
  while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
    n--;
  if (n != sizeof media_type - 1 || strncasecmp(ct, media_type, n) != 0) {
    char shown[80];
    if (!*ct)
      return sw_fail(err, "wrong content type: none (expected %s)", media_type);
    sw_text_safe(shown, sizeof shown, ct, strlen(ct), 60, NULL);
    return sw_fail(err, "wrong content type '%s' (expected %s)", shown,
                   media_type);
  }
  if (body_len == 0)
    return sw_fail(err, "malformed response: empty body");
  return 0;
}

typedef struct {
  sw_dns_enc_job *j;
  sw_dns_query *q;
  CURL *h;
  sw_dns_watch watch;
  unsigned char wire[SW_DNS_QUERY_MAX];
  size_t wlen;
  unsigned char *body; /* cap bytes, grown as data comes */
  size_t len, cap;
  bool too_big;
  bool limit; /* the run's SW_DNS_MAX_RAW was reached */
  double sent;
  char errbuf[CURL_ERROR_SIZE];
} doh_xfer;

/* Keeps at most one DNS message, in a buffer that grows as it comes
 * within the run's SW_DNS_MAX_RAW; more ends the transfer. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *arg) {
  doh_xfer *x = arg;
  size_t n = size * nmemb;
  if (n > SW_DNS_MSG_MAX - x->len) {
    x->too_big = true;
    return 0;
  }
  if (x->len + n > x->cap) {
    size_t cap = x->cap ? x->cap * 2 : 1024;
    cap = cap < x->len + n ? x->len + n : cap;
    cap = cap < SW_DNS_MSG_MAX ? cap : SW_DNS_MSG_MAX;
    unsigned char *p = NULL;
    if (!sw_dns_budget_raw(x->j->budget, cap - x->cap, true)) {
      x->limit = true;
      return 0;
    }
    if (!(p = realloc(x->body, cap))) {
      sw_dns_budget_raw(x->j->budget, cap - x->cap, false);
      return 0;
    }
    x->body = p;
    x->cap = cap;
  }
  memcpy(x->body + x->len, data, n);
  x->len += n;
  return n;
}

#define SET(opt, val)                                                          \
  do {                                                                         \
    if (rc == CURLE_OK)                                                        \
      rc = curl_easy_setopt(h, opt, val);                                      \
  } while (0)

static CURLcode xfer_setup(doh_xfer *x, struct curl_slist *hdrs, long ms) {
  CURL *h = x->h;
  CURLcode rc = sw_dns_enc_tls(h, &x->j->o);
  if (rc == CURLE_OK)
    rc = sw_dns_enc_watch(h, &x->watch);
  SET(CURLOPT_URL, x->j->srv->url);
  SET(CURLOPT_PROTOCOLS_STR, "https");
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  /* wait for the first connection to say whether it multiplexes: one
   * TLS handshake for all the queries */
  SET(CURLOPT_PIPEWAIT, 1L);
  SET(CURLOPT_HTTPHEADER, hdrs);
  SET(CURLOPT_POSTFIELDSIZE, (long)x->wlen);
  SET(CURLOPT_POSTFIELDS, x->wire);
  SET(CURLOPT_WRITEFUNCTION, on_body);
  SET(CURLOPT_WRITEDATA, x);
  SET(CURLOPT_ERRORBUFFER, x->errbuf);
  SET(CURLOPT_TIMEOUT_MS, ms);
  SET(CURLOPT_CONNECTTIMEOUT_MS, ms);
  return rc;
}

/* Frees a body and gives its bytes back to the run. */
static void body_free(doh_xfer *x) {
  if (x->cap)
    sw_dns_budget_raw(x->j->budget, x->cap, false);
  free(x->body);
  x->body = NULL;
  x->len = x->cap = 0;
}

/* How a transfer ended, to its query. */
static void xfer_done(doh_xfer *x, CURLcode code) {
  sw_dns_query *q = x->q;
  const sw_dns_enc_job *j = x->j;
  long status = 0, version = 0, connects = 0;
  char *ct = NULL;
  sw_err err;
  if (x->limit) {
    q->outcome = SW_DNS_LIMIT;
    q->elapsed = sw_now() - x->sent;
    snprintf(q->err, sizeof q->err,
             "DoH replies past the run's limit of %zu MiB being received",
             SW_DNS_MAX_RAW >> 20);
    return;
  }
  if (code != CURLE_OK && !x->too_big) {
    sw_dns_enc_fail(q, &x->watch, code, x->errbuf, j->srv->url, x->sent);
    return;
  }
  q->elapsed = sw_now() - x->sent;
  curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct);
  curl_easy_getinfo(x->h, CURLINFO_HTTP_VERSION, &version);
  curl_easy_getinfo(x->h, CURLINFO_NUM_CONNECTS, &connects);
  if (j->o.verbose >= 2)
    sw_dns_enc_trace(x->j,
                     "DoH reply from %s for %s: HTTP/%s %ld, %zu bytes, on "
                     "%s connection",
                     j->srv->label, q->name,
                     version == CURL_HTTP_VERSION_2_0 ? "2" : "1.1", status,
                     x->len, connects ? "a new" : "a shared");
  if (sw_doh_check(status, ct, x->len, &err) < 0) {
    q->outcome = SW_DNS_ERROR;
    snprintf(q->err, sizeof q->err, "%s", err.msg);
  } else if (x->too_big) {
    q->outcome = SW_DNS_ERROR;
    snprintf(q->err, sizeof q->err,
             "malformed response: a body over %u bytes (a DNS message's "
             "limit)",
             (unsigned)SW_DNS_MSG_MAX);
  } else {
    sw_dns_take_reply(q, j->srv, &j->o, j->budget, x->body, x->len);
  }
}

/* Drives the transfers until all are done or the deadline comes. */
static void drive(CURLM *m, const sw_dns_enc_job *j) {
  int running = 1;
  while (running) {
    long left = sw_deadline_work_ms(j->d);
    if (left <= 0)
      break;
    if (curl_multi_perform(m, &running) != CURLM_OK)
      break;
    CURLMsg *msg;
    int k;
    while ((msg = curl_multi_info_read(m, &k))) {
      doh_xfer *x = NULL;
      if (msg->msg != CURLMSG_DONE)
        continue;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
      if (x && x->q->outcome == SW_DNS_PENDING)
        xfer_done(x, msg->data.result);
      if (x)
        body_free(x); /* parsed: the next bodies may use its bytes */
    }
    if (running)
      curl_multi_poll(m, NULL, 0, (int)(left < 1000 ? left : 1000), NULL);
  }
}

void sw_dns_doh_run(sw_dns_enc_job *j) {
  CURLM *m = curl_multi_init();
  doh_xfer *xs = calloc(j->nq ? j->nq : 1, sizeof *xs);
  struct curl_slist *hdrs = NULL, *next;
  long ms = sw_deadline_work_ms(j->d);
  const char *oom = NULL;
  if (!m || !xs)
    oom = "out of memory";
  else if (!(hdrs = curl_slist_append(
                 NULL, "Content-Type: application/dns-message")) ||
           !(next = curl_slist_append(hdrs, "Accept: application/dns-message")))
    oom = "out of memory";
  else
    hdrs = next;
  if (m)
    curl_multi_setopt(m, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  for (size_t i = 0; !oom && i < j->nq; i++) {
    doh_xfer *x = &xs[i];
    x->j = j;
    x->q = j->q[i];
    x->sent = sw_now();
    /* ID 0 (RFC 8484 4.1): HTTP matches replies, and caches can */
    if (sw_dns_enc_wire(x->q, &j->o, 0, x->wire, &x->wlen) < 0)
      continue;
    sw_dns_enc_trace_query(j, x->q, "DoH (POST)", 0);
    if (!(x->h = curl_easy_init()) || xfer_setup(x, hdrs, ms) != CURLE_OK ||
        curl_easy_setopt(x->h, CURLOPT_PRIVATE, (char *)x) != CURLE_OK ||
        curl_multi_add_handle(m, x->h) != CURLM_OK) {
      x->q->outcome = SW_DNS_ERROR;
      snprintf(x->q->err, sizeof x->q->err, "libcurl: cannot set up DoH");
      if (x->h)
        curl_easy_cleanup(x->h);
      x->h = NULL;
    }
  }
  if (!oom)
    drive(m, j);
  for (size_t i = 0; i < j->nq; i++) {
    sw_dns_query *q = j->q[i];
    if (q->outcome == SW_DNS_PENDING) {
      if (oom || !xs[i].h) {
        q->outcome = SW_DNS_ERROR;
        snprintf(q->err, sizeof q->err, "%s", oom ? oom : "not sent");
      } else {
        sw_dns_enc_timeout(q, &xs[i].watch, j->srv->url, xs[i].sent);
      }
    }
    if (xs && xs[i].h) {
      curl_multi_remove_handle(m, xs[i].h);
      curl_easy_cleanup(xs[i].h);
    }
    if (xs)
      body_free(&xs[i]);
  }
  curl_slist_free_all(hdrs);
  if (m)
    curl_multi_cleanup(m);
  free(xs);
}
