/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/strbuf.c: the capped string builder. */
#include <stdlib.h>
#include <string.h>

#include "streamwatch/strbuf.h"
#include "tap.h"

/* The three TXT answers of the review (150, 200 and 1 characters) into a
 * 300-byte array: the text stays inside it and ends in the mark. */
static void test_fixed_cap(void) {
  char mem[300], a[151], c[201];
  sw_buf b;
  memset(a, 'a', 150), a[150] = '\0';
  memset(c, 'c', 200), c[200] = '\0';
  sw_buf_fixed(&b, mem, sizeof mem);
  is_int(sw_buf_puts(&b, a), 0, "150 bytes fit");
  is_int(sw_buf_addf(&b, ", %s", c), -1, "200 more do not");
  is_int(sw_buf_addf(&b, ", %s", "x"), -1, "nothing after a cut");
  is_int(b.len, 299, "the text fills the array less its NUL");
  is_int(strlen(mem), 299, "NUL-terminated at the end");
  ok(b.cut, "marked as cut");
  is_str(mem + 296, "...", "the cut is visible");
}

static void test_fits(void) {
  char mem[16];
  sw_buf b;
  sw_buf_fixed(&b, mem, sizeof mem);
  is_int(sw_buf_addf(&b, "%d-%s", 42, "abc"), 0, "short text fits");
  is_int(sw_buf_puts(&b, "12345678"), 0, "exactly up to the cap fits");
  is_str(sw_buf_str(&b), "42-abc12345678", "text as appended");
  ok(!b.cut, "not cut");
  is_int(sw_buf_puts(&b, "x"), 0, "the 15th byte fits");
  is_int(sw_buf_puts(&b, "y"), -1, "the 16th does not");
  is_str(sw_buf_str(&b), "42-abc123456...", "cut with the mark");
}

/* A cut never splits a UTF-8 character. */
static void test_utf8_boundary(void) {
  char mem[8];
  sw_buf b;
  sw_buf_fixed(&b, mem, sizeof mem);
  sw_buf_puts(&b, "ab\xc3\xa9\xc3\xa9\xc3\xa9");
  is_str(sw_buf_str(&b), "ab\xc3\xa9...", "cut before a whole character");
  sw_buf_fixed(&b, mem, sizeof mem);
  sw_buf_puts(&b, "abc\xe2\x82\xac\xe2\x82\xac");
  is_str(sw_buf_str(&b), "abc...", "a 3-byte character is not split");
}

static void test_owned(void) {
  sw_buf b;
  sw_buf_init(&b, 1000);
  is_str(sw_buf_str(&b), "", "empty owned buffer reads as \"\"");
  for (int i = 0; i < 600; i++)
    sw_buf_addf(&b, "%d,", i % 10);
  is_int(b.len, 1000, "grown up to the cap and no further");
  ok(b.cut, "cut at the cap");
  is_str(sw_buf_str(&b) + 997, "...", "marked");
  char *t = sw_buf_take(&b);
  ok(t && strlen(t) == 1000, "take hands over the text");
  free(t);
  is_str(sw_buf_str(&b), "", "empty after take");
  sw_buf_free(&b);
  sw_buf_init(&b, 5000);
  char big[3000];
  memset(big, 'z', sizeof big - 1), big[sizeof big - 1] = '\0';
  is_int(sw_buf_addf(&b, "<%s>", big), 0, "formatted text over 256 bytes");
  is_int(b.len, 3001, "all of it");
  sw_buf_free(&b);
}

int main(void) {
  test_fixed_cap();
  test_fits();
  test_utf8_boundary();
  test_owned();
  return tap_done();
}
