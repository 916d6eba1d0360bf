/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Concurrent DNS queries through c-ares: one single-server channel per
 * resolver (c-ares 1.18 cannot send a query to a chosen server of a
 * channel), all driven by one poll loop under the run's deadline. */
#include <ares.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dns_enc.h"
#include "streamwatch/dns.h"
#include "streamwatch/strbuf.h"

typedef struct {
  sw_dns_query *q;
  const sw_dns_server *srv;
  const sw_dns_opts *o;
  double sent;
  bool *refused;         /* per server: an ICMP port unreachable was seen */
  sw_dns_budget *budget; /* the run's parsed replies (SW_DNS_MAX_KEPT) */
} query_ctx;

/* c-ares' answer callback: records how the query ended. */
static void on_reply(void *arg, int status, int timeouts, unsigned char *abuf,
                     int alen) {
  query_ctx *c = arg;
  sw_dns_query *q = c->q;
  (void)timeouts;
  if (q->outcome != SW_DNS_PENDING)
    return;
  q->elapsed = sw_now() - c->sent;
  switch (status) {
  case ARES_SUCCESS:
    sw_dns_take_reply(q, c->srv, c->o, c->budget, abuf, (size_t)alen);
    break;
  case ARES_ETIMEOUT:
  case ARES_ECANCELLED:
  case ARES_EDESTRUCTION: q->outcome = SW_DNS_TIMEOUT; break;
  case ARES_ECONNREFUSED:
    q->outcome = SW_DNS_CONNREFUSED;
    c->refused[q->server] = true;
    break;
  case ARES_EBADRESP: q->outcome = SW_DNS_MALFORMED; break;
  default:
    q->outcome = SW_DNS_ERROR;
    snprintf(q->err, sizeof q->err, "%s", ares_strerror(status));
    break;
  }
}

/* One channel that asks only srv, with tries spread over the budget. */
static int channel_open(ares_channel *ch, const sw_dns_server *srv,
                        const sw_dns_opts *o, long budget_ms, sw_err *err) {
  struct ares_options opts;
  memset(&opts, 0, sizeof opts);
  int tries = o->tries < 1 ? 1 : (o->tries > 5 ? 5 : o->tries);
  /* c-ares doubles the timeout on each try with one server: the tries
   * together take t * (2^tries - 1), which must fit the budget. */
  long t = budget_ms / ((1L << tries) - 1);
  opts.timeout = t > 1 ? (int)t : 1;
  opts.tries = tries;
  opts.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH |
               (o->tcp ? ARES_FLAG_USEVC : 0);
  int rc = ares_init_options(
      ch, &opts, ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
  if (rc != ARES_SUCCESS)
    return sw_fail(err, "c-ares: %s", ares_strerror(rc));
  struct ares_addr_port_node node;
  memset(&node, 0, sizeof node);
  node.family = srv->family;
  node.udp_port = node.tcp_port = srv->port;
  inet_pton(srv->family, srv->addr, &node.addr);
  rc = ares_set_servers_ports(*ch, &node);
  if (rc != ARES_SUCCESS) {
    ares_destroy(*ch);
    return sw_fail(err, "c-ares: %s", ares_strerror(rc));
  }
  return 0;
}

/* Random query IDs (RFC 5452 9.2): c-ares 1.18's ares_send keeps the ID
 * it is given, so a constant one would make replies easy to forge. IDs
 * must also differ within one channel, where c-ares matches by ID. */
static void random_ids(unsigned short *ids, const sw_dns_query *q, size_t nq) {
  if (getrandom(ids, nq * sizeof *ids, 0) != (ssize_t)(nq * sizeof *ids))
    for (size_t i = 0; i < nq; i++) /* no entropy: distinct at least */
      ids[i] = (unsigned short)(i * 40503u + (unsigned)sw_now());
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j < i; j++)
      if (q[j].server == q[i].server && ids[j] == ids[i]) {
        ids[i]++;
        j = (size_t)-1; /* check again from the start */
      }
}

/* Builds and sends one query (RFC 1035 4.1.1, RD per --no-recursion; an
 * OPT RR with the DO bit and ECS option when asked: sw_dns_query_wire). */
static void query_send(ares_channel ch, query_ctx *c, unsigned short id) {
  unsigned char buf[SW_DNS_QUERY_MAX];
  size_t len = 0;
  sw_err err;
  const sw_dns_opts *o = c->o;
  sw_dns_wire_opts w = {.rd = !o->norecurse,
                        .dnssec = o->dnssec,
                        .ecs = o->ecs.family ? &o->ecs : NULL};
  c->sent = sw_now();
  if (sw_dns_query_wire(c->q->name, c->q->qtype ? c->q->qtype : o->qtype, id,
                        &w, buf, sizeof buf, &len, &err) < 0) {
    c->q->outcome = SW_DNS_ERROR;
    snprintf(c->q->err, sizeof c->q->err, "cannot build query: %s", err.msg);
    return;
  }
  if (o->verbose >= 2 && o->trace) {
    char line[400];
    sw_buf b;
    sw_buf_fixed(&b, line, sizeof line);
    sw_buf_addf(&b, "query %s %s to %s over %s, RD=%d, id 0x%04x", c->q->name,
                sw_dns_qtype_name(c->q->qtype ? c->q->qtype : o->qtype),
                c->srv->label, o->tcp ? "TCP" : "UDP", o->norecurse ? 0 : 1,
                id);
    if (o->dnssec)
      sw_buf_puts(&b, ", DO");
    if (o->ecs.family)
      sw_buf_addf(&b, ", ECS %s", o->ecs.text);
    o->trace(o->trace_arg, line);
  }
  ares_send(ch, buf, (int)len, on_reply, c);
}

/* Several queries share a server's UDP socket, and the kernel reports an
 * ICMP port unreachable to whichever call comes next: c-ares then fails
 * that one query and leaves the others waiting for replies that cannot
 * come. A port that refused one query refuses them all. */
static void spread_refusal(sw_dns_query *q, size_t nq, query_ctx *ctx) {
  for (size_t i = 0; i < nq; i++) {
    if (ctx[i].srv->transport == SW_DNS_PLAIN &&
        q[i].outcome == SW_DNS_PENDING && ctx[i].refused[q[i].server]) {
      q[i].outcome = SW_DNS_CONNREFUSED;
      q[i].elapsed = sw_now() - ctx[i].sent;
    }
  }
}

/* Are c-ares' queries done? (An encrypted resolver's are its thread's.) */
static int all_done(const sw_dns_query *q, size_t nq, const query_ctx *ctx) {
  for (size_t i = 0; i < nq; i++)
    if (ctx[i].srv->transport == SW_DNS_PLAIN && q[i].outcome == SW_DNS_PENDING)
      return 0;
  return 1;
}

/* One round: poll every channel's sockets, then let c-ares read, write
 * and expire what it must. */
static void loop_once(ares_channel *chs, size_t nch, long wait_ms) {
  struct pollfd pfd[64];
  size_t owner[64], n = 0;
  for (size_t i = 0; i < nch; i++) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    if (!chs[i]) /* an encrypted resolver: its thread asks it */
      continue;
    /* c-ares' ARES_GETSOCK_WRITABLE shifts a signed 1 into the sign bit
     * for the 16th socket (undefined behaviour): test the bits unsigned. */
    unsigned bits = (unsigned)ares_getsock(chs[i], socks, ARES_GETSOCK_MAXNUM);
    for (unsigned s = 0; s < ARES_GETSOCK_MAXNUM && n < 64; s++) {
      short ev =
          (short)((bits & (1u << s) ? POLLIN : 0) |
                  (bits & (1u << (s + ARES_GETSOCK_MAXNUM)) ? POLLOUT : 0));
      if (!ev)
        continue;
      pfd[n] = (struct pollfd){.fd = socks[s], .events = ev};
      owner[n++] = i;
    }
    struct timeval tv, *tvp = ares_timeout(chs[i], NULL, &tv);
    if (tvp) {
      long ms = tvp->tv_sec * 1000L + tvp->tv_usec / 1000 + 1;
      wait_ms = ms < wait_ms ? ms : wait_ms;
    }
  }
  poll(pfd, n, (int)wait_ms);
  for (size_t k = 0; k < n; k++) {
    if (!pfd[k].revents)
      continue;
    ares_socket_t r = (pfd[k].revents & (POLLIN | POLLERR | POLLHUP))
                          ? pfd[k].fd
                          : ARES_SOCKET_BAD;
    ares_socket_t w = (pfd[k].revents & POLLOUT) ? pfd[k].fd : ARES_SOCKET_BAD;
    ares_process_fd(chs[owner[k]], r, w);
  }
  for (size_t i = 0; i < nch; i++) /* timeouts */
    if (chs[i])
      ares_process_fd(chs[i], ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

int sw_dns_run(const sw_dns_server *servers, size_t nservers, sw_dns_query *q,
               size_t nq, const sw_dns_opts *o, const sw_deadline *d,
               sw_err *err) {
  int rc = -1, inited = 0;
  size_t nch = 0;
  ares_channel *chs = calloc(nservers ? nservers : 1, sizeof *chs);
  query_ctx *ctx = calloc(nq ? nq : 1, sizeof *ctx);
  unsigned short *ids = calloc(nq ? nq : 1, sizeof *ids);
  bool *refused = calloc(nservers ? nservers : 1, sizeof *refused);
  sw_dns_budget budget = {.mu = PTHREAD_MUTEX_INITIALIZER};
  sw_dns_enc *enc = NULL;
  if (!chs || !ctx || !ids || !refused) {
    sw_fail(err, "out of memory");
    goto out;
  }
  if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
    sw_fail(err, "c-ares: library init failed");
    goto out;
  }
  inited = 1;
  for (; nch < nservers; nch++)
    if (servers[nch].transport == SW_DNS_PLAIN &&
        channel_open(&chs[nch], &servers[nch], o, sw_deadline_work_ms(d), err) <
            0)
      goto out;
  random_ids(ids, q, nq);
  for (size_t i = 0; i < nq; i++)
    ctx[i] = (query_ctx){.q = &q[i],
                         .srv = &servers[q[i].server],
                         .o = o,
                         .refused = refused,
                         .budget = &budget};
  /* DoH and DoT resolvers ask in threads of their own meanwhile */
  if (sw_dns_enc_start(&enc, servers, nservers, q, nq, o, d, &budget, err) < 0)
    goto out;
  for (size_t i = 0; i < nq; i++)
    if (chs[q[i].server])
      query_send(chs[q[i].server], &ctx[i], ids[i]);
  for (;;) {
    long left = sw_deadline_work_ms(d);
    spread_refusal(q, nq, ctx);
    if (all_done(q, nq, ctx) || left <= 0)
      break;
    loop_once(chs, nch, left);
  }
  rc = 0;
out:
  sw_dns_enc_join(enc, o);
  /* Queries still open when time runs out end as timeouts through the
   * callback (ARES_EDESTRUCTION). */
  for (size_t i = 0; i < nch; i++)
    if (chs[i])
      ares_destroy(chs[i]);
  if (inited)
    ares_library_cleanup();
  free(chs);
  free(ctx);
  free(ids);
  free(refused);
  return rc;
}
