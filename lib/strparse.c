/* Strict number parsing: the only place in streamwatch where text becomes a
 * number. */
#include <float.h>
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
