/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/dns_edns.c through sw_dns_reply_parse: the AD bit,
 * the OPT RR's extended rcode, the ECS option's echo and scope (RFC 7871
 * 6) and Extended DNS Errors (RFC 8914), well formed and hostile. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "dns_pkt.h"
#include "tap.h"

/* A reply to "a.test A" with flags, one A answer 192.0.2.1 and arcount
 * records the caller appends (an OPT RR). */
static void reply(pkt *p, unsigned flags, unsigned ns, unsigned ar) {
  static const unsigned char a[4] = {192, 0, 2, 1};
  p->n = 0;
  put16(p, 0x1234);
  put16(p, 0x8000 | flags);
  put16(p, 1);
  put16(p, 1);
  put16(p, ns);
  put16(p, ar);
  put_name(p, "a.test");
  put16(p, SW_DNS_A);
  put16(p, 1);
  put_ptr(p, 12);
  put16(p, SW_DNS_A);
  put16(p, 1);
  put32(p, 300);
  put16(p, 4);
  put_bytes(p, a, 4);
}

/* An OPT RR: root owner, UDP size 1232, extended rcode ext, DO; rdata
 * given whole (options as bytes). */
static void opt(pkt *p, unsigned ext, const unsigned char *rd, size_t n) {
  put8(p, 0);
  put16(p, 41);
  put16(p, 1232);
  put8(p, ext);
  put8(p, 0);
  put16(p, 0x8000);
  put16(p, (unsigned)n);
  put_bytes(p, rd, n);
}

static int parse(const pkt *p, sw_dns_reply *r, const char *what) {
  sw_err err = {{0}};
  int rc = sw_dns_reply_parse(p->b, p->n, SW_DNS_A, r, &err);
  is_int(rc, 0, "%s: parses (%s)", what, rc ? err.msg : "");
  return rc;
}

static void parse_bad(const pkt *p, const char *why, const char *what) {
  sw_dns_reply r;
  sw_err err = {{0}};
  is_int(sw_dns_reply_parse(p->b, p->n, SW_DNS_A, &r, &err), -1,
         "%s: malformed", what);
  ok(strstr(err.msg, why) != NULL, "%s: says '%s' (%s)", what, why, err.msg);
  ok(r.rrs == NULL, "%s: nothing left allocated", what);
}

static void test_plain(void) {
  pkt p;
  sw_dns_reply r;
  reply(&p, 0x0180, 0, 0);
  if (parse(&p, &r, "no OPT") == 0) {
    ok(!r.ad, "no OPT: AD clear");
    ok(!r.edns.present, "no OPT: none seen");
    is_int(r.edns.ede, -1, "no OPT: no EDE");
    is_int(r.edns.ecs_scope, -1, "no OPT: no scope");
    sw_dns_reply_free(&r);
  }
  reply(&p, 0x01a0, 0, 1); /* RD RA AD */
  opt(&p, 0, NULL, 0);
  if (parse(&p, &r, "AD and an empty OPT") == 0) {
    ok(r.ad, "AD set");
    ok(r.edns.present, "OPT seen");
    ok(!r.edns.ecs, "no ECS");
    is_int(r.nrrs, 1, "the answer is still there");
    sw_dns_reply_free(&r);
  }
  /* BADVERS (RFC 6891 6.1.3): extended rcode 1, header rcode 0 -> 16 */
  reply(&p, 0x0180, 0, 1);
  opt(&p, 1, NULL, 0);
  if (parse(&p, &r, "extended rcode") == 0) {
    is_int(r.rcode, 16, "rcode 16 (BADVERS)");
    sw_dns_reply_free(&r);
  }
}

static void test_ecs(void) {
  pkt p;
  sw_dns_reply r;
  static const unsigned char ecs4[] = {0, 8, 0, 6, 0, 1, 16, 24, 10, 1};
  reply(&p, 0x0180, 0, 1);
  opt(&p, 0, ecs4, sizeof ecs4);
  if (parse(&p, &r, "ECS 10.1.0.0/16 scope 24") == 0) {
    ok(r.edns.ecs && !r.edns.ecs_bad, "ECS read");
    is_int(r.edns.ecs_scope, 24, "scope 24");
    is_int(r.edns.ecs_echo.family, AF_INET, "echo family");
    is_int(r.edns.ecs_echo.prefix, 16, "echo prefix");
    ok(r.edns.ecs_echo.addr[0] == 10 && r.edns.ecs_echo.addr[1] == 1 &&
           r.edns.ecs_echo.addr[2] == 0,
       "echo address 10.1.0.0");
    sw_dns_reply_free(&r);
  }
  static const unsigned char ecs6[] = {0,    8, 0,    11,   0, 2, 56, 0,
                                       0x20, 1, 0x0d, 0xb8, 0, 0, 0};
  reply(&p, 0x0180, 0, 1);
  opt(&p, 0, ecs6, sizeof ecs6);
  if (parse(&p, &r, "ECS 2001:db8::/56 scope 0") == 0) {
    is_int(r.edns.ecs_scope, 0, "scope 0");
    is_int(r.edns.ecs_echo.family, AF_INET6, "IPv6 echo");
    sw_dns_reply_free(&r);
  }
  static const struct {
    unsigned char b[16];
    size_t n;
    const char *why, *what;
  } bad[] = {
      {{0, 8, 0, 3, 0, 1, 16}, 7, "shorter", "ECS of 3 bytes"},
      {{0, 8, 0, 4, 0, 3, 0, 0}, 8, "unknown address family", "family 3"},
      {{0, 8, 0, 9, 0, 1, 33, 0, 1, 2, 3, 4, 5}, 13, "longer than", "IPv4 /33"},
      {{0, 8, 0, 6, 0, 1, 16, 129, 10, 1}, 10, "longer than", "scope 129"},
      {{0, 8, 0, 7, 0, 1, 16, 0, 10, 1, 0},
       11,
       "address length",
       "/16 with 3 address bytes"},
      {{0, 8, 0, 4, 0, 1, 16, 0}, 8, "address length", "/16 with no address"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    reply(&p, 0x0180, 0, 1);
    opt(&p, 0, bad[i].b, bad[i].n);
    if (parse(&p, &r, bad[i].what) == 0) {
      ok(r.edns.ecs && r.edns.ecs_bad && strstr(r.edns.ecs_bad, bad[i].why),
         "%s: noted as '%s' (%s)", bad[i].what, bad[i].why,
         r.edns.ecs_bad ? r.edns.ecs_bad : "none");
      is_int(r.edns.ecs_scope, -1, "%s: no scope taken", bad[i].what);
      sw_dns_reply_free(&r);
    }
  }
}

static void test_ede(void) {
  pkt p;
  sw_dns_reply r;
  unsigned char rd[300];
  static const char text[] = "validation failure <bogus.test. A IN>";
  size_t tl = strlen(text);
  rd[0] = 0, rd[1] = 15, rd[2] = 0, rd[3] = (unsigned char)(2 + tl);
  rd[4] = 0, rd[5] = 6;
  memcpy(rd + 6, text, tl);
  reply(&p, 0x0182, 0, 1); /* SERVFAIL */
  opt(&p, 0, rd, 6 + tl);
  if (parse(&p, &r, "EDE 6 with text") == 0) {
    is_int(r.rcode, 2, "SERVFAIL");
    is_int(r.edns.ede, 6, "EDE 6");
    is_str(r.edns.ede_text, text, "its text");
    is_str(sw_dns_ede_name(r.edns.ede), "DNSSEC Bogus", "named");
    ok(sw_dns_ede_dnssec(6) && sw_dns_ede_dnssec(7) && !sw_dns_ede_dnssec(3) &&
           !sw_dns_ede_dnssec(22),
       "DNSSEC codes told apart");
    sw_dns_reply_free(&r);
  }
  /* hostile text: control bytes, '|', 250 bytes: sanitised and cut */
  memset(rd + 6, 'x', 250);
  memcpy(rd + 6, "ok|\n\x1b[31m", 9);
  rd[3] = 252;
  reply(&p, 0x0182, 0, 1);
  opt(&p, 0, rd, 6 + 250);
  if (parse(&p, &r, "EDE with hostile text") == 0) {
    ok(strncmp(r.edns.ede_text, "ok/??[31m", 9) == 0,
       "'|' and control bytes replaced (%.12s)", r.edns.ede_text);
    ok(strlen(r.edns.ede_text) <= 103, "cut (%zu characters)",
       strlen(r.edns.ede_text));
    sw_dns_reply_free(&r);
  }
  /* two EDEs: the first counts; an EDE of one byte is ignored */
  static const unsigned char two[] = {0, 15, 0, 1,  9, 0, 15, 0, 2,
                                      0, 7,  0, 15, 0, 2, 0,  22};
  reply(&p, 0x0182, 0, 1);
  opt(&p, 0, two, sizeof two);
  if (parse(&p, &r, "short EDE then two") == 0) {
    is_int(r.edns.ede, 7, "the first well-formed EDE (7)");
    is_str(r.edns.ede_text, "", "no text");
    is_str(sw_dns_ede_name(7), "Signature Expired", "7 named");
    is_str(sw_dns_ede_name(999), "", "unknown code: no name");
    sw_dns_reply_free(&r);
  }
}

static void test_hostile(void) {
  pkt p;
  static const unsigned char past[] = {0, 15, 0, 40, 0, 6};
  reply(&p, 0x0180, 0, 1);
  opt(&p, 0, past, sizeof past);
  parse_bad(&p, "run past", "option length past the OPT data");
  static const unsigned char half[] = {0, 15, 0};
  reply(&p, 0x0180, 0, 1);
  opt(&p, 0, half, sizeof half);
  parse_bad(&p, "run past", "option header cut");
  reply(&p, 0x0180, 0, 1);
  opt(&p, 0, NULL, 0);
  p.n -= 1; /* rdlength cut */
  parse_bad(&p, "additional record 1", "OPT cut in its fixed fields");
  reply(&p, 0x0180, 0, 1);
  opt(&p, 0, NULL, 0);
  p.b[p.n - 1] = 20; /* rdlength past the end */
  parse_bad(&p, "runs past the reply", "OPT rdlength past the end");
  reply(&p, 0x0180, 0, 2);
  opt(&p, 0, NULL, 0);
  opt(&p, 0, NULL, 0);
  parse_bad(&p, "two OPT", "two OPT records");
  reply(&p, 0x0180, 0, 1);
  put_name(&p, "x");
  put16(&p, 41);
  put16(&p, 512);
  put32(&p, 0);
  put16(&p, 0);
  parse_bad(&p, "root", "OPT owned by another name");
  reply(&p, 0x0180, 0, 3); /* arcount past what is there */
  opt(&p, 0, NULL, 0);
  parse_bad(&p, "additional record 2", "arcount 3, one record");
  reply(&p, 0x0180, 1, 1);
  put8(&p, 0x40); /* reserved label type */
  parse_bad(&p, "authority record 1", "label type 01");
  /* a TC reply may stop short of its counts: judged as truncated */
  sw_dns_reply r;
  reply(&p, 0x0380, 0, 1);
  if (parse(&p, &r, "TC reply without its OPT") == 0) {
    ok(r.tc && !r.edns.present, "truncated, no OPT");
    sw_dns_reply_free(&r);
  }
  /* an OPT in the answer section is not the reply's OPT */
  reply(&p, 0x0180, 0, 0);
  p.b[7] = 2;
  opt(&p, 0, NULL, 0);
  if (parse(&p, &r, "OPT in the answer section") == 0) {
    ok(!r.edns.present, "not taken as EDNS");
    sw_dns_reply_free(&r);
  }
}

int main(void) {
  test_plain();
  test_ecs();
  test_ede();
  test_hostile();
  return tap_done();
}
