/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the libFuzzer targets in tests/fuzz share: the entry point's
 * prototype, copies of the input with exactly its size (so ASan sees any
 * read past it), a property check that aborts (libFuzzer then keeps the
 * input as a crash), and chunk sizes drawn from the input for the
 * streaming parsers. Everything is static inline: no globals. */
#ifndef STREAMWATCH_FUZZ_H
#define STREAMWATCH_FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the code under test promises; a violation is a crash. */
#define FUZZ_ASSERT(c)                                                         \
  do {                                                                         \
    if (!(c)) {                                                                \
      fprintf(stderr, "fuzz: property violated: %s (%s:%d)\n", #c, __FILE__,   \
              __LINE__);                                                       \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* The input as a C string: a heap copy of exactly n + 1 bytes (an
 * embedded NUL ends the string early, as it would in argv). */
static inline char *fuzz_str(const uint8_t *d, size_t n) {
  char *s = malloc(n + 1);
  if (!s)
    abort();
  if (n)
    memcpy(s, d, n);
  s[n] = '\0';
  return s;
}

/* The input as bytes without a terminator: a heap copy of exactly n
 * bytes (at least one allocated, so n == 0 is not NULL). */
static inline char *fuzz_bytes(const uint8_t *d, size_t n) {
  char *s = malloc(n ? n : 1);
  if (!s)
    abort();
  if (n)
    memcpy(s, d, n);
  return s;
}

/* True when s holds none of the bytes that could end or forge a plugin's
 * output line: control characters (newline, ESC ...), DEL and '|'. */
static inline int fuzz_printable(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c < 0x20 || c == 0x7F || c == '|')
      return 0;
  }
  return 1;
}

/* True when s[0..n) is well-formed UTF-8 (RFC 3629) without C1 controls
 * (U+0080..U+009F), which some terminals read as escapes. */
static inline int fuzz_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t len, k;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4, cp = c & 0x07;
    else
      return 0;
    if (i + len > n)
      return 0;
    for (k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return 0;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
        (cp >= 0x80 && cp <= 0x9F))
      return 0;
    i += len;
  }
  return 1;
}

/* Chunk sizes for feeding a stream: a small xorshift generator seeded
 * from the input's length and last bytes (not its first, which seeds
 * from real streams need as they are). */
typedef struct {
  uint32_t x;
} fuzz_chunker;

static inline void fuzz_chunker_init(fuzz_chunker *c, const uint8_t *d,
                                     size_t n) {
  c->x = 2463534242u ^ (uint32_t)n;
  for (size_t i = n > 4 ? n - 4 : 0; i < n; i++)
    c->x = c->x * 31u + d[i];
  if (c->x == 0)
    c->x = 1;
}

/* The next chunk size, 1..max: mostly small, sometimes large. */
static inline size_t fuzz_chunk(fuzz_chunker *c, size_t max) {
  uint32_t x = c->x;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  c->x = x;
  size_t lim = (x & 3) == 0 ? 4096 : (x & 3) == 1 ? 200 : 17;
  size_t k = 1 + (x >> 8) % lim;
  return k < max ? k : max;
}

/* A command line for a whole-plugin target: writable heap copies, as a
 * plugin may write into argv (getopt permutes, secrets are wiped), with
 * the NULL that ends argv. */
typedef struct {
  char *v[64];
  int n;
} fuzz_argv;

__attribute__((format(printf, 2, 3))) static inline void
fuzz_arg(fuzz_argv *a, const char *fmt, ...) {
  va_list ap;
  if (a->n + 1 >= (int)(sizeof a->v / sizeof a->v[0]))
    abort();
  va_start(ap, fmt);
  if (vasprintf(&a->v[a->n], fmt, ap) < 0)
    abort();
  va_end(ap);
  a->v[++a->n] = NULL;
}

static inline void fuzz_argv_free(fuzz_argv *a) {
  for (int i = 0; i < a->n; i++)
    free(a->v[i]);
  a->n = 0;
}

#endif
