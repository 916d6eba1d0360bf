/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve's judgement: each query's outcome against the
 * expectations, failure counting, consistency, the summary and perfdata.
 * A pure function of the configuration and the queries' outcomes (no
 * network), so tests and the whole-plugin fuzz target call it as main
 * does. Every text is built with the capped builder (sw_buf): a cut text
 * ends in a visible "...", never past its array. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "streamwatch/strbuf.h"

/* Characters of answers listed before "+N more" (the first answer is
 * always shown, itself cut at 200 by the reply parser). */
#define LIST_BUDGET 160
/* Characters of failures named in the summary before ", ..." */
#define SUMMARY_BUDGET 150

typedef struct {
  bool failed;    /* counts against --fail-warning/--fail-critical */
  bool unknown;   /* a limit of ours, not the server: UNKNOWN */
  bool timed;     /* the duration is part of what (answers, timeouts) */
  bool measured;  /* the time is known: text shows it, perfdata too */
  sw_state trust; /* --dnssec, --client-subnet on a passing reply */
  char what[600]; /* "SERVFAIL", "10.1.2.4 (TTL 300, 0.8 ms)", ... */
  char why[64];   /* the trust problem, for the summary */
  char dur[32];
} verdict;

static void fmt_dur(char *b, size_t n, double s) {
  if (s < 1.0)
    snprintf(b, n, "%.1f ms", s * 1000.0);
  else
    snprintf(b, n, "%.1f s", s);
}

/* Appends "a, b, c, +N more" of the n records rrs[] (pointers) to b:
 * answers while they fit LIST_BUDGET, then how many were left out,
 * counted, whatever the answers' text holds. */
static void list_rrs(sw_buf *b, const sw_dns_rr *const *rrs, size_t n) {
  size_t start = b->len;
  for (size_t i = 0; i < n; i++) {
    size_t tl = strlen(rrs[i]->text) + (i ? 2 : 0);
    if (i > 0 && b->len - start + tl > LIST_BUDGET) {
      sw_buf_addf(b, ", +%zu more", n - i);
      return;
    }
    sw_buf_addf(b, "%s%s", i ? ", " : "", rrs[i]->text);
  }
}

/* The records of r as pointers, in wire order or sorted (exactly, by
 * sw_dns_rr_cmp). NULL when out of memory or empty. */
static int cmp_rrp(const void *a, const void *b) {
  return sw_dns_rr_cmp(*(const sw_dns_rr *const *)a,
                       *(const sw_dns_rr *const *)b);
}

static const sw_dns_rr **rr_ptrs(const sw_dns_reply *r, bool sorted) {
  const sw_dns_rr **p = calloc(r->nrrs ? r->nrrs : 1, sizeof *p);
  if (!p)
    return NULL;
  for (size_t i = 0; i < r->nrrs; i++)
    p[i] = &r->rrs[i];
  if (sorted)
    qsort(p, r->nrrs, sizeof *p, cmp_rrp);
  return p;
}

/* "10.1.2.4, 10.1.2.5 (TTL 300" with a cap on how many are listed. */
static void list_answers(const sw_dns_reply *r, sw_buf *b) {
  unsigned long ttl = 0;
  const sw_dns_rr **p = rr_ptrs(r, false);
  for (size_t i = 0; i < r->nrrs; i++)
    if (i == 0 || r->rrs[i].ttl < ttl)
      ttl = r->rrs[i].ttl;
  if (p)
    list_rrs(b, p, r->nrrs);
  else
    sw_buf_addf(b, "%zu answers", r->nrrs);
  free(p);
  sw_buf_addf(b, " (TTL %lu", ttl);
}

/* Does record rr match some value of -a group g (any group: g ==
 * SIZE_MAX)? */
static bool covered(const resolve_cfg *cfg, const sw_dns_rr *rr, size_t g) {
  for (size_t e = 0; e < cfg->nexpects; e++)
    if ((g == SIZE_MAX || cfg->expects[e].group == g) &&
        resolve_expect_match(&cfg->expects[e], rr))
      return true;
  return false;
}

/* The first value of group g that no answer matches, or NULL. */
static const resolve_expect *missing(const resolve_cfg *cfg,
                                     const sw_dns_reply *r, size_t g) {
  const resolve_group *gr = &cfg->groups[g];
  for (size_t e = gr->first; e < gr->first + gr->n; e++) {
    bool hit = false;
    for (size_t i = 0; i < r->nrrs && !hit; i++)
      hit = resolve_expect_match(&cfg->expects[e], &r->rrs[i]);
    if (!hit)
      return &cfg->expects[e];
  }
  return NULL;
}

/* Is -a group g met? One value: by any answer matching it. A comma list
 * (check_dns): by exactly that set, every answer in it and every value
 * answered. */
static bool group_met(const resolve_cfg *cfg, const sw_dns_reply *r, size_t g) {
  for (size_t i = 0; i < r->nrrs; i++) {
    bool hit = covered(cfg, &r->rrs[i], g);
    if (hit && !cfg->groups[g].set)
      return true;
    if (!hit && cfg->groups[g].set)
      return false;
  }
  return cfg->groups[g].set && missing(cfg, r, g) == NULL;
}

/* "10.9.0.0/16 or exactly 10.1.2.4,10.1.2.5": what -a asked for. */
static void expected_list(const resolve_cfg *cfg, sw_buf *b) {
  for (size_t g = 0; g < cfg->ngroups; g++)
    sw_buf_addf(b, "%s%s%s", g ? " or " : "",
                cfg->groups[g].set ? "exactly " : "", cfg->groups[g].text);
}

/* The -a verdict on answers r: true when met (no text), else the reason
 * in w. The default rule is "any -a met"; -L adds "no answer outside
 * every -a". */
static bool expect_verdict(const resolve_cfg *cfg, const sw_dns_reply *r,
                           sw_buf *w) {
  bool met = false;
  const sw_dns_rr *stray = NULL;
  for (size_t g = 0; g < cfg->ngroups && !met; g++)
    met = group_met(cfg, r, g);
  for (size_t i = 0; i < r->nrrs && !stray; i++)
    if (!covered(cfg, &r->rrs[i], SIZE_MAX))
      stray = &r->rrs[i];
  if (met && !(cfg->expect_all && stray))
    return true;
  if (stray) {
    sw_buf_addf(w, "unexpected answer %s", stray->text);
  } else {
    /* every answer is some -a's, yet no list is complete */
    const resolve_expect *gone = NULL;
    for (size_t g = 0; g < cfg->ngroups && !gone; g++)
      gone = cfg->groups[g].set ? missing(cfg, r, g) : NULL;
    if (gone)
      sw_buf_addf(w, "%s missing from the answers", gone->text);
    else
      sw_buf_puts(w, "answers match no -a list exactly");
  }
  sw_buf_puts(w, " (expected ");
  expected_list(cfg, w);
  sw_buf_puts(w, ")");
  return false;
}

/* A NOERROR reply with records of the asked type. */
static void judge_answers(const resolve_cfg *cfg, const sw_dns_query *q,
                          verdict *v, sw_buf *w) {
  const sw_dns_reply *r = &q->reply;
  char list[400];
  sw_buf lb;
  sw_buf_fixed(&lb, list, sizeof list);
  list_answers(r, &lb);
  v->failed = true;
  if (cfg->expect_nxdomain) {
    sw_buf_addf(w, "exists (expected NXDOMAIN): %s)", list);
  } else if (cfg->ngroups && !expect_verdict(cfg, r, w)) {
    /* the reason is in w */
  } else if (cfg->expect_aa && !r->aa) {
    sw_buf_puts(w, "not authoritative (AA flag clear)");
  } else if (!resolve_trust_broken(cfg, r, w)) {
    char out[200];
    sw_buf ob, why;
    sw_buf_fixed(&ob, out, sizeof out);
    sw_buf_fixed(&why, v->why, sizeof v->why);
    v->failed = false;
    sw_buf_addf(w, "%s, %s", list, v->dur);
    v->trust = resolve_trust_note(cfg, r, w, &ob, &why);
    sw_buf_addf(w, ")%s", out);
    if (cfg->std.verbose && r->chain[0])
      sw_buf_addf(w, " via %s", r->chain);
    if (cfg->std.verbose && r->aa)
      sw_buf_puts(w, " (AA)");
  }
}

/* NXDOMAIN (RFC 1035 4.1.1; RFC 6604: with a CNAME chain it is about the
 * chain's end, so the asked name itself exists as an alias). */
static void judge_nxdomain(const resolve_cfg *cfg, const sw_dns_reply *r,
                           verdict *v, sw_buf *w) {
  if (!cfg->expect_nxdomain) {
    sw_buf_puts(w, "NXDOMAIN");
    if (r->ncnames)
      sw_buf_addf(w, " at the end of CNAME chain %s", r->chain);
  } else if (r->ncnames) {
    sw_buf_addf(w,
                "exists (expected NXDOMAIN): CNAME chain %s to a "
                "name that does not exist",
                r->chain);
  } else if (cfg->expect_aa && !r->aa) {
    sw_buf_puts(w, "NXDOMAIN, but not authoritative (AA flag clear)");
  } else {
    char in[64], out[200];
    sw_buf ib, ob, why;
    sw_buf_fixed(&ib, in, sizeof in);
    sw_buf_fixed(&ob, out, sizeof out);
    sw_buf_fixed(&why, v->why, sizeof v->why);
    v->failed = false;
    v->trust = resolve_trust_note(cfg, r, &ib, &ob, &why);
    sw_buf_addf(w, "NXDOMAIN as expected%s%s%s%s", in[0] ? " (" : "",
                in[0] ? in + 2 : "", in[0] ? ")" : "", out);
  }
}

static void judge_reply(const resolve_cfg *cfg, const sw_dns_query *q,
                        verdict *v, sw_buf *w) {
  const sw_dns_reply *r = &q->reply;
  char rc[16];
  if (r->tc) {
    /* c-ares retries a truncated UDP answer over TCP: a TC reply that
     * still arrives is incomplete, and judging part of an answer set
     * could pass -L or fail -C on records never seen */
    sw_buf_puts(w, "truncated reply (TC bit set)");
  } else if (r->rcode == 0 && r->nrrs > 0) {
    judge_answers(cfg, q, v, w);
    v->timed = !v->failed;
  } else if (r->rcode == 0) {
    sw_buf_addf(w, "%sno %s records",
                cfg->expect_nxdomain ? "exists (expected NXDOMAIN), " : "",
                sw_dns_qtype_name(cfg->dns.qtype));
  } else if (r->rcode == 3) {
    judge_nxdomain(cfg, r, v, w);
  } else {
    sw_buf_puts(w, sw_dns_rcode_name(r->rcode, rc, sizeof rc));
    resolve_trust_rcode(cfg, r, w);
  }
}

/* Did q end with a time worth reporting? The one rule for both the
 * text and the perfdata, so the text never shows a time the perfdata
 * calls U: a reply (even one past our limit), a refusal or a malformed
 * reply arrived; a timeout or a local error measured nothing. */
static bool measured(const sw_dns_query *q) {
  return q->outcome == SW_DNS_REPLY || q->outcome == SW_DNS_CONNREFUSED ||
         q->outcome == SW_DNS_MALFORMED || q->outcome == SW_DNS_LIMIT;
}

static void judge_query(const resolve_cfg *cfg, const sw_dns_query *q,
                        verdict *v) {
  sw_buf w;
  memset(v, 0, sizeof *v);
  sw_buf_fixed(&w, v->what, sizeof v->what);
  fmt_dur(v->dur, sizeof v->dur, q->elapsed);
  v->measured = measured(q);
  v->failed = true;
  switch (q->outcome) {
  case SW_DNS_REPLY: judge_reply(cfg, q, v, &w); break;
  case SW_DNS_TIMEOUT:
    v->timed = true;
    sw_buf_addf(&w, "no answer within %.1f s", q->elapsed);
    if (q->err[0]) /* DoH/DoT: where it was stuck */
      sw_buf_addf(&w, " (%s)", q->err);
    break;
  case SW_DNS_CONNREFUSED: sw_buf_puts(&w, "connection refused"); break;
  case SW_DNS_MALFORMED:
    sw_buf_puts(&w, "malformed response");
    if (cfg->std.verbose)
      sw_buf_addf(&w, ": %s", q->err);
    break;
  case SW_DNS_LIMIT:
    v->failed = false;
    v->unknown = true;
    sw_buf_puts(&w, q->err);
    break;
  default: sw_buf_puts(&w, q->err[0] ? q->err : "failed"); break;
  }
}

/* "NAME TYPE: what from SERVER, ...; NAME2 TYPE: ..." for every query
 * whose verdict has the flag (failed, unknown, or warned by --dnssec:
 * then its reason, not its whole text), cut near
 * SUMMARY_BUDGET characters with ", ...". */
enum { LIST_FAILED, LIST_UNKNOWN, LIST_WARNED };

static void problem_list(const resolve_cfg *cfg, const sw_dns_query *q,
                         const verdict *v, size_t nq, int which, sw_buf *b) {
  const char *last_name = NULL;
  size_t start = b->len;
  for (size_t i = 0; i < nq; i++) {
    if (which == LIST_UNKNOWN  ? !v[i].unknown
        : which == LIST_WARNED ? v[i].failed || v[i].unknown || !v[i].why[0]
                               : !v[i].failed)
      continue;
    if (b->len - start >= SUMMARY_BUDGET) {
      sw_buf_puts(b, ", ...");
      return;
    }
    if (last_name != q[i].name)
      sw_buf_addf(b, "%s%s %s: ", b->len > start ? "; " : "", q[i].name,
                  sw_dns_qtype_name(cfg->dns.qtype));
    else
      sw_buf_puts(b, ", ");
    sw_buf_addf(b, "%s from %s", which == LIST_WARNED ? v[i].why : v[i].what,
                resolve_server_name(cfg, q[i].server));
    last_name = q[i].name;
  }
}

/* "S1 says a, b, S2 says c" and, when the lists cannot show it, where
 * the exactly compared sets first differ. */
static void disagreement(const resolve_cfg *cfg, const sw_dns_query *x0,
                         const sw_dns_rr **s0, const sw_dns_query *x,
                         const sw_dns_rr **s, size_t at, sw_buf *b) {
  size_t n0 = x0->reply.nrrs, n = x->reply.nrrs;
  sw_buf_addf(b, "resolvers disagree on %s: %s says ", x->name,
              resolve_server_name(cfg, x0->server));
  list_rrs(b, s0, n0);
  sw_buf_addf(b, ", %s says ", resolve_server_name(cfg, x->server));
  list_rrs(b, s, n);
  /* records that print the same (a TXT cut at 200 characters, bytes
   * shown as '?') still differ: say so rather than show equal lists */
  bool same = at < n0 && at < n && strcmp(s0[at]->text, s[at]->text) == 0;
  if (n0 > 3 || n > 3 || same)
    sw_buf_addf(b, " (first difference at sorted answer %zu: %s vs %s%s)",
                at + 1, at < n0 ? s0[at]->text : "none",
                at < n ? s[at]->text : "none",
                same ? ", which differ past what is shown" : "");
}

/* Compares two sorted answer sets exactly and completely. Returns the
 * index of the first difference, or SIZE_MAX when equal. */
static size_t first_difference(const sw_dns_rr **a, size_t na,
                               const sw_dns_rr **b, size_t nb) {
  size_t i = 0;
  for (; i < na && i < nb; i++)
    if (sw_dns_rr_cmp(a[i], b[i]) != 0)
      return i;
  return na == nb ? SIZE_MAX : i;
}

/* Did x answer with records (the only replies -C compares)? */
static bool answered(const sw_dns_query *x) {
  return x->outcome == SW_DNS_REPLY && x->reply.rcode == 0 && !x->reply.tc &&
         x->reply.nrrs > 0;
}

/* -C for one name's row: the first resolver that answered against each
 * other one. Returns 1 when they differ (text in b), 0, or -1 when out
 * of memory. */
static int row_consistency(const resolve_cfg *cfg, const sw_dns_query *row,
                           sw_buf *b) {
  const sw_dns_query *first = NULL;
  const sw_dns_rr **s0 = NULL;
  int rc = 0;
  for (size_t s = 0; s < cfg->nservers && rc == 0; s++) {
    const sw_dns_query *x = &row[s];
    if (!answered(x))
      continue;
    if (!first) {
      first = x;
      if (!(s0 = rr_ptrs(&x->reply, true)))
        rc = -1;
      continue;
    }
    const sw_dns_rr **set = rr_ptrs(&x->reply, true);
    if (!set) {
      rc = -1;
      break;
    }
    size_t at = first_difference(s0, first->reply.nrrs, set, x->reply.nrrs);
    if (at != SIZE_MAX) {
      disagreement(cfg, first, s0, x, set, at, b);
      rc = 1;
    }
    free(set);
  }
  free(s0);
  return rc;
}

/* -C: for each name, the answer sets of all resolvers that answered
 * must be equal. Adds a WARNING sub-check per name that differs and
 * writes the first disagreement into first. Returns how many differ. */
static size_t check_consistency(const resolve_cfg *cfg, const sw_dns_query *q,
                                sw_check *check, sw_buf *first) {
  size_t differ = 0;
  for (size_t name = 0; name < cfg->nnames; name++) {
    sw_buf text;
    sw_buf_init(&text, 4096);
    int rc = row_consistency(cfg, q + name * cfg->nservers, &text);
    if (rc < 0 || text.nomem) {
      sw_check_raise(check, SW_UNKNOWN);
      sw_check_sub(check, SW_UNKNOWN, "%s: out of memory comparing answers",
                   q[name * cfg->nservers].name);
    } else if (rc > 0) {
      sw_check_sub(check, SW_WARNING, "%s", sw_buf_str(&text));
      if (differ++ == 0)
        sw_buf_puts(first, sw_buf_str(&text));
    }
    sw_buf_free(&text);
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
    resolve_time_label(cfg, q[i].name, q[i].server, p.label, sizeof p.label);
    p.measured = measured(&q[i]);
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
                       const verdict *v, size_t nq, size_t slow, sw_buf *b) {
  char dur[32];
  if (nq == 1) {
    bool show = !v[0].timed && v[0].measured;
    sw_buf_addf(b, "%s %s: %s%s%s", q[0].name,
                sw_dns_qtype_name(cfg->dns.qtype), v[0].what,
                show ? " in " : "", show ? v[0].dur : "");
    return;
  }
  fmt_dur(dur, sizeof dur, slow < nq ? q[slow].elapsed : 0);
  sw_buf_addf(b, "%zu name%s on %zu resolver%s in %s max", cfg->nnames,
              cfg->nnames == 1 ? "" : "s", cfg->nservers,
              cfg->nservers == 1 ? "" : "s", dur);
}

/* One line per query; failed ones carry the --fail-* state. -t's STATE
 * caps what a timeout can give (default critical: no cap), so
 * "-t 5:unknown" keeps black holes from paging. */
static void add_lines(const resolve_cfg *cfg, const sw_dns_query *q,
                      const verdict *v, size_t nq, sw_state fail_state,
                      sw_check *check) {
  sw_state timeout_state =
      sw_state_rank(cfg->std.timeout_state) < sw_state_rank(fail_state)
          ? cfg->std.timeout_state
          : fail_state;
  for (size_t i = 0; i < nq; i++) {
    sw_state s = v[i].unknown                     ? SW_UNKNOWN
                 : !v[i].failed                   ? v[i].trust
                 : q[i].outcome == SW_DNS_TIMEOUT ? timeout_state
                                                  : fail_state;
    const sw_dns_server *sv = &cfg->servers[q[i].server];
    const char *sname = cfg->snames[q[i].server];
    bool dur = !v[i].timed && v[i].measured;
    /* a named resolver's line also gives its address: the on-call
     * person needs both */
    sw_check_sub(check, s, "%s @%s%s%s%s: %s%s%s%s", q[i].name,
                 sname[0] ? sname : sv->label, sname[0] ? " (" : "",
                 sname[0] ? sv->label : "", sname[0] ? ")" : "", v[i].what,
                 dur ? " (" : "", dur ? v[i].dur : "", dur ? ")" : "");
  }
}

/* The -w/-c part of the summary; returns the time state. */
static sw_state time_summary(const resolve_cfg *cfg, const sw_dns_query *q,
                             size_t nq, size_t slow, sw_buf *b) {
  if (slow >= nq)
    return SW_OK;
  sw_state st = sw_range_state(&cfg->std.warn, &cfg->std.crit, q[slow].elapsed);
  if (st == SW_OK)
    return st;
  char dur[32], range[96];
  fmt_dur(dur, sizeof dur, q[slow].elapsed);
  /* what the crossed range alerts on, in the one wording of lib */
  sw_range_describe(range, sizeof range,
                    st == SW_CRITICAL ? &cfg->std.crit : &cfg->std.warn, "s");
  sw_buf_addf(b, "%sslowest answer %s from %s for %s (%s: %s)",
              b->len ? "; " : "", dur, resolve_server_name(cfg, q[slow].server),
              q[slow].name, st == SW_CRITICAL ? "-c" : "-w", range);
  return st;
}

void resolve_judge(const resolve_cfg *cfg, const sw_dns_query *q, size_t nq,
                   sw_check *check) {
  verdict *v = calloc(nq ? nq : 1, sizeof *v);
  size_t failed = 0, unknown = 0, warned = 0;
  sw_buf sum;
  if (!v) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory");
    return;
  }
  for (size_t i = 0; i < nq; i++) {
    judge_query(cfg, &q[i], &v[i]);
    failed += v[i].failed;
    unknown += v[i].unknown;
    warned += !v[i].failed && !v[i].unknown && v[i].why[0];
  }
  sw_state fail_state =
      sw_range_state(&cfg->fail_warn, &cfg->fail_crit, (double)failed);
  add_lines(cfg, q, v, nq, fail_state, check);
  /* The summary leads with what is wrong: failures, limits hit,
   * disagreement, slow answers; the healthy overview comes last. */
  sw_buf_init(&sum, 2048);
  if (failed) {
    problem_list(cfg, q, v, nq, LIST_FAILED, &sum);
    sw_buf_addf(&sum, " (%zu/%zu failed)", failed, nq);
  }
  if (unknown) {
    sw_buf_puts(&sum, sum.len ? "; not judged: " : "not judged: ");
    problem_list(cfg, q, v, nq, LIST_UNKNOWN, &sum);
  }
  if (warned) { /* --dnssec: resolved, but not validated */
    sw_buf_puts(&sum, sum.len ? "; " : "");
    problem_list(cfg, q, v, nq, LIST_WARNED, &sum);
    sw_check_raise(check, SW_WARNING);
  }
  if (cfg->consistent) {
    sw_buf first;
    sw_buf_init(&first, 600);
    if (check_consistency(cfg, q, check, &first) > 0)
      sw_buf_addf(&sum, "%s%s", sum.len ? "; " : "", sw_buf_str(&first));
    sw_buf_free(&first);
  }
  size_t serials = 0;
  if (cfg->compare_serial) {
    sw_buf first;
    sw_buf_init(&first, 600);
    if (resolve_compare_serials(cfg, q, check, &first, &serials) > 0)
      sw_buf_addf(&sum, "%s%s", sum.len ? "; " : "", sw_buf_str(&first));
    sw_buf_free(&first);
  }
  size_t slow = slowest(q, nq);
  sw_check_raise(check, time_summary(cfg, q, nq, slow, &sum));
  if (!failed && !unknown && !warned) {
    if (sum.len)
      sw_buf_puts(&sum, "; ");
    ok_summary(cfg, q, v, nq, slow, &sum);
  }
  if (sum.nomem)
    sw_check_raise(check, SW_UNKNOWN);
  sw_check_summary(check, "%s", sum.nomem ? "out of memory" : sw_buf_str(&sum));
  sw_buf_free(&sum);
  add_perfdata(cfg, q, nq, failed, check);
  resolve_trust_perf(cfg, q, nq, check);
  if (cfg->compare_serial) {
    sw_perf p = {.label = "serials",
                 .measured = serials > 0,
                 .value = (double)serials,
                 .uom = "",
                 .has_min = true};
    sw_check_perf(check, &p);
  }
  free(v);
}
