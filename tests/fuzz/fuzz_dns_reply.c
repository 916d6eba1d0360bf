/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS answer formatting (lib/dns_reply.c): the input is a reply packet
 * as a resolver sends it, parsed as the answer to each query type
 * check_resolve asks, with every record formatted for output.
 * Properties: records come back only of the asked type; every text the
 * plugin prints (record, CNAME chain) is terminated inside its array and
 * cannot add an output line or a '|'; the exact key (what -a matches)
 * and canonical bytes (what -C compares) lie inside the record's one
 * allocation; A/AAAA records carry
 * their family; a malformed reply has a message and owns nothing.
 * The OPT RR (lib/dns_edns.c): the rcode stays within 12 bits; nothing
 * of EDNS without an OPT RR; an ECS option is either noted malformed
 * (no scope taken) or has a known family and prefixes within its
 * address; the EDE text is terminated inside its array, printable and
 * cut at 100 characters (with "..."). */
#include <sys/socket.h>

#include "fuzz.h"
#include "streamwatch/dns.h"

static const int qtypes[] = {SW_DNS_A,   SW_DNS_AAAA, SW_DNS_CNAME, SW_DNS_NS,
                             SW_DNS_PTR, SW_DNS_MX,   SW_DNS_TXT,   SW_DNS_SRV,
                             SW_DNS_SOA, SW_DNS_CAA};

static void check_edns(const sw_dns_edns_reply *e) {
  if (!e->present) {
    FUZZ_ASSERT(!e->ecs && e->ede == -1 && e->ecs_scope == -1);
    return;
  }
  if (e->ecs && !e->ecs_bad) {
    unsigned max = e->ecs_echo.family == AF_INET ? 32 : 128;
    FUZZ_ASSERT(e->ecs_echo.family == AF_INET ||
                e->ecs_echo.family == AF_INET6);
    FUZZ_ASSERT(e->ecs_echo.prefix <= max);
    FUZZ_ASSERT(e->ecs_scope >= 0 && (unsigned)e->ecs_scope <= max);
  } else {
    FUZZ_ASSERT(e->ecs_scope == -1);
    FUZZ_ASSERT(!e->ecs_bad || fuzz_printable(e->ecs_bad));
  }
  FUZZ_ASSERT(e->ede >= -1 && e->ede <= 65535);
  FUZZ_ASSERT(sw_dns_ede_name(e->ede) != NULL);
  FUZZ_ASSERT(memchr(e->ede_text, '\0', sizeof e->ede_text) != NULL);
  size_t chars = 0; /* UTF-8 characters: all but continuation bytes */
  for (const char *c = e->ede_text; *c; c++)
    chars += ((unsigned char)*c & 0xC0) != 0x80;
  FUZZ_ASSERT(fuzz_printable(e->ede_text) && chars <= 103);
  FUZZ_ASSERT(e->ede >= 0 || e->ede_text[0] == '\0');
}

static void check(const unsigned char *buf, size_t n, int qtype) {
  sw_dns_reply r;
  sw_err err = {""};

  if (sw_dns_reply_parse(buf, n, qtype, &r, &err) != 0) {
    FUZZ_ASSERT(err.msg[0] != '\0');
    FUZZ_ASSERT(r.rrs == NULL && r.nrrs == 0);
    return;
  }
  FUZZ_ASSERT(r.rcode >= 0 && r.rcode <= (r.edns.present ? 4095 : 15));
  check_edns(&r.edns);
  FUZZ_ASSERT(memchr(r.chain, '\0', sizeof r.chain) != NULL);
  FUZZ_ASSERT(fuzz_printable(r.chain));
  for (size_t i = 0; i < r.nrrs; i++) {
    const sw_dns_rr *rr = &r.rrs[i];
    FUZZ_ASSERT(rr->type == qtype);
    /* the text is printed: short, one line; the key and canonical bytes
     * are what -a and -C judge, exact, never printed */
    FUZZ_ASSERT(strlen(rr->text) < 256 && fuzz_printable(rr->text));
    FUZZ_ASSERT(rr->key[rr->keylen] == '\0');
    FUZZ_ASSERT(rr->keylen + rr->canonlen + strlen(rr->text) + 3 <= rr->bytes);
    FUZZ_ASSERT(rr->ttl <= 0x7FFFFFFFUL);
    if (qtype == SW_DNS_A || qtype == SW_DNS_AAAA)
      FUZZ_ASSERT(rr->family == (qtype == SW_DNS_A ? AF_INET : AF_INET6));
  }
  sw_dns_reply_free(&r);
  FUZZ_ASSERT(r.rrs == NULL && r.nrrs == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  unsigned char *buf = (unsigned char *)fuzz_bytes(d, n);

  for (size_t i = 0; i < sizeof qtypes / sizeof *qtypes; i++)
    check(buf, n, qtypes[i]);
  free(buf);
  return 0;
}
