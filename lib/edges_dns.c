/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --all-addresses' resolution: the URL's host through c-ares (sw_dns_run)
 * on --resolver or /etc/resolv.conf's nameservers, one after the other as
 * a stub resolver asks them: A and AAAA at once of each, each resolver
 * given at most SW_EDGES_DNS_MAX seconds and half of what is left, so that
 * a silent one (or one that never answers AAAA) leaves time for the
 * edges; the first that answers (NOERROR or NXDOMAIN) decides. Addresses
 * are compared by their bytes (an IPv4-mapped IPv6 address is IPv4) and
 * sorted, so that lines and labels keep their order. The hosts file is
 * not read: what users get is what DNS says. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "streamwatch/edges.h"
#include "streamwatch/file.h"

enum { RESOLVERS_MAX = 8, SEEN_MAX = 1024 };

/* An address as compared: family (4 or 6) and bytes. */
typedef struct {
  unsigned char b[17];
} addr_key;

/* The resolvers to ask: --resolver, or resolv.conf's. */
static int resolvers(const char *resolver, sw_dns_server *s, size_t *n,
                     sw_err *err) {
  *n = 0;
  if (resolver) {
    sw_err e = {""};
    if (sw_dns_server_parse(resolver, &s[0], &e) < 0 ||
        s[0].transport != SW_DNS_PLAIN)
      return sw_fail(err,
                     "--resolver: invalid address '%s' (a numeric address, "
                     "ADDR:PORT or [V6]:PORT)",
                     resolver);
    *n = 1;
    return 0;
  }
  char *text = NULL;
  size_t len = 0;
  if (sw_read_file("/etc/resolv.conf", 65536, "--all-addresses", &text, &len,
                   err) < 0)
    return -1;
  int rc = sw_dns_resolv_conf_parse(text, len, s, RESOLVERS_MAX, n, err);
  free(text);
  if (rc == 0 && *n == 0)
    rc = sw_fail(err, "--all-addresses: no nameserver in /etc/resolv.conf "
                      "(give --resolver)");
  return rc;
}

/* rr's address as a key, an IPv4-mapped IPv6 one folded to IPv4. */
static bool key_of(const sw_dns_rr *rr, addr_key *k) {
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                           0, 0, 0, 0, 0xff, 0xff};
  memset(k, 0, sizeof *k);
  if (rr->family == AF_INET) {
    k->b[0] = 4;
    memcpy(k->b + 1, rr->addr, 4);
  } else if (rr->family == AF_INET6 && !memcmp(rr->addr, mapped, 12)) {
    k->b[0] = 4;
    memcpy(k->b + 1, rr->addr + 12, 4);
  } else if (rr->family == AF_INET6) {
    k->b[0] = 6;
    memcpy(k->b + 1, rr->addr, 16);
  } else {
    return false;
  }
  return true;
}

/* What was found so far: every distinct address up to SEEN_MAX (for the
 * count), the first max of them kept. */
typedef struct {
  addr_key *seen;
  size_t nseen, total;
} found;

static void take(const sw_dns_query *q, found *f) {
  for (size_t i = 0; i < q->reply.nrrs; i++) {
    addr_key k;
    if (!key_of(&q->reply.rrs[i], &k))
      continue;
    bool dup = false;
    for (size_t j = 0; j < f->nseen && !dup; j++)
      dup = memcmp(&f->seen[j], &k, sizeof k) == 0;
    if (dup)
      continue;
    f->total++;
    if (f->nseen < SEEN_MAX)
      f->seen[f->nseen++] = k;
  }
}

static int key_cmp(const void *a, const void *b) {
  return memcmp(a, b, sizeof(addr_key));
}

/* Why q got no address, for the message. */
static void why(const sw_dns_query *q, char *buf, size_t n) {
  char rc[24];
  switch (q->outcome) {
  case SW_DNS_REPLY:
    snprintf(buf, n, "%s",
             q->reply.rcode ? sw_dns_rcode_name(q->reply.rcode, rc, sizeof rc)
                            : "no address");
    break;
  case SW_DNS_TIMEOUT: snprintf(buf, n, "timeout"); break;
  case SW_DNS_CONNREFUSED: snprintf(buf, n, "connection refused"); break;
  case SW_DNS_MALFORMED: snprintf(buf, n, "malformed reply"); break;
  default: snprintf(buf, n, "%s", q->err[0] ? q->err : "no answer"); break;
  }
}

/* Did this resolver decide (an answer, or that the name does not
 * exist), as a stub resolver takes it? */
static bool decided(const sw_dns_query *q, int nt) {
  for (int t = 0; t < nt; t++)
    if (q[t].outcome == SW_DNS_REPLY &&
        (q[t].reply.rcode == 0 || q[t].reply.rcode == 3))
      return true;
  return false;
}

/* Asks srv for host's A and/or AAAA (types[0..nt-1]) within its share of
 * the time left. Returns 0, or -1 with err when c-ares cannot start. */
static int ask(const sw_dns_server *srv, const char *host, const int *types,
               int nt, const sw_deadline *d, sw_dns_query *q, sw_err *err) {
  double share = (d->end - sw_now()) / 2;
  sw_deadline sub = *d;
  if (share > SW_EDGES_DNS_MAX)
    share = SW_EDGES_DNS_MAX;
  if (sub.end > sw_now() + share)
    sub.end = sw_now() + share;
  sw_dns_opts o = {.qtype = types[0], .tries = 1};
  for (int t = 0; t < nt; t++)
    q[t] = (sw_dns_query){.name = host, .server = 0, .qtype = types[t]};
  return sw_dns_run(srv, 1, q, (size_t)nt, &o, &sub, err);
}

int sw_edges_resolve(const char *host, int family, const char *resolver,
                     const sw_deadline *d, char (*addrs)[46], size_t max,
                     size_t *n, size_t *total, char *note, size_t note_n,
                     sw_err *err) {
  sw_dns_server srv[RESOLVERS_MAX];
  size_t ns = 0, from = 0;
  int types[2], nt = 0;
  sw_dns_query q[2];
  char reason[200] = "no answer";
  found f = {calloc(SEEN_MAX, sizeof(addr_key)), 0, 0};
  *n = *total = 0;
  note[0] = '\0';
  if (!f.seen)
    return sw_fail(err, "out of memory");
  if (resolvers(resolver, srv, &ns, err) < 0) {
    free(f.seen);
    return -1;
  }
  if (family != 6)
    types[nt++] = SW_DNS_A;
  if (family != 4)
    types[nt++] = SW_DNS_AAAA;
  int rc = 0;
  for (from = 0; from < ns; from++) {
    memset(q, 0, sizeof q);
    if ((rc = ask(&srv[from], host, types, nt, d, q, err)) < 0)
      break;
    bool ok = decided(q, nt);
    for (int t = 0; t < nt; t++) {
      if (ok)
        take(&q[t], &f);
      if (ok && q[t].outcome != SW_DNS_REPLY && !note[0]) {
        char w[64];
        why(&q[t], w, sizeof w);
        snprintf(note, note_n, "%s: %s from %s", sw_dns_qtype_name(types[t]), w,
                 srv[from].label);
      }
    }
    if (!ok || f.total == 0)
      why(q[0].outcome == SW_DNS_REPLY || nt == 1 ? &q[0] : &q[1], reason,
          sizeof reason);
    for (int t = 0; t < nt; t++)
      sw_dns_reply_free(&q[t].reply);
    if (ok)
      break;
  }
  if (rc == 0 && f.nseen == 0)
    rc = sw_fail(err, "DNS: no %saddress for %s from %s: %s",
                 family == 4   ? "IPv4 "
                 : family == 6 ? "IPv6 "
                               : "",
                 host, srv[from < ns ? from : ns - 1].label, reason);
  /* the first max in answer order, then in address order */
  *n = f.nseen < max ? f.nseen : max;
  *total = f.total;
  qsort(f.seen, *n, sizeof *f.seen, key_cmp);
  for (size_t i = 0; rc == 0 && i < *n; i++)
    inet_ntop(f.seen[i].b[0] == 4 ? AF_INET : AF_INET6, f.seen[i].b + 1,
              addrs[i], 46);
  free(f.seen);
  return rc;
}
