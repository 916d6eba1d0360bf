/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Performance data items, printed the same whatever the locale says. */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/perfdata.h"

/* Fraction digits of a perfdata value, min and max: microseconds for
 * times in seconds. */
#define SW_PERF_DECIMALS 6

/* Scaled values stay below this, so a double holds them as exact
 * integers (2^53 is about 9.007e15) and a long long never overflows. */
#define SW_PERF_EXACT 9e15
#define SW_PERF_MAX_DECIMALS 15

/* 10^d for 0 <= d <= SW_PERF_MAX_DECIMALS (fits easily in 64 bits). */
static unsigned long long pow10u(int d) {
  unsigned long long p = 1;

  while (d-- > 0)
    p *= 10;
  return p;
}

/* Copies s into buf of size n (n > 0), cutting it if needed. */
static void copy_cut(char *buf, size_t n, const char *s) {
  size_t len = strlen(s);

  if (len >= n)
    len = n - 1;
  memcpy(buf, s, len);
  buf[len] = '\0';
}

/* Formats |v| * 10^decimals < SW_PERF_EXACT with integer arithmetic only:
 * printf's "%f" would print a ',' under a de_DE LC_NUMERIC. Rounds half
 * away from zero; a result of zero never keeps its '-'. */
static void format_fixed(char *out, size_t n, double v, int decimals) {
  unsigned long long p = pow10u(decimals), mag;
  double scaled = v * (double)p;
  long long t = (long long)scaled;  /* truncates toward zero */
  double frac = scaled - (double)t; /* exact: both are below 2^53 */
  size_t len;
  int neg;

  if (frac >= 0.5)
    t++;
  else if (frac <= -0.5)
    t--;
  neg = t < 0;
  mag = neg ? (unsigned long long)-t : (unsigned long long)t;
  len = (size_t)snprintf(out, n, "%s%llu", neg ? "-" : "", mag / p);
  if (mag % p == 0 || len >= n)
    return;
  snprintf(out + len, n - len, ".%0*llu", decimals, mag % p);
  /* trailing zeros of the fraction carry no information */
  len = strlen(out);
  while (out[len - 1] == '0')
    out[--len] = '\0';
}

void sw_perf_number(char *buf, size_t n, double v, int decimals) {
  char tmp[DBL_MAX_10_EXP + 8]; /* "%.0f" of -DBL_MAX is 310 bytes */
  double mag = v < 0 ? -v : v;

  if (!buf || n == 0)
    return;
  if (v != v || mag > DBL_MAX) {
    copy_cut(buf, n, "U"); /* NaN or infinity: nothing was measured */
    return;
  }
  if (decimals < 0)
    decimals = 0;
  if (decimals > SW_PERF_MAX_DECIMALS)
    decimals = SW_PERF_MAX_DECIMALS;
  /* Big values give up fraction digits instead of overflowing; a double
   * has no more than about 15 significant digits to print anyway. */
  while (decimals > 0 && mag * (double)pow10u(decimals) >= SW_PERF_EXACT)
    decimals--;
  if (mag < SW_PERF_EXACT)
    format_fixed(tmp, sizeof tmp, v, decimals);
  else /* integral anyway; "%.0f" prints no decimal point in any locale */
    snprintf(tmp, sizeof tmp, "%.0f", v);
  copy_cut(buf, n, tmp);
}

/* The characters a label keeps: what every graphing backend keeps as one
 * metric name (Graphite splits at '.', others refuse '@', ':', spaces or
 * quotes); anything else becomes '_'. */
static bool label_plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int sw_perf_label(char *buf, size_t n, const char *label) {
  size_t i;
  if (!label || !*label)
    label = "_"; /* an empty label would make "=value" */
  if (!buf || strlen(label) + 1 > n)
    return -1;
  for (i = 0; label[i]; i++)
    buf[i] = label_plain((unsigned char)label[i]) ? label[i] : '_';
  buf[i] = '\0';
  return 0;
}

/* Appends len bytes of s to t (size cap) at *pos; -1 when it won't fit. */
static int put(char *t, size_t cap, size_t *pos, const char *s, size_t len) {
  if (*pos + len + 1 > cap)
    return -1;
  memcpy(t + *pos, s, len);
  *pos += len;
  t[*pos] = '\0';
  return 0;
}

/* The threshold field: the range exactly as the user typed it. */
static void range_field(char *out, size_t n, const sw_range *r) {
  size_t len = 0;

  if (r && r->set)
    len = strnlen(r->text, sizeof r->text);
  if (len >= n)
    len = n - 1;
  memcpy(out, r && r->set ? r->text : "", len);
  out[len] = '\0';
}

/* Builds "label=value[uom];warn;crit;min;max" in t (size cap), without
 * the empty fields at the end. Returns the length, or -1. */
static int build_item(char *t, size_t cap, const sw_perf *p) {
  char label[sizeof p->label + 1], f[4][DBL_MAX_10_EXP + 8];
  char value[DBL_MAX_10_EXP + 8], lq[2 * sizeof p->label + 3];
  /* "U" stands alone: "Us" would be neither a number nor a unit */
  const char *uom = p->uom && p->measured ? p->uom : "";
  size_t pos = 0, nlen = strnlen(p->label, sizeof p->label);
  int last = -1, i;

  memcpy(label, p->label, nlen); /* p->label may fill its array */
  label[nlen] = '\0';
  if (sw_perf_label(lq, sizeof lq, label) != 0)
    return -1;
  if (p->measured)
    sw_perf_number(value, sizeof value, p->value, SW_PERF_DECIMALS);
  else
    copy_cut(value, sizeof value, "U");
  range_field(f[0], sizeof f[0], p->warn);
  range_field(f[1], sizeof f[1], p->crit);
  copy_cut(f[2], sizeof f[2], "");
  copy_cut(f[3], sizeof f[3], "");
  if (p->has_min)
    sw_perf_number(f[2], sizeof f[2], p->min, SW_PERF_DECIMALS);
  if (p->has_max)
    sw_perf_number(f[3], sizeof f[3], p->max, SW_PERF_DECIMALS);
  for (i = 0; i < 4; i++)
    if (f[i][0])
      last = i;
  if (put(t, cap, &pos, lq, strlen(lq)) || put(t, cap, &pos, "=", 1) ||
      put(t, cap, &pos, value, strlen(value)) ||
      put(t, cap, &pos, uom, strlen(uom)))
    return -1;
  for (i = 0; i <= last; i++)
    if (put(t, cap, &pos, ";", 1) || put(t, cap, &pos, f[i], strlen(f[i])))
      return -1;
  return (int)pos;
}

int sw_perf_format(char *buf, size_t n, size_t *len, const sw_perf *p) {
  char item[2048];
  int ilen;

  if (!buf || !len || !p || *len >= n)
    return -1;
  ilen = build_item(item, sizeof item, p);
  /* Built aside first, so a failure leaves buf exactly as it was. */
  if (ilen < 0 || *len + (size_t)ilen + 1 > n)
    return -1;
  memcpy(buf + *len, item, (size_t)ilen + 1);
  *len += (size_t)ilen;
  return 0;
}

const char *sw_perf_secs(char *buf, size_t n, double v) {
  if (v >= 0.001 || v <= 0)
    snprintf(buf, n, "%.3f", v > 0 ? v : 0);
  else
    sw_perf_number(buf, n, v, 6);
  return buf;
}
