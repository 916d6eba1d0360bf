/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/sanitize.c: network strings made safe to print. */
#include <stdio.h>
#include <string.h>

#include "streamwatch/sanitize.h"
#include "tap.h"

/* Sanitises srclen bytes of src into a buffer of size n with max and
 * checks the text and the returned length. */
static void check(const char *src, size_t srclen, size_t n, size_t max,
                  const char *want, const char *name) {
  char dst[512];
  size_t got;

  memset(dst, 'Z', sizeof dst);
  got = sw_sanitize(dst, n, src, srclen, max);
  is_str(dst, want, "%s", name);
  is_int(got, strlen(want), "%s: returns its length", name);
}

#define CHECK(src, n, max, want, name) check(src, sizeof src - 1, n, max, want, name)

static void test_replacements(void) {
  CHECK("plain text", 64, 0, "plain text", "plain text kept");
  CHECK("a|b", 64, 0, "a/b", "'|' becomes '/'");
  CHECK("ok | x=1;2;3", 64, 0, "ok / x=1;2;3", "forged perfdata defused");
  CHECK("a\nb", 64, 0, "a?b", "newline");
  CHECK("a\r\nb", 64, 0, "a??b", "CR LF");
  CHECK("a\tb", 64, 0, "a?b", "tab");
  CHECK("\x1b[31mred\x1b[0m", 64, 0, "?[31mred?[0m", "ESC sequences");
  CHECK("\x1b]0;title\x07", 64, 0, "?]0;title?", "OSC with BEL");
  CHECK("a\x7f" "b", 64, 0, "a?b", "DEL");
  CHECK("a\0b", 64, 0, "a?b", "NUL inside srclen");
  CHECK("\nOK - forged\n", 64, 0, "?OK - forged?", "forged extra line");
  check("abcdef", 3, 64, 0, "abc", "only srclen bytes read");
  check(NULL, 5, 64, 0, "", "NULL src gives an empty string");
}

static void test_utf8(void) {
  CHECK("caf\xc3\xa9", 64, 0, "caf\xc3\xa9", "2-byte (e acute) kept");
  CHECK("\xe2\x82\xac 5", 64, 0, "\xe2\x82\xac 5", "3-byte (euro) kept");
  CHECK("\xf0\x9d\x84\x9e", 64, 0, "\xf0\x9d\x84\x9e", "4-byte (G clef) kept");
  CHECK("\xc2\xa0", 64, 0, "\xc2\xa0", "U+00A0 kept");
  CHECK("\xed\x9f\xbf", 64, 0, "\xed\x9f\xbf", "U+D7FF kept");
  CHECK("\xee\x80\x80", 64, 0, "\xee\x80\x80", "U+E000 kept");
  CHECK("\xf4\x8f\xbf\xbf", 64, 0, "\xf4\x8f\xbf\xbf", "U+10FFFF kept");
  CHECK("\xc2\x80\xc2\x9b", 64, 0, "??", "C1 controls (U+0080, CSI U+009B)");
  CHECK("\x80", 64, 0, "?", "lone continuation byte");
  CHECK("\xc0\xaf", 64, 0, "??", "overlong 2-byte '/'");
  CHECK("\xc1\xbf", 64, 0, "??", "overlong 2-byte (C1 lead)");
  CHECK("\xe0\x80\xaf", 64, 0, "???", "overlong 3-byte");
  CHECK("\xf0\x80\x80\xaf", 64, 0, "????", "overlong 4-byte");
  CHECK("\xed\xa0\x80", 64, 0, "???", "surrogate U+D800");
  CHECK("\xed\xbf\xbf", 64, 0, "???", "surrogate U+DFFF");
  CHECK("\xf4\x90\x80\x80", 64, 0, "????", "U+110000");
  CHECK("\xf5\x80\x80\x80", 64, 0, "????", "F5 lead");
  CHECK("\xfe\xff", 64, 0, "??", "FE FF");
  CHECK("\xe2\x82", 64, 0, "??", "truncated at end of input");
  CHECK("\xe2\x82" "A", 64, 0, "??A", "truncated before ASCII");
  CHECK("\xc3" "\xc3\xa9", 64, 0, "?\xc3\xa9", "bad lead then valid char");
  check("\xe2\x82\xac", 2, 64, 0, "??", "srclen cuts a sequence: each byte '?'");
}

static void test_max(void) {
  CHECK("abcdef", 64, 6, "abcdef", "max = length: not cut");
  CHECK("abcdef", 64, 5, "ab...", "max 5: cut with ...");
  CHECK("abcdef", 64, 4, "a...", "max 4");
  CHECK("abcdef", 64, 3, "...", "max 3: only the dots");
  CHECK("abcdef", 64, 2, "..", "max 2: fewer dots");
  CHECK("abcdef", 64, 1, ".", "max 1");
  CHECK("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 64, 5,
        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "max counts characters, not bytes");
  CHECK("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 64, 4, "\xc3\xa9...",
        "max 4 of 5 e-acute");
  CHECK("a\nb|cdef", 64, 5, "a?...", "replacements count as characters");
}

static void test_buffer(void) {
  char dst[8];

  CHECK("abcdef", 7, 0, "abcdef", "n = length + 1: fits");
  CHECK("abcdef", 6, 0, "ab...", "n = length: cut");
  CHECK("abcdef", 4, 0, "...", "n 4: only the dots");
  CHECK("abcdef", 3, 0, "..", "n 3");
  CHECK("abcdef", 2, 0, ".", "n 2");
  CHECK("abcdef", 1, 0, "", "n 1: empty");
  CHECK("", 1, 0, "", "empty source");
  CHECK("a\xc3\xa9\xe2\x82\xac", 7, 0, "a\xc3\xa9\xe2\x82\xac", "mixed widths fit");
  CHECK("a\xc3\xa9\xe2\x82\xac", 6, 0, "a...", "never cut inside euro sign");
  CHECK("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8, 0, "\xc3\xa9\xc3\xa9...",
        "never cut inside e-acute");
  CHECK("\xf0\x9d\x84\x9e" "ab", 7, 0, "\xf0\x9d\x84\x9e" "ab", "4-byte + ASCII fits");
  CHECK("\xf0\x9d\x84\x9e" "abcd", 7, 0, "...", "4-byte char does not fit with dots");
  CHECK("abcdefghij", 7, 8, "abc...", "n and max: the tighter one wins");
  memcpy(dst, "xyz", 4);
  is_int(sw_sanitize(dst, 0, "abc", 3, 0), 0, "n == 0 returns 0");
  is_str(dst, "xyz", "n == 0 writes nothing");
  is_int(sw_sanitize(NULL, 0, "abc", 3, 0), 0, "NULL dst with n == 0");
}

/* Hostile bytes: whatever comes in, what goes out has no control bytes,
 * no '|', fits, and is a fixed point (valid UTF-8 passes unchanged). */
static void test_fuzz(void) {
  unsigned int seed = 12345;
  int bad = 0, changed = 0;

  for (int round = 0; round < 2000; round++) {
    unsigned char src[300];
    char out[200], again[200];
    size_t len = (size_t)(round % 300), n = 1 + (size_t)(round % 199), o;
    size_t max = (size_t)(round % 7 == 0 ? round % 50 : 0);

    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      src[i] = (unsigned char)(seed >> 16);
    }
    o = sw_sanitize(out, n, (const char *)src, len, max);
    if (o >= n || o != strlen(out) || strchr(out, '|') || strchr(out, 0x7f))
      bad++;
    for (size_t i = 0; i < o; i++)
      if ((unsigned char)out[i] < 0x20)
        bad++;
    sw_sanitize(again, sizeof again, out, o, 0);
    if (strcmp(again, out) != 0)
      changed++;
  }
  is_int(bad, 0, "2000 random inputs: no control bytes, no '|', fits n");
  is_int(changed, 0, "2000 random inputs: output is already clean");
}

int main(void) {
  test_replacements();
  test_utf8();
  test_max();
  test_buffer();
  test_fuzz();
  return tap_done();
}
