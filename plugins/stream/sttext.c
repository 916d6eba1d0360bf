/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text helpers shared by the stream parsers; see sttext.h. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/strparse.h"
#include "sttext.h"

char *st_resolve(const char *base, const char *ref, sw_err *err) {
  CURLU *u;
  char *out = NULL, *copy = NULL;
  CURLUcode rc = CURLUE_OUT_OF_MEMORY;
  size_t len;

  if (!ref || !*ref || strlen(ref) > ST_URL_MAX) {
    sw_fail(err, "empty or overlong URI");
    return NULL;
  }
  if (!base || !*base) {
    if (!(copy = strdup(ref)))
      sw_fail(err, "out of memory");
    return copy;
  }
  if ((u = curl_url()) &&
      (rc = curl_url_set(u, CURLUPART_URL, base, 0)) == CURLUE_OK &&
      (rc = curl_url_set(u, CURLUPART_URL, ref, 0)) == CURLUE_OK)
    rc = curl_url_get(u, CURLUPART_URL, &out, 0);
  if (rc == CURLUE_OK) {
    len = strlen(out);
    if (len > ST_URL_MAX)
      sw_fail(err, "resolved URI longer than %d bytes", ST_URL_MAX);
    else if (!(copy = strdup(out)))
      sw_fail(err, "out of memory");
  } else {
    sw_fail(err, "cannot resolve URI: %s", curl_url_strerror(rc));
  }
  curl_free(out);
  curl_url_cleanup(u);
  return copy;
}

int st_ulong_n(const char *s, size_t len, unsigned long max,
               unsigned long *out) {
  char buf[32];

  if (!s || len == 0 || len >= sizeof buf)
    return -1;
  memcpy(buf, s, len);
  buf[len] = '\0';
  return sw_parse_ulong(buf, 0, max, out);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil), so no timegm() and no TZ. */
static long days_from_civil(long y, unsigned long m, unsigned long d) {
  unsigned long mp = m > 2 ? m - 3 : m + 9; /* March is month 0 */
  long era, yoe, doy;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (long)((153 * mp + 2) / 5 + d - 1);
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static unsigned long days_in_month(unsigned long y, unsigned long m) {
  static const unsigned char dm[] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : dm[m - 1];
}

/* Two digits at s (the caller checked the length) within [0, max]. */
static int two(const char *s, unsigned long max, unsigned long *out) {
  return st_ulong_n(s, 2, max, out);
}

/* The zone suffix at s[0..len): "", "Z", "+HH", "+HHMM", "+HH:MM".
 * *offset gets seconds east of UTC. Returns 0, or -1. */
static int zone(const char *s, size_t len, long *offset) {
  unsigned long hh, mm = 0;

  *offset = 0;
  if (len == 0 || (len == 1 && s[0] == 'Z'))
    return 0;
  if ((s[0] != '+' && s[0] != '-') || len < 3 || two(s + 1, 23, &hh))
    return -1;
  if (len == 5 && two(s + 3, 59, &mm))
    return -1;
  if (len == 6 && (s[3] != ':' || two(s + 4, 59, &mm)))
    return -1;
  if (len != 3 && len != 5 && len != 6)
    return -1;
  *offset = (long)(hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
  return 0;
}

int st_datetime(const char *s, size_t len, double *epoch) {
  unsigned long y, mo, d, h, mi;
  double sec;
  size_t i = 19;
  long off;

  if (!s || len < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
      s[13] != ':' || s[16] != ':')
    return -1;
  if (st_ulong_n(s, 4, 9999, &y) || two(s + 5, 12, &mo) || mo == 0 ||
      two(s + 8, 31, &d) || d == 0 || d > days_in_month(y, mo) ||
      two(s + 11, 23, &h) || two(s + 14, 59, &mi))
    return -1;
  if (i < len && s[i] == '.')
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
      ;
  if (sw_parse_double_n(s + 17, i - 17, &sec) || s[17] == '+' || s[17] == '-' ||
      sec >= 61.0 || zone(s + i, len - i, &off))
    return -1;
  *epoch = (double)days_from_civil((long)y, mo, d) * 86400.0 +
           (double)(h * 3600 + mi * 60) + sec - (double)off;
  return 0;
}

/* One "<number><unit>" component of a duration at s[*i..len). */
static int component(const char *s, size_t len, size_t *i, double *v,
                     char *unit) {
  size_t start = *i;

  while (*i < len && ((s[*i] >= '0' && s[*i] <= '9') || s[*i] == '.'))
    (*i)++;
  if (*i == start || *i >= len || s[start] == '.' ||
      sw_parse_double_n(s + start, *i - start, v))
    return -1;
  *unit = s[(*i)++];
  return memchr(s + start, '.', *i - 1 - start) ? 1 : 0;
}

int st_duration(const char *s, size_t len, double *secs) {
  static const char units[] = "YMWDHMS"; /* date part, then time part */
  static const double mult[] = {0, 0, 604800, 86400, 3600, 60, 1};
  size_t i = 1, u = 0, n = 0;
  int in_time = 0, frac = 0;
  double total = 0, v;
  char unit;

  if (!s || len < 3 || s[0] != 'P')
    return -1;
  while (i < len) {
    if (s[i] == 'T') {
      if (in_time || ++i >= len)
        return -1;
      in_time = 1;
      u = 4;
      continue;
    }
    if (frac || (frac = component(s, len, &i, &v, &unit)) < 0)
      return -1;
    while (u < 7 && (units[u] != unit || (u >= 4) != in_time))
      u++;
    if (u == 7 || ((u == 0 || u == 1) && v != 0))
      return -1;
    total += v * mult[u++];
    n++;
  }
  if (n == 0 || (in_time && s[len - 1] == 'T'))
    return -1;
  *secs = total;
  return 0;
}
