/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ICY (Icecast/SHOUTcast) responses (plugins/stream/icy.c): the input is
 * what a server sends: header lines, a blank line, then the body with
 * in-band metadata every icy-metaint bytes. Headers go through
 * icy_header_line() one line at a time; the body through icy_feed()
 * twice: whole into a separate buffer, and in chunks of varying size in
 * place (as progressive.c does).
 * Properties: header strings are printable; the media bytes, the title
 * and the counters do not depend on the chunking (icy.h promises it);
 * no more media comes out than went in; the title is printable and
 * capped. */
#include "fuzz.h"
#include "icy.h"

static void check_headers(const icy_headers *h) {
  FUZZ_ASSERT(fuzz_printable(h->name) && fuzz_printable(h->genre));
  FUZZ_ASSERT(fuzz_printable(h->description) && fuzz_printable(h->url));
  FUZZ_ASSERT(!h->has_metaint ||
              (h->metaint >= 1 && h->metaint <= ICY_METAINT_MAX));
}

static void check_body(const uint8_t *d, size_t n, unsigned long metaint) {
  icy_state *whole = malloc(sizeof *whole), *chunked = malloc(sizeof *chunked);
  unsigned char *in = (unsigned char *)fuzz_bytes(d, n); /* in place */
  unsigned char *out = malloc(n ? n : 1);
  fuzz_chunker c;
  size_t wn, cn = 0, off = 0;

  if (!whole || !chunked || !out)
    abort();
  icy_init(whole, metaint);
  icy_init(chunked, metaint);
  wn = icy_feed(whole, d, n, out);
  FUZZ_ASSERT(wn <= n);
  fuzz_chunker_init(&c, d, n);
  while (off < n) {
    size_t k = fuzz_chunk(&c, n - off);
    /* media bytes only move towards the start: in[cn..] is free */
    size_t got = icy_feed(chunked, in + off, k, in + cn);
    FUZZ_ASSERT(got <= k);
    cn += got;
    off += k;
  }
  FUZZ_ASSERT(cn == wn);
  FUZZ_ASSERT(wn == 0 || memcmp(in, out, wn) == 0);
  FUZZ_ASSERT(whole->media_bytes == chunked->media_bytes);
  FUZZ_ASSERT(whole->media_bytes == wn);
  FUZZ_ASSERT(whole->intervals == chunked->intervals);
  FUZZ_ASSERT(whole->blocks == chunked->blocks);
  FUZZ_ASSERT(whole->has_title == chunked->has_title);
  FUZZ_ASSERT(strcmp(whole->title, chunked->title) == 0);
  FUZZ_ASSERT(fuzz_printable(whole->title));
  FUZZ_ASSERT(
      fuzz_utf8((const unsigned char *)whole->title, strlen(whole->title)));
  free(whole);
  free(chunked);
  free(in);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  icy_headers h;
  sw_err err;
  size_t off = 0;

  icy_headers_init(&h);
  /* header lines up to the first empty one ("\r\n" or "\n") */
  while (off < n) {
    const uint8_t *nl = memchr(d + off, '\n', n - off);
    size_t len = nl ? (size_t)(nl - (d + off)) + 1 : n - off;
    char *line = fuzz_bytes(d + off, len);
    int blank = len == 1 || (len == 2 && line[0] == '\r');
    int rc = blank ? 0 : icy_header_line(&h, line, len, &err);
    free(line);
    off += len;
    if (rc < 0) {
      FUZZ_ASSERT(err.msg[0] != '\0');
      return 0; /* the plugin refuses the stream */
    }
    if (blank)
      break;
  }
  check_headers(&h);
  check_body(d + off, n - off, h.has_metaint ? h.metaint : 0);
  return 0;
}
