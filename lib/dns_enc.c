/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encrypted resolvers' share of sw_dns_run: one thread per DoH or DoT
 * resolver (at most RESOLVE's 32), each under the run's one deadline,
 * and what DoH and DoT have in common: the query message, TLS options,
 * failures in libcurl's words, the budget of parsed answers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_enc.h"
#include "streamwatch/http.h"
#include "streamwatch/strbuf.h"

struct sw_dns_enc {
  sw_dns_enc_job *jobs;
  pthread_t *th;
  bool *started;
  sw_dns_query **qs; /* the jobs' query pointers, one block */
  size_t njobs;
};

bool sw_dns_budget_take(sw_dns_budget *b, size_t bytes) {
  bool ok;
  pthread_mutex_lock(&b->mu);
  ok = b->kept + bytes <= SW_DNS_MAX_KEPT;
  if (ok)
    b->kept += bytes;
  pthread_mutex_unlock(&b->mu);
  return ok;
}

bool sw_dns_budget_raw(sw_dns_budget *b, size_t bytes, bool grow) {
  bool ok = true;
  pthread_mutex_lock(&b->mu);
  if (!grow)
    b->raw -= bytes < b->raw ? bytes : b->raw;
  else if ((ok = b->raw + bytes <= SW_DNS_MAX_RAW))
    b->raw += bytes;
  pthread_mutex_unlock(&b->mu);
  return ok;
}

/* -vvv: the reply's bytes, the first 4 KiB (64 names x 32 resolvers of
 * 64 KiB answers would otherwise make the kept trace hundreds of MiB). */
static void trace_reply(const sw_dns_query *q, const sw_dns_server *srv,
                        const sw_dns_opts *o, const unsigned char *buf,
                        size_t len) {
  char line[200];
  sw_buf b;
  sw_buf_fixed(&b, line, sizeof line);
  sw_buf_addf(&b, "reply from %s for %s, %zu bytes:", srv->label, q->name, len);
  o->trace(o->trace_arg, line);
  size_t shown = len < 4096 ? len : 4096;
  for (size_t i = 0; i < shown; i += 16) {
    sw_buf_fixed(&b, line, sizeof line);
    for (size_t j = i; j < shown && j < i + 16; j++)
      sw_buf_addf(&b, " %02x", buf[j]);
    o->trace(o->trace_arg, line);
  }
  if (shown < len) {
    sw_buf_fixed(&b, line, sizeof line);
    sw_buf_addf(&b, " ... %zu more bytes not shown", len - shown);
    o->trace(o->trace_arg, line);
  }
}

void sw_dns_take_reply(sw_dns_query *q, const sw_dns_server *srv,
                       const sw_dns_opts *o, sw_dns_budget *b,
                       const unsigned char *buf, size_t len) {
  sw_err err;
  if (o->verbose >= 3 && o->trace)
    trace_reply(q, srv, o, buf, len);
  if (sw_dns_reply_parse(buf, len, q->qtype ? q->qtype : o->qtype, &q->reply,
                         &err) < 0) {
    q->outcome = SW_DNS_MALFORMED;
    snprintf(q->err, sizeof q->err, "%s", err.msg);
    return;
  }
  /* past the budget the query is SW_DNS_LIMIT, judged as the limit it
   * is, not as the server */
  if (sw_dns_budget_take(b, q->reply.bytes)) {
    q->outcome = SW_DNS_REPLY;
    return;
  }
  sw_dns_reply_free(&q->reply);
  q->outcome = SW_DNS_LIMIT;
  snprintf(q->err, sizeof q->err,
           "answers past the run's limit of %zu MiB of parsed records",
           SW_DNS_MAX_KEPT >> 20);
}

void sw_dns_enc_trace(sw_dns_enc_job *j, const char *fmt, ...) {
  char line[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap); /* cut at the line's size */
  va_end(ap);
  sw_strvec_add(&j->trace, line);
}

void sw_dns_enc_trace_query(sw_dns_enc_job *j, const sw_dns_query *q,
                            const char *how, unsigned id) {
  const sw_dns_opts *o = &j->o;
  if (o->verbose < 2)
    return;
  sw_dns_enc_trace(j, "query %s %s to %s over %s, RD=%d, id 0x%04x%s%s%s",
                   q->name, sw_dns_qtype_name(q->qtype ? q->qtype : o->qtype),
                   j->srv->label, how, o->norecurse ? 0 : 1, id,
                   o->dnssec ? ", DO" : "", o->ecs.family ? ", ECS " : "",
                   o->ecs.family ? o->ecs.text : "");
}

#define SET(opt, val)                                                          \
  do {                                                                         \
    if (rc == CURLE_OK)                                                        \
      rc = curl_easy_setopt(h, opt, val);                                      \
  } while (0)

CURLcode sw_dns_enc_tls(CURL *h, const sw_dns_opts *o) {
  CURLcode rc = CURLE_OK;
  static const sw_http_req defaults;
  const sw_http_req *t = o->tls ? o->tls : &defaults;
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_SSL_VERIFYPEER, t->insecure ? 0L : 1L);
  SET(CURLOPT_SSL_VERIFYHOST, t->insecure ? 0L : 2L);
  SET(CURLOPT_SSLVERSION, t->tls_min == 13   ? CURL_SSLVERSION_TLSv1_3
                          : t->tls_min == 12 ? CURL_SSLVERSION_TLSv1_2
                                             : CURL_SSLVERSION_DEFAULT);
  sw_http_store store; /* the same CA store as the HTTP plugins' */
  sw_http_trust(h, t, &store);
  SET(CURLOPT_CAINFO, store.file);
  SET(CURLOPT_CAPATH, store.dir);
  if (t->client_cert)
    SET(CURLOPT_SSLCERT, t->client_cert);
  if (t->client_key)
    SET(CURLOPT_SSLKEY, t->client_key);
  SET(CURLOPT_IPRESOLVE, o->family == 4   ? CURL_IPRESOLVE_V4
                         : o->family == 6 ? CURL_IPRESOLVE_V6
                                          : CURL_IPRESOLVE_WHATEVER);
  return rc;
}

int sw_dns_enc_wire(sw_dns_query *q, const sw_dns_opts *o, unsigned short id,
                    unsigned char *buf, size_t *len) {
  sw_err err;
  sw_dns_wire_opts w = {.rd = !o->norecurse,
                        .dnssec = o->dnssec,
                        .ecs = o->ecs.family ? &o->ecs : NULL};
  if (sw_dns_query_wire(q->name, q->qtype ? q->qtype : o->qtype, id, &w, buf,
                        SW_DNS_QUERY_MAX, len, &err) == 0)
    return 0;
  q->outcome = SW_DNS_ERROR;
  snprintf(q->err, sizeof q->err, "cannot build query: %s", err.msg);
  return -1;
}

CURLcode sw_dns_enc_watch(CURL *h, sw_dns_watch *w) {
  CURLcode rc = CURLE_OK;
  memset(w, 0, sizeof *w);
  w->c.req = &w->req;
  w->c.resp = &w->resp;
  w->c.handle = h;
  w->c.fd = CURL_SOCKET_BAD;
  SET(CURLOPT_NOPROGRESS, 0L);
  SET(CURLOPT_XFERINFOFUNCTION, sw_http_on_progress);
  SET(CURLOPT_XFERINFODATA, &w->c);
  SET(CURLOPT_SOCKOPTFUNCTION, sw_http_on_sockopt);
  SET(CURLOPT_SOCKOPTDATA, &w->c);
  return rc;
}

/* A timeout's phase in a few words. */
static const char *timeout_words(const char *phase) {
  if (strcmp(phase, "DNS") == 0)
    return "resolving the host";
  if (strcmp(phase, "connect") == 0)
    return "connecting";
  if (strcmp(phase, "TLS handshake") == 0)
    return "in the TLS handshake";
  if (strcmp(phase, "waiting for first byte") == 0)
    return "waiting for the reply";
  return "reading the reply";
}

void sw_dns_enc_fail(sw_dns_query *q, sw_dns_watch *w, CURLcode code,
                     const char *errbuf, const char *url, double sent) {
  CURL *h = w->c.handle;
  sw_http_resp *r = &w->resp;
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  sw_http_read_times(h, &w->c, true, &r->t);
  r->headers_done = r->t.ttfb >= 0;
  q->elapsed = sw_now() - sent;
  sw_http_explain((int)code, errbuf, os_errno, url, true, q->elapsed, NULL, r);
  if (r->timed_out) {
    q->outcome = SW_DNS_TIMEOUT;
    snprintf(q->err, sizeof q->err, "%s", timeout_words(r->phase));
  } else {
    q->outcome = SW_DNS_ERROR;
    snprintf(q->err, sizeof q->err, "%s", r->err);
  }
}

void sw_dns_enc_timeout(sw_dns_query *q, sw_dns_watch *w, const char *url,
                        double sent) {
  /* the socket is open still: ask the kernel whether TCP is up */
  sw_http_on_progress(&w->c, 0, 0, 0, 0);
  sw_dns_enc_fail(q, w, CURLE_OPERATION_TIMEDOUT, "", url, sent);
}

static void *job_run(void *arg) {
  sw_dns_enc_job *j = arg;
  if (j->srv->transport == SW_DNS_DOH)
    sw_dns_doh_run(j);
  else
    sw_dns_dot_run(j);
  return NULL;
}

void sw_dns_enc_join(sw_dns_enc *e, const sw_dns_opts *o) {
  if (!e)
    return;
  for (size_t i = 0; i < e->njobs; i++) {
    if (e->started[i])
      pthread_join(e->th[i], NULL);
    else /* no thread: it runs now, in what is left of the time */
      job_run(&e->jobs[i]);
    for (size_t k = 0; k < e->jobs[i].trace.n; k++)
      if (o->trace)
        o->trace(o->trace_arg, e->jobs[i].trace.v[k]);
    sw_strvec_free(&e->jobs[i].trace);
  }
  free(e->jobs);
  free(e->th);
  free(e->started);
  free(e->qs);
  free(e);
}

int sw_dns_enc_start(sw_dns_enc **out, const sw_dns_server *servers,
                     size_t nservers, sw_dns_query *q, size_t nq,
                     const sw_dns_opts *o, const sw_deadline *d,
                     sw_dns_budget *budget, sw_err *err) {
  size_t nenc = 0, nencq = 0;
  *out = NULL;
  for (size_t s = 0; s < nservers; s++)
    nenc += servers[s].transport != SW_DNS_PLAIN;
  for (size_t i = 0; i < nq; i++)
    nencq += servers[q[i].server].transport != SW_DNS_PLAIN;
  if (nenc == 0)
    return 0;
  CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) /* check_resolve: libcurl.so.4 not loaded, maybe */
    return sw_fail(err, "libcurl (for DNS over HTTPS/TLS): %s",
                   curl_easy_strerror(rc));
  sw_dns_enc *e = calloc(1, sizeof *e);
  if (!e || !(e->jobs = calloc(nenc, sizeof *e->jobs)) ||
      !(e->th = calloc(nenc, sizeof *e->th)) ||
      !(e->started = calloc(nenc, sizeof *e->started)) ||
      !(e->qs = calloc(nencq ? nencq : 1, sizeof *e->qs))) {
    if (e) {
      free(e->jobs);
      free(e->th);
      free(e->started);
    }
    free(e);
    return sw_fail(err, "out of memory");
  }
  size_t at = 0;
  for (size_t s = 0; s < nservers; s++) {
    if (servers[s].transport == SW_DNS_PLAIN)
      continue;
    sw_dns_enc_job *j = &e->jobs[e->njobs++];
    j->srv = &servers[s];
    j->q = &e->qs[at];
    for (size_t i = 0; i < nq; i++)
      if (q[i].server == s)
        e->qs[at + j->nq++] = &q[i];
    at += j->nq;
    j->o = *o;
    j->o.trace = sw_strvec_add_line;
    j->o.trace_arg = &j->trace;
    j->d = d;
    j->budget = budget;
  }
  for (size_t i = 0; i < e->njobs; i++)
    e->started[i] = pthread_create(&e->th[i], NULL, job_run, &e->jobs[i]) == 0;
  *out = e;
  return 0;
}
