/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/dns_query.c: the query messages sw_dns_query_wire
 * builds, byte for byte against messages written out by hand from RFC
 * 1035 4.1, RFC 6891 6.1.2 and RFC 7871 6, and --client-subnet's parse. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "tap.h"

static void same_bytes(const unsigned char *got, size_t glen,
                       const unsigned char *want, size_t wlen,
                       const char *name) {
  int same = glen == wlen && memcmp(got, want, wlen) == 0;
  ok(same, "%s: bytes as built by hand", name);
  if (same)
    return;
  printf("#   got  %zu:", glen);
  for (size_t i = 0; i < glen; i++)
    printf(" %02x", got[i]);
  printf("\n#   want %zu:", wlen);
  for (size_t i = 0; i < wlen; i++)
    printf(" %02x", want[i]);
  printf("\n");
}

static void wire_is(const char *name, int qtype, unsigned short id,
                    const sw_dns_wire_opts *o, const unsigned char *want,
                    size_t wlen, const char *what) {
  unsigned char buf[SW_DNS_QUERY_MAX];
  size_t len = 0;
  sw_err err = {{0}};
  int rc = sw_dns_query_wire(name, qtype, id, o, buf, sizeof buf, &len, &err);
  is_int(rc, 0, "%s: built (%s)", what, rc ? err.msg : "");
  if (rc == 0)
    same_bytes(buf, len, want, wlen, what);
}

static void test_plain(void) {
  static const unsigned char a[] = {0x12, 0x34, 0x01, 0x00, 0, 1,   0,   0,
                                    0,    0,    0,    0, /* header, RD */
                                    3,    'w',  'w',  'w',  7, 'e', 'x', 'a',
                                    'm',  'p',  'l',  'e',  4, 't', 'e', 's',
                                    't',  0,    0,    1,    0, 1};
  sw_dns_wire_opts o = {.rd = true};
  wire_is("www.example.test", SW_DNS_A, 0x1234, &o, a, sizeof a, "A, RD");
  wire_is("www.example.test.", SW_DNS_A, 0x1234, &o, a, sizeof a,
          "trailing dot: the same message");

  static const unsigned char root[] = {0xff, 0xfe, 0, 0, 0, 1, 0, 0, 0,
                                       0,    0,    0, 0, 0, 2, 0, 1};
  sw_dns_wire_opts nord = {.rd = false};
  wire_is(".", SW_DNS_NS, 0xfffe, &nord, root, sizeof root, "root NS, no RD");

  static const unsigned char esc[] = {0, 1,   1, 0, 0,  1,   0,   0,
                                      0, 0,   0, 0, 3,  'a', '.', 'b',
                                      1, 'A', 0, 0, 16, 0,   1};
  wire_is("a\\.b.\\065", SW_DNS_TXT, 1, &o, esc, sizeof esc,
          "escapes \\. and \\065");
}

static void test_edns(void) {
  static const unsigned char dnssec[] = {
      0xab, 0xcd, 0x01, 0x00, 0,    1,   0,   0, 0, 0, 0, 1, /* ARCOUNT 1 */
      1,    'a',  4,    't',  'e',  's', 't', 0, 0, 1, 0, 1,
      0,    0,    41,   0x04, 0xd0, /* OPT, UDP size 1232 */
      0,    0,    0x80, 0x00,       /* ext rcode 0, version 0, DO */
      0,    0};                     /* no options */
  sw_dns_wire_opts o = {.rd = true, .dnssec = true};
  wire_is("a.test", SW_DNS_A, 0xabcd, &o, dnssec, sizeof dnssec,
          "--dnssec: OPT with DO");

  sw_dns_subnet s4;
  sw_err err;
  ok(sw_dns_subnet_parse("10.1.0.0/16", &s4, &err) == 0, "10.1.0.0/16 parses");
  static const unsigned char ecs4[] =
      {0,  7,  0x01, 0x00, 0,   1,    0,    0,   0, 0, 0,
       1,  1,  'a',  4,    't', 'e',  's',  't', 0, 0, 28,
       0,  1,  0,    0,    41,  0x04, 0xd0, 0,   0, 0, 0, /* no DO */
       0,  10,                                            /* RDLENGTH */
       0,  8,  0,    6,                                   /* ECS, length 6 */
       0,  1,  16,   0, /* IPv4, /16, scope 0 */
       10, 1};          /* two bytes */
  sw_dns_wire_opts oe = {.rd = true, .ecs = &s4};
  wire_is("a.test", SW_DNS_AAAA, 7, &oe, ecs4, sizeof ecs4,
          "ECS 10.1.0.0/16: address cut to 2 bytes");

  sw_dns_subnet s6;
  ok(sw_dns_subnet_parse("2001:db8:ff00::/41", &s6, &err) == 0,
     "2001:db8:ff00::/41 parses");
  static const unsigned char ecs6[] = {
      0,    8,    0,    0,    0,    1,   0,  0,    0,    0, 0, 1,    0,
      0,    2,    0,    1,    0,    0,   41, 0x04, 0xd0, 0, 0, 0x80, 0,
      0,    14,   0,    8,    0,    10,  0,  2,    41,   0, /* IPv6, /41 */
      0x20, 0x01, 0x0d, 0xb8, 0xff, 0x00};                  /* six bytes */
  sw_dns_wire_opts o6 = {.rd = false, .dnssec = true, .ecs = &s6};
  wire_is(".", SW_DNS_NS, 8, &o6, ecs6, sizeof ecs6,
          "ECS 2001:db8:ff00::/41 with DO: address cut to 6 bytes");

  sw_dns_subnet s0;
  ok(sw_dns_subnet_parse("0.0.0.0/0", &s0, &err) == 0, "0.0.0.0/0 parses");
  static const unsigned char ecs0[] = {
      0, 9, 1,  0, 0,    1, 0, 0, 0, 0, 0, 1, 1, 'a', 0, 0, 1, 0, 1,
      0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 8, 0, 8, 0,   4, 0, 1, 0, 0};
  sw_dns_wire_opts o0 = {.rd = true, .ecs = &s0};
  wire_is("a", SW_DNS_A, 9, &o0, ecs0, sizeof ecs0,
          "ECS /0 (RFC 7871 7.1.2 opt-out): no address bytes");

  static const unsigned char big[] = {0, 1,  1,    0,   0, 1, 0, 0, 0, 0,
                                      0, 1,  1,    'a', 0, 0, 1, 0, 1, 0,
                                      0, 41, 0x10, 0,   0, 0, 0, 0, 0, 0};
  sw_dns_wire_opts ob = {.rd = true, .edns = true, .udp_size = 4096};
  wire_is("a", SW_DNS_A, 1, &ob, big, sizeof big, "plain EDNS, size 4096");
}

static void bad_name(const char *name, const char *what) {
  unsigned char buf[SW_DNS_QUERY_MAX];
  size_t len = 0;
  sw_err err = {{0}};
  sw_dns_wire_opts o = {.rd = true};
  is_int(sw_dns_query_wire(name, SW_DNS_A, 1, &o, buf, sizeof buf, &len, &err),
         -1, "%s: refused", what);
  ok(err.msg[0] != '\0', "%s: says why (%s)", what, err.msg);
}

static void test_bad(void) {
  char label64[80], long_name[300];
  memset(label64, 'a', 64);
  strcpy(label64 + 64, ".test");
  bad_name(label64, "label of 64 bytes");
  bad_name("a..test", "empty label");
  bad_name(".a.test", "leading dot");
  bad_name("a\\", "escape at the end");
  bad_name("a\\25", "short \\DDD");
  bad_name("a\\256", "\\DDD over 255");
  for (size_t i = 0; i < 128; i++)
    memcpy(long_name + 2 * i, "a.", 2);
  long_name[256] = '\0';
  bad_name(long_name, "name of 257 wire bytes");
  long_name[254] = '\0'; /* 127 labels: 255 bytes */
  unsigned char buf[SW_DNS_QUERY_MAX];
  size_t len = 0;
  sw_err err;
  sw_dns_wire_opts o = {.rd = true};
  is_int(sw_dns_query_wire(long_name, SW_DNS_A, 1, &o, buf, sizeof buf, &len,
                           &err),
         0, "name of 255 wire bytes is built");
  is_int(len, 12 + 255 + 4, "and is all there");
  is_int(sw_dns_query_wire("a.test", SW_DNS_A, 1, &o, buf, 20, &len, &err), -1,
         "a buffer too small is an error, not an overrun");
}

static void good_subnet(const char *text, int family, unsigned prefix,
                        const char *shown) {
  sw_dns_subnet s;
  sw_err err = {{0}};
  int rc = sw_dns_subnet_parse(text, &s, &err);
  is_int(rc, 0, "'%s' parses (%s)", text, rc ? err.msg : "");
  is_int(s.family, family, "'%s' family", text);
  is_int(s.prefix, prefix, "'%s' prefix", text);
  is_str(s.text, shown, "'%s' shown as", text);
}

static void bad_subnet(const char *text, const char *why) {
  sw_dns_subnet s;
  sw_err err = {{0}};
  is_int(sw_dns_subnet_parse(text, &s, &err), -1, "'%s' refused", text);
  ok(strstr(err.msg, why) != NULL, "'%s': %s (%s)", text, why, err.msg);
  is_int(s.family, 0, "'%s' leaves no subnet", text);
}

static void test_subnet(void) {
  good_subnet("10.1.0.0/16", AF_INET, 16, "10.1.0.0/16");
  good_subnet("192.0.2.7/32", AF_INET, 32, "192.0.2.7/32");
  good_subnet("0.0.0.0/0", AF_INET, 0, "0.0.0.0/0");
  good_subnet("2001:DB8::/56", AF_INET6, 56, "2001:db8::/56");
  good_subnet("::/0", AF_INET6, 0, "::/0");
  good_subnet("2001:db8::1/128", AF_INET6, 128, "2001:db8::1/128");
  bad_subnet("10.1.0.0", "ADDRESS/PREFIX");
  bad_subnet("10.1.0.0/33", "from 0 to 32");
  bad_subnet("2001:db8::/129", "from 0 to 128");
  bad_subnet("10.1.0.0/", "from 0 to 32");
  bad_subnet("10.1.0.0/-1", "from 0 to 32");
  bad_subnet("10.1.0.0/16x", "from 0 to 32");
  bad_subnet("10.1.0.0/ 16", "from 0 to 32");
  bad_subnet("10.1.2.3/16", "host bits set");
  bad_subnet("10.1.2.3/16", "10.1.0.0/16");
  bad_subnet("2001:db8::1/64", "2001:db8::/64");
  bad_subnet("10.1/16", "not an IPv4 or IPv6 address");
  bad_subnet("host.example/24", "not an IPv4 or IPv6 address");
  bad_subnet("/24", "not an IPv4 or IPv6 address");
}

int main(void) {
  test_plain();
  test_edns();
  test_bad();
  test_subnet();
  return tap_done();
}
