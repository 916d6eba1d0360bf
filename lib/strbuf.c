/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The capped string builder; see include/streamwatch/strbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/strbuf.h"

static const char MARK[] = "...";
#define MARK_LEN (sizeof MARK - 1)

void sw_buf_init(sw_buf *b, size_t max) {
  memset(b, 0, sizeof *b);
  b->max = max < MARK_LEN ? MARK_LEN : max;
  b->owned = true;
}

void sw_buf_fixed(sw_buf *b, char *mem, size_t size) {
  memset(b, 0, sizeof *b);
  b->p = mem;
  b->size = size;
  b->max = size > MARK_LEN ? size - 1 : 0;
  if (size)
    mem[0] = '\0';
}

/* Makes room for len + extra bytes plus the NUL (extra <= max - len). */
static int grow(sw_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->size)
    return 0;
  if (!b->owned)
    return -1; /* cannot happen: callers keep within max = size - 1 */
  size_t size = b->size ? b->size : 64;
  while (size < need)
    size *= 2;
  if (size > b->max + 1)
    size = b->max + 1;
  char *p = realloc(b->p, size);
  if (!p) {
    b->nomem = true;
    return -1;
  }
  b->p = p;
  b->size = size;
  return 0;
}

/* Ends the text with the mark, dropping whatever the mark needs room for,
 * back to a UTF-8 character boundary (a continuation byte is 10xxxxxx). */
static void mark_cut(sw_buf *b) {
  size_t keep = b->len;
  if (keep + MARK_LEN > b->max)
    keep = b->max - MARK_LEN;
  while (keep > 0 && ((unsigned char)b->p[keep] & 0xC0) == 0x80)
    keep--;
  memcpy(b->p + keep, MARK, MARK_LEN + 1);
  b->len = keep + MARK_LEN;
  b->cut = true;
}

int sw_buf_add(sw_buf *b, const char *s, size_t n) {
  if (b->cut || b->nomem || b->max < MARK_LEN)
    return -1;
  size_t room = b->max - b->len, take = n < room ? n : room;
  if (grow(b, n <= room ? n : room) < 0)
    return -1;
  memcpy(b->p + b->len, s, take);
  b->len += take;
  b->p[b->len] = '\0';
  if (take == n)
    return 0;
  /* the next byte decides whether the cut falls inside a character */
  b->p[b->len] = take < n ? s[take] : '\0';
  mark_cut(b);
  return -1;
}

int sw_buf_puts(sw_buf *b, const char *s) {
  return s ? sw_buf_add(b, s, strlen(s)) : 0;
}

int sw_buf_addf(sw_buf *b, const char *fmt, ...) {
  char small[256], *text = small;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return -1;
  if ((size_t)n >= sizeof small) {
    if (!(text = malloc((size_t)n + 1))) {
      b->nomem = true;
      return -1;
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  int rc = sw_buf_add(b, text, (size_t)n);
  if (text != small)
    free(text);
  return rc;
}

const char *sw_buf_str(const sw_buf *b) {
  return b->p ? b->p : "";
}

char *sw_buf_take(sw_buf *b) {
  if (b->nomem)
    return NULL;
  if (!b->owned || !b->p)
    return strdup(sw_buf_str(b));
  char *p = b->p;
  b->p = NULL;
  b->len = b->size = 0;
  b->cut = false;
  return p;
}

void sw_buf_free(sw_buf *b) {
  if (b->owned)
    free(b->p);
  b->p = NULL;
  b->len = b->size = 0;
}
