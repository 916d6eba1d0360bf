/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --prefer-ipv6 / --prefer-ipv4 (blackbox_exporter's
 * preferred_ip_protocol with ip_protocol_fallback): the URL's host is
 * resolved here (A and AAAA, on --resolver or the system's resolvers, as
 * --all-addresses does), the check runs pinned to an address of the
 * preferred family with Host and SNI kept, and falls back to one of the
 * other family when the name has no address of the preferred one or the
 * connection to it fails, within -t. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

enum { ADDRS_MAX = 16 };

static int family_of(const char *addr) {
  return strchr(addr, ':') ? 6 : 4;
}

/* The first address of family fam, or NULL. */
static const char *first_of(char (*addrs)[46], size_t n, int fam) {
  for (size_t i = 0; i < n; i++)
    if (family_of(addrs[i]) == fam)
      return addrs[i];
  return NULL;
}

/* One attempt pinned to addr into a check of its own; fail says
 * whether its TCP connection failed (a TLS handshake that failed is an
 * answer about that address, not a reason to try the other family). */
static void attempt(const api_cfg *cfg, const char *addr, long connect_ms,
                    const sw_deadline *d, sw_check *into, api_one_fn one,
                    const sw_check *like, api_tcp_fail *fail) {
  api_cfg own = *cfg;
  own.req.connect_to = addr;
  own.req.connect_ms = connect_ms;
  own.tcp_fail = fail;
  sw_check_init(into, like->service);
  into->secrets = like->secrets;
  one(&own, d, into);
}

/* Moves what src holds into dst (empty, initialised). */
static void take(sw_check *dst, sw_check *src) {
  const sw_strvec *trace = dst->trace;
  sw_check_free(dst);
  *dst = *src;
  dst->trace = trace;
}

void api_prefer_run(const api_cfg *cfg, const sw_deadline *d, sw_check *check,
                    api_one_fn one) {
  char host[256], note[300] = "", addrs[ADDRS_MAX][46];
  size_t n = 0, total = 0;
  sw_err err = {""};
  unsigned char bin[16];
  int want = cfg->prefer, other = want == 6 ? 4 : 6;
  if (sw_url_host(cfg->req.url, host, sizeof host) < 0) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "--prefer-ipv%d: no host in the URL", want);
    api_perfdata_unsent(cfg, check);
    return;
  }
  if (inet_pton(AF_INET, host, bin) == 1 ||
      inet_pton(AF_INET6, host, bin) == 1) {
    snprintf(addrs[0], sizeof addrs[0], "%s", host);
    n = 1;
  } else if (sw_edges_resolve(host, 0, cfg->edges.resolver, d, addrs, ADDRS_MAX,
                              &n, &total, note, sizeof note, &err) < 0) {
    sw_check_raise(check,
                   strncmp(err.msg, "DNS:", 4) ? SW_UNKNOWN : SW_CRITICAL);
    sw_check_summary(check, "%s", err.msg);
    api_perfdata_unsent(cfg, check);
    return;
  }
  const char *first = first_of(addrs, n, want);
  const char *second = first_of(addrs, n, other);
  sw_check got;
  api_tcp_fail fail = {false, ""};
  if (!first) { /* the name has no address of the preferred family */
    attempt(cfg, second, 0, d, &got, one, check, &fail);
    take(check, &got);
    sw_check_sub(check, SW_OK, "IPv%d %s used: %s has no IPv%d address", other,
                 second, host, want);
    if (note[0]) /* "AAAA: timeout from ..." said why */
      sw_check_sub(check, SW_OK, "%s", note);
    return;
  }
  /* the preferred family gets half the time left to connect, so that a
   * black-holed address leaves time for the other */
  long half = second ? sw_deadline_work_ms(d) / 2 : 0;
  attempt(cfg, first, half > 0 ? half : 0, d, &got, one, check, &fail);
  if (!second || !fail.failed || sw_deadline_work_ms(d) <= 0) {
    take(check, &got);
    sw_check_sub(check, SW_OK, "IPv%d %s used (preferred)", want, first);
    return;
  }
  char why[sizeof fail.why];
  snprintf(why, sizeof why, "%s", fail.why);
  sw_check_free(&got);
  attempt(cfg, second, 0, d, &got, one, check, &fail);
  take(check, &got);
  sw_check_sub(check, SW_OK, "IPv%d %s used: IPv%d %s failed (%s)", other,
               second, want, first, why);
}
