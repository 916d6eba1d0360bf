/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/dns_reply.c: sw_dns_reply_parse over hand-built DNS
 * messages (RFC 1035 4.1), well-formed and malformed. The malformed ones
 * are also the leak test: run this program under valgrind or ASan. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "dns_pkt.h"
#include "tap.h"

/* ------------------------------------------------------- the builder */

/* Header: id 0x1234, flags as given (QR is added), counts. */
static void header(pkt *p, unsigned flags, unsigned qd, unsigned an) {
  p->n = 0;
  put16(p, 0x1234);
  put16(p, 0x8000 | flags);
  put16(p, qd);
  put16(p, an);
  put16(p, 0); /* nscount */
  put16(p, 0); /* arcount */
}

/* Header plus one question for name/qtype, class IN. The name starts at
 * offset 12, which the answers point to. */
static void query(pkt *p, unsigned flags, unsigned an, const char *name,
                  unsigned qtype) {
  header(p, flags, 1, an);
  put_name(p, name);
  put16(p, qtype);
  put16(p, 1);
}

/* Type, class IN, TTL and a placeholder rdlength after an owner name the
 * caller wrote; returns where rdlength goes for rr_end. */
static size_t rr_begin(pkt *p, unsigned type, unsigned long ttl) {
  put16(p, type);
  put16(p, 1);
  put32(p, ttl);
  size_t at = p->n;
  put16(p, 0);
  return at;
}

/* Fills in the rdlength of the record started at `at`. */
static void rr_end(pkt *p, size_t at) {
  size_t len = p->n - at - 2;
  p->b[at] = (unsigned char)(len >> 8);
  p->b[at + 1] = (unsigned char)(len & 0xff);
}

/* An A record owned by the question name (pointer to offset 12). */
static void answer_a(pkt *p, const char *addr, unsigned long ttl) {
  unsigned char bin[4];
  inet_pton(AF_INET, addr, bin);
  put_ptr(p, 12);
  size_t at = rr_begin(p, SW_DNS_A, ttl);
  put_bytes(p, bin, 4);
  rr_end(p, at);
}

/* Parses p for qtype, expecting success. */
static int parse_ok(const pkt *p, int qtype, sw_dns_reply *r,
                    const char *name) {
  sw_err err = {{0}};
  int rc = sw_dns_reply_parse(p->b, p->n, qtype, r, &err);
  is_int(rc, 0, "%s: parses (%s)", name, rc ? err.msg : "");
  return rc;
}

/* Parses p for qtype, expecting it to be refused as malformed, with a
 * message and nothing left allocated in the reply. */
static void parse_bad(const unsigned char *b, size_t n, int qtype,
                      const char *name) {
  sw_dns_reply r;
  sw_err err = {{0}};
  memset(&r, 0x5a, sizeof r);
  is_int(sw_dns_reply_parse(b, n, qtype, &r, &err), -1, "%s: refused", name);
  ok(err.msg[0] != '\0', "%s: error message (%s)", name, err.msg);
  ok(r.rrs == NULL && r.nrrs == 0, "%s: no records left to free", name);
  /* Freeing a refused reply must be harmless too. */
  sw_dns_reply_free(&r);
}

/* ---------------------------------------------------------- answers */

static void test_a(void) {
  pkt p;
  sw_dns_reply r;
  query(&p, 0x0180, 2, "www.example", SW_DNS_A); /* RD RA */
  answer_a(&p, "10.1.2.3", 300);
  answer_a(&p, "10.1.2.4", 60);
  if (parse_ok(&p, SW_DNS_A, &r, "A x2") != 0)
    return;
  is_int(r.rcode, 0, "A: NOERROR");
  ok(!r.aa && !r.tc, "A: RD/RA are not AA/TC");
  is_int(r.nrrs, 2, "A: two records");
  is_str(r.chain, "", "A: no chain");
  if (r.nrrs == 2) {
    is_str(r.rrs[0].text, "10.1.2.3", "A: first text, wire order");
    is_str(r.rrs[0].key, "10.1.2.3", "A: first key");
    is_int(r.rrs[0].ttl, 300, "A: first TTL");
    is_int(r.rrs[0].type, SW_DNS_A, "A: type");
    is_int(r.rrs[0].family, AF_INET, "A: family");
    ok(memcmp(r.rrs[0].addr, "\x0a\x01\x02\x03", 4) == 0, "A: address bytes");
    is_str(r.rrs[1].text, "10.1.2.4", "A: second text");
    is_int(r.rrs[1].ttl, 60, "A: second TTL");
  }
  sw_dns_reply_free(&r);
  ok(r.rrs == NULL && r.nrrs == 0, "free empties the reply");
}

static void test_ttl(void) {
  pkt p;
  sw_dns_reply r;
  query(&p, 0, 2, "x", SW_DNS_A);
  answer_a(&p, "10.0.0.1", 0x7fffffffUL);
  answer_a(&p, "10.0.0.2", 0x80000001UL);
  if (parse_ok(&p, SW_DNS_A, &r, "TTL") != 0)
    return;
  if (r.nrrs == 2) {
    is_int(r.rrs[0].ttl, 0x7fffffffL, "largest TTL kept");
    /* RFC 2181 8: a TTL with the top bit set is treated as zero. */
    is_int(r.rrs[1].ttl, 0, "TTL with the top bit set is 0");
  } else {
    ok(0, "TTL: two records (%zu)", r.nrrs);
  }
  sw_dns_reply_free(&r);
}

static void test_aaaa(void) {
  pkt p;
  sw_dns_reply r;
  unsigned char bin[16];
  inet_pton(AF_INET6, "2001:db8::1", bin);
  query(&p, 0, 2, "v6.example", SW_DNS_AAAA);
  /* An A record in an AAAA answer is not what was asked: skipped. */
  answer_a(&p, "10.0.0.9", 5);
  put_ptr(&p, 12);
  size_t at = rr_begin(&p, SW_DNS_AAAA, 3600);
  put_bytes(&p, bin, 16);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_AAAA, &r, "AAAA") != 0)
    return;
  is_int(r.nrrs, 1, "AAAA: only the AAAA record");
  if (r.nrrs == 1) {
    is_str(r.rrs[0].text, "2001:db8::1", "AAAA: text");
    is_str(r.rrs[0].key, "2001:db8::1", "AAAA: key");
    is_int(r.rrs[0].family, AF_INET6, "AAAA: family");
    ok(memcmp(r.rrs[0].addr, bin, 16) == 0, "AAAA: address bytes");
    is_int(r.rrs[0].ttl, 3600, "AAAA: TTL");
  }
  sw_dns_reply_free(&r);
}

static void test_cname(void) {
  pkt p;
  sw_dns_reply r;
  /* www.x CNAME edge.x (edge + pointer to "x" at offset 16 in the
   * question), then edge.x A (owner: pointer to that rdata name). */
  query(&p, 0, 3, "www.x", SW_DNS_A);
  put_ptr(&p, 12);
  size_t at = rr_begin(&p, SW_DNS_CNAME, 60);
  size_t edge = p.n;
  put_labels(&p, "edge", 16);
  rr_end(&p, at);
  put_ptr(&p, edge);
  at = rr_begin(&p, SW_DNS_A, 30);
  put_bytes(&p, "\x0a\x00\x00\x05", 4);
  rr_end(&p, at);
  put_ptr(&p, edge);
  at = rr_begin(&p, SW_DNS_A, 30);
  put_bytes(&p, "\x0a\x00\x00\x06", 4);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_A, &r, "CNAME+A") != 0)
    return;
  is_str(r.chain, "www.x. -> edge.x.", "CNAME: chain text");
  is_int(r.nrrs, 2, "CNAME: only the A records returned");
  if (r.nrrs == 2) {
    is_str(r.rrs[0].text, "10.0.0.5", "CNAME: first A");
    is_str(r.rrs[1].text, "10.0.0.6", "CNAME: second A");
  }
  sw_dns_reply_free(&r);

  /* Two links, uncompressed names. */
  query(&p, 0, 3, "www.x", SW_DNS_A);
  put_name(&p, "www.x");
  at = rr_begin(&p, SW_DNS_CNAME, 60);
  put_name(&p, "a.x");
  rr_end(&p, at);
  put_name(&p, "a.x");
  at = rr_begin(&p, SW_DNS_CNAME, 60);
  put_name(&p, "b.x");
  rr_end(&p, at);
  put_name(&p, "b.x");
  at = rr_begin(&p, SW_DNS_A, 60);
  put_bytes(&p, "\x0a\x00\x00\x07", 4);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_A, &r, "CNAME x2") == 0) {
    is_str(r.chain, "www.x. -> a.x. -> b.x.", "two-link chain");
    is_int(r.nrrs, 1, "two-link chain: one A");
    sw_dns_reply_free(&r);
  }

  /* Asking for CNAME itself: the CNAME is the record, no chain. */
  query(&p, 0, 1, "www.x", SW_DNS_CNAME);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_CNAME, 60);
  put_name(&p, "Edge.X");
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_CNAME, &r, "CNAME query") == 0) {
    is_int(r.nrrs, 1, "CNAME query: one record");
    is_str(r.chain, "", "CNAME query: no chain");
    if (r.nrrs == 1) {
      is_str(r.rrs[0].text, "Edge.X.", "CNAME query: text as sent");
      is_str(r.rrs[0].key, "edge.x", "CNAME query: key lowercased, no dot");
    }
    sw_dns_reply_free(&r);
  }
}

static void test_mx_srv(void) {
  pkt p;
  sw_dns_reply r;
  query(&p, 0, 1, "example", SW_DNS_MX);
  put_ptr(&p, 12);
  size_t at = rr_begin(&p, SW_DNS_MX, 60);
  put16(&p, 10);
  put_labels(&p, "MX", 12); /* mx + pointer to "example" */
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_MX, &r, "MX") == 0) {
    is_int(r.nrrs, 1, "MX: one record");
    if (r.nrrs == 1) {
      is_str(r.rrs[0].text, "10 MX.example.", "MX: text");
      is_str(r.rrs[0].key, "mx.example", "MX: key lowercased without dot");
      is_int(r.rrs[0].family, 0, "MX: no address family");
    }
    sw_dns_reply_free(&r);
  }

  query(&p, 0, 1, "_https._tcp.example", SW_DNS_SRV);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_SRV, 60);
  put16(&p, 10);
  put16(&p, 5);
  put16(&p, 443);
  put_name(&p, "t.example");
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_SRV, &r, "SRV") == 0) {
    is_int(r.nrrs, 1, "SRV: one record");
    if (r.nrrs == 1) {
      is_str(r.rrs[0].text, "10 5 443 t.example.", "SRV: text");
      is_str(r.rrs[0].key, "t.example", "SRV: key");
    }
    sw_dns_reply_free(&r);
  }
}

static void test_txt(void) {
  pkt p;
  sw_dns_reply r;
  query(&p, 0, 1, "t.example", SW_DNS_TXT);
  put_ptr(&p, 12);
  size_t at = rr_begin(&p, SW_DNS_TXT, 60);
  put8(&p, 10);
  put_bytes(&p, "v=spf1 a|b", 10);
  put8(&p, 8);
  put_bytes(&p, " x\ny=1 |", 8);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_TXT, &r, "TXT") == 0) {
    is_int(r.nrrs, 1, "TXT: one record");
    if (r.nrrs == 1) {
      is_str(r.rrs[0].text, "v=spf1 a/b x?y=1 /",
             "TXT: strings joined, '|' -> '/', newline -> '?'");
      ok(r.rrs[0].keylen == 18 &&
             memcmp(r.rrs[0].key, "v=spf1 a|b x\ny=1 |", 18) == 0,
         "TXT: key is the whole raw text (what -a matches)");
    }
    sw_dns_reply_free(&r);
  }

  /* An empty character-string and an empty rdata are legal. */
  query(&p, 0, 1, "t.example", SW_DNS_TXT);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_TXT, 60);
  put8(&p, 0);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_TXT, &r, "empty TXT") == 0) {
    is_int(r.nrrs, 1, "empty TXT: one record");
    if (r.nrrs == 1)
      is_str(r.rrs[0].text, "", "empty TXT: empty text");
    sw_dns_reply_free(&r);
  }
}

static void test_soa_ptr_ns_caa(void) {
  pkt p;
  sw_dns_reply r;
  query(&p, 0x0400, 1, "example", SW_DNS_SOA);
  put_ptr(&p, 12);
  size_t at = rr_begin(&p, SW_DNS_SOA, 3600);
  put_labels(&p, "ns1", 12);
  put_labels(&p, "hostmaster", 12);
  put32(&p, 2024010101UL);
  put32(&p, 7200);
  put32(&p, 3600);
  put32(&p, 1209600);
  put32(&p, 300);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_SOA, &r, "SOA") == 0) {
    ok(r.aa, "SOA: AA set");
    is_int(r.nrrs, 1, "SOA: one record");
    if (r.nrrs == 1) {
      is_str(
          r.rrs[0].text,
          "ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300",
          "SOA: text");
      is_str(r.rrs[0].key, "ns1.example", "SOA: key is the primary");
    }
    sw_dns_reply_free(&r);
  }

  query(&p, 0, 1, "4.3.2.10.in-addr.arpa", SW_DNS_PTR);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_PTR, 60);
  put_name(&p, "host.example");
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_PTR, &r, "PTR") == 0) {
    is_int(r.nrrs, 1, "PTR: one record");
    if (r.nrrs == 1) {
      is_str(r.rrs[0].text, "host.example.", "PTR: text");
      is_str(r.rrs[0].key, "host.example", "PTR: key");
    }
    sw_dns_reply_free(&r);
  }

  query(&p, 0, 2, "example", SW_DNS_NS);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_NS, 60);
  put_labels(&p, "ns1", 12);
  rr_end(&p, at);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_NS, 60);
  put_name(&p, "NS2.Other.Example");
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_NS, &r, "NS") == 0) {
    is_int(r.nrrs, 2, "NS: two records");
    if (r.nrrs == 2) {
      is_str(r.rrs[0].text, "ns1.example.", "NS: first text");
      is_str(r.rrs[1].key, "ns2.other.example", "NS: second key");
    }
    sw_dns_reply_free(&r);
  }

  query(&p, 0, 1, "example", SW_DNS_CAA);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_CAA, 60);
  put8(&p, 0);
  put8(&p, 5);
  put_bytes(&p, "issue", 5);
  put_bytes(&p, "ca.example", 10);
  rr_end(&p, at);
  if (parse_ok(&p, SW_DNS_CAA, &r, "CAA") == 0) {
    is_int(r.nrrs, 1, "CAA: one record");
    if (r.nrrs == 1)
      is_str(r.rrs[0].text, "0 issue \"ca.example\"", "CAA: text");
    sw_dns_reply_free(&r);
  }
}

static void test_rcode_flags(void) {
  static const struct {
    unsigned rcode;
    const char *name;
  } rcodes[] = {{2, "SERVFAIL"}, {3, "NXDOMAIN"}, {5, "REFUSED"}};
  pkt p;
  sw_dns_reply r;
  char buf[32];
  for (size_t i = 0; i < 3; i++) {
    query(&p, 0x0100 | rcodes[i].rcode, 0, "www.example", SW_DNS_A);
    if (parse_ok(&p, SW_DNS_A, &r, rcodes[i].name) != 0)
      continue;
    is_int(r.rcode, rcodes[i].rcode, "%s: rcode", rcodes[i].name);
    is_str(sw_dns_rcode_name(r.rcode, buf, sizeof buf), rcodes[i].name,
           "%s: rcode name", rcodes[i].name);
    is_int(r.nrrs, 0, "%s: no answers", rcodes[i].name);
    ok(r.rrs == NULL, "%s: nothing allocated", rcodes[i].name);
    sw_dns_reply_free(&r);
  }

  query(&p, 0x0400 | 0x0200, 0, "big.example", SW_DNS_TXT); /* AA TC */
  if (parse_ok(&p, SW_DNS_TXT, &r, "AA+TC") == 0) {
    ok(r.aa, "AA flag");
    ok(r.tc, "TC flag");
    sw_dns_reply_free(&r);
  }
  query(&p, 0x0200, 0, "big.example", SW_DNS_TXT);
  if (parse_ok(&p, SW_DNS_TXT, &r, "TC only") == 0) {
    ok(!r.aa && r.tc, "TC without AA");
    sw_dns_reply_free(&r);
  }

  /* NODATA: NOERROR, no answers. */
  query(&p, 0x0400, 0, "www.example", SW_DNS_AAAA);
  if (parse_ok(&p, SW_DNS_AAAA, &r, "NODATA") == 0) {
    is_int(r.rcode, 0, "NODATA: NOERROR");
    is_int(r.nrrs, 0, "NODATA: no records");
    is_str(r.chain, "", "NODATA: no chain");
    sw_dns_reply_free(&r);
  }

  /* A reply without a question section (qdcount 0) is still a reply. */
  header(&p, 0, 0, 0);
  if (parse_ok(&p, SW_DNS_A, &r, "no question") == 0)
    sw_dns_reply_free(&r);
}

/* -------------------------------------------------------- malformed */

static void test_malformed(void) {
  pkt p;
  size_t at;

  query(&p, 0, 0, "www.example", SW_DNS_A);
  parse_bad(p.b, 11, SW_DNS_A, "11 bytes");
  parse_bad(p.b, 0, SW_DNS_A, "0 bytes");

  query(&p, 0, 0, "www.example", SW_DNS_A);
  parse_bad(p.b, p.n - 2, SW_DNS_A, "question without its class");
  parse_bad(p.b, 12 + 5, SW_DNS_A, "question name cut short");
  header(&p, 0, 2, 0);
  put_name(&p, "a");
  put16(&p, 1);
  put16(&p, 1);
  parse_bad(p.b, p.n, SW_DNS_A, "qdcount 2, one question");

  query(&p, 0, 1, "www.example", SW_DNS_A);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_A, 60);
  put_bytes(&p, "\x0a\x00\x00\x01", 4);
  rr_end(&p, at);
  p.b[at + 1] = 40; /* rdlength 40, 4 bytes there */
  parse_bad(p.b, p.n, SW_DNS_A, "rdlength beyond the end");
  p.b[at + 1] = 4;
  parse_bad(p.b, p.n - 1, SW_DNS_A, "A rdata cut by the end");
  parse_bad(p.b, at, SW_DNS_A, "answer cut inside its fixed fields");

  query(&p, 0, 1, "www.example", SW_DNS_A);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_A, 60);
  put_bytes(&p, "\x0a\x00\x00\x01\x02", 5);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_A, "A with rdlength 5");

  query(&p, 0, 1, "www.example", SW_DNS_AAAA);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_AAAA, 60);
  put_bytes(&p, "\x0a\x00\x00\x01", 4);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_AAAA, "AAAA with rdlength 4");

  /* Compression pointer loops: a name pointing at itself, and two names
   * pointing at each other. */
  header(&p, 0, 1, 0);
  put_ptr(&p, 12);
  put16(&p, 1);
  put16(&p, 1);
  parse_bad(p.b, p.n, SW_DNS_A, "question name pointing at itself");

  query(&p, 0, 1, "x", SW_DNS_A);
  size_t owner = p.n;
  put_labels(&p, "a", owner); /* "a" then a pointer back to "a": a loop */
  at = rr_begin(&p, SW_DNS_A, 60);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_A, "answer owner in a pointer loop");

  header(&p, 0, 1, 0);
  put_ptr(&p, 14);
  put_ptr(&p, 12);
  put16(&p, 1);
  put16(&p, 1);
  parse_bad(p.b, p.n, SW_DNS_A, "two pointers pointing at each other");

  /* A pointer beyond the message. */
  header(&p, 0, 1, 0);
  put_ptr(&p, 500);
  put16(&p, 1);
  put16(&p, 1);
  parse_bad(p.b, p.n, SW_DNS_A, "pointer beyond the end");

  /* ancount 3 with two (allocated) records present: the records already
   * read must be freed. */
  query(&p, 0, 3, "www.example", SW_DNS_A);
  answer_a(&p, "10.0.0.1", 1);
  answer_a(&p, "10.0.0.2", 1);
  parse_bad(p.b, p.n, SW_DNS_A, "ancount larger than the records present");

  /* A bad record after good ones: the good ones are freed. */
  query(&p, 0, 3, "www.example", SW_DNS_A);
  answer_a(&p, "10.0.0.1", 1);
  answer_a(&p, "10.0.0.2", 1);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_A, 60);
  put_bytes(&p, "\x0a\x00\x00", 3);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_A, "third record malformed");

  /* Names in rdata that run past their rdlength. */
  query(&p, 0, 1, "www.x", SW_DNS_A);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_CNAME, 60);
  put_name(&p, "edge.x");
  rr_end(&p, at);
  p.b[at + 1] = 3;
  parse_bad(p.b, at + 2 + 3, SW_DNS_A, "CNAME target beyond the message");
  parse_bad(p.b, p.n, SW_DNS_A, "CNAME target beyond its rdlength");

  query(&p, 0, 1, "example", SW_DNS_MX);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_MX, 60);
  put16(&p, 10);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_MX, "MX without exchange");

  query(&p, 0, 1, "example", SW_DNS_SRV);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_SRV, 60);
  put16(&p, 10);
  put16(&p, 5);
  put8(&p, 0);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_SRV, "SRV cut in the port");

  query(&p, 0, 1, "example", SW_DNS_SOA);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_SOA, 60);
  put_ptr(&p, 12);
  put_ptr(&p, 12);
  put32(&p, 1);
  put32(&p, 2);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_SOA, "SOA without its five numbers");

  query(&p, 0, 1, "t", SW_DNS_TXT);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_TXT, 60);
  put8(&p, 20);
  put_bytes(&p, "short", 5);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_TXT, "TXT string longer than its rdata");

  query(&p, 0, 1, "example", SW_DNS_CAA);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_CAA, 60);
  put8(&p, 0);
  put8(&p, 0);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_CAA, "CAA with an empty tag");

  query(&p, 0, 1, "example", SW_DNS_CAA);
  put_ptr(&p, 12);
  at = rr_begin(&p, SW_DNS_CAA, 60);
  put8(&p, 0);
  put8(&p, 9);
  put_bytes(&p, "iss", 3);
  rr_end(&p, at);
  parse_bad(p.b, p.n, SW_DNS_CAA, "CAA tag longer than its rdata");
}

int main(void) {
  test_a();
  test_ttl();
  test_aaaa();
  test_cname();
  test_mx_srv();
  test_txt();
  test_soa_ptr_ns_caa();
  test_rcode_flags();
  test_malformed();
  return tap_done();
}
