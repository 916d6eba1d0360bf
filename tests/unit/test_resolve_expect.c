/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for check_resolve's -a matcher (plugins/resolve/resolve_opts.c):
 * resolve_expect_parse and resolve_expect_match. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/resolve/resolve.h"
#include "tap.h"

/* An answer record as sw_dns_reply_parse makes it: text, key, and for
 * addresses the family and bytes. */
static sw_dns_rr rr_addr(const char *text) {
  sw_dns_rr rr;
  memset(&rr, 0, sizeof rr);
  if (inet_pton(AF_INET, text, rr.addr) == 1) {
    rr.family = AF_INET;
    rr.type = SW_DNS_A;
  } else if (inet_pton(AF_INET6, text, rr.addr) == 1) {
    rr.family = AF_INET6;
    rr.type = SW_DNS_AAAA;
  }
  rr.text = text;
  rr.key = text;
  return rr;
}

/* A name record: text as sent, key lowercased without trailing dot. */
static sw_dns_rr rr_name(const char *text, const char *key) {
  sw_dns_rr rr;
  memset(&rr, 0, sizeof rr);
  rr.type = SW_DNS_CNAME;
  rr.text = text;
  rr.key = key;
  return rr;
}

/* Parses want (which must succeed) and checks its match against rr. */
static void match(const char *want, const sw_dns_rr *rr, int expect) {
  resolve_expect e;
  sw_err err = {{0}};
  if (resolve_expect_parse(want, &e, &err) != 0) {
    ok(0, "-a '%s' parses (%s)", want, err.msg);
    return;
  }
  is_int(resolve_expect_match(&e, rr), expect, "-a '%s' %s %s", want,
         expect ? "matches" : "does not match", rr->text);
}

static void test_parse(void) {
  resolve_expect e;
  sw_err err = {{0}};

  is_int(resolve_expect_parse("10.1.2.3", &e, &err), 0, "address parses");
  is_int(e.family, AF_INET, "address: IPv4");
  is_int(e.prefix, 32, "address: prefix 32");
  is_str(e.text, "10.1.2.3", "address: text kept for messages");

  is_int(resolve_expect_parse("10.1.2.0/24", &e, &err), 0, "CIDR parses");
  is_int(e.prefix, 24, "CIDR: prefix 24");

  is_int(resolve_expect_parse("2001:DB8::/32", &e, &err), 0, "v6 CIDR parses");
  is_int(e.family, AF_INET6, "v6 CIDR: IPv6");
  is_int(e.prefix, 32, "v6 CIDR: prefix 32");

  is_int(resolve_expect_parse("::1", &e, &err), 0, "v6 address parses");
  is_int(e.prefix, 128, "v6 address: prefix 128");

  is_int(resolve_expect_parse("Edge.Example.COM.", &e, &err), 0, "text parses");
  is_int(e.family, 0, "text: no family");
  is_int((int)e.keylen, 16, "text: a name is compared without its dot");
  is_str(e.text, "Edge.Example.COM.", "text: given text kept");

  is_int(resolve_expect_parse(".", &e, &err), 0, "root parses");
  is_int((int)e.keylen, 0, "root: the empty name");

  static const char *const bad[] = {
      "10.0.0.0/33",   "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "::/129",
      "10.0.0.0/24/1", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    memset(&err, 0, sizeof err);
    is_int(resolve_expect_parse(bad[i], &e, &err), -1, "-a '%s' is refused",
           bad[i]);
    ok(strncmp(err.msg, "-a:", 3) == 0, "-a '%s': error names -a (%s)", bad[i],
       err.msg);
  }
  memset(&err, 0, sizeof err);
  resolve_expect_parse("10.0.0.0/33", &e, &err);
  ok(strstr(err.msg, "10.0.0.0/33") != NULL, "error quotes the bad text (%s)",
     err.msg);

  char big[300];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  /* a DKIM key's TXT is 400+ characters: -a must take it whole */
  is_int(resolve_expect_parse(big, &e, &err), 0, "299-byte text is taken");
}

static void test_match(void) {
  sw_dns_rr a = rr_addr("10.1.2.3"), a2 = rr_addr("10.1.3.3"),
            a3 = rr_addr("192.0.2.1"), v6 = rr_addr("2001:db8:abcd::1"),
            v6b = rr_addr("2001:db9::1");
  match("10.1.2.3", &a, 1);
  match("10.1.2.4", &a, 0);
  match("10.1.2.0/24", &a, 1);
  match("10.1.2.0/24", &a2, 0);
  match("10.1.2.99/24", &a, 1); /* host bits in the expectation ignored */
  match("10.1.2.0/23", &a, 1);
  match("10.1.2.0/23", &a2, 1);
  match("10.1.0.0/23", &a, 0);
  match("10.1.0.0/22", &a2, 1);
  match("10.1.4.0/22", &a2, 0);
  match("10.1.2.2/31", &a, 1);
  match("10.1.2.4/31", &a, 0);
  match("0.0.0.0/0", &a, 1);
  match("0.0.0.0/0", &a3, 1);
  match("0.0.0.0/0", &v6, 0); /* /0 of one family is not the other */
  match("10.1.2.3/32", &a, 1);
  match("10.1.2.3/32", &a2, 0);
  match("2001:db8::/32", &v6, 1);
  match("2001:DB8::/32", &v6, 1);
  match("2001:db8::/32", &v6b, 0);
  match("2001:db8:abcd::1", &v6, 1);
  match("2001:db8:abcd::1/128", &v6, 1);
  match("2001:db8:abcd::2/128", &v6, 0);
  match("::/0", &v6, 1);
  match("::/0", &a, 0);
  match("10.1.2.3", &v6, 0);

  sw_dns_rr n = rr_name("Edge.Example.com.", "edge.example.com");
  match("edge.example.com", &n, 1);
  match("edge.example.com.", &n, 1);
  match("EDGE.Example.COM", &n, 1);
  match("EDGE.Example.COM.", &n, 1);
  match("edge.example", &n, 0);
  match("edge.example.com.x", &n, 0);
  match("dge.example.com", &n, 0);

  /* A text expectation compares keys: an address answer's key is its
   * text, so "10.1.2.3" as an address matches by bytes and a text never
   * matches an address by accident of prefix. */
  sw_dns_rr txt = rr_name("v=spf1 -all", "v=spf1 -all");
  match("v=spf1 -all", &txt, 1);
  match("V=SPF1 -ALL", &txt, 1);
  match("v=spf1", &txt, 0);

  /* TXT is matched exactly and whole, on the exact key, never on the
   * text cut for display at 200 characters. */
  char longtxt[401], other[401];
  memset(longtxt, 'k', 400);
  longtxt[400] = '\0';
  memcpy(other, longtxt, sizeof other);
  other[399] = 'X';
  sw_dns_rr t = rr_name("display", "display");
  t.type = SW_DNS_TXT;
  t.exact = longtxt; /* as the parser sets it: key and its length */
  t.key = longtxt;
  t.keylen = 400;
  match(longtxt, &t, 1);
  match(other, &t, 0);
  longtxt[0] = 'K';
  t.exact = other;
  t.key = other;
  match(longtxt, &t, 0);
  sw_dns_rr t2 = rr_name("v=spf1 -all", "v=spf1 -all");
  t2.type = SW_DNS_TXT;
  match("v=spf1 -all", &t2, 1);
  match("V=SPF1 -ALL", &t2, 0); /* TXT data is case-sensitive */
  sw_dns_rr t3 = rr_name("10.1.2.3", "10.1.2.3");
  t3.type = SW_DNS_TXT;
  match("10.1.2.3", &t3, 1); /* an address-like -a against a TXT text */
  match("10.1.2.0/24", &t3, 0);
}

/* A configuration as resolve_parse makes it from args (NULL-ended, no
 * program name). Returns 0, or -1 with the error in err. */
static int parse(resolve_cfg *cfg, const char *const *args, sw_err *err) {
  char *argv[40];
  int argc = 0;
  argv[argc++] = "check_resolve";
  for (; *args; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  memset(err, 0, sizeof *err);
  optind = 0;
  return resolve_parse(argc, argv, cfg, err) == SW_STD_DONE ? 0 : -1;
}

/* Only [A-Za-z0-9_-]: what graphing backends keep as one flat name. */
static int plain(const char *l) {
  return *l && strspn(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789_-") == strlen(l);
}

/* Issue 13: labels were "time_NAME@SERVER:PORT", which lib now prints as
 * time_api_x_127_0_0_1_5353 whatever the user calls the resolver. Now
 * "time" for one query, else time_NAME_RESOLVER with the -s NAME. */
static void test_labels(void) {
  static resolve_cfg cfg;
  sw_err err;
  char l[160];
  static const char *const one[] = {"-H", "api.x", "-s", "10.0.0.1", NULL};
  if (parse(&cfg, one, &err) == 0) {
    resolve_time_label(&cfg, "api.x", 0, l, sizeof l);
    is_str(l, "time", "one name on one resolver: 'time'");
  }
  static const char *const named[] = {
      "-H", "api.x",          "-s", "10.0.0.1",
      "-s", "ns2=10.0.0.2:5353", "-s", "[2001:db8::53]:5353",
      "-s", "2001:db8::54",   "-s", "127.0.0.1:5353",
      NULL};
  if (parse(&cfg, named, &err) < 0) {
    ok(0, "-s NAME=ADDR:PORT parses (%s)", err.msg);
    return;
  }
  static const char *const want[] = {
      "time_api_x_10_0_0_1", "time_api_x_ns2", "time_api_x_2001_db8__53_5353",
      "time_api_x_2001_db8__54", "time_api_x_127_0_0_1_5353"};
  for (size_t s = 0; s < 5; s++) {
    resolve_time_label(&cfg, "api.x", s, l, sizeof l);
    is_str(l, want[s], "label of resolver %zu", s);
  }
  is_str(resolve_server_name(&cfg, 1), "ns2", "a named resolver: its name");
  is_str(resolve_server_name(&cfg, 4), "127.0.0.1:5353",
         "an unnamed one: its address as given, port only when given");

  /* Two -H over 150 characters that differ only at their end gave the
   * same 159-byte label (cut silently): now each keeps a stable hash. */
  char a[254], b[254], la[160], lb[160], la2[160];
  memset(a, 'a', 253);
  a[253] = '\0';
  memcpy(b, a, sizeof b);
  b[252] = 'b';
  for (int i = 62; i < 253; i += 64)
    a[i] = b[i] = '.';
  resolve_time_label(&cfg, a, 1, la, sizeof la);
  resolve_time_label(&cfg, b, 1, lb, sizeof lb);
  resolve_time_label(&cfg, a, 1, la2, sizeof la2);
  ok(strcmp(la, lb) != 0, "long names: labels differ (%s)", la);
  is_str(la, la2, "long names: the label is stable");
  ok(strlen(la) < sizeof la, "long names: the label fits");
  ok(plain(la), "long names: only [A-Za-z0-9_-]");
  size_t n = strlen(la);
  ok(n > 4 && strcmp(la + n - 4, "_ns2") == 0, "long names: resolver kept");
}

/* Mistakes in -s, -H, -q and -a are UNKNOWN naming the option and the
 * fix (issue 13): a comma list of resolvers was "invalid server". */
static void refused(const char *const *args, const char *opt,
                    const char *fix, const char *desc) {
  static resolve_cfg cfg;
  sw_err err;
  int rc = parse(&cfg, args, &err);
  ok(rc < 0 && strncmp(err.msg, opt, strlen(opt)) == 0 &&
         strstr(err.msg, fix) != NULL,
     "%s: refused naming %s and '%s' (%s)", desc, opt, fix, err.msg);
}

static void test_refused(void) {
  static const char *const s_list[] = {"-H", "a.x", "-s",
                                       "10.0.0.1,10.0.0.2", NULL};
  refused(s_list, "-s:", "give -s once per resolver", "-s list");
  static const char *const h_list[] = {"-H", "a.x,b.x", "-s", "10.0.0.1",
                                       NULL};
  refused(h_list, "-H:", "give -H once per name", "-H list");
  static const char *const q_list[] = {"-H", "a.x", "-q", "A,AAAA",
                                       "-s", "10.0.0.1", NULL};
  refused(q_list, "-q:", "one query type per run", "-q list");
  static const char *const bad_name[] = {"-H", "a.x", "-s", "ns.1=10.0.0.1",
                                         NULL};
  refused(bad_name, "-s:", "NAME=ADDR", "-s NAME with a dot");
  static const char *const dup_name[] = {"-H", "a.x", "-s", "ns=10.0.0.1",
                                         "-s", "ns=10.0.0.2", NULL};
  refused(dup_name, "-s:", "give each its own name", "one NAME twice");
  static const char *const clash[] = {"-H", "a_b", "-s", "c=10.0.0.1",
                                      "-H", "a",   "-s", "b_c=10.0.0.2",
                                      NULL};
  refused(clash, "-H/-s:", "same perfdata label time_a_b_c", "label clash");
  static const char *const empty[] = {"-H", "a.x", "-s", "10.0.0.1",
                                      "-a", "10.0.0.1,", NULL};
  refused(empty, "-a:", "empty value", "-a list with an empty value");
  static const char *const nx[] = {"-H", "a.x", "-s", "10.0.0.1", "-n",
                                   "-a", "10.0.0.1", NULL};
  refused(nx, "-a:", "not used with -n", "-a with -n");
  static const char *const mixed[] = {"-H", "a.x", "-s", "10.0.0.1",
                                      "-a", "10.0.0.1,host.x.", NULL};
  refused(mixed, "-a:", "can never match an A answer", "-a list with a name");
}

/* -a 10.1.2.4,10.1.2.5 is one set (check_dns), split once -q is known:
 * TXT and CAA texts keep their commas. */
static void test_groups(void) {
  static resolve_cfg cfg;
  sw_err err;
  static const char *const list[] = {"-a", "10.1.2.4, 10.1.2.5", "-H", "a.x",
                                     "-a", "10.9.0.0/16", "-s", "10.0.0.1",
                                     NULL};
  if (parse(&cfg, list, &err) < 0) {
    ok(0, "-a comma list parses (%s)", err.msg);
    return;
  }
  is_int((int)cfg.ngroups, 2, "two -a: two groups");
  is_int((int)cfg.nexpects, 3, "three values");
  ok(cfg.groups[0].set && !cfg.groups[1].set, "the list is a set");
  is_str(cfg.expects[1].text, "10.1.2.5", "list values trimmed");
  is_int((int)cfg.expects[2].group, 1, "values know their -a");
  static const char *const txt[] = {"-a", "v=spf1 a,b", "-q", "TXT",
                                    "-H", "a.x", "-s", "10.0.0.1", NULL};
  if (parse(&cfg, txt, &err) == 0) {
    is_int((int)cfg.nexpects, 1, "TXT: a comma stays in the text");
    is_str(cfg.expects[0].text, "v=spf1 a,b", "TXT: the whole text");
  } else {
    ok(0, "TXT with a comma parses (%s)", err.msg);
  }
}

int main(void) {
  test_parse();
  test_match();
  test_labels();
  test_refused();
  test_groups();
  return tap_done();
}
