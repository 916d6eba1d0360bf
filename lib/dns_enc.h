/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal to lib/dns*.c: encrypted resolvers (DNS over HTTPS, RFC 8484,
 * and DNS over TLS, RFC 7858) through libcurl, one thread per resolver,
 * running while sw_dns_run drives c-ares for the others. */
#ifndef STREAMWATCH_DNS_ENC_H
#define STREAMWATCH_DNS_ENC_H

#include <pthread.h>
#include <curl/curl.h>

#include "http_hop.h"
#include "streamwatch/dns.h"
#include "streamwatch/strvec.h"

/* The run's budget of parsed answers (SW_DNS_MAX_KEPT), shared by the
 * c-ares loop and the encrypted resolvers' threads. */
typedef struct {
  pthread_mutex_t mu;
  size_t kept;
  size_t raw; /* DoH bodies being received (SW_DNS_MAX_RAW) */
} sw_dns_budget;

/* Takes bytes from the budget. Returns false, taking nothing, when they
 * do not fit. Thread-safe. */
bool sw_dns_budget_take(sw_dns_budget *b, size_t bytes);

/* The DoH bodies of a run being received at once may hold at most this
 * much: 32 resolvers x 64 names of 64 KiB bodies would be 128 MiB. */
#define SW_DNS_MAX_RAW ((size_t)12 << 20)

/* Takes (grow) or gives back (!grow) bytes of SW_DNS_MAX_RAW. Returns
 * false, taking nothing, when they do not fit. Thread-safe. */
bool sw_dns_budget_raw(sw_dns_budget *b, size_t bytes, bool grow);

/* Gives a query the parsed reply of buf (len bytes) or the outcome that
 * says why not (SW_DNS_MALFORMED, SW_DNS_LIMIT); traces the bytes at
 * -vvv. The one ending of a query that got DNS bytes, for every
 * transport. */
void sw_dns_take_reply(sw_dns_query *q, const sw_dns_server *srv,
                       const sw_dns_opts *o, sw_dns_budget *b,
                       const unsigned char *buf, size_t len);

/* One encrypted resolver's share of a run: its queries, and its trace
 * lines, kept apart until the thread is joined (the run's trace is not
 * thread-safe). */
typedef struct {
  const sw_dns_server *srv;
  sw_dns_query **q; /* this resolver's queries */
  size_t nq;
  sw_dns_opts o; /* the run's, tracing into trace */
  const sw_deadline *d;
  sw_dns_budget *budget;
  sw_strvec trace;
} sw_dns_enc_job;

/* The encrypted resolvers of one run. */
typedef struct sw_dns_enc sw_dns_enc;

/* Starts a thread for every encrypted resolver of servers with queries
 * in q (those queries are the thread's until sw_dns_enc_join: the
 * caller must not read them before). *out is NULL when there is none.
 * Returns 0, or -1 with err when out of memory. */
int sw_dns_enc_start(sw_dns_enc **out, const sw_dns_server *servers,
                     size_t nservers, sw_dns_query *q, size_t nq,
                     const sw_dns_opts *o, const sw_deadline *d,
                     sw_dns_budget *budget, sw_err *err);

/* Waits for every thread (each ends by the deadline), passes their
 * trace lines on to o->trace, frees e. e may be NULL. */
void sw_dns_enc_join(sw_dns_enc *e, const sw_dns_opts *o);

/* The resolver threads (lib/dns_doh.c, lib/dns_dot.c). */
void sw_dns_doh_run(sw_dns_enc_job *j);
void sw_dns_dot_run(sw_dns_enc_job *j);

/* Applies the run's TLS options (verification unless insecure, CA file,
 * client certificate, lowest version) and address family to h. */
CURLcode sw_dns_enc_tls(CURL *h, const sw_dns_opts *o);

/* The query message of name (the run's type, RD, EDNS) with id into buf
 * (SW_DNS_QUERY_MAX bytes). Returns 0, or -1 with q ended as
 * SW_DNS_ERROR. */
int sw_dns_enc_wire(sw_dns_query *q, const sw_dns_opts *o, unsigned short id,
                    unsigned char *buf, size_t *len);

/* How far a handle's transfer got, watched as the HTTP plugins watch
 * theirs (lib/http_io.c: libcurl zeroes a failed transfer's times, and
 * 7.88 sets the connect time only once TLS is up). */
typedef struct {
  sw_http_req req; /* the defaults: no callbacks of the plugins */
  sw_http_resp resp;
  sw_http_ctx c;
} sw_dns_watch;

/* Starts watching h (its progress and socket callbacks). */
CURLcode sw_dns_enc_watch(CURL *h, sw_dns_watch *w);

/* Ends q after libcurl's code on the watched handle (a transfer begun
 * at sent): a timeout is SW_DNS_TIMEOUT naming the phase it was in
 * ("in the TLS handshake"), anything else SW_DNS_ERROR with the phase
 * and libcurl's reason ("TLS handshake failed: ..."), in
 * sw_http_explain's words. */
void sw_dns_enc_fail(sw_dns_query *q, sw_dns_watch *w, CURLcode code,
                     const char *errbuf, const char *url, double sent);

/* Ends q as a timeout of the phase the watched handle was in (the
 * deadline came before libcurl's own timeout; the socket is still
 * open). */
void sw_dns_enc_timeout(sw_dns_query *q, sw_dns_watch *w, const char *url,
                        double sent);

/* -vv: the line of a query sent "over HOW" with id, as c-ares' queries
 * are traced (type, RD, DO, ECS). */
void sw_dns_enc_trace_query(sw_dns_enc_job *j, const sw_dns_query *q,
                            const char *how, unsigned id);

/* Adds a formatted line to j's trace. */
void sw_dns_enc_trace(sw_dns_enc_job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
