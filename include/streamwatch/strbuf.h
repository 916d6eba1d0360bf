/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The capped string builder: every piece of output text is built with it,
 * never with hand arithmetic on snprintf's return value (that arithmetic
 * wrote past a stack buffer from DNS bytes once).
 *
 * In the spirit of curl's dynbuf: a buffer with a hard cap set at init.
 * Appending past the cap keeps what fits, cut at a UTF-8 character
 * boundary, and ends the text with a visible "..." mark; every later
 * append is ignored, so a cut text never continues after the mark. The
 * buffer is either the caller's array (sw_buf_fixed: never allocates) or
 * owned heap memory grown up to the cap (sw_buf_init). */
#ifndef STREAMWATCH_STRBUF_H
#define STREAMWATCH_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char *p;     /* the text, always NUL-terminated once set up */
  size_t len;  /* bytes of text, not counting the NUL */
  size_t size; /* bytes allocated (or of the caller's array) */
  size_t max;  /* the cap: len never exceeds it */
  bool owned;  /* p is ours to grow and free */
  bool cut;    /* an append did not fit: the text ends in "..." */
  bool nomem;  /* an allocation failed (owned buffers only) */
} sw_buf;

/* An owned, initially empty buffer whose text never exceeds max bytes
 * (max >= 3). Can't fail: memory is allocated by the first append. */
void sw_buf_init(sw_buf *b, size_t max);

/* A buffer over the caller's array mem of size bytes (size >= 4): the
 * text holds at most size - 1 bytes. mem is emptied. Can't fail. */
void sw_buf_fixed(sw_buf *b, char *mem, size_t size);

/* Appends n bytes of s. Returns 0, or -1 when it did not fit whole (the
 * text is then cut and marked) or memory ran out. */
int sw_buf_add(sw_buf *b, const char *s, size_t n);

/* Appends a NUL-terminated string (NULL appends nothing). Same returns. */
int sw_buf_puts(sw_buf *b, const char *s);

/* Appends printf-formatted text. Same returns. */
int sw_buf_addf(sw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The text so far ("" for an empty owned buffer). Valid until the next
 * append or sw_buf_free. */
const char *sw_buf_str(const sw_buf *b);

/* Hands the owned text to the caller (free() it) and leaves b empty;
 * NULL when out of memory. For a fixed buffer, a strdup of the text. */
char *sw_buf_take(sw_buf *b);

/* Frees an owned buffer; a fixed one is left to its caller. */
void sw_buf_free(sw_buf *b);

#endif
