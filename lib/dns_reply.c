/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing of a DNS reply (RFC 1035 4.1): header, the question's name, the
 * answer section's records of the asked type formatted for output, and
 * each record's exact key and identity (never cut: what -a and -C judge).
 * Names are decompressed by c-ares' ares_expand_name, which escapes '.',
 * '\' and unprintable bytes of a label, so its text is exact. */
#include <arpa/inet.h>
#include <ares.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "streamwatch/dns.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"

/* CNAME links followed from the asked name; resolvers stop long before
 * (BIND at 16 as well), and a loop must end. */
#define MAX_CHAIN 16

typedef struct {
  const unsigned char *buf;
  size_t len;
} msg;

/* Where one answer record sits in the message. */
typedef struct {
  size_t owner;
  int type;
  unsigned long ttl;
  size_t rdoff, rdlen;
} rr_at;

/* The exact parts of a record while it is built: key, then canon. */
typedef struct {
  unsigned char *p;
  size_t len, cap, keylen;
  bool nomem;
  char text[256]; /* the record as printed, stored after key and canon */
} exact_buf;

static unsigned get16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

static unsigned long get32(const unsigned char *p) {
  return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
         (unsigned long)p[2] << 8 | p[3];
}

static void lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s + 32);
}

/* The name at off as c-ares expands it (no trailing dot, "" for the
 * root), lowercased when lc; *enclen its encoded length. Returns a string
 * to ares_free_string, or NULL when malformed. */
static char *expand(const msg *m, size_t off, bool lc, long *enclen) {
  char *name = NULL;
  long el = 0;
  if (off >= m->len || ares_expand_name(m->buf + off, m->buf, (int)m->len,
                                        &name, &el) != ARES_SUCCESS)
    return NULL;
  if (lc)
    lower(name);
  if (enclen)
    *enclen = el;
  return name;
}

/* Expands the name at off into out for display ("host.example." with its
 * dot, "." for the root) and returns its encoded length, or -1. */
static long read_name(const msg *m, size_t off, char *out, size_t n) {
  long enclen = 0;
  char *name = expand(m, off, false, &enclen);
  if (!name)
    return -1;
  char clean[256];
  sw_sanitize(clean, sizeof clean, name, strlen(name), 0);
  snprintf(out, n, "%s.", clean);
  ares_free_string(name);
  return enclen;
}

static void ex_add(exact_buf *e, const void *d, size_t n) {
  if (e->nomem)
    return;
  if (e->len + n + 1 > e->cap) {
    size_t cap = (e->len + n + 1) * 2;
    unsigned char *p = realloc(e->p, cap);
    if (!p) {
      e->nomem = true;
      return;
    }
    e->p = p;
    e->cap = cap;
  }
  memcpy(e->p + e->len, d, n);
  e->len += n;
}

/* Ends the key part: a NUL follows it, the canonical bytes come next. */
static void ex_end_key(exact_buf *e) {
  e->keylen = e->len;
  ex_add(e, "", 1);
}

/* Adds the exact name at off: lowercased, as key too when as_key. */
static int ex_name(const msg *m, size_t off, exact_buf *e, bool as_key) {
  char *name = expand(m, off, true, NULL);
  if (!name)
    return -1;
  if (as_key) {
    ex_add(e, name, strlen(name));
    ex_end_key(e);
  }
  ex_add(e, name, strlen(name) + 1); /* the NUL separates SOA's names */
  ares_free_string(name);
  return 0;
}

/* TXT (RFC 1035 3.3.14): character-strings joined; CAA (RFC 8659 4.1):
 * flags tag "value". The key is the whole text, the identity the rdata. */
static int format_strings(const msg *m, size_t off, size_t rdlen, sw_dns_rr *rr,
                          exact_buf *e) {
  const unsigned char *d = m->buf + off;
  size_t pos = 0;
  if (rr->type == SW_DNS_CAA) {
    char head[16];
    if (rdlen < 2 || d[1] == 0 || 2u + d[1] > rdlen)
      return -1;
    snprintf(head, sizeof head, "%u ", d[0]);
    ex_add(e, head, strlen(head));
    ex_add(e, d + 2, d[1]);
    ex_add(e, " \"", 2);
    ex_add(e, d + 2 + d[1], rdlen - 2 - d[1]);
    ex_add(e, "\"", 1);
  } else {
    while (pos < rdlen) {
      size_t sl = d[pos];
      if (pos + 1 + sl > rdlen)
        return -1;
      ex_add(e, d + pos + 1, sl);
      pos += 1 + sl;
    }
  }
  if (e->nomem)
    return -2;
  sw_sanitize(e->text, sizeof e->text, e->p ? (const char *)e->p : "", e->len,
              200);
  ex_end_key(e);
  ex_add(e, d, rdlen);
  return 0;
}

/* MX, SRV: the numbers before the target, the target as key. */
static int format_target(const msg *m, size_t off, size_t rdlen, size_t nums,
                         exact_buf *e) {
  char name[256];
  long nl;
  const unsigned char *p = m->buf + off;
  if (rdlen < nums + 1 ||
      (nl = read_name(m, off + nums, name, sizeof name)) < 0 ||
      (size_t)nl + nums > rdlen)
    return -1;
  if (nums == 2)
    snprintf(e->text, sizeof e->text, "%u %s", get16(p), name);
  else
    snprintf(e->text, sizeof e->text, "%u %u %u %s", get16(p), get16(p + 2),
             get16(p + 4), name);
  if (ex_name(m, off + nums, e, true) < 0)
    return -1;
  ex_add(e, p, nums);
  return 0;
}

static int format_soa(const msg *m, size_t off, size_t rdlen, exact_buf *e) {
  char name[256], name2[256];
  long nl, n2;
  if ((nl = read_name(m, off, name, sizeof name)) < 0 ||
      (n2 = read_name(m, off + (size_t)nl, name2, sizeof name2)) < 0 ||
      (size_t)(nl + n2 + 20) != rdlen)
    return -1;
  const unsigned char *p = m->buf + off + nl + n2;
  snprintf(e->text, sizeof e->text, "%.100s %.100s %lu %lu %lu %lu %lu", name,
           name2, get32(p), get32(p + 4), get32(p + 8), get32(p + 12),
           get32(p + 16));
  if (ex_name(m, off, e, true) < 0 || ex_name(m, off + (size_t)nl, e, false))
    return -1;
  ex_add(e, p, 20);
  return 0;
}

/* Formats the rdata of rr->type at off (rdlen bytes) into rr and e.
 * Returns 0, -1 when malformed, -2 when out of memory. */
static int format_rdata(const msg *m, size_t off, size_t rdlen, sw_dns_rr *rr,
                        exact_buf *e) {
  char name[256];
  long nl;
  switch (rr->type) {
  case SW_DNS_A:
  case SW_DNS_AAAA:
    rr->family = rr->type == SW_DNS_A ? AF_INET : AF_INET6;
    if (rdlen != (rr->type == SW_DNS_A ? 4u : 16u))
      return -1;
    memcpy(rr->addr, m->buf + off, rdlen);
    inet_ntop(rr->family, rr->addr, e->text, sizeof e->text);
    ex_add(e, e->text, strlen(e->text));
    ex_end_key(e);
    ex_add(e, rr->addr, rdlen);
    return 0;
  case SW_DNS_CNAME:
  case SW_DNS_NS:
  case SW_DNS_PTR:
    if ((nl = read_name(m, off, name, sizeof name)) < 0 || (size_t)nl > rdlen)
      return -1;
    snprintf(e->text, sizeof e->text, "%s", name);
    return ex_name(m, off, e, true);
  case SW_DNS_MX: return format_target(m, off, rdlen, 2, e);
  case SW_DNS_SRV: return format_target(m, off, rdlen, 6, e);
  case SW_DNS_SOA: return format_soa(m, off, rdlen, e);
  default: return format_strings(m, off, rdlen, rr, e);
  }
}

/* Formats the record at a into rr with its exact parts. Returns 0, -1
 * when malformed, -2 when out of memory. */
static int make_rr(const msg *m, const rr_at *a, sw_dns_rr *rr) {
  exact_buf e = {0};
  memset(rr, 0, sizeof *rr);
  rr->type = a->type;
  rr->ttl = a->ttl;
  int rc = format_rdata(m, a->rdoff, a->rdlen, rr, &e);
  if (rc == 0 && e.nomem)
    rc = -2;
  if (rc < 0) {
    free(e.p);
    return rc;
  }
  /* key NUL canon NUL text NUL, in one allocation */
  size_t canon = e.keylen + 1, canonlen = e.len - canon;
  ex_add(&e, "", 1);
  ex_add(&e, e.text, strlen(e.text) + 1);
  if (e.nomem) {
    free(e.p);
    return -2;
  }
  unsigned char *fit = realloc(e.p, e.len); /* give the spare room back */
  if (fit)
    e.p = fit, e.cap = e.len;
  rr->exact = e.p;
  rr->key = (const char *)e.p;
  rr->keylen = e.keylen;
  rr->canon = e.p + canon;
  rr->canonlen = canonlen;
  rr->text = (const char *)e.p + canon + canonlen + 1;
  rr->bytes = e.cap;
  return 0;
}

/* Reads the answer section into *at (n records). Returns 0, or the index
 * + 1 of a malformed record as a negative number, or 0 with *at NULL
 * when out of memory (told apart by the caller through nomem). */
static long read_section(const msg *m, size_t off, unsigned an, rr_at **at,
                         bool *nomem) {
  *at = calloc(an ? an : 1, sizeof **at);
  if (!*at) {
    *nomem = true;
    return 0;
  }
  for (unsigned i = 0; i < an; i++) {
    long nl = 0;
    char *owner = expand(m, off, false, &nl);
    if (!owner)
      return -(long)i - 1;
    ares_free_string(owner);
    if (off + (size_t)nl + 10 > m->len)
      return -(long)i - 1;
    const unsigned char *p = m->buf + off + nl;
    rr_at *a = &(*at)[i];
    a->owner = off;
    a->type = (int)get16(p);
    a->ttl = get32(p + 4);
    if (a->ttl & 0x80000000UL) /* RFC 2181 8: the whole TTL counts as 0 */
      a->ttl = 0;
    a->rdlen = get16(p + 8);
    a->rdoff = off + (size_t)nl + 10;
    if (a->rdoff + a->rdlen > m->len)
      return -(long)i - 1;
    off = a->rdoff + a->rdlen;
  }
  return 0;
}

/* Is the owner of a the name `name` (exact, lowercased)? */
static bool owned_by(const msg *m, const rr_at *a, const char *name) {
  char *owner = expand(m, a->owner, true, NULL);
  bool same = owner && strcmp(owner, name) == 0;
  if (owner)
    ares_free_string(owner);
  return same;
}

/* Follows the CNAME chain from *name (lowercased, owned; replaced by the
 * chain's end) through the answers, writing the links into r->chain.
 * Returns 0, -1 when a link is malformed, -2 when out of memory. */
static int follow_chain(const msg *m, const rr_at *at, size_t n, char **name,
                        sw_dns_reply *r, size_t *bad) {
  sw_buf chain;
  sw_buf_fixed(&chain, r->chain, sizeof r->chain);
  for (size_t hop = 0; hop < MAX_CHAIN; hop++) {
    size_t i = 0;
    while (i < n && !(at[i].type == SW_DNS_CNAME && owned_by(m, &at[i], *name)))
      i++;
    if (i == n)
      return 0;
    char owner[256], target[256];
    long nl;
    *bad = i;
    if (read_name(m, at[i].owner, owner, sizeof owner) < 0 ||
        (nl = read_name(m, at[i].rdoff, target, sizeof target)) < 0 ||
        (size_t)nl > at[i].rdlen)
      return -1;
    char *next = expand(m, at[i].rdoff, true, NULL);
    if (!next)
      return -2;
    if (hop == 0)
      sw_buf_puts(&chain, owner);
    sw_buf_addf(&chain, " -> %s", target);
    ares_free_string(*name);
    *name = next;
    r->ncnames++;
  }
  return 0;
}

/* Adds the records of qtype owned by name. Returns 0, -1, -2 as above;
 * *bad is the index of a malformed record. */
static int keep_answers(const msg *m, const rr_at *at, size_t n, int qtype,
                        const char *name, sw_dns_reply *r, size_t *bad) {
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    if (at[i].type != qtype || !owned_by(m, &at[i], name))
      continue; /* RRSIG, another name's records: not what was asked */
    if (r->nrrs == cap) {
      cap = cap ? cap * 2 : 4;
      sw_dns_rr *rrs = realloc(r->rrs, cap * sizeof *rrs);
      if (!rrs)
        return -2;
      r->rrs = rrs;
    }
    int rc = make_rr(m, &at[i], &r->rrs[r->nrrs]);
    if (rc < 0) {
      *bad = i;
      return rc;
    }
    r->bytes += r->rrs[r->nrrs].bytes + 16; /* malloc's own header */
    r->nrrs++;
  }
  r->bytes += cap * sizeof *r->rrs;
  return 0;
}

/* The answers of the question's name (first question; none without one).
 * Returns 0, or -1 with err. */
static int read_answers(const msg *m, size_t off, unsigned an, char *qname,
                        int qtype, sw_dns_reply *out, sw_err *err) {
  rr_at *at = NULL;
  bool nomem = false;
  size_t bad = 0;
  long rc = read_section(m, off, an, &at, &nomem);
  int krc = 0;
  if (rc == 0 && !nomem && qname) {
    krc =
        qtype == SW_DNS_CNAME ? 0 : follow_chain(m, at, an, &qname, out, &bad);
    if (krc == 0)
      krc = keep_answers(m, at, an, qtype, qname, out, &bad);
  }
  if (qname)
    ares_free_string(qname);
  if (rc < 0) {
    free(at);
    return sw_fail(err, "answer record %ld is malformed", -rc);
  }
  if (nomem)
    return sw_fail(err, "out of memory");
  free(at);
  if (krc == -1)
    return sw_fail(err, "answer record %zu is malformed", bad + 1);
  if (krc < 0)
    return sw_fail(err, "out of memory");
  return 0;
}

int sw_dns_reply_parse(const unsigned char *buf, size_t len, int qtype,
                       sw_dns_reply *out, sw_err *err) {
  msg m = {buf, len};
  memset(out, 0, sizeof *out);
  out->edns.ede = out->edns.ecs_scope = -1;
  if (len < 12)
    return sw_fail(err, "reply shorter than a DNS header (%zu bytes)", len);
  out->aa = (buf[2] & 0x04) != 0;
  out->tc = (buf[2] & 0x02) != 0;
  out->ad = (buf[3] & 0x20) != 0;
  out->rcode = buf[3] & 0x0f;
  unsigned qd = get16(buf + 4), an = get16(buf + 6);
  unsigned ns = get16(buf + 8), ar = get16(buf + 10);
  size_t off = 12;
  char *qname = NULL;
  for (unsigned i = 0; i < qd; i++) {
    long nl = 0;
    char *name = expand(&m, off, true, &nl);
    if (!name || off + (size_t)nl + 4 > len) {
      if (name)
        ares_free_string(name);
      if (qname)
        ares_free_string(qname);
      return sw_fail(err, "question section is malformed");
    }
    if (qname)
      ares_free_string(name);
    else
      qname = name;
    off += (size_t)nl + 4;
  }
  if (read_answers(&m, off, an, qname, qtype, out, err) < 0) {
    sw_dns_reply_free(out);
    return -1;
  }
  /* The OPT RR past the answers. A truncated reply (TC) may stop short
   * of its counts: it is judged as truncated, not as malformed. */
  sw_err eerr;
  if (sw_dns_edns_parse(buf, len, off, an, ns, ar, out, &eerr) < 0) {
    if (!out->tc) {
      sw_dns_reply_free(out);
      return sw_fail(err, "%s", eerr.msg);
    }
    memset(&out->edns, 0, sizeof out->edns);
    out->edns.ede = out->edns.ecs_scope = -1;
    out->rcode &= 0x0f;
  }
  return 0;
}

void sw_dns_reply_free(sw_dns_reply *r) {
  for (size_t i = 0; i < r->nrrs; i++)
    free(r->rrs[i].exact);
  free(r->rrs);
  r->rrs = NULL;
  r->nrrs = 0;
  r->bytes = 0;
}

const char *sw_dns_rr_key(const sw_dns_rr *rr, size_t *len) {
  *len = rr->exact ? rr->keylen : strlen(rr->key);
  return rr->key;
}

int sw_dns_rr_cmp(const void *va, const void *vb) {
  const sw_dns_rr *a = va, *b = vb;
  if (a->type != b->type)
    return a->type < b->type ? -1 : 1;
  const unsigned char *ca = a->exact ? a->canon : (const unsigned char *)a->key;
  const unsigned char *cb = b->exact ? b->canon : (const unsigned char *)b->key;
  size_t la = a->exact ? a->canonlen : strlen(a->key);
  size_t lb = b->exact ? b->canonlen : strlen(b->key);
  int c = memcmp(ca, cb, la < lb ? la : lb);
  if (c != 0)
    return c;
  return la < lb ? -1 : la > lb;
}
