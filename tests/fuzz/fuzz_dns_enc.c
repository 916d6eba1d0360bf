/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What an encrypted resolver's bytes go through before the reply parser
 * (lib/dns_dot.c, lib/dns_doh.c). Byte 0 picks:
 *   even: DNS over TLS/TCP framing. The rest is the stream a resolver
 *         sends, fed to sw_dns_framer in chunks of sizes drawn from the
 *         input. Properties: the messages come out the same, in the same
 *         order, whatever the chunking, as sw_dns_frame finds them in the
 *         whole stream; what is left is the one unfinished message (its
 *         prefix says it needs more than it has); every message goes
 *         through sw_dns_reply_parse as an A reply.
 *   odd:  a DNS over HTTPS response: bytes 1-2 the status, byte 3 the
 *         length of the Content-Type that follows, then the body.
 *         Properties: sw_doh_check accepts only a 200 with
 *         application/dns-message (any case, parameters after ';') and a
 *         body; its message is printable (a server's Content-Type cannot
 *         add a line or a '|') and fits the query's err; an accepted body
 *         is parsed. */
#include <strings.h>

#include "fuzz.h"
#include "streamwatch/dns.h"

typedef struct {
  const uint8_t *whole; /* the stream, for comparison */
  size_t n;
  size_t at; /* where the next message must start in it */
  size_t count;
} expect;

static void parse_a(const unsigned char *msg, size_t len) {
  sw_dns_reply r;
  sw_err err = {""};
  if (sw_dns_reply_parse(msg, len, SW_DNS_A, &r, &err) == 0)
    sw_dns_reply_free(&r);
  else
    FUZZ_ASSERT(err.msg[0] != '\0');
}

static void on_msg(void *arg, const unsigned char *msg, size_t len) {
  expect *e = arg;
  const unsigned char *m;
  size_t n;
  size_t used = sw_dns_frame(e->whole + e->at, e->n - e->at, &m, &n);
  FUZZ_ASSERT(used > 0);
  FUZZ_ASSERT(len == n && memcmp(msg, m, n) == 0);
  e->at += 2 + n;
  e->count++;
  parse_a(msg, len);
}

static void framing(const uint8_t *d, size_t n) {
  sw_dns_framer *f = calloc(1, sizeof *f);
  uint8_t *copy = (uint8_t *)fuzz_bytes(d, n);
  expect e = {copy, n, 0, 0};
  fuzz_chunker ch;
  size_t left = n, off = 0, count = 0;
  const unsigned char *m;
  size_t len, used;
  if (!f)
    abort();
  fuzz_chunker_init(&ch, d, n);
  while (left > 0) {
    size_t k = fuzz_chunk(&ch, 70000);
    k = k < left ? k : left;
    /* exactly k bytes of its own, so ASan sees a read past them */
    uint8_t *piece = (uint8_t *)fuzz_bytes(copy + (n - left), k);
    sw_dns_framer_feed(f, piece, k, on_msg, &e);
    free(piece);
    left -= k;
  }
  /* the same messages as one pass over the whole stream */
  while ((used = sw_dns_frame(copy + off, n - off, &m, &len)) > 0) {
    off += used;
    count++;
  }
  FUZZ_ASSERT(count == e.count && off == e.at);
  FUZZ_ASSERT(f->have == n - off);
  FUZZ_ASSERT(f->have < 2 || sw_dns_framer_want(f) > f->have);
  FUZZ_ASSERT(f->have <= sizeof f->buf);
  free(copy);
  free(f);
}

static void doh(const uint8_t *d, size_t n) {
  if (n < 3)
    return;
  long status = (long)(d[0] << 8 | d[1]);
  size_t ctlen = d[2] < n - 3 ? d[2] : n - 3;
  char *ct = fuzz_str(d + 3, ctlen); /* NUL-ended at the first NUL */
  const uint8_t *body = d + 3 + ctlen;
  size_t blen = n - 3 - ctlen;
  sw_err err = {""};
  char q_err[160]; /* sw_dns_query.err */
  if (sw_doh_check(status, ctlen ? ct : NULL, blen, &err) == 0) {
    size_t mt = strcspn(ct, ";");
    while (mt > 0 && (ct[mt - 1] == ' ' || ct[mt - 1] == '\t'))
      mt--;
    FUZZ_ASSERT(status == 200 && blen > 0);
    FUZZ_ASSERT(mt == 23 &&
                strncasecmp(ct, "application/dns-message", 23) == 0);
    uint8_t *b = (uint8_t *)fuzz_bytes(body, blen);
    parse_a(b, blen);
    free(b);
  } else {
    FUZZ_ASSERT(err.msg[0] != '\0' && fuzz_printable(err.msg));
    FUZZ_ASSERT(snprintf(q_err, sizeof q_err, "%s", err.msg) <
                (int)sizeof q_err);
  }
  free(ct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  if (data[0] & 1)
    doh(data + 1, size - 1);
  else
    framing(data + 1, size - 1);
  return 0;
}
