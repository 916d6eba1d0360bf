/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve's judgement of what --client-subnet (EDNS Client Subnet,
 * RFC 7871) and --dnssec (the DO bit, RFC 3225; the AD bit, RFC 4035
 * 3.2.3) asked for, and of Extended DNS Errors (RFC 8914) whenever a
 * resolver sends one. Pure functions of the configuration and the parsed
 * replies, called by resolve_judge. The servers' bytes reach the output
 * only as numbers and as the EDE text the reply parser sanitised. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "resolve.h"

/* "10.1.0.0/16" for an echoed subnet (its text is not filled in). */
static void subnet_text(const sw_dns_subnet *s, char *out, size_t n) {
  char addr[INET6_ADDRSTRLEN];
  inet_ntop(s->family, s->addr, addr, sizeof addr);
  snprintf(out, n, "%s/%u", addr, s->prefix);
}

/* RFC 7871 7.3: FAMILY, SOURCE PREFIX-LENGTH and ADDRESS must be those
 * of the query. Compared on the prefix's bytes only: the bits past it are
 * zero in what we sent and their value in the echo changes nothing. */
static bool echo_matches(const sw_dns_subnet *asked,
                         const sw_dns_subnet *echo) {
  return echo->family == asked->family && echo->prefix == asked->prefix &&
         memcmp(echo->addr, asked->addr, (asked->prefix + 7u) / 8u) == 0;
}

bool resolve_trust_broken(const resolve_cfg *cfg, const sw_dns_reply *r,
                          sw_buf *w) {
  const sw_dns_edns_reply *e = &r->edns;
  if (!cfg->dns.ecs.family || !e->present || !e->ecs)
    return false;
  if (e->ecs_bad) {
    sw_buf_addf(w, "malformed ECS option in the reply (%s)", e->ecs_bad);
    return true;
  }
  if (!echo_matches(&cfg->dns.ecs, &e->ecs_echo)) {
    char echo[64];
    subnet_text(&e->ecs_echo, echo, sizeof echo);
    sw_buf_addf(w,
                "reply's ECS option is for %s, not the %s asked (RFC 7871 "
                "7.3: discarded)",
                echo, cfg->dns.ecs.text);
    return true;
  }
  return false;
}

/* " EDE 6 DNSSEC Bogus: text" (name and text when there are any). */
static void ede_text(const sw_dns_edns_reply *e, sw_buf *w) {
  const char *name = sw_dns_ede_name(e->ede);
  sw_buf_addf(w, "EDE %d%s%s%s%s", e->ede, name[0] ? " " : "", name,
              e->ede_text[0] ? ": " : "", e->ede_text);
}

sw_state resolve_trust_note(const resolve_cfg *cfg, const sw_dns_reply *r,
                            sw_buf *in, sw_buf *out, sw_buf *why) {
  const sw_dns_edns_reply *e = &r->edns;
  sw_state st = SW_OK;
  if (cfg->dns.ecs.family) {
    if (!e->present || !e->ecs)
      sw_buf_puts(out, "; ECS ignored (no ECS option in the reply)");
    else if (e->ecs_scope == 0)
      sw_buf_puts(out, "; ECS scope /0 (the same answer for every subnet)");
    else
      sw_buf_addf(in, ", scope /%d", e->ecs_scope);
  }
  if (cfg->dns.dnssec) {
    if (r->ad) {
      sw_buf_puts(in, ", validated");
    } else {
      sw_buf_puts(out, "; not validated (no AD bit)");
      sw_buf_puts(why, "not validated (no AD bit)");
      st = SW_WARNING;
    }
  }
  if (e->present && e->ede >= 0) { /* a stale answer, a filtered one... */
    sw_buf_puts(out, "; ");
    ede_text(e, out);
  }
  return st;
}

void resolve_trust_rcode(const resolve_cfg *cfg, const sw_dns_reply *r,
                         sw_buf *w) {
  const sw_dns_edns_reply *e = &r->edns;
  bool ede = e->present && e->ede >= 0;
  if (r->rcode == 2 && ede && sw_dns_ede_dnssec(e->ede))
    sw_buf_puts(w, ": DNSSEC validation failed");
  else if (r->rcode == 2 && cfg->dns.dnssec && !ede)
    sw_buf_puts(w, " (DNSSEC validation failed?)");
  if (ede) {
    sw_buf_puts(w, " (");
    ede_text(e, w);
    sw_buf_puts(w, ")");
  }
}

/* Did q bring an answer whose ECS scope and AD bit mean something? */
static bool answered(const sw_dns_query *q) {
  return q->outcome == SW_DNS_REPLY && !q->reply.tc &&
         (q->reply.rcode == 0 || q->reply.rcode == 3);
}

void resolve_trust_perf(const resolve_cfg *cfg, const sw_dns_query *q,
                        size_t nq, sw_check *check) {
  if (cfg->dns.ecs.family) {
    int scope = -1;
    for (size_t i = 0; i < nq; i++) {
      if (!answered(&q[i]))
        continue;
      const sw_dns_edns_reply *e = &q[i].reply.edns;
      int s = e->present && e->ecs && !e->ecs_bad ? e->ecs_scope : 0;
      if (scope < 0 || s < scope)
        scope = s;
    }
    sw_perf p = {.label = "ecs_scope",
                 .measured = scope >= 0,
                 .value = scope < 0 ? 0 : (double)scope,
                 .uom = "",
                 .has_min = true,
                 .min = 0,
                 .has_max = true,
                 .max = cfg->dns.ecs.family == AF_INET ? 32 : 128};
    sw_check_perf(check, &p);
  }
  if (cfg->dns.dnssec) {
    size_t validated = 0;
    for (size_t i = 0; i < nq; i++)
      validated += answered(&q[i]) && q[i].reply.ad;
    sw_perf p = {.label = "validated",
                 .measured = true,
                 .value = (double)validated,
                 .uom = "",
                 .has_min = true,
                 .min = 0,
                 .has_max = true,
                 .max = (double)nq};
    sw_check_perf(check, &p);
  }
}
