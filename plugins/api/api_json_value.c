/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON values as -j compares and shows them: numbers by their exact
 * decimal value, any value as compact JSON text up to a cap. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_json.h"
#include "streamwatch/strbuf.h"

/* A JSON number's exact decimal value: sign, significant digits (the
 * mantissa text from first to last non-zero digit, '.' skipped) and the
 * power of ten of the first of them. Zero has no digits. */
typedef struct {
  const char *p; /* mantissa text */
  size_t first, last;
  long long power;
  bool neg, zero;
} decimal;

/* o's number as text: integers from their exact value, doubles from the
 * text json-c kept when parsing (json_object_new_double_s), else %.17g.
 * buf (32 bytes) holds what is formatted here. */
static const char *number_text(struct json_object *o, char *buf) {
  const char *kept;

  if (json_object_is_type(o, json_type_int)) {
    int64_t i = json_object_get_int64(o);
    if (i == INT64_MAX)
      snprintf(buf, 32, "%" PRIu64, json_object_get_uint64(o));
    else
      snprintf(buf, 32, "%" PRId64, i);
    return buf;
  }
  kept = json_object_get_userdata(o);
  if (kept)
    return kept;
  snprintf(buf, 32, "%.17g", json_object_get_double(o));
  return buf;
}

/* Reads a JSON number's text (as the tokener accepted it, exponent at
 * most EXP_DIGITS_MAX digits) into d. */
static void decimal_of(const char *t, decimal *d) {
  size_t n, dot, i;
  long long exp = 0;
  const char *e;

  memset(d, 0, sizeof *d);
  d->neg = t[0] == '-';
  d->p = t + d->neg;
  n = strcspn(d->p, "eE");
  e = d->p + n;
  dot = strcspn(d->p, ".");
  if (dot > n)
    dot = n;
  for (i = 0; i < n && (d->p[i] == '0' || d->p[i] == '.'); i++)
    ;
  d->zero = i == n;
  if (d->zero)
    return;
  d->first = i;
  for (d->last = n - 1; d->p[d->last] == '0' || d->p[d->last] == '.';)
    d->last--;
  if (*e) /* sw_parse_* refuse '+': the exponent is read by hand */
    for (i = (e[1] == '+' || e[1] == '-') ? 2 : 1; e[i]; i++)
      exp = exp * 10 + (e[i] - '0');
  if (*e && e[1] == '-')
    exp = -exp;
  d->power = (d->first < dot ? (long long)(dot - d->first) - 1
                             : -(long long)(d->first - dot)) +
             exp;
}

/* The k-th significant digit of d, '.' skipped; at is the cursor. */
static char next_digit(const decimal *d, size_t *at) {
  if (d->p[*at] == '.')
    (*at)++;
  return d->p[(*at)++];
}

/* True when two decimals are the same number. */
static bool decimals_equal(const decimal *a, const decimal *b) {
  size_t i = a->first, j = b->first;

  if (a->zero || b->zero)
    return a->zero && b->zero; /* -0 is 0 */
  if (a->neg != b->neg || a->power != b->power)
    return false;
  while (i <= a->last && j <= b->last)
    if (next_digit(a, &i) != next_digit(b, &j))
      return false;
  return i > a->last && j > b->last;
}

/* True when a and b (both numbers) are the same number: exactly, as
 * decimals. Two integers compare by value (json-c keeps int64 and uint64
 * apart and the pair of readings tells them apart); anything else by its
 * decimal text, so 3 == 3.0 (RFC 8259 section 6 has one number type) but
 * no rounding to double makes two different numbers equal. */
static bool numbers_equal(struct json_object *a, struct json_object *b) {
  char ba[32], bb[32];
  decimal da, db;

  if (json_object_is_type(a, json_type_int) &&
      json_object_is_type(b, json_type_int))
    return json_object_get_int64(a) == json_object_get_int64(b) &&
           json_object_get_uint64(a) == json_object_get_uint64(b);
  decimal_of(number_text(a, ba), &da);
  decimal_of(number_text(b, bb), &db);
  return decimals_equal(&da, &db);
}

/* Same keys (in any order) with equal values. json-c keeps one value per
 * key (the last), so counting keys is enough to rule out extras in b. */
static bool objects_equal(struct json_object *a, struct json_object *b) {
  struct json_object *bv;

  if (json_object_object_length(a) != json_object_object_length(b))
    return false;
  json_object_object_foreach(a, key, av) {
    if (!json_object_object_get_ex(b, key, &bv) || !api_json_equal(av, bv))
      return false;
  }
  return true;
}

/* Same length and pairwise equal members. */
static bool arrays_equal(struct json_object *a, struct json_object *b) {
  size_t i, len = json_object_array_length(a);

  if (len != json_object_array_length(b))
    return false;
  for (i = 0; i < len; i++)
    if (!api_json_equal(json_object_array_get_idx(a, i),
                        json_object_array_get_idx(b, i)))
      return false;
  return true;
}

/* json_object_equal, except that numbers compare by value at every level
 * (it calls 3 and 3.0 different). The recursion is as deep as the
 * shallower tree, and both come from parsers limited to
 * SW_JSON_MAX_DEPTH. */
bool api_json_equal(struct json_object *a, struct json_object *b) {
  enum json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
  bool na = ta == json_type_int || ta == json_type_double;
  bool nb = tb == json_type_int || tb == json_type_double;

  if (na && nb)
    return numbers_equal(a, b);
  if (ta != tb)
    return false;
  switch (ta) {
  case json_type_null: return true;
  case json_type_boolean:
    return json_object_get_boolean(a) == json_object_get_boolean(b);
  case json_type_string:
    return json_object_get_string_len(a) == json_object_get_string_len(b) &&
           memcmp(json_object_get_string(a), json_object_get_string(b),
                  (size_t)json_object_get_string_len(a)) == 0;
  case json_type_array: return arrays_equal(a, b);
  case json_type_object: return objects_equal(a, b);
  default: return false;
  }
}

/* A string as JSON text: quotes, and escapes for '"', '\\' and control
 * characters; other bytes as they are (the shower sanitises them). */
static void put_string(sw_buf *b, const char *s, size_t n) {
  size_t i, run = 0;

  sw_buf_add(b, "\"", 1);
  for (i = 0; i < n && !b->cut; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    sw_buf_add(b, s + run, i - run);
    if (c == '"' || c == '\\')
      sw_buf_addf(b, "\\%c", c);
    else if (c == '\n')
      sw_buf_puts(b, "\\n");
    else
      sw_buf_addf(b, "\\u%04x", c);
    run = i + 1;
  }
  if (!b->cut)
    sw_buf_add(b, s + run, n - run);
  sw_buf_add(b, "\"", 1);
}

/* A number as its JSON text. An integer beyond 64 bits was read with
 * ".0" after it (feed_all): it is shown as it was written. */
static void put_number(sw_buf *b, struct json_object *o) {
  char buf[32];
  const char *t = number_text(o, buf);
  size_t n = strlen(t), neg = t[0] == '-';

  if (n > 2 && memcmp(t + n - 2, ".0", 2) == 0 && sw_json_big_int(t, n - 2) &&
      strspn(t + neg, "0123456789") == n - 2 - neg)
    n -= 2;
  sw_buf_add(b, t, n);
}

/* Members of an object or array, stopping once the cap is reached. */
static void put_members(sw_buf *b, struct json_object *o) {
  size_t i, len;
  bool first = true;

  if (json_object_is_type(o, json_type_array)) {
    len = json_object_array_length(o);
    sw_buf_add(b, "[", 1);
    for (i = 0; i < len && !b->cut; i++) {
      if (i)
        sw_buf_add(b, ",", 1);
      api_json_put(b, json_object_array_get_idx(o, i));
    }
    sw_buf_add(b, "]", 1);
    return;
  }
  sw_buf_add(b, "{", 1);
  json_object_object_foreach(o, key, v) {
    if (b->cut)
      break;
    if (!first)
      sw_buf_add(b, ",", 1);
    first = false;
    put_string(b, key, strlen(key));
    sw_buf_add(b, ":", 1);
    api_json_put(b, v);
  }
  sw_buf_add(b, "}", 1);
}

/* o as compact JSON text ("ok" with its quotes, 12.5, null, {"a":1}), the
 * form the spec's messages use, into b up to its cap. json-c's own
 * serialiser would copy the whole value (a 4 MiB document, 6 bytes per
 * escaped control byte) to show 120 characters. The recursion is as deep
 * as the tree, which the parser limits to SW_JSON_MAX_DEPTH. */
void api_json_put(sw_buf *b, struct json_object *o) {
  switch (json_object_get_type(o)) {
  case json_type_null: sw_buf_puts(b, "null"); break;
  case json_type_boolean:
    sw_buf_puts(b, json_object_get_boolean(o) ? "true" : "false");
    break;
  case json_type_int:
  case json_type_double: put_number(b, o); break;
  case json_type_string:
    put_string(b, json_object_get_string(o),
               (size_t)json_object_get_string_len(o));
    break;
  default: put_members(b, o); break;
  }
}
