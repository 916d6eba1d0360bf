/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS query messages built by hand (RFC 1035 4.1.1) with an optional OPT
 * RR (RFC 6891 6.1.2): c-ares 1.18 (Debian 12) cannot add the DO bit
 * (RFC 3225) or an EDNS Client Subnet option (RFC 7871) to a query, and
 * DNS over HTTPS/TLS needs the same bytes. Also the parse of the subnet
 * given on the command line. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "streamwatch/strparse.h"

#define OPT_TYPE 41           /* RFC 6891 6.1.1 */
#define ECS_CODE 8            /* RFC 7871 6 */
#define DEFAULT_UDP_SIZE 1232 /* the DNS flag day 2020 size: no fragments */

typedef struct {
  unsigned char *p;
  size_t len, cap;
  bool full;
} wire;

static void put(wire *w, const void *d, size_t n) {
  if (w->full || n > w->cap - w->len) {
    w->full = true;
    return;
  }
  memcpy(w->p + w->len, d, n);
  w->len += n;
}

static void put8(wire *w, unsigned v) {
  unsigned char b = (unsigned char)v;
  put(w, &b, 1);
}

static void put16(wire *w, unsigned v) {
  unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
  put(w, b, 2);
}

/* One byte of a label from name at *i, with RFC 1035 5.1's escapes: "\X"
 * is X, "\DDD" the byte DDD (0-255). Returns it, or -1 for a bad escape. */
static int label_byte(const char *name, size_t *i) {
  unsigned char c = (unsigned char)name[*i];
  if (c != '\\') {
    (*i)++;
    return c;
  }
  const char *e = name + *i + 1;
  if (*e >= '0' && *e <= '9') {
    if (!(e[1] >= '0' && e[1] <= '9' && e[2] >= '0' && e[2] <= '9'))
      return -1;
    int v = (e[0] - '0') * 100 + (e[1] - '0') * 10 + (e[2] - '0');
    *i += 4;
    return v > 255 ? -1 : v;
  }
  if (*e == '\0')
    return -1;
  *i += 2;
  return (unsigned char)*e;
}

/* The name in wire form (RFC 1035 3.1): at most 255 bytes. */
static int put_name(wire *w, const char *name, sw_err *err) {
  size_t i = 0, start = w->len;
  if (strcmp(name, ".") == 0)
    name = "";
  while (name[i]) {
    unsigned char label[64];
    size_t n = 0;
    while (name[i] && name[i] != '.') {
      int c = label_byte(name, &i);
      if (c < 0)
        return sw_fail(err, "name '%.80s' has a bad escape", name);
      if (n == 63)
        return sw_fail(err, "name '%.80s' has a label over 63 bytes", name);
      label[n++] = (unsigned char)c;
    }
    if (n == 0)
      return sw_fail(err, "name '%.80s' has an empty label", name);
    put8(w, (unsigned)n);
    put(w, label, n);
    if (name[i] == '.')
      i++;
  }
  put8(w, 0);
  if (!w->full && w->len - start > 255)
    return sw_fail(err, "name '%.80s' is over 255 bytes", name);
  return 0;
}

/* The OPT RR: root owner, type 41, class = UDP size, TTL = extended
 * rcode 0, version 0, DO flag; then the ECS option when asked. */
static void put_opt(wire *w, const sw_dns_wire_opts *o) {
  put8(w, 0);
  put16(w, OPT_TYPE);
  put16(w, o->udp_size ? o->udp_size : DEFAULT_UDP_SIZE);
  put16(w, 0);
  put16(w, o->dnssec ? 0x8000 : 0);
  const sw_dns_subnet *s = o->ecs;
  if (!s || !s->family) {
    put16(w, 0);
    return;
  }
  unsigned nbytes = (s->prefix + 7u) / 8u;
  put16(w, 4 + 4 + nbytes); /* RDLENGTH: one option */
  put16(w, ECS_CODE);
  put16(w, 4 + nbytes);
  put16(w, s->family == AF_INET ? 1 : 2); /* IANA address family */
  put8(w, s->prefix);
  put8(w, 0); /* SCOPE PREFIX-LENGTH: 0 in queries */
  put(w, s->addr, nbytes);
}

int sw_dns_query_wire(const char *name, int qtype, unsigned short id,
                      const sw_dns_wire_opts *o, unsigned char *buf, size_t cap,
                      size_t *len, sw_err *err) {
  wire w = {buf, 0, cap, false};
  bool edns = o->edns || o->dnssec || (o->ecs && o->ecs->family);
  put16(&w, id);
  put16(&w, o->rd ? 0x0100 : 0); /* QR=0 opcode QUERY, RD */
  put16(&w, 1);                  /* QDCOUNT */
  put16(&w, 0);
  put16(&w, 0);
  put16(&w, edns ? 1 : 0); /* ARCOUNT */
  if (put_name(&w, name, err) < 0)
    return -1;
  put16(&w, (unsigned)qtype);
  put16(&w, 1); /* IN */
  if (edns)
    put_opt(&w, o);
  if (w.full)
    return sw_fail(err, "query for '%.80s' does not fit %zu bytes", name, cap);
  *len = w.len;
  return 0;
}

int sw_dns_cidr_parse(const char *text, int *family, unsigned char addr[16],
                      unsigned *prefix, bool *slash) {
  char a[64];
  const char *sl = strchr(text, '/');
  size_t n = sl ? (size_t)(sl - text) : strlen(text);
  unsigned long p;
  *slash = sl != NULL;
  if (n == 0 || n >= sizeof a)
    return 0;
  memcpy(a, text, n);
  a[n] = '\0';
  if (inet_pton(AF_INET, a, addr) == 1)
    *family = AF_INET;
  else if (inet_pton(AF_INET6, a, addr) == 1)
    *family = AF_INET6;
  else
    return 0;
  unsigned max = *family == AF_INET ? 32 : 128;
  if (sl && sw_parse_ulong(sl + 1, 0, max, &p) < 0)
    return -1;
  *prefix = sl ? (unsigned)p : max;
  return 1;
}

int sw_dns_subnet_parse(const char *text, sw_dns_subnet *s, sw_err *err) {
  unsigned prefix = 0;
  bool slash = false;
  memset(s, 0, sizeof *s);
  int rc = sw_dns_cidr_parse(text, &s->family, s->addr, &prefix, &slash);
  if (rc == 0)
    return sw_fail(err, "'%.80s' is not an IPv4 or IPv6 address", text);
  unsigned max = s->family == AF_INET ? 32 : 128;
  if (rc < 0) {
    s->family = 0;
    return sw_fail(err, "prefix '%.20s' is not a number from 0 to %u",
                   strchr(text, '/') + 1, max);
  }
  if (!slash) {
    s->family = 0;
    return sw_fail(err, "takes ADDRESS/PREFIX (10.1.0.0/16, 2001:db8::/56)");
  }
  s->prefix = (unsigned char)prefix;
  unsigned char net[16];
  memcpy(net, s->addr, sizeof net);
  for (unsigned bit = s->prefix; bit < max; bit++)
    net[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
  char want[INET6_ADDRSTRLEN];
  inet_ntop(s->family, net, want, sizeof want);
  if (memcmp(net, s->addr, max / 8) != 0) {
    s->family = 0;
    return sw_fail(err,
                   "'%.80s' has host bits set past /%u (the network is "
                   "%s/%u)",
                   text, s->prefix, want, s->prefix);
  }
  snprintf(s->text, sizeof s->text, "%s/%u", want, s->prefix);
  return 0;
}
