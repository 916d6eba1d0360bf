/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Makes strings from the network safe to print in plugin output. */
#include <stdlib.h>
#include <string.h>

#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"

/* Length of the well-formed UTF-8 sequence at s (2..4), or 0 when the lead
 * byte does not start one. The ranges are RFC 3629 section 4's table, so
 * overlong forms, surrogates (U+D800..U+DFFF) and code points above
 * U+10FFFF are refused. */
static size_t utf8_len(const unsigned char *s, size_t avail) {
  unsigned char c = s[0], lo = 0x80, hi = 0xBF;
  size_t len, i;

  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  else
    return 0; /* stray continuation byte, C0/C1 overlong lead, F5..FF */
  if (c == 0xE0)
    lo = 0xA0; /* below: overlong 3-byte form */
  else if (c == 0xED)
    hi = 0x9F; /* above: UTF-16 surrogates */
  else if (c == 0xF0)
    lo = 0x90; /* below: overlong 4-byte form */
  else if (c == 0xF4)
    hi = 0x8F; /* above: beyond U+10FFFF */
  if (avail < len || s[1] < lo || s[1] > hi)
    return 0;
  for (i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF)
      return 0;
  return len;
}

/* Turns the next character of s into its printable form in out (up to 4
 * bytes). Returns the bytes of s consumed; *olen gets the bytes written.
 * An invalid byte is consumed alone, so each one becomes its own '?'. */
static size_t next_char(const unsigned char *s, size_t avail,
                        unsigned char *out, size_t *olen) {
  size_t len;

  *olen = 1;
  if (s[0] < 0x80) {
    if (s[0] < 0x20 || s[0] == 0x7F)
      out[0] = '?'; /* newlines would forge extra output lines */
    else if (s[0] == '|')
      out[0] = '/'; /* '|' would start forged perfdata */
    else
      out[0] = s[0];
    return 1;
  }
  len = utf8_len(s, avail);
  if (len == 0) {
    out[0] = '?';
    return 1;
  }
  /* U+0080..U+009F (C2 80..C2 9F) are the C1 controls; some terminals
   * read U+009B as CSI, so they are control characters like ESC. */
  if (len == 2 && s[0] == 0xC2 && s[1] < 0xA0) {
    out[0] = '?';
    return 2;
  }
  memcpy(out, s, len);
  *olen = len;
  return len;
}

/* Writes the cut marker at dst: "...", or fewer dots when room or max is
 * below 3 (then nothing else fits), so a cut is always visible. Returns
 * its length. */
static size_t put_dots(char *dst, size_t room, size_t max) {
  size_t dots = 3;

  if (dots > room)
    dots = room;
  if (max && dots > max)
    dots = max;
  memset(dst, '.', dots);
  return dots;
}

size_t sw_sanitize(char *dst, size_t n, const char *src, size_t srclen,
                   size_t max) {
  const unsigned char *s = (const unsigned char *)src;
  size_t room, out = 0, chars = 0, mark = 0, i = 0;
  int mark_ok;

  if (n == 0 || !dst)
    return 0;
  if (!src)
    srclen = 0;
  room = n - 1;
  /* mark: the longest output prefix that still leaves room for "..."
   * (in bytes and in characters), where a cut falls back to. */
  mark_ok = room >= 3 && (max == 0 || max >= 3);
  while (i < srclen) {
    unsigned char ch[4];
    size_t olen, used = next_char(s + i, srclen - i, ch, &olen);

    if (out + olen > room || (max && chars + 1 > max)) {
      out = mark_ok ? mark : 0;
      out += put_dots(dst + out, room - out, max);
      dst[out] = '\0';
      return out;
    }
    memcpy(dst + out, ch, olen);
    out += olen;
    chars++;
    i += used;
    if (out + 3 <= room && (max == 0 || chars + 3 <= max))
      mark = out;
  }
  dst[out] = '\0';
  return out;
}

size_t sw_text_safe(char *dst, size_t n, const char *src, size_t srclen,
                    size_t max, const char *const *secrets) {
  size_t longest = 0;
  for (size_t i = 0; secrets && secrets[i]; i++)
    if (strlen(secrets[i]) > longest)
      longest = strlen(secrets[i]);
  if (!src || longest == 0 || n == 0)
    return sw_sanitize(dst, n, src, srclen, max);
  /* Each output byte comes from at most two source bytes, so the first
   * 2n source bytes are all a cut can show; a secret that starts among
   * them may end up to longest bytes later and must be seen whole. */
  size_t want = 2 * n + longest + 4; /* C1 controls: 2 bytes, one ? */
  size_t window = srclen < want ? srclen : want;
  char *copy = malloc(window + 1);
  if (!copy) /* never unmasked */
    return sw_sanitize(dst, n, "(withheld: out of memory)", 25, max);
  memcpy(copy, src, window);
  copy[window] = '\0';
  sw_secret_mask_n(copy, window, secrets);
  size_t len = sw_sanitize(dst, n, copy, window, max);
  memset(copy, 0, window);
  free(copy);
  return len;
}
