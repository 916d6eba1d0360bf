/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict number parsing: the only place in streamwatch where text becomes a
 * number. */
#include <float.h>
#include <stdint.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/strparse.h"

/* Longest text we convert on the stack; longer (but well-formed) numbers
 * are copied to the heap. */
#define SW_NUM_STACK 128

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* True when s[0..len) is [+-]DIGITS[.DIGITS] and nothing else: no blanks,
 * no exponent, no hex, no "nan"/"inf", no bare "." or "5." or ".5". */
static int well_formed(const char *s, size_t len, size_t *dot) {
  size_t i = 0, digits;

  *dot = len; /* no '.' */
  if (i < len && (s[i] == '-' || s[i] == '+'))
    i++;
  for (digits = 0; i < len && is_digit(s[i]); i++)
    digits++;
  if (digits == 0)
    return 0;
  if (i < len && s[i] == '.') {
    *dot = i++;
    for (digits = 0; i < len && is_digit(s[i]); i++)
      digits++;
    if (digits == 0)
      return 0;
  }
  return i == len;
}

/* strtod honours LC_NUMERIC, so the '.' is swapped for the locale's
 * decimal point before converting: "0.250" means the same under de_DE as
 * under C. Returns 0, or -1 (out of memory, not finite). */
static int convert(const char *s, size_t len, size_t dot, double *out) {
  const char *dp = localeconv()->decimal_point;
  char stack[SW_NUM_STACK], *copy = stack, *end;
  size_t dplen, need;
  double v;
  int rc;

  if (!dp || !*dp)
    dp = ".";
  dplen = strlen(dp);
  need = len + dplen + 1;
  if (need > sizeof stack && !(copy = malloc(need)))
    return -1;
  memcpy(copy, s, dot);
  if (dot < len) {
    memcpy(copy + dot, dp, dplen);
    memcpy(copy + dot + dplen, s + dot + 1, len - dot - 1);
    copy[len - 1 + dplen] = '\0';
  } else {
    copy[len] = '\0';
  }
  v = strtod(copy, &end);
  /* Underflow to 0 or a subnormal is still a finite answer; overflow
   * gives HUGE_VAL, which the range check below refuses. */
  rc = (*end == '\0' && v >= -DBL_MAX && v <= DBL_MAX) ? 0 : -1;
  if (copy != stack)
    free(copy);
  if (rc == 0)
    *out = v;
  return rc;
}

int sw_parse_double_n(const char *s, size_t len, double *out) {
  size_t dot;

  if (!s || !out || !well_formed(s, len, &dot))
    return -1;
  return convert(s, len, dot, out);
}

int sw_parse_double(const char *s, double *out) {
  if (!s)
    return -1;
  return sw_parse_double_n(s, strlen(s), out);
}

/* Digits only (no sign, no blanks); overflow is detected before it
 * happens rather than relying on wrap-around. */
int sw_parse_ulong(const char *s, unsigned long min, unsigned long max,
                   unsigned long *out) {
  unsigned long v = 0;

  if (!s || !out || !*s)
    return -1;
  for (; *s; s++) {
    unsigned long d;
    if (!is_digit(*s))
      return -1;
    d = (unsigned long)(*s - '0');
    if (v > (ULONG_MAX - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  if (v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

int sw_parse_int64_n(const char *s, size_t len, int64_t min, int64_t max,
                     int64_t *out) {
  /* The magnitude is gathered in uint64_t, which holds |INT64_MIN|, and
   * checked before each step: no signed arithmetic can overflow. */
  const uint64_t limit_neg = (uint64_t)INT64_MAX + 1, limit_pos = INT64_MAX;
  uint64_t v = 0;
  size_t i = 0;
  int neg = 0;

  if (!s || !out)
    return -1;
  if (i < len && (s[i] == '-' || s[i] == '+'))
    neg = s[i++] == '-';
  if (i == len)
    return -1;
  uint64_t limit = neg ? limit_neg : limit_pos;
  for (; i < len; i++) {
    if (!is_digit(s[i]))
      return -1;
    uint64_t d = (uint64_t)(s[i] - '0');
    if (v > (limit - d) / 10)
      return -1; /* beyond int64: refused, never clamped */
    v = v * 10 + d;
  }
  int64_t r = !neg ? (int64_t)v : v == limit_neg ? INT64_MIN : -(int64_t)v;
  if (r < min || r > max)
    return -1;
  *out = r;
  return 0;
}

int sw_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out) {
  return s ? sw_parse_int64_n(s, strlen(s), min, max, out) : -1;
}

int sw_int64_from_double(double v, int64_t *out) {
  /* -2^63 is exact in a double; 2^63 is the first value beyond int64 and
   * INT64_MAX itself rounds up to it, so the upper test is strict. */
  const double lo = -9223372036854775808.0, hi = 9223372036854775808.0;
  if (!(v >= lo && v < hi) || v != (double)(int64_t)v)
    return -1;
  *out = (int64_t)v;
  return 0;
}
