/* Parsing of a DNS reply (RFC 1035 4.1): header, question skipped, the
 * answer section's records of the asked type formatted for output. Names
 * are decompressed by c-ares' ares_expand_name. */
#include <arpa/inet.h>
#include <ares.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "streamwatch/dns.h"
#include "streamwatch/sanitize.h"

typedef struct {
  const unsigned char *buf;
  size_t len;
} msg;

static unsigned get16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

static unsigned long get32(const unsigned char *p) {
  return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
         (unsigned long)p[2] << 8 | p[3];
}

/* Expands the name at off into out ("host.example." with its dot, "."
 * for the root) and returns its encoded length, or -1 when malformed. */
static long read_name(const msg *m, size_t off, char *out, size_t n) {
  char *name = NULL;
  long enclen = 0;
  if (off >= m->len || ares_expand_name(m->buf + off, m->buf, (int)m->len,
                                        &name, &enclen) != ARES_SUCCESS)
    return -1;
  char clean[256];
  sw_sanitize(clean, sizeof clean, name, strlen(name), 0);
  snprintf(out, n, "%s.", clean[0] ? clean : "");
  ares_free_string(name);
  return enclen;
}

/* The key -a texts match: lowercased, without the trailing dot. */
static void set_key(sw_dns_rr *rr, const char *name) {
  size_t i = 0;
  for (; name[i] && i + 1 < sizeof rr->key; i++)
    rr->key[i] =
        (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
  if (i > 1 && rr->key[i - 1] == '.')
    i--;
  rr->key[i] = '\0';
}

/* TXT (RFC 1035 3.3.14): character-strings joined; CAA (RFC 8659 4.1). */
static int format_strings(const msg *m, size_t off, size_t rdlen,
                          sw_dns_rr *rr) {
  char raw[1024];
  size_t rl = 0, pos = 0;
  if (rr->type == SW_DNS_CAA) {
    if (rdlen < 2 || m->buf[off + 1] == 0 || 2u + m->buf[off + 1] > rdlen)
      return -1;
    rl = (size_t)snprintf(raw, sizeof raw, "%u %.*s \"", m->buf[off],
                          (int)m->buf[off + 1], (const char *)m->buf + off + 2);
    pos = 2u + m->buf[off + 1];
    size_t vl = rdlen - pos;
    vl = vl < sizeof raw - rl - 2 ? vl : sizeof raw - rl - 2;
    memcpy(raw + rl, m->buf + off + pos, vl);
    rl += vl;
    raw[rl++] = '"';
  } else {
    while (pos < rdlen) {
      size_t sl = m->buf[off + pos];
      if (pos + 1 + sl > rdlen)
        return -1;
      size_t take = sl < sizeof raw - rl ? sl : sizeof raw - rl;
      memcpy(raw + rl, m->buf + off + pos + 1, take);
      rl += take;
      pos += 1 + sl;
    }
  }
  sw_sanitize(rr->text, sizeof rr->text, raw, rl, 200);
  snprintf(rr->key, sizeof rr->key, "%s", rr->text);
  return 0;
}

/* Formats the rdata of rr->type at off (rdlen bytes) into rr. */
static int format_rdata(const msg *m, size_t off, size_t rdlen, sw_dns_rr *rr) {
  char name[256], name2[256];
  long nl;
  switch (rr->type) {
  case SW_DNS_A:
  case SW_DNS_AAAA:
    rr->family = rr->type == SW_DNS_A ? AF_INET : AF_INET6;
    if (rdlen != (rr->type == SW_DNS_A ? 4u : 16u))
      return -1;
    memcpy(rr->addr, m->buf + off, rdlen);
    inet_ntop(rr->family, rr->addr, rr->text, sizeof rr->text);
    snprintf(rr->key, sizeof rr->key, "%s", rr->text);
    return 0;
  case SW_DNS_CNAME:
  case SW_DNS_NS:
  case SW_DNS_PTR:
    if ((nl = read_name(m, off, name, sizeof name)) < 0 || (size_t)nl > rdlen)
      return -1;
    snprintf(rr->text, sizeof rr->text, "%s", name);
    set_key(rr, name);
    return 0;
  case SW_DNS_MX:
    if (rdlen < 3 || (nl = read_name(m, off + 2, name, sizeof name)) < 0 ||
        (size_t)nl + 2 > rdlen)
      return -1;
    snprintf(rr->text, sizeof rr->text, "%u %s", get16(m->buf + off), name);
    set_key(rr, name);
    return 0;
  case SW_DNS_SRV:
    if (rdlen < 7 || (nl = read_name(m, off + 6, name, sizeof name)) < 0 ||
        (size_t)nl + 6 > rdlen)
      return -1;
    snprintf(rr->text, sizeof rr->text, "%u %u %u %s", get16(m->buf + off),
             get16(m->buf + off + 2), get16(m->buf + off + 4), name);
    set_key(rr, name);
    return 0;
  case SW_DNS_SOA: {
    long n2;
    if ((nl = read_name(m, off, name, sizeof name)) < 0 ||
        (n2 = read_name(m, off + (size_t)nl, name2, sizeof name2)) < 0 ||
        (size_t)(nl + n2 + 20) != rdlen)
      return -1;
    const unsigned char *p = m->buf + off + nl + n2;
    snprintf(rr->text, sizeof rr->text, "%.100s %.100s %lu %lu %lu %lu %lu",
             name, name2, get32(p), get32(p + 4), get32(p + 8), get32(p + 12),
             get32(p + 16));
    set_key(rr, name);
    return 0;
  }
  default: return format_strings(m, off, rdlen, rr);
  }
}

/* Appends "owner. -> target." links of the CNAME chain. */
static void chain_add(sw_dns_reply *r, const char *owner, const char *target) {
  size_t cl = strlen(r->chain);
  if (cl == 0)
    snprintf(r->chain, sizeof r->chain, "%s -> %s", owner, target);
  else
    snprintf(r->chain + cl, sizeof r->chain - cl, " -> %s", target);
}

/* Reads one answer RR at *off; adds it to r when it is of qtype. */
static int read_answer(const msg *m, size_t *off, int qtype, sw_dns_reply *r) {
  char owner[256];
  long nl = read_name(m, *off, owner, sizeof owner);
  if (nl < 0 || *off + (size_t)nl + 10 > m->len)
    return -1;
  const unsigned char *p = m->buf + *off + nl;
  int type = (int)get16(p);
  size_t rdlen = get16(p + 8), rdoff = *off + (size_t)nl + 10;
  if (rdoff + rdlen > m->len)
    return -1;
  *off = rdoff + rdlen;
  sw_dns_rr rr;
  memset(&rr, 0, sizeof rr);
  rr.type = type;
  rr.ttl = get32(p + 4);
  if (rr.ttl & 0x80000000UL) /* RFC 2181 8: the whole TTL counts as 0 */
    rr.ttl = 0;
  if (type == SW_DNS_CNAME && qtype != SW_DNS_CNAME) {
    if (format_rdata(m, rdoff, rdlen, &rr) < 0)
      return -1;
    chain_add(r, owner, rr.text);
    return 0;
  }
  if (type != qtype)
    return 0; /* RRSIG and the like: not what was asked */
  if (format_rdata(m, rdoff, rdlen, &rr) < 0)
    return -1;
  sw_dns_rr *rrs = realloc(r->rrs, (r->nrrs + 1) * sizeof *rrs);
  if (!rrs)
    return -2;
  r->rrs = rrs;
  r->rrs[r->nrrs++] = rr;
  return 0;
}

int sw_dns_reply_parse(const unsigned char *buf, size_t len, int qtype,
                       sw_dns_reply *out, sw_err *err) {
  msg m = {buf, len};
  memset(out, 0, sizeof *out);
  if (len < 12)
    return sw_fail(err, "reply shorter than a DNS header (%zu bytes)", len);
  out->aa = (buf[2] & 0x04) != 0;
  out->tc = (buf[2] & 0x02) != 0;
  out->rcode = buf[3] & 0x0f;
  unsigned qd = get16(buf + 4), an = get16(buf + 6);
  size_t off = 12;
  char name[256];
  for (unsigned i = 0; i < qd; i++) {
    long nl = read_name(&m, off, name, sizeof name);
    if (nl < 0 || off + (size_t)nl + 4 > len)
      return sw_fail(err, "question section is malformed");
    off += (size_t)nl + 4;
  }
  for (unsigned i = 0; i < an; i++) {
    int rc = read_answer(&m, &off, qtype, out);
    if (rc < 0) {
      sw_dns_reply_free(out);
      return sw_fail(
          err, rc == -2 ? "out of memory" : "answer record %u is malformed",
          i + 1);
    }
  }
  return 0;
}

void sw_dns_reply_free(sw_dns_reply *r) {
  free(r->rrs);
  r->rrs = NULL;
  r->nrrs = 0;
}
