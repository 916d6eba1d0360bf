/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/stream/icy.c: ICY in-band metadata stripping
 * under every chunking, and the icy-* response headers. */
#include <stdlib.h>
#include <string.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/stream/icy.h"
#include "tap.h"

/* Builds an ICY body: blocks of metaint media bytes (media[i] = i & 0xff
 * counting media bytes only), each followed by a metadata block (text
 * padded with NULs to 16*L, or L = 0 for NULL). Returns its length. */
static size_t body(unsigned char *out, unsigned long metaint,
                   const char *const *meta, size_t blocks, size_t tail) {
  size_t o = 0, b, i, m = 0;

  for (b = 0; b < blocks; b++) {
    for (i = 0; i < metaint; i++)
      out[o++] = (unsigned char)(m++ & 0xff);
    if (!meta[b]) {
      out[o++] = 0;
      continue;
    }
    size_t len = strlen(meta[b]), l = (len + 15) / 16;
    out[o++] = (unsigned char)l;
    memcpy(out + o, meta[b], len);
    memset(out + o + len, 0, l * 16 - len);
    o += l * 16;
  }
  for (i = 0; i < tail; i++)
    out[o++] = (unsigned char)(m++ & 0xff);
  return o;
}

static int media_ok(const unsigned char *m, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (m[i] != (unsigned char)(i & 0xff))
      return 0;
  return 1;
}

/* Feeds in chunks of size step (cycling through sizes when step is 0). */
static size_t feed_chunked(icy_state *s, const unsigned char *in, size_t n,
                           size_t step, unsigned char *out) {
  size_t pos = 0, o = 0, k = 0, c;

  while (pos < n) {
    c = step ? step : (k++ % 7) + 1;
    if (c > n - pos)
      c = n - pos;
    o += icy_feed(s, in + pos, c, out + o);
    pos += c;
  }
  return o;
}

static void test_chunking(void) {
  static const char *const meta[] = {
      "StreamTitle='Artist - First';StreamUrl='http://radio.example/';",
      NULL, "StreamTitle='Guns N' Roses - Don't Cry';", NULL,
      "StreamTitle='';"};
  size_t cap = 5 * (100 + 1 + 16 * 255) + 50;
  unsigned char *in = malloc(cap), *out = malloc(cap);
  size_t n = body(in, 100, meta, 5, 37), got, steps[] = {0, 1, 2, 16, 101, 0};
  icy_state whole, s;
  size_t i;

  icy_init(&whole, 100);
  got = icy_feed(&whole, in, n, out);
  is_int(got, 537, "whole: media bytes");
  ok(media_ok(out, got), "whole: media intact");
  is_int(whole.blocks, 3, "whole: three metadata blocks");
  is_int(whole.intervals, 5, "whole: five length bytes");
  ok(whole.has_title, "whole: a title");
  is_str(whole.title, "", "whole: the last title is empty");
  is_int(whole.media_bytes, 537, "media_bytes counted");
  for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    icy_init(&s, 100);
    steps[5] = n;
    got = feed_chunked(&s, in, n, steps[i], out);
    ok(got == 537 && media_ok(out, got) && s.blocks == whole.blocks &&
       s.intervals == whole.intervals && !strcmp(s.title, whole.title),
       "chunks of %zu (0: 1..7 cycling): same as whole", steps[i]);
  }
  icy_init(&s, 100);
  n = body(in, 100, meta, 3, 0);
  memcpy(out, in, n);
  got = icy_feed(&s, out, n, out);
  ok(got == 300 && media_ok(out, got), "in place");
  is_str(s.title, "Guns N' Roses - Don't Cry", "title with quotes");
  free(in);
  free(out);
}

static void test_byte_by_byte_title(void) {
  static const char *const meta[] = {"StreamTitle='One';"};
  unsigned char in[200], out[200];
  size_t n = body(in, 8, meta, 1, 3), i, got = 0;
  icy_state s;

  icy_init(&s, 8);
  for (i = 0; i < n; i++) {
    got += icy_feed(&s, in + i, 1, out + got);
    if (i == 8 + 16)
      ok(!s.has_title, "no title before the block ends");
  }
  is_int(got, 11, "byte by byte: media");
  is_str(s.title, "One", "byte by byte: title");
  is_int(s.phase, ICY_MEDIA, "back in media");
}

static void test_hostile(void) {
  static const char *const meta[] = {
      "StreamTitle='evil | perf=1\nCRITICAL \x1b[31m';StreamUrl='x';",
      "StreamUrl='x';StreamTitle='no end quote",
      "junkStreamTitle='not a key';"};
  unsigned char in[5000], out[5000], big[16 * 255 + 1];
  icy_state s;
  size_t n;

  icy_init(&s, 4);
  n = body(in, 4, meta, 1, 0);
  icy_feed(&s, in, n, out);
  is_str(s.title, "evil / perf=1?CRITICAL ?[31m", "title sanitised");
  icy_init(&s, 4);
  n = body(in, 4, meta + 1, 1, 0);
  icy_feed(&s, in, n, out);
  is_str(s.title, "no end quote", "unterminated value");
  icy_init(&s, 4);
  n = body(in, 4, meta + 2, 1, 0);
  icy_feed(&s, in, n, out);
  ok(!s.has_title, "key inside another key ignored");
  memset(big, 'A', sizeof big);
  memcpy(big, "StreamTitle='", 13);
  big[sizeof big - 1] = '\0';
  {
    const char *m[] = {(const char *)big};
    icy_init(&s, 4);
    n = body(in, 4, m, 1, 0);
    is_int(n, 4 + 1 + 16 * 255, "largest block");
    is_int(icy_feed(&s, in, n, out), 4, "largest block stripped");
    ok(strlen(s.title) <= ICY_TITLE_MAX + 3, "title capped (%zu)",
       strlen(s.title));
    ok(strstr(s.title, "...") != NULL, "cut title ends in ...");
  }
}

static void test_no_metaint(void) {
  unsigned char in[10] = "abcdefghi", out[10];
  icy_state s;

  icy_init(&s, 0);
  is_int(icy_feed(&s, in, 9, out), 9, "metaint 0: all media");
  ok(memcmp(in, out, 9) == 0, "metaint 0: unchanged");
  is_int(icy_feed(&s, in, 0, out), 0, "empty feed");
  is_int(s.blocks, 0, "no blocks");
}

static int line(icy_headers *h, const char *l, sw_err *err) {
  return icy_header_line(h, l, strlen(l), err);
}

static void test_headers(void) {
  icy_headers h;
  sw_err err = {""};

  icy_headers_init(&h);
  is_int(line(&h, "icy-br: 128\r\n", &err), 1, "icy-br");
  is_int(h.br, 128, "icy-br value");
  is_int(line(&h, "ICY-METAINT:16000\r\n", &err), 1, "icy-metaint any case");
  ok(h.has_metaint && h.metaint == 16000, "icy-metaint value");
  is_int(line(&h, "icy-name: Radio | Example\r\n", &err), 1, "icy-name");
  is_str(h.name, "Radio / Example", "icy-name sanitised");
  is_int(line(&h, "icy-genre:\tJazz  \r\n", &err), 1, "icy-genre");
  is_str(h.genre, "Jazz", "icy-genre trimmed");
  is_int(line(&h, "icy-description: a\x01" "b\r\n", &err), 1, "description");
  is_str(h.description, "a?b", "description sanitised");
  is_int(line(&h, "icy-url: http://radio.example\r\n", &err), 1, "icy-url");
  is_str(h.url, "http://radio.example", "icy-url value");
  is_int(line(&h, "Content-Type: audio/mpeg\r\n", &err), 0, "other header");
  is_int(line(&h, "HTTP/1.0 200 OK\r\n", &err), 0, "status line");
  is_int(line(&h, "icy-pub: 1\r\n", &err), 0, "icy-pub not used");
  is_int(line(&h, "icy-br: 128,128\r\n", &err), 1, "icy-br doubled");
  is_int(h.br, 128, "icy-br doubled value");
  is_int(line(&h, "icy-br: fast\r\n", &err), -1, "icy-br junk");
  is_int(line(&h, "icy-br: 99999999999999999999999\r\n", &err), -1,
         "icy-br overflow");
  is_int(line(&h, "icy-metaint: 0\r\n", &err), -1, "icy-metaint 0");
  is_int(line(&h, "icy-metaint: -1\r\n", &err), -1, "icy-metaint negative");
  is_int(line(&h, "icy-metaint: 2000000\r\n", &err), -1, "icy-metaint huge");
  is_int(line(&h, "icy-metaint: 8192x\r\n", &err), -1, "icy-metaint junk");
  is_int(icy_header_line(NULL, "icy-br: 1", 9, &err), 0, "NULL headers");
}

int main(void) {
  test_chunking();
  test_byte_by_byte_title();
  test_hostile();
  test_no_metaint();
  test_headers();
  return tap_done();
}
