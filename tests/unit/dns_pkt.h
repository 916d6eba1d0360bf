/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS messages built as bytes for the unit tests (test_dns_reply.c,
 * test_resolve_judge.c): appends past the buffer are dropped, so a test
 * of a too-long message sees a short one rather than a crash. */
#ifndef STREAMWATCH_TESTS_DNS_PKT_H
#define STREAMWATCH_TESTS_DNS_PKT_H

#include <stddef.h>
#include <string.h>

typedef struct {
  unsigned char b[8192];
  size_t n;
  size_t an_at; /* where ANCOUNT is, for builders that count answers */
  unsigned an;
} pkt;

static inline void put8(pkt *p, unsigned v) {
  if (p->n < sizeof p->b)
    p->b[p->n++] = (unsigned char)v;
}

static inline void put16(pkt *p, unsigned v) {
  put8(p, v >> 8 & 0xff);
  put8(p, v & 0xff);
}

static inline void put32(pkt *p, unsigned long v) {
  put16(p, (unsigned)(v >> 16 & 0xffff));
  put16(p, (unsigned)(v & 0xffff));
}

static inline void put_bytes(pkt *p, const void *data, size_t len) {
  for (size_t i = 0; i < len; i++)
    put8(p, ((const unsigned char *)data)[i]);
}

/* Writes the labels of a dotted name ("www.x"; "" is the root). With
 * ptr != 0 the name ends in a compression pointer to offset ptr instead
 * of the root label (ptr 0 would point into the header: never wanted). */
static inline void put_labels(pkt *p, const char *name, size_t ptr) {
  while (*name) {
    size_t l = strcspn(name, ".");
    put8(p, (unsigned)l);
    put_bytes(p, name, l);
    name += l;
    if (*name == '.')
      name++;
  }
  if (ptr)
    put16(p, 0xc000 | (unsigned)ptr);
  else
    put8(p, 0);
}

static inline void put_name(pkt *p, const char *name) {
  put_labels(p, name, 0);
}

static inline void put_ptr(pkt *p, size_t off) {
  put16(p, 0xc000 | (unsigned)off);
}

#endif
