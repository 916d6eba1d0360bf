/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cost bound on user regular expressions; see regex.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/regex.h"

#define SW_REGEX_MAX_DEPTH 32
#define OVER (SW_REGEX_MAX_COST + 1)

static size_t add(size_t a, size_t b) {
  return a + b > OVER ? OVER : a + b;
}

static size_t mul(size_t a, size_t b) {
  return b && a > OVER / b ? OVER : (a * b > OVER ? OVER : a * b);
}

/* Reads the digits at s[*i] (capped at OVER); returns 0 when none. */
static int number(const char *s, size_t *i, size_t *v) {
  size_t start = *i;
  *v = 0;
  for (; s[*i] >= '0' && s[*i] <= '9'; (*i)++)
    *v = add(mul(*v, 10), (size_t)(s[*i] - '0'));
  return *i > start;
}

/* The interval "{m}", "{m,}", "{m,n}" or "{,n}" at s: its length, with
 * the copies it makes in *copies; 0 when s does not start one (regcomp
 * then reads '{' as it will). */
static size_t interval(const char *s, size_t *copies) {
  size_t i = 1, m = 0, n = 0;
  int has_m = number(s, &i, &m), has_n = 0;

  if (s[i] == ',') {
    i++;
    has_n = number(s, &i, &n);
  }
  if (s[i] != '}' || (!has_m && !has_n))
    return 0;
  *copies = add(m > n ? m : n, 1);
  return i + 1;
}

/* The length of the bracket expression at s ("[...]", with "[]...]",
 * "[^]...]" and "[:class:]", "[.x.]", "[=x=]" inside); the rest of s when
 * it is not closed. */
static size_t bracket(const char *s) {
  size_t i = 1;

  if (s[i] == '^')
    i++;
  if (s[i] == ']')
    i++;
  while (s[i] && s[i] != ']') {
    if (s[i] == '[' &&
        (s[i + 1] == ':' || s[i + 1] == '.' || s[i + 1] == '=')) {
      char end[3] = {s[i + 1], ']', '\0'};
      const char *e = strstr(s + i + 2, end);
      i = e ? (size_t)(e - s) + 2 : i + 2;
    } else {
      i++;
    }
  }
  return s[i] ? i + 1 : i;
}

size_t sw_regex_cost(const char *re) {
  /* per open group: the cost so far and that of its last atom, which a
   * quantifier multiplies */
  size_t sum[SW_REGEX_MAX_DEPTH + 1], last[SW_REGEX_MAX_DEPTH + 1];
  size_t i = 0, d = 0;
  int run = 0; /* quantifiers in a row */

  sum[0] = last[0] = 0;
  while (re && re[i]) {
    size_t len = 1, copies = 0;
    char c = re[i];
    int quantifier = 0;

    if (c == '(') {
      if (d == SW_REGEX_MAX_DEPTH)
        return OVER;
      d++;
      sum[d] = last[d] = 0;
    } else if (c == ')' && d > 0) {
      size_t g = add(sum[d], 1);
      d--;
      sum[d] = add(sum[d], g);
      last[d] = g;
    } else if (c == '|') {
      sum[d] = add(sum[d], 1);
      last[d] = 0;
    } else if (c == '*' || c == '+' || c == '?' ||
               (c == '{' && (len = interval(re + i, &copies)) > 0)) {
      size_t grown = mul(last[d], copies ? copies : 2);
      quantifier = 1;
      if (++run > 2)
        return OVER;
      /* sum[d] >= last[d] always: both saturate at OVER */
      sum[d] = add(sum[d] - last[d], grown);
      last[d] = grown;
      len = len ? len : 1;
    } else {
      len = c == '\\' && re[i + 1] ? 2 : c == '[' ? bracket(re + i) : 1;
      sum[d] = add(sum[d], 1);
      last[d] = 1;
    }
    if (!quantifier)
      run = 0;
    if (sum[d] >= OVER)
      return OVER;
    i += len;
  }
  while (d > 0) { /* unclosed groups: regcomp refuses them anyway */
    d--;
    sum[d] = add(sum[d], sum[d + 1]);
  }
  return sum[0];
}

int sw_regex_compile(regex_t *re, bool *has, const char *text, const char *opt,
                     int flags, sw_err *err) {
  if (*has)
    regfree(re);
  *has = false;
  if (sw_regex_cost(text) > SW_REGEX_MAX_COST)
    return sw_fail(err,
                   "%s: regular expression too complex (stacked or "
                   "nested repetitions)",
                   opt);
  *has = regcomp(re, text, REG_EXTENDED | flags) == 0;
  return *has ? 0
              : sw_fail(err, "%s: invalid regular expression '%s'", opt, text);
}

/* The monotonic time by which a search gives up: half of what is left of
 * d (the rest is for what the plugin still has to do and print), or
 * SW_REGEX_DEFAULT_BUDGET seconds without a deadline. */
static double search_stop(const sw_deadline *d, double now) {
  if (!d)
    return now + SW_REGEX_DEFAULT_BUDGET;
  double left = d->end - now;
  return now + (left > 0 ? left / 2 : 0);
}

/* "2.6 MB", "512.0 kB" or "300-byte": the subject's size for a message. */
static void size_words(char *buf, size_t n, size_t len) {
  if (len >= 1000 * 1000)
    snprintf(buf, n, "%.1f MB", (double)len / 1e6);
  else if (len >= 1000)
    snprintf(buf, n, "%.1f kB", (double)len / 1e3);
  else
    snprintf(buf, n, "%zu-byte", len);
}

static int too_costly(const char *opt, size_t len, size_t done, double spent,
                      sw_err *err) {
  char size[32];
  size_words(size, sizeof size, len);
  return sw_fail(err,
                 "%s: regular expression too costly for a %s subject "
                 "(gave up after %.1f s with %zu%% of the start positions "
                 "tried; avoid .* at the start or several .* in a row)",
                 opt, size, spent, len ? done * 100 / len : 100);
}

/* The most candidate start positions one re_search call tries: one
 * attempt can scan to the end of the subject (about 8 ms on 2.6 MB), and
 * the clock is only read between calls, so this bounds the overshoot
 * past the budget (64 x 8 ms); calls cost about 0.1 us, so small chunks
 * cost nothing on cheap patterns. */
#define CHUNK_MAX 64

/* The next chunk: doubled while a chunk takes under a millisecond,
 * halved when one takes over 20 ms. */
static size_t next_chunk(size_t chunk, double took) {
  if (took < 0.001 && chunk < CHUNK_MAX)
    return chunk * 2;
  if (took > 0.02 && chunk > 1)
    return chunk / 2;
  return chunk;
}

/* How far past start re_search may go to try at most k start positions
 * where a match can begin: positions the fastmap rules out cost nothing,
 * so they do not count (a search for "needle" tries only the 'n's). When
 * the fastmap cannot say (none, an empty match possible, a translation
 * table for REG_ICASE), every position counts. */
static size_t chunk_range(const regex_t *re, const char *s, size_t len,
                          size_t start, size_t k) {
  size_t i = start, seen = 0;
  if (!re->fastmap || !re->fastmap_accurate || re->can_be_null || re->translate)
    return len - start < k - 1 ? len - start : k - 1;
  for (; i < len; i++)
    if (re->fastmap[(unsigned char)s[i]] && ++seen == k)
      break;
  return i - start;
}

int sw_regex_search(const regex_t *re, const char *subject, size_t len,
                    size_t nmatch, regmatch_t *m, const sw_deadline *d,
                    const char *opt, sw_err *err) {
  /* re_search takes a non-const buffer: regcomp compiled its fastmap, so
   * it only reads it (regs is NULL). */
  regex_t *rx = (regex_t *)re;
  double t0 = sw_now(), stop = search_stop(d, t0);
  size_t start = 0, chunk = 1; /* candidate starts per call */
  regoff_t found = -1;
  if (len > (size_t)INT_MAX)
    return sw_fail(err, "%s: subject larger than 2 GiB", opt);
  for (;;) {
    size_t range = chunk_range(re, subject, len, start, chunk);
    double c0 = sw_now();
    found = re_search(rx, subject, (regoff_t)len, (regoff_t)start,
                      (regoff_t)range, NULL);
    if (found >= 0 || found == -2)
      break;
    start += range + 1;
    if (start > len)
      return 0;
    double c1 = sw_now();
    if (c1 >= stop)
      return too_costly(opt, len, start, c1 - t0, err);
    chunk = next_chunk(chunk, c1 - c0);
  }
  if (found == -2)
    return sw_fail(err, "%s: out of memory while matching", opt);
  if (nmatch == 0 || !m)
    return 1;
  /* The submatches of the one match found: one attempt at its start. */
  m[0].rm_so = found;
  m[0].rm_eo = (regoff_t)len;
  int rc = regexec(re, subject, nmatch, m, REG_STARTEND);
  if (rc == 0)
    return 1;
  return rc == REG_NOMATCH
             ? 0
             : sw_fail(err, "%s: out of memory while matching", opt);
}
