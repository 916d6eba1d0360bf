/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OPT RR of a DNS reply (RFC 6891 6.1.2): the extended rcode, the
 * EDNS Client Subnet option's echo and scope (RFC 7871 6) and the first
 * Extended DNS Error (RFC 8914 4). Every byte here is the server's: each
 * length is checked against what arrived before it is used. */
#include <arpa/inet.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "streamwatch/sanitize.h"

#define OPT_TYPE 41
#define ECS_CODE 8  /* RFC 7871 6 */
#define EDE_CODE 15 /* RFC 8914 2 */

static unsigned get16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

/* Skips the name at *off (RFC 1035 4.1.4: labels up to a zero byte or a
 * compression pointer, which ends it). Returns 0, or -1 when it runs
 * past len or uses the reserved label types 01 and 10. */
static int skip_name(const unsigned char *buf, size_t len, size_t *off) {
  size_t o = *off;
  for (;;) {
    if (o >= len)
      return -1;
    unsigned l = buf[o];
    if ((l & 0xc0) == 0xc0) {
      if (o + 2 > len)
        return -1;
      *off = o + 2;
      return 0;
    }
    if (l & 0xc0)
      return -1;
    o += 1 + l;
    if (l == 0) {
      *off = o;
      return 0;
    }
  }
}

/* The ECS option's data (RFC 7871 6): FAMILY, SOURCE PREFIX-LENGTH,
 * SCOPE PREFIX-LENGTH, then ceil(source / 8) address bytes. A shape
 * other than that is noted, not fatal: the judge names it. */
static void read_ecs(const unsigned char *d, size_t n, sw_dns_edns_reply *e) {
  e->ecs = true;
  if (n < 4) {
    e->ecs_bad = "ECS option shorter than its fixed fields";
    return;
  }
  unsigned fam = get16(d), src = d[2], scope = d[3];
  unsigned max = fam == 1 ? 32 : fam == 2 ? 128 : 0;
  if (!max) {
    e->ecs_bad = "ECS option of an unknown address family";
    return;
  }
  if (src > max || scope > max) {
    e->ecs_bad = "ECS option with a prefix longer than its address";
    return;
  }
  if (n - 4 != (src + 7) / 8) {
    e->ecs_bad = "ECS option whose address length is not its prefix's";
    return;
  }
  e->ecs_echo.family = fam == 1 ? AF_INET : AF_INET6;
  e->ecs_echo.prefix = (unsigned char)src;
  memcpy(e->ecs_echo.addr, d + 4, n - 4);
  e->ecs_scope = (int)scope;
}

/* The options of the OPT RR's rdata (RFC 6891 6.1.2: code, length,
 * data). Returns 0, or -1 when an option runs past the rdata. */
static int read_options(const unsigned char *d, size_t n,
                        sw_dns_edns_reply *e) {
  size_t o = 0;
  while (o < n) {
    if (n - o < 4)
      return -1;
    unsigned code = get16(d + o), olen = get16(d + o + 2);
    o += 4;
    if (olen > n - o)
      return -1;
    if (code == ECS_CODE && !e->ecs) {
      read_ecs(d + o, olen, e);
    } else if (code == EDE_CODE && e->ede < 0 && olen >= 2) {
      e->ede = (int)get16(d + o);
      sw_sanitize(e->ede_text, sizeof e->ede_text, (const char *)d + o + 2,
                  olen - 2, 100);
    }
    o += olen;
  }
  return 0;
}

int sw_dns_edns_parse(const unsigned char *buf, size_t len, size_t off,
                      unsigned an, unsigned ns, unsigned ar, sw_dns_reply *r,
                      sw_err *err) {
  sw_dns_edns_reply *e = &r->edns;
  memset(e, 0, sizeof *e);
  e->ede = -1;
  e->ecs_scope = -1;
  unsigned long total = (unsigned long)an + ns + ar;
  for (unsigned long i = 0; i < total; i++) {
    size_t owner = off;
    if (skip_name(buf, len, &off) < 0 || len - off < 10)
      return sw_fail(err, "%s record %lu is malformed",
                     i < an        ? "answer"
                     : i < an + ns ? "authority"
                                   : "additional",
                     i < an        ? i + 1
                     : i < an + ns ? i - an + 1
                                   : i - an - ns + 1);
    const unsigned char *p = buf + off;
    size_t rdlen = get16(p + 8);
    if (rdlen > len - off - 10)
      return sw_fail(err, "record %lu's data runs past the reply", i + 1);
    off += 10;
    if (i >= (unsigned long)an + ns && get16(p) == OPT_TYPE) {
      if (e->present)
        return sw_fail(err, "two OPT records (RFC 6891 6.1.1)");
      if (off - 10 - owner != 1 || buf[owner] != 0)
        return sw_fail(err, "OPT record not owned by the root");
      e->present = true;
      /* TTL: EXTENDED-RCODE, VERSION, DO/Z (RFC 6891 6.1.3) */
      r->rcode |= (int)p[4] << 4;
      if (read_options(buf + off, rdlen, e) < 0)
        return sw_fail(err, "OPT record's options run past its data");
    }
    off += rdlen;
  }
  return 0;
}

const char *sw_dns_ede_name(int code) {
  /* RFC 8914 4.1-4.25 */
  static const char *const names[] = {"Other Error",
                                      "Unsupported DNSKEY Algorithm",
                                      "Unsupported DS Digest Type",
                                      "Stale Answer",
                                      "Forged Answer",
                                      "DNSSEC Indeterminate",
                                      "DNSSEC Bogus",
                                      "Signature Expired",
                                      "Signature Not Yet Valid",
                                      "DNSKEY Missing",
                                      "RRSIGs Missing",
                                      "No Zone Key Bit Set",
                                      "NSEC Missing",
                                      "Cached Error",
                                      "Not Ready",
                                      "Blocked",
                                      "Censored",
                                      "Filtered",
                                      "Prohibited",
                                      "Stale NXDOMAIN Answer",
                                      "Not Authoritative",
                                      "Not Supported",
                                      "No Reachable Authority",
                                      "Network Error",
                                      "Invalid Data"};
  if (code < 0 || (size_t)code >= sizeof names / sizeof names[0])
    return "";
  return names[code];
}

bool sw_dns_ede_dnssec(int code) {
  return code == 1 || code == 2 || (code >= 5 && code <= 12);
}
