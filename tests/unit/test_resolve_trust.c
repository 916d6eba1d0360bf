/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for check_resolve's --client-subnet and --dnssec judgement
 * (plugins/resolve/resolve_trust.c): the configuration as resolve_parse
 * makes it from argv, replies as the reply parser leaves them (flags and
 * the OPT RR's fields set by hand), each function's text and state. The
 * paths the real servers of resolve_trust.sh do not take: an EDE on an
 * answer, an IPv6 echo of another subnet, the perfdata's smallest scope
 * over several answers. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/resolve/resolve.h"
#include "tap.h"

static int setup(resolve_cfg *cfg, const char *const *args) {
  char *argv[16];
  int argc = 0;
  argv[argc++] = "check_resolve";
  argv[argc++] = "-H";
  argv[argc++] = "www.example.test";
  argv[argc++] = "-s";
  argv[argc++] = "192.0.2.53";
  for (; *args; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  sw_err err = {{0}};
  optind = 0;
  int rc = resolve_parse(argc, argv, cfg, &err) == SW_STD_DONE ? 0 : -1;
  if (rc)
    printf("# parse: %s\n", err.msg);
  return rc;
}

/* A NOERROR reply without EDNS; edns() adds an OPT RR's fields. */
static void plain(sw_dns_reply *r, bool ad) {
  memset(r, 0, sizeof *r);
  r->ad = ad;
  r->edns.ede = r->edns.ecs_scope = -1;
}

static void edns_ecs(sw_dns_reply *r, const char *subnet, int scope) {
  sw_err err;
  r->edns.present = true;
  r->edns.ecs = true;
  if (sw_dns_subnet_parse(subnet, &r->edns.ecs_echo, &err) < 0)
    printf("# subnet: %s\n", err.msg);
  r->edns.ecs_scope = scope;
}

/* note(): the text in and after the parentheses, the state, the why. */
typedef struct {
  char in[128], out[256], why[64];
  sw_state st;
} note;

static note judge_note(const resolve_cfg *cfg, const sw_dns_reply *r) {
  note n;
  sw_buf in, out, why;
  sw_buf_fixed(&in, n.in, sizeof n.in);
  sw_buf_fixed(&out, n.out, sizeof n.out);
  sw_buf_fixed(&why, n.why, sizeof n.why);
  n.st = resolve_trust_note(cfg, r, &in, &out, &why);
  return n;
}

static void test_note(void) {
  resolve_cfg cfg;
  sw_dns_reply r;
  note n;
  static const char *const none[] = {NULL};
  static const char *const both[] = {"--dnssec", "--client-subnet",
                                     "10.1.0.0/16", NULL};
  if (setup(&cfg, none) == 0) {
    plain(&r, false);
    n = judge_note(&cfg, &r);
    ok(n.st == SW_OK && !n.in[0] && !n.out[0], "neither option: no note");
    r.edns.present = true;
    r.edns.ede = 3;
    snprintf(r.edns.ede_text, sizeof r.edns.ede_text, "%s", "from cache");
    n = judge_note(&cfg, &r);
    is_str(n.out, "; EDE 3 Stale Answer: from cache",
           "an EDE on an answer is shown whatever the options");
    is_int(n.st, SW_OK, "and changes no state");
    r.edns.ede = 4000;
    r.edns.ede_text[0] = '\0';
    n = judge_note(&cfg, &r);
    is_str(n.out, "; EDE 4000", "an EDE code without a name: the number");
  }
  if (setup(&cfg, both) == 0) {
    plain(&r, true);
    edns_ecs(&r, "10.1.0.0/16", 24);
    n = judge_note(&cfg, &r);
    is_str(n.in, ", scope /24, validated", "scope and AD inside");
    is_str(n.out, "", "nothing after");
    is_int(n.st, SW_OK, "OK");
    plain(&r, false);
    n = judge_note(&cfg, &r);
    is_str(n.out,
           "; ECS ignored (no ECS option in the reply); not validated (no "
           "AD bit)",
           "no ECS, no AD: both said");
    is_int(n.st, SW_WARNING, "WARNING for the missing AD");
    is_str(n.why, "not validated (no AD bit)", "the summary's reason");
    edns_ecs(&r, "10.1.0.0/16", 0);
    r.ad = true;
    n = judge_note(&cfg, &r);
    is_str(n.out, "; ECS scope /0 (the same answer for every subnet)",
           "scope /0 said");
    is_int(n.st, SW_OK, "scope /0: OK");
  }
}

static void test_broken(void) {
  resolve_cfg cfg;
  sw_dns_reply r;
  char text[200];
  sw_buf w;
  static const char *const v6[] = {"--client-subnet", "2001:db8:1::/48", NULL};
  static const char *const dnssec[] = {"--dnssec", NULL};
  if (setup(&cfg, v6) == 0) {
    plain(&r, false);
    sw_buf_fixed(&w, text, sizeof text);
    ok(!resolve_trust_broken(&cfg, &r, &w) && !text[0],
       "no ECS option back: not broken");
    edns_ecs(&r, "2001:db8:1::/48", 48);
    ok(!resolve_trust_broken(&cfg, &r, &w), "the same subnet echoed");
    edns_ecs(&r, "2001:db8:2::/48", 48);
    ok(resolve_trust_broken(&cfg, &r, &w), "another IPv6 subnet: broken");
    is_str(text,
           "reply's ECS option is for 2001:db8:2::/48, not the "
           "2001:db8:1::/48 asked (RFC 7871 7.3: discarded)",
           "both subnets named");
    edns_ecs(&r, "2001:db8:1::/56", 56);
    sw_buf_fixed(&w, text, sizeof text);
    ok(resolve_trust_broken(&cfg, &r, &w), "another source prefix: broken");
    edns_ecs(&r, "10.0.0.0/8", 8);
    sw_buf_fixed(&w, text, sizeof text);
    ok(resolve_trust_broken(&cfg, &r, &w), "another family: broken");
    r.edns.ecs_bad = "ECS option of an unknown address family";
    sw_buf_fixed(&w, text, sizeof text);
    ok(resolve_trust_broken(&cfg, &r, &w), "malformed: broken");
    is_str(text,
           "malformed ECS option in the reply (ECS option of an unknown "
           "address family)",
           "the parser's reason named");
  }
  if (setup(&cfg, dnssec) == 0) {
    plain(&r, false);
    r.edns.present = r.edns.ecs = true;
    r.edns.ecs_bad = "ECS option shorter than its fixed fields";
    sw_buf_fixed(&w, text, sizeof text);
    ok(!resolve_trust_broken(&cfg, &r, &w),
       "a malformed ECS option not asked for is not judged");
  }
}

static void rcode_is(const char *const *args, int rcode, int ede,
                     const char *want, const char *what) {
  resolve_cfg cfg;
  sw_dns_reply r;
  char text[200] = "";
  sw_buf w;
  if (setup(&cfg, args) < 0)
    return;
  plain(&r, false);
  r.rcode = rcode;
  if (ede >= 0) {
    r.edns.present = true;
    r.edns.ede = ede;
  }
  sw_buf_fixed(&w, text, sizeof text);
  resolve_trust_rcode(&cfg, &r, &w);
  is_str(text, want, "%s", what);
}

static void test_rcode(void) {
  static const char *const none[] = {NULL};
  static const char *const dnssec[] = {"--dnssec", NULL};
  rcode_is(none, 2, -1, "", "SERVFAIL without --dnssec or EDE: nothing");
  rcode_is(dnssec, 2, -1, " (DNSSEC validation failed?)",
           "SERVFAIL under --dnssec: maybe DNSSEC");
  rcode_is(none, 2, 9, ": DNSSEC validation failed (EDE 9 DNSKEY Missing)",
           "a DNSSEC EDE names the failure even without --dnssec");
  rcode_is(dnssec, 2, 22, " (EDE 22 No Reachable Authority)",
           "another EDE: shown, not called DNSSEC's");
  rcode_is(dnssec, 5, 18, " (EDE 18 Prohibited)", "REFUSED with its EDE");
  rcode_is(dnssec, 3, -1, "", "NXDOMAIN: nothing added");
}

static void test_perf(void) {
  resolve_cfg cfg;
  sw_dns_query q[3];
  static const char *const both[] = {
      "--dnssec", "--client-subnet", "10.1.0.0/16", "-s", "192.0.2.54",
      "-s",       "192.0.2.55",      NULL};
  if (setup(&cfg, both) < 0)
    return;
  memset(q, 0, sizeof q);
  for (size_t i = 0; i < 3; i++) {
    q[i].outcome = SW_DNS_REPLY;
    q[i].name = cfg.names[0];
    q[i].server = i;
    plain(&q[i].reply, i != 1);
  }
  edns_ecs(&q[0].reply, "10.1.0.0/16", 24);
  edns_ecs(&q[1].reply, "10.1.0.0/16", 16);
  q[2].outcome = SW_DNS_TIMEOUT; /* no answer: neither scope nor AD */
  sw_check c;
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  sw_check_init(&c, "RESOLVE");
  sw_check_summary(&c, "x");
  resolve_trust_perf(&cfg, q, 3, &c);
  sw_check_print(&c, f);
  fclose(f);
  ok(out && strstr(out, "ecs_scope=16;;;0;32 validated=1;;;0;3"),
     "smallest scope of the answers, validated of all queries (%s)",
     out ? out : "");
  free(out);
  sw_check_free(&c);
}

int main(void) {
  test_note();
  test_broken();
  test_rcode();
  test_perf();
  return tap_done();
}
