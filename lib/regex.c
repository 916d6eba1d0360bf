/* The cost bound on user regular expressions; see regex.h. */
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
