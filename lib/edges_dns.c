/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --all-addresses' resolution: the URL's host through c-ares (sw_dns_run)
 * on --resolver or /etc/resolv.conf's nameservers, A and AAAA asked at
 * once of each, the first resolver that answers decides; the addresses
 * are sorted, so that lines and labels keep their order. The hosts file
 * is not read: what users get is what DNS says. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "streamwatch/edges.h"
#include "streamwatch/file.h"

enum { RESOLVERS_MAX = 8 };

/* The resolvers to ask: --resolver, or resolv.conf's. */
static int resolvers(const char *resolver, sw_dns_server *s, size_t *n,
                     sw_err *err) {
  *n = 0;
  if (resolver) {
    sw_err e = {""};
    if (sw_dns_server_parse(resolver, &s[0], &e) < 0)
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

/* Adds the addresses of q's reply not there yet. */
static void take(const sw_dns_query *q, char (*addrs)[46], size_t max,
                 size_t *n, size_t *total) {
  for (size_t i = 0; i < q->reply.nrrs; i++) {
    const sw_dns_rr *rr = &q->reply.rrs[i];
    char text[46];
    if (!rr->family || !inet_ntop(rr->family, rr->addr, text, sizeof text))
      continue;
    bool seen = false;
    for (size_t k = 0; k < *n && !seen; k++)
      seen = strcmp(addrs[k], text) == 0;
    if (seen)
      continue;
    ++*total;
    if (*n < max)
      snprintf(addrs[(*n)++], 46, "%s", text);
  }
}

/* IPv4 before IPv6, then by address: the same order (and perfdata
 * labels) whatever order a round-robin resolver answers in. A qsort
 * comparator over char[46] texts. */
static int addr_cmp(const void *a, const void *b) {
  unsigned char x[17] = {0}, y[17] = {0};
  x[0] = inet_pton(AF_INET, a, x + 1) == 1 ? 4 : 6;
  y[0] = inet_pton(AF_INET, b, y + 1) == 1 ? 4 : 6;
  if (x[0] == 6)
    inet_pton(AF_INET6, a, x + 1);
  if (y[0] == 6)
    inet_pton(AF_INET6, b, y + 1);
  return memcmp(x, y, sizeof x);
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

int sw_edges_resolve(const char *host, int family, const char *resolver,
                     const sw_deadline *d, char (*addrs)[46], size_t max,
                     size_t *n, size_t *total, sw_err *err) {
  sw_dns_server srv[RESOLVERS_MAX];
  size_t ns = 0;
  *n = *total = 0;
  if (resolvers(resolver, srv, &ns, err) < 0)
    return -1;
  int types[2], nt = 0;
  if (family != 6)
    types[nt++] = SW_DNS_A;
  if (family != 4)
    types[nt++] = SW_DNS_AAAA;
  sw_dns_query q[2][RESOLVERS_MAX];
  memset(q, 0, sizeof q);
  for (int t = 0; t < nt; t++) {
    for (size_t i = 0; i < ns; i++)
      q[t][i] = (sw_dns_query){.name = host, .server = i};
    sw_dns_opts o = {.qtype = types[t], .tries = 1};
    if (sw_dns_run(srv, ns, q[t], ns, &o, d, err) < 0)
      return -1;
  }
  /* the first resolver with an answer decides, as a stub resolver would */
  size_t from = ns;
  for (size_t i = 0; i < ns && from == ns; i++)
    for (int t = 0; t < nt; t++)
      if (q[t][i].outcome == SW_DNS_REPLY && q[t][i].reply.rcode == 0)
        from = i;
  for (int t = 0; from < ns && t < nt; t++)
    take(&q[t][from], addrs, max, n, total);
  qsort(addrs, *n, sizeof *addrs, addr_cmp);
  char reason[200] = "";
  if (*n == 0)
    why(from < ns ? &q[0][from] : &q[0][0], reason, sizeof reason);
  for (int t = 0; t < nt; t++)
    for (size_t i = 0; i < ns; i++)
      sw_dns_reply_free(&q[t][i].reply);
  if (*n == 0)
    return sw_fail(err, "DNS: no %saddress for %s from %s: %s",
                   family == 4   ? "IPv4 "
                   : family == 6 ? "IPv6 "
                                 : "",
                   host, srv[from < ns ? from : 0].label, reason);
  return 0;
}
