/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for check_resolve's judge (plugins/resolve/resolve_judge.c) and the
 * option checks that keep it honest (plugins/resolve/resolve_opts.c): replies
 * built as bytes, parsed by sw_dns_reply_parse, judged by resolve_judge
 * and printed by the one printer, as the plugin does. Each case is a
 * finding of issue 12: it failed (or wrote past a stack buffer under
 * ASan) before the fix. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/resolve/resolve.h"
#include "dns_pkt.h"
#include "tap.h"

/* A "# " TAP comment line. */
#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

/* ------------------------------------------------- replies as bytes */

/* Header (flags: AA 0x0400, TC 0x0200; rcode in the low bits) and the
 * question for name/qtype at offset 12. */
static void reply(pkt *p, unsigned flags, const char *name, int qtype) {
  p->n = 0;
  p->an = 0;
  put16(p, 0x1234);
  put16(p, 0x8180 | flags);
  put16(p, 1);
  p->an_at = p->n;
  put16(p, 0);
  put16(p, 0);
  put16(p, 0);
  put_name(p, name);
  put16(p, (unsigned)qtype);
  put16(p, 1);
}

/* One answer record; owner NULL is the question's name. */
static void rr(pkt *p, const char *owner, int type, const void *rdata,
               size_t rdlen) {
  if (owner)
    put_name(p, owner);
  else
    put16(p, 0xc00c);
  put16(p, (unsigned)type);
  put16(p, 1);
  put16(p, 0);
  put16(p, 300);
  put16(p, (unsigned)rdlen);
  put_bytes(p, rdata, rdlen);
  p->an++;
  p->b[p->an_at] = (unsigned char)(p->an >> 8);
  p->b[p->an_at + 1] = (unsigned char)(p->an & 0xff);
}

static void rr_a(pkt *p, const char *owner, const char *addr) {
  unsigned char bin[4];
  inet_pton(AF_INET, addr, bin);
  rr(p, owner, SW_DNS_A, bin, 4);
}

/* A TXT record of one string of len bytes of c, or of text when given. */
static void rr_txt(pkt *p, const char *text, size_t len, char c) {
  unsigned char d[300];
  d[0] = (unsigned char)len;
  for (size_t i = 0; i < len; i++)
    d[1 + i] = text ? (unsigned char)text[i] : (unsigned char)c;
  rr(p, NULL, SW_DNS_TXT, d, len + 1);
}

/* ------------------------------------------------------ the harness */

typedef struct {
  resolve_cfg cfg;
  sw_dns_query q[4];
  size_t nq;
  char *out; /* what the printer wrote */
  int state;
} run;

/* A configuration as resolve_parse makes it from argv (NULL-ended, no
 * program name), with -s 10.0.0.1 [-s 10.0.0.2] appended by the test. */
static int setup(run *r, const char *const *args) {
  char *argv[40];
  int argc = 0;
  argv[argc++] = "check_resolve";
  for (; *args; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  sw_err err = {{0}};
  memset(r, 0, sizeof *r);
  optind = 0;
  sw_std_result rc = resolve_parse(argc, argv, &r->cfg, &err);
  if (rc != SW_STD_DONE)
    diag("parse: %s", err.msg);
  return rc == SW_STD_DONE ? 0 : -1;
}

/* Query i gets the reply in p (parsed for the configured type). */
static void answer(run *r, size_t i, const pkt *p) {
  sw_err err = {{0}};
  r->q[i].name = r->cfg.names[i / r->cfg.nservers];
  r->q[i].server = i % r->cfg.nservers;
  r->q[i].elapsed = 0.001;
  if (sw_dns_reply_parse(p->b, p->n, r->cfg.dns.qtype, &r->q[i].reply, &err))
    r->q[i].outcome = SW_DNS_MALFORMED;
  else
    r->q[i].outcome = SW_DNS_REPLY;
  if (i + 1 > r->nq)
    r->nq = i + 1;
}

static void judge(run *r) {
  sw_check c;
  size_t len = 0;
  FILE *f = open_memstream(&r->out, &len);
  sw_check_init(&c, "RESOLVE");
  resolve_judge(&r->cfg, r->q, r->nq, &c);
  r->state = (int)sw_check_print(&c, f);
  fclose(f);
  sw_check_free(&c);
  for (size_t i = 0; i < r->nq; i++)
    sw_dns_reply_free(&r->q[i].reply);
}

static void done(run *r) {
  free(r->out);
  r->out = NULL;
}

static int has(const run *r, const char *s) {
  return r->out && strstr(r->out, s) != NULL;
}

/* ----------------------------------------------------------- cases */

/* TXT answers of 150, 200 and 1 characters pushed list_answers' len past
 * its 300-byte array: the next snprintf got a wrapped size (a stack
 * write under ASan). Now: the first answer, then a counted "+2 more". */
static void test_list_overflow(void) {
  static const char *const args[] = {"-H", "t.x",      "-q", "TXT",
                                     "-s", "10.0.0.1", NULL};
  run r;
  pkt p;
  if (setup(&r, args) < 0)
    return;
  reply(&p, 0, "t.x", SW_DNS_TXT);
  rr_txt(&p, NULL, 150, 'a');
  rr_txt(&p, NULL, 200, 'b');
  rr_txt(&p, NULL, 1, 'c');
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 0, "150/200/1-char TXT: OK");
  ok(has(&r, ", +2 more (TTL 300"), "150/200/1-char TXT: '+2 more' counted");
  done(&r);
}

/* An answer holding "more" hid the "+N more" (a strstr on the list). */
static void test_more_in_answer(void) {
  static const char *const args[] = {"-H", "t.x",      "-q", "TXT",
                                     "-s", "10.0.0.1", NULL};
  run r;
  pkt p;
  if (setup(&r, args) < 0)
    return;
  reply(&p, 0, "t.x", SW_DNS_TXT);
  for (int i = 0; i < 12; i++)
    rr_txt(&p, "more and more answers", 21, 0);
  answer(&r, 0, &p);
  judge(&r);
  ok(has(&r, "+"), "answers holding 'more': a '+N more' is shown");
  char *more = r.out ? strstr(r.out, ", +") : NULL;
  int n = more ? atoi(more + 3) : 0;
  ok(n > 0 && n < 12, "answers holding 'more': N counted (%d)", n);
  done(&r);
}

/* -C compared only the first 64 sorted answers, as text cut at 512
 * bytes: two sets differing after the 64th compared equal (false OK). */
static void test_consistency_past_64(void) {
  static const char *const args[] = {"-H",       "m.x", "-C",       "-s",
                                     "10.0.0.1", "-s",  "10.0.0.2", NULL};
  run r;
  pkt p1, p2;
  char a[32];
  if (setup(&r, args) < 0)
    return;
  reply(&p1, 0, "m.x", SW_DNS_A);
  reply(&p2, 0, "m.x", SW_DNS_A);
  for (int i = 1; i <= 69; i++) {
    snprintf(a, sizeof a, "10.3.0.%d", i);
    rr_a(&p1, NULL, a);
    rr_a(&p2, NULL, a);
  }
  rr_a(&p1, NULL, "10.3.9.9");
  rr_a(&p2, NULL, "10.3.9.8");
  answer(&r, 0, &p1);
  answer(&r, 1, &p2);
  judge(&r);
  is_int(r.state, 1, "-C, 70 answers differing in the 70th: WARNING");
  ok(has(&r, "resolvers disagree on m.x"), "-C: the disagreement is named");
  ok(has(&r, "first difference at sorted answer 70: 10.3.9.9 vs 10.3.9.8"),
     "-C: where the sets differ is named");
  done(&r);

  /* the same sets in another order, other TTLs: equal */
  if (setup(&r, args) < 0)
    return;
  reply(&p1, 0, "m.x", SW_DNS_A);
  reply(&p2, 0, "m.x", SW_DNS_A);
  for (int i = 1; i <= 70; i++) {
    snprintf(a, sizeof a, "10.3.0.%d", i);
    rr_a(&p1, NULL, a);
    snprintf(a, sizeof a, "10.3.0.%d", 71 - i);
    rr_a(&p2, NULL, a);
  }
  answer(&r, 0, &p1);
  answer(&r, 1, &p2);
  judge(&r);
  is_int(r.state, 0, "-C, the same 70 answers in another order: OK");
  done(&r);
}

/* TXT texts are cut at 200 characters for display: -C compared the cut
 * texts, so two answers differing after 200 compared equal. */
static void test_consistency_long_txt(void) {
  static const char *const args[] = {"-H", "t.x",      "-q", "TXT",      "-C",
                                     "-s", "10.0.0.1", "-s", "10.0.0.2", NULL};
  run r;
  pkt p1, p2;
  char t[250];
  if (setup(&r, args) < 0)
    return;
  memset(t, 'k', sizeof t);
  reply(&p1, 0, "t.x", SW_DNS_TXT);
  rr_txt(&p1, t, 250, 0);
  t[240] = 'X';
  reply(&p2, 0, "t.x", SW_DNS_TXT);
  rr_txt(&p2, t, 250, 0);
  answer(&r, 0, &p1);
  answer(&r, 1, &p2);
  judge(&r);
  is_int(r.state, 1, "-C, TXT differing after 200 characters: WARNING");
  ok(has(&r, "which differ past what is shown"),
     "-C, TXT differing after 200: the hidden difference is said");
  done(&r);
}

/* -a was matched against the display text, cut at 200: a 250-character
 * TXT could never match (false CRITICAL), nor be refused past 255. */
static void test_expect_long_txt(void) {
  char t[251], t2[251];
  memset(t, 'k', 250);
  t[250] = '\0';
  memcpy(t2, t, sizeof t2);
  t2[249] = 'X';
  const char *args[] = {"-H", "t.x", "-q",       "TXT", "-a",
                        t,    "-s",  "10.0.0.1", NULL};
  run r;
  pkt p;
  if (setup(&r, args) < 0) {
    ok(0, "-a of 250 characters is taken");
    return;
  }
  reply(&p, 0, "t.x", SW_DNS_TXT);
  rr_txt(&p, t, 250, 0);
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 0, "-a 250-char TXT, the same answer: OK");
  done(&r);
  args[5] = t2;
  if (setup(&r, args) < 0)
    return;
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 2, "-a 250-char TXT, differing at the end: CRITICAL");
  done(&r);
}

/* Records in the answer section for a name that was not asked (nor in
 * its CNAME chain) were taken as the answer: false OK for a name that
 * has no address. */
static void test_foreign_owner(void) {
  static const char *const args[] = {"-H", "api.x", "-s", "10.0.0.1", NULL};
  run r;
  pkt p;
  if (setup(&r, args) < 0)
    return;
  reply(&p, 0, "api.x", SW_DNS_A);
  rr_a(&p, "other.x", "10.1.2.3");
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 2, "an A record for another name: CRITICAL (no A)");
  ok(has(&r, "no A records"), "another name's record: NODATA named");
  done(&r);

  /* through a CNAME chain, in any order: the chain's end counts */
  if (setup(&r, args) < 0)
    return;
  reply(&p, 0, "api.x", SW_DNS_A);
  rr_a(&p, "edge.x", "10.1.2.4");
  unsigned char target[16];
  pkt t = {.n = 0};
  put_name(&t, "edge.x");
  memcpy(target, t.b, t.n);
  rr(&p, NULL, SW_DNS_CNAME, target, t.n);
  answer(&r, 0, &p);
  r.cfg.std.verbose = 1;
  judge(&r);
  is_int(r.state, 0, "CNAME chain in any order: OK");
  ok(has(&r, "10.1.2.4 (TTL 300") && has(&r, "api.x. -> edge.x."),
     "CNAME chain: the end's address, the chain at -v");
  done(&r);
}

/* -n: NXDOMAIN with a CNAME chain is about the chain's end (RFC 6604):
 * the asked name exists as an alias; -A also holds for NXDOMAIN. */
static void test_nxdomain(void) {
  static const char *const args[] = {"-H", "old.x",    "-n",
                                     "-s", "10.0.0.1", NULL};
  run r;
  pkt p, t = {.n = 0};
  if (setup(&r, args) < 0)
    return;
  reply(&p, 3, "old.x", SW_DNS_A);
  put_name(&t, "gone.y");
  rr(&p, NULL, SW_DNS_CNAME, t.b, t.n);
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 2, "-n, NXDOMAIN at the end of a CNAME: CRITICAL");
  ok(has(&r, "exists (expected NXDOMAIN): CNAME chain old.x. -> gone.y."),
     "-n: the alias is named");
  done(&r);

  static const char *const args_aa[] = {"-H", "old.x",    "-n", "-A",
                                        "-s", "10.0.0.1", NULL};
  if (setup(&r, args_aa) < 0)
    return;
  reply(&p, 3, "old.x", SW_DNS_A);
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 2, "-n -A, NXDOMAIN without AA: CRITICAL");
  done(&r);
  if (setup(&r, args_aa) < 0)
    return;
  reply(&p, 0x0400 | 3, "old.x", SW_DNS_A);
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 0, "-n -A, authoritative NXDOMAIN: OK");
  done(&r);
}

/* A TC reply that still arrives (c-ares moves to TCP on TC) holds part
 * of the answers: -L passed on the records it happened to hold. */
static void test_tc(void) {
  static const char *const args[] = {"-H", "api.x", "-a",       "10.1.2.4",
                                     "-L", "-s",    "10.0.0.1", NULL};
  run r;
  pkt p;
  if (setup(&r, args) < 0)
    return;
  reply(&p, 0x0200, "api.x", SW_DNS_A);
  rr_a(&p, NULL, "10.1.2.4");
  answer(&r, 0, &p);
  judge(&r);
  is_int(r.state, 2, "TC reply with a partial answer: CRITICAL");
  ok(has(&r, "truncated reply (TC bit set)"), "TC: named");
  done(&r);
}

/* A reply past the run's memory budget is our limit: UNKNOWN naming it,
 * not a CRITICAL about the resolver. */
static void test_limit(void) {
  static const char *const args[] = {"-H", "api.x", "-s", "10.0.0.1", NULL};
  run r;
  if (setup(&r, args) < 0)
    return;
  r.q[0].name = "api.x";
  r.q[0].outcome = SW_DNS_LIMIT;
  snprintf(r.q[0].err, sizeof r.q[0].err, "answers past the run's limit");
  r.nq = 1;
  judge(&r);
  is_int(r.state, 3, "answers past the budget: UNKNOWN");
  ok(has(&r, "RESOLVE UNKNOWN - not judged: api.x A: answers past the run's "
             "limit"),
     "the limit is named");
  done(&r);
}

/* Mistakes refused at parse time, naming the option. */
static void test_refused(void) {
  run r;
  char a[254], b[254];
  static const char *const impossible[] = {"-H", "api.x",    "-a", "host.x.",
                                           "-s", "10.0.0.1", NULL};
  ok(setup(&r, impossible) < 0, "-q A with a name as -a: refused");
  static const char *const v6[] = {"-H", "api.x",    "-a", "2001:db8::/32",
                                   "-s", "10.0.0.1", NULL};
  ok(setup(&r, v6) < 0, "-q A with an IPv6 -a: refused");
  static const char *const clash[] = {"-H", "a=b.x",    "-H", "a|b.x",
                                      "-s", "10.0.0.1", NULL};
  ok(setup(&r, clash) < 0, "two -H printed as the same label: refused");
  memset(a, 'a', 253);
  a[253] = '\0';
  memcpy(b, a, sizeof b);
  b[252] = 'b';
  for (int i = 62; i < 253; i += 64)
    a[i] = b[i] = '.';
  const char *longs[] = {"-H", a, "-H", b, "-s", "10.0.0.1", NULL};
  ok(setup(&r, longs) == 0, "two long -H differing at the end: taken");
}

/* ------------------------------------------------- issue 13 cases */

/* The labels of the first line's perfdata, space separated, into out. */
static void perf_labels(const run *r, char *out, size_t n) {
  out[0] = '\0';
  const char *bar = r->out ? strstr(r->out, " | ") : NULL;
  const char *nl = r->out ? strchr(r->out, '\n') : NULL;
  size_t len = 0;
  for (const char *p = bar ? bar + 3 : NULL; p && p < nl;) {
    const char *eq = strchr(p, '=');
    const char *sp = strchr(p, ' ');
    if (!eq || eq > nl)
      break;
    len += (size_t)snprintf(out + len, n - len, "%s%.*s", len ? " " : "",
                            (int)(eq - p), p);
    p = sp && sp < nl ? sp + 1 : NULL;
  }
}

/* The value printed for label (up to ';' or ' '), into out. */
static void perf_value(const run *r, const char *label, char *out, size_t n) {
  char key[200];
  snprintf(key, sizeof key, " %s=", label);
  const char *p = r->out ? strstr(r->out, key) : NULL;
  out[0] = '\0';
  if (p)
    snprintf(out, n, "%.*s", (int)strcspn(p + strlen(key), "; \n"),
             p + strlen(key));
}

/* -a 10.1.2.4,10.1.2.5 (check_dns's list) was one text that no answer
 * could equal: a CRITICAL "unexpected answer" about a healthy name. It
 * is now the exact answer set. */
static void test_expect_list(void) {
  static const char *const args[] = {"-H", "api.x", "-a", "10.1.2.4,10.1.2.5",
                                     "-s", "10.0.0.1", NULL};
  static const char *const sets[][4] = {{"10.1.2.5", "10.1.2.4", NULL},
                                        {"10.1.2.4", NULL},
                                        {"10.1.2.4", "10.1.2.5", "10.1.2.6"}};
  static const int want[] = {0, 2, 2};
  static const char *const text[] = {
      "RESOLVE OK - api.x A: 10.1.2.5, 10.1.2.4 (TTL 300",
      "10.1.2.5 missing from the answers (expected exactly "
      "10.1.2.4,10.1.2.5) from 10.0.0.1",
      "unexpected answer 10.1.2.6 (expected exactly 10.1.2.4,10.1.2.5)"};
  for (int c = 0; c < 3; c++) {
    run r;
    pkt p;
    if (setup(&r, args) < 0)
      return;
    reply(&p, 0, "api.x", SW_DNS_A);
    for (int i = 0; i < 3 && sets[c][i]; i++)
      rr_a(&p, NULL, sets[c][i]);
    answer(&r, 0, &p);
    judge(&r);
    is_int(r.state, want[c], "-a list, answer set %d: state", c);
    ok(has(&r, text[c]), "-a list, answer set %d: '%s'", c, text[c]);
    done(&r);
  }
}

/* -w/-c texts said "(-w 0.1)": now what the range alerts on, in lib's
 * one wording, so "@" ranges cannot read as their opposite. */
static void test_threshold_text(void) {
  static const char *const w[] = {"-H", "api.x", "-w", "0.1",
                                  "-s", "10.0.0.1", NULL};
  static const char *const c[] = {"-H", "api.x", "-c", "@0.2:0.5",
                                  "-s", "10.0.0.1", NULL};
  const char *const *args[] = {w, c};
  const char *want[] = {"(-w: outside 0 s..0.1 s)", "(-c: inside 0.2 s..0.5 s)"};
  for (int k = 0; k < 2; k++) {
    run r;
    pkt p;
    if (setup(&r, args[k]) < 0)
      return;
    reply(&p, 0, "api.x", SW_DNS_A);
    rr_a(&p, NULL, "10.1.2.4");
    answer(&r, 0, &p);
    r.q[0].elapsed = 0.3;
    judge(&r);
    is_int(r.state, k ? 2 : 1, "0.3 s against %s", want[k]);
    ok(has(&r, "slowest answer 300.0 ms from 10.0.0.1 for api.x ") &&
           has(&r, want[k]),
       "threshold named as %s", want[k]);
    done(&r);
  }
}

/* Named resolvers: labels, summary and lines use the name; the same
 * labels in every run whatever the outcomes, U where nothing was
 * measured, and a time in the text only where the perfdata has one (a
 * reply past the budget showed "(1.0 ms)" next to U). */
static void test_named_labels(void) {
  static const char *const args[] = {"-H", "api.x", "-s", "ns1=10.0.0.1",
                                     "-s", "ns2=10.0.0.2:5353", NULL};
  char first[512] = "", labels[512], val[64];
  for (int c = 0; c < 3; c++) {
    run r;
    pkt p;
    if (setup(&r, args) < 0)
      return;
    reply(&p, 0, "api.x", SW_DNS_A);
    rr_a(&p, NULL, "10.1.2.4");
    answer(&r, 0, &p);
    answer(&r, 1, &p);
    if (c == 1) { /* ns2 silent */
      sw_dns_reply_free(&r.q[1].reply);
      r.q[1].outcome = SW_DNS_TIMEOUT;
    } else if (c == 2) { /* ns2 past the budget */
      sw_dns_reply_free(&r.q[1].reply);
      r.q[1].outcome = SW_DNS_LIMIT;
      snprintf(r.q[1].err, sizeof r.q[1].err, "past the limit");
    }
    judge(&r);
    perf_labels(&r, labels, sizeof labels);
    if (c == 0) {
      snprintf(first, sizeof first, "%s", labels);
      is_str(labels, "time_api_x_ns1 time_api_x_ns2 failed answers ttl_min",
             "named resolvers: labels use the names");
      ok(has(&r, "\\_ [OK] api.x @ns2 (10.0.0.2:5353): 10.1.2.4"),
         "named resolver's line: name and address");
    } else {
      is_str(labels, first, "outcome %d: the same labels as when all is well",
             c);
    }
    perf_value(&r, "time_api_x_ns2", val, sizeof val);
    if (c == 1) {
      is_str(val, "U", "timeout: time is U");
      ok(has(&r, "no answer within") && has(&r, "from ns2"),
         "timeout: named by the resolver's name");
    }
    if (c == 2) {
      ok(strcmp(val, "U") != 0 && has(&r, "past the limit (1.0 ms)"),
         "reply past the budget: a time in text and perfdata (%s)", val);
    }
    done(&r);
  }
  /* an error that measured nothing: U, and no time in the text */
  run r;
  if (setup(&r, args) < 0)
    return;
  for (size_t i = 0; i < 2; i++) {
    r.q[i].name = "api.x";
    r.q[i].server = i;
    r.q[i].outcome = SW_DNS_ERROR;
    r.q[i].elapsed = 0;
    snprintf(r.q[i].err, sizeof r.q[i].err, "cannot send");
  }
  r.nq = 2;
  judge(&r);
  perf_value(&r, "time_api_x_ns1", val, sizeof val);
  is_str(val, "U", "local error: time is U");
  ok(has(&r, "@ns1 (10.0.0.1): cannot send\n"),
     "local error: no time in the text next to U");
  done(&r);
}

int main(void) {
  test_list_overflow();
  test_more_in_answer();
  test_consistency_past_64();
  test_consistency_long_txt();
  test_expect_long_txt();
  test_foreign_owner();
  test_nxdomain();
  test_tc();
  test_limit();
  test_refused();
  test_expect_list();
  test_threshold_text();
  test_named_labels();
  return tap_done();
}
