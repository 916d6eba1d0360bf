/* check_resolve's judgement: each query's outcome against the
 * expectations, failure counting, consistency, the summary and perfdata. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

typedef struct {
  bool failed;
  bool timed;     /* the duration is part of what (answers, timeouts) */
  char what[400]; /* "SERVFAIL", "10.1.2.4 (TTL 300, 0.8 ms)", ... */
  char dur[32];
} verdict;

static void fmt_dur(char *b, size_t n, double s) {
  if (s < 1.0)
    snprintf(b, n, "%.1f ms", s * 1000.0);
  else
    snprintf(b, n, "%.1f s", s);
}

/* "10.1.2.4, 10.1.2.5 (TTL 300" with a cap on how many are listed. */
static void list_answers(const sw_dns_reply *r, char *b, size_t n) {
  size_t len = 0;
  unsigned long ttl = 0;
  b[0] = '\0';
  for (size_t i = 0; i < r->nrrs; i++) {
    if (i == 0 || r->rrs[i].ttl < ttl)
      ttl = r->rrs[i].ttl;
    if (len > 160) {
      if (i == r->nrrs - 1 || strstr(b, "more") == NULL)
        len += (size_t)snprintf(b + len, n - len, ", +%zu more", r->nrrs - i);
      break;
    }
    len += (size_t)snprintf(b + len, n - len, "%s%s", i ? ", " : "",
                            r->rrs[i].text);
    len = len < n ? len : n - 1;
  }
  snprintf(b + len, n - len, " (TTL %lu", ttl);
}

/* The first answer that no -a covers, or NULL. Unless all (-L), NULL as
 * soon as any answer matches: the default rule is "any matches any". */
static const sw_dns_rr *unexpected(const resolve_cfg *cfg,
                                   const sw_dns_reply *r, bool all) {
  const sw_dns_rr *first_bad = NULL;
  for (size_t i = 0; i < r->nrrs; i++) {
    bool hit = false;
    for (size_t e = 0; e < cfg->nexpects && !hit; e++)
      hit = resolve_expect_match(&cfg->expects[e], &r->rrs[i]);
    if (hit && !all)
      return NULL;
    if (!hit && !first_bad)
      first_bad = &r->rrs[i];
  }
  return first_bad;
}

static void expected_list(const resolve_cfg *cfg, char *b, size_t n) {
  size_t len = 0;
  b[0] = '\0';
  for (size_t e = 0; e < cfg->nexpects && len < n; e++)
    len += (size_t)snprintf(b + len, n - len, "%s%s", e ? ", " : "",
                            cfg->expects[e].text);
}

/* A NOERROR reply with records of the asked type. */
static void judge_answers(const resolve_cfg *cfg, const sw_dns_query *q,
                          verdict *v, const char *dur) {
  const sw_dns_reply *r = &q->reply;
  char list[300], exp[300];
  list_answers(r, list, sizeof list);
  const sw_dns_rr *bad =
      cfg->nexpects ? unexpected(cfg, r, cfg->expect_all) : NULL;
  v->failed = true;
  if (cfg->expect_nxdomain) {
    snprintf(v->what, sizeof v->what, "exists (expected NXDOMAIN): %s)", list);
  } else if (bad) {
    expected_list(cfg, exp, sizeof exp);
    snprintf(v->what, sizeof v->what, "unexpected answer %s (expected %s)",
             bad->text, exp);
  } else if (cfg->expect_aa && !r->aa) {
    snprintf(v->what, sizeof v->what, "not authoritative (AA flag clear)");
  } else {
    v->failed = false;
    snprintf(v->what, sizeof v->what, "%s, %s)%s%s%s", list, dur,
             cfg->std.verbose && r->chain[0] ? " via " : "",
             cfg->std.verbose ? r->chain : "",
             cfg->std.verbose && r->aa ? " (AA)" : "");
  }
}

static void judge_query(const resolve_cfg *cfg, const sw_dns_query *q,
                        verdict *v) {
  char rc[16];
  memset(v, 0, sizeof *v);
  fmt_dur(v->dur, sizeof v->dur, q->elapsed);
  v->failed = true;
  switch (q->outcome) {
  case SW_DNS_REPLY:
    if (q->reply.rcode == 0 && q->reply.nrrs > 0) {
      judge_answers(cfg, q, v, v->dur);
      v->timed = !v->failed;
    } else if (q->reply.rcode == 0) {
      snprintf(v->what, sizeof v->what, "no %s records",
               sw_dns_qtype_name(cfg->dns.qtype));
    } else if (q->reply.rcode == 3 && cfg->expect_nxdomain) {
      v->failed = false;
      snprintf(v->what, sizeof v->what, "NXDOMAIN as expected");
    } else {
      snprintf(v->what, sizeof v->what, "%s",
               sw_dns_rcode_name(q->reply.rcode, rc, sizeof rc));
    }
    break;
  case SW_DNS_TIMEOUT:
    v->timed = true;
    snprintf(v->what, sizeof v->what, "no answer within %.1f s", q->elapsed);
    break;
  case SW_DNS_CONNREFUSED:
    snprintf(v->what, sizeof v->what, "connection refused");
    break;
  case SW_DNS_MALFORMED:
    snprintf(v->what, sizeof v->what, "malformed response%s%s",
             cfg->std.verbose ? ": " : "", cfg->std.verbose ? q->err : "");
    break;
  default:
    snprintf(v->what, sizeof v->what, "%s", q->err[0] ? q->err : "failed");
    break;
  }
}

/* "NAME TYPE: what from SERVER, ...; NAME2 TYPE: ..." for every failed
 * query, cut at about 150 characters, then "(F/N failed)". */
static void failure_summary(const resolve_cfg *cfg, const sw_dns_query *q,
                            const verdict *v, size_t nq, size_t failed, char *b,
                            size_t n) {
  size_t len = 0;
  const char *last_name = NULL;
  b[0] = '\0';
  for (size_t i = 0; i < nq && len < 150; i++) {
    if (!v[i].failed)
      continue;
    if (last_name != q[i].name)
      len += (size_t)snprintf(b + len, n - len, "%s%s %s: ", len ? "; " : "",
                              q[i].name, sw_dns_qtype_name(cfg->dns.qtype));
    else
      len += (size_t)snprintf(b + len, n - len, ", ");
    len += (size_t)snprintf(b + len, n - len, "%s from %s", v[i].what,
                            cfg->servers[q[i].server].label);
    last_name = q[i].name;
    if (len >= 150 && i + 1 < nq)
      len += (size_t)snprintf(b + len, n - len, ", ...");
  }
  if (len < n)
    snprintf(b + len, n - len, " (%zu/%zu failed)", failed, nq);
}

/* The answers of a query as one comparable text: texts sorted. */
static int cmp_text(const void *a, const void *b) {
  return strcmp(((const sw_dns_rr *)a)->text, ((const sw_dns_rr *)b)->text);
}

static void answer_set(const sw_dns_query *q, char *b, size_t n) {
  sw_dns_rr sorted[64];
  size_t k = q->reply.nrrs < 64 ? q->reply.nrrs : 64, len = 0;
  memcpy(sorted, q->reply.rrs, k * sizeof *sorted);
  qsort(sorted, k, sizeof *sorted, cmp_text);
  b[0] = '\0';
  for (size_t i = 0; i < k && len < n; i++)
    len += (size_t)snprintf(b + len, n - len, "%s%s", i ? ", " : "",
                            sorted[i].text);
}

/* -C: for each name, the answer sets of all resolvers that answered
 * must be equal. Adds a WARNING sub-check per name that differs and
 * writes the first disagreement into b. Returns how many names differ. */
static size_t check_consistency(const resolve_cfg *cfg, const sw_dns_query *q,
                                sw_check *check, char *b, size_t n) {
  size_t differ = 0;
  b[0] = '\0';
  for (size_t name = 0; name < cfg->nnames; name++) {
    const sw_dns_query *row = q + name * cfg->nservers, *first = NULL;
    char set0[512], set[512];
    for (size_t s = 0; s < cfg->nservers; s++) {
      const sw_dns_query *x = &row[s];
      if (x->outcome != SW_DNS_REPLY || x->reply.rcode != 0 ||
          x->reply.nrrs == 0)
        continue;
      if (!first) {
        first = x;
        answer_set(x, set0, sizeof set0);
        continue;
      }
      answer_set(x, set, sizeof set);
      if (strcmp(set, set0) == 0)
        continue;
      char text[1400];
      snprintf(text, sizeof text,
               "resolvers disagree on %s: %s says %s, %s says %s", x->name,
               cfg->servers[first->server].label, set0,
               cfg->servers[x->server].label, set);
      sw_check_sub(check, SW_WARNING, "%s", text);
      if (differ++ == 0)
        snprintf(b, n, "%s", text);
      break;
    }
  }
  return differ;
}

/* Perfdata: per-query time, failed, answers, and ttl_min (not with -n,
 * whose healthy outcome has no answer to take a TTL from: a service that
 * would always send U). */
static void add_perfdata(const resolve_cfg *cfg, const sw_dns_query *q,
                         size_t nq, size_t failed, sw_check *check) {
  size_t answers = 0;
  unsigned long ttl_min = 0;
  bool have_ttl = false;
  for (size_t i = 0; i < nq; i++) {
    sw_perf p = {.uom = "s",
                 .warn = &cfg->std.warn,
                 .crit = &cfg->std.crit,
                 .has_min = true,
                 .min = 0};
    snprintf(p.label, sizeof p.label, "time_%s@%s", q[i].name,
             cfg->servers[q[i].server].label);
    p.measured = q[i].outcome == SW_DNS_REPLY ||
                 q[i].outcome == SW_DNS_CONNREFUSED ||
                 q[i].outcome == SW_DNS_MALFORMED;
    p.value = q[i].elapsed;
    sw_check_perf(check, &p);
    if (q[i].outcome != SW_DNS_REPLY || q[i].reply.rcode != 0)
      continue;
    answers += q[i].reply.nrrs;
    for (size_t r = 0; r < q[i].reply.nrrs; r++) {
      if (!have_ttl || q[i].reply.rrs[r].ttl < ttl_min)
        ttl_min = q[i].reply.rrs[r].ttl;
      have_ttl = true;
    }
  }
  sw_perf f = {.label = "failed",
               .measured = true,
               .value = (double)failed,
               .uom = "",
               .warn = &cfg->fail_warn,
               .crit = &cfg->fail_crit,
               .has_min = true,
               .min = 0,
               .has_max = true,
               .max = (double)nq};
  sw_perf a = {.label = "answers",
               .measured = true,
               .value = (double)answers,
               .uom = ""};
  sw_perf t = {.label = "ttl_min",
               .measured = have_ttl,
               .value = (double)ttl_min,
               .uom = "s"};
  sw_check_perf(check, &f);
  sw_check_perf(check, &a);
  if (!cfg->expect_nxdomain)
    sw_check_perf(check, &t);
}

/* The slowest reply: the -w/-c metric. Returns its index or nq. */
static size_t slowest(const sw_dns_query *q, size_t nq) {
  size_t best = nq;
  for (size_t i = 0; i < nq; i++)
    if (q[i].outcome == SW_DNS_REPLY &&
        (best == nq || q[i].elapsed > q[best].elapsed))
      best = i;
  return best;
}

/* The OK summary: one query in full, many as a count. */
static void ok_summary(const resolve_cfg *cfg, const sw_dns_query *q,
                       const verdict *v, size_t nq, size_t slow, char *b,
                       size_t n) {
  char dur[32];
  if (nq == 1) {
    snprintf(b, n, "%s %s: %s%s%s", q[0].name,
             sw_dns_qtype_name(cfg->dns.qtype), v[0].what,
             v[0].timed ? "" : " in ", v[0].timed ? "" : v[0].dur);
    return;
  }
  fmt_dur(dur, sizeof dur, slow < nq ? q[slow].elapsed : 0);
  snprintf(b, n, "%zu name%s on %zu resolver%s in %s max", cfg->nnames,
           cfg->nnames == 1 ? "" : "s", cfg->nservers,
           cfg->nservers == 1 ? "" : "s", dur);
}

void resolve_judge(const resolve_cfg *cfg, const sw_dns_query *q, size_t nq,
                   sw_check *check) {
  verdict *v = calloc(nq, sizeof *v);
  char summary[1600], extra[1500];
  size_t failed = 0;
  if (!v) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory");
    return;
  }
  for (size_t i = 0; i < nq; i++) {
    judge_query(cfg, &q[i], &v[i]);
    failed += v[i].failed;
  }
  /* Failed queries count against --fail-warning/--fail-critical; their
   * lines carry that state so one failure of many can merely warn. -t's
   * STATE caps what a timeout can give (default critical: no cap), so
   * "-t 5:unknown" keeps black holes from paging. */
  sw_state fail_state =
      sw_range_state(&cfg->fail_warn, &cfg->fail_crit, (double)failed);
  sw_state timeout_state =
      sw_state_rank(cfg->std.timeout_state) < sw_state_rank(fail_state)
          ? cfg->std.timeout_state
          : fail_state;
  for (size_t i = 0; i < nq; i++) {
    sw_state s = !v[i].failed                     ? SW_OK
                 : q[i].outcome == SW_DNS_TIMEOUT ? timeout_state
                                                  : fail_state;
    sw_check_sub(check, s, "%s @%s: %s%s%s%s", q[i].name,
                 cfg->servers[q[i].server].label, v[i].what,
                 v[i].timed ? "" : " (", v[i].timed ? "" : v[i].dur,
                 v[i].timed ? "" : ")");
  }
  /* The summary leads with what is wrong: failures, disagreement, slow
   * answers; the healthy overview comes last. */
  size_t slow = slowest(q, nq), len = 0;
  summary[0] = '\0';
  if (failed)
    failure_summary(cfg, q, v, nq, failed, summary, sizeof summary);
  len = strlen(summary);
  if (cfg->consistent &&
      check_consistency(cfg, q, check, extra, sizeof extra) > 0)
    len += (size_t)snprintf(summary + len, sizeof summary - len, "%s%s",
                            len ? "; " : "", extra);
  sw_state time_state =
      slow < nq
          ? sw_range_state(&cfg->std.warn, &cfg->std.crit, q[slow].elapsed)
          : SW_OK;
  if (time_state != SW_OK && len < sizeof summary) {
    char dur[32];
    fmt_dur(dur, sizeof dur, q[slow].elapsed);
    len += (size_t)snprintf(
        summary + len, sizeof summary - len,
        "%sslowest answer %s from %s for %s (%s %s)", len ? "; " : "", dur,
        cfg->servers[q[slow].server].label, q[slow].name,
        time_state == SW_CRITICAL ? "-c" : "-w",
        time_state == SW_CRITICAL ? cfg->std.crit.text : cfg->std.warn.text);
    sw_check_raise(check, time_state);
  }
  if (!failed && len < sizeof summary) {
    if (len)
      len += (size_t)snprintf(summary + len, sizeof summary - len, "; ");
    if (len < sizeof summary)
      ok_summary(cfg, q, v, nq, slow, summary + len, sizeof summary - len);
  }
  sw_check_summary(check, "%s", summary);
  add_perfdata(cfg, q, nq, failed, check);
  free(v);
}
