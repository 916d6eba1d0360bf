/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON bodies: the budget counted before json-c allocates (json_shape),
 * then json-c's strict tokener, with integers beyond 64 bits kept exact
 * (see streamwatch/json.h). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/json.h"
#include "streamwatch/strbuf.h"

/* JSON's four whitespace bytes (RFC 8259 section 2). */
static bool json_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What json-c's tree for a text will cost, counted in one pass over the
 * text before json-c sees it (json-c has no allocation hooks, so the
 * budget has to be kept by refusing up front). Counts are of tokens
 * outside strings; the text need not be valid JSON (json-c judges that),
 * the counts are then only an estimate, which is all they need to be. */
typedef struct {
  size_t objects, arrays, strings, keys, numbers, doubles, literals;
  size_t str_bytes; /* bytes of strings, keys included, quotes included */
  size_t longest;   /* longest string or number: json-c's buffer holds it */
  size_t big_ints;  /* integers beyond int64/uint64, which json-c clamps */
  size_t huge_exp;  /* 1 + offset of a number whose exponent is too long */
  uint64_t grown;   /* bytes of hash tables and slot arrays past their first */
  /* the open containers, to size each one's table or slots at its end */
  size_t depth, count[SW_JSON_MAX_DEPTH + 1];
  bool object[SW_JSON_MAX_DEPTH + 1];
} json_shape;

/* Bytes json-c 0.16 allocates per token, measured with getrusage over
 * 200000 of each (docs/reliability.md, Memory): an object with its first
 * 16-entry hash table, an array with its first 32 slots, every scalar a
 * json_object (a double also keeps its text), a key a copy; tables and
 * slot arrays then double (container_grown). */
enum {
  COST_OBJECT = 800,
  COST_ARRAY = 160,
  COST_SCALAR = 72,
  COST_DOUBLE_TEXT = 32,
  COST_KEY = 32
};

/* Exponents longer than this many digits (1e1000000000000000) are
 * refused: numbers compare exactly (numbers_equal), which needs the
 * exponent as a machine integer, and no API sends one. */
enum { EXP_DIGITS_MAX = 15 };

/* What a container of n members or elements allocates past its first
 * table or slots: json-c doubles an object's table (40-byte entries) when
 * an insert finds it 66 % full (LH_LOAD_FACTOR) and an array's slots (8
 * bytes) once full; the old block lives until the new one is filled, so
 * it counts too. */
static uint64_t container_grown(bool object, size_t n) {
  uint64_t size = object ? 16 : 32, unit = object ? 40 : 8;

  while (object ? (uint64_t)n * 100 > size * 66 : n > size)
    size *= 2;
  if (size == (object ? 16u : 32u))
    return 0;
  return size * unit + size / 2 * unit;
}

/* Counts a structural byte c ('{', '[', ':', ',', '}', ']') into sh. */
static void scan_struct(char c, json_shape *sh) {
  size_t d = sh->depth;

  if (c == '{' || c == '[') {
    sh->objects += c == '{';
    sh->arrays += c == '[';
    if (d <= SW_JSON_MAX_DEPTH) {
      sh->object[d] = c == '{';
      sh->count[d] = 0;
    }
    sh->depth++;
  } else if ((c == '}' || c == ']') && d > 0) {
    sh->depth--;
    if (d - 1 <= SW_JSON_MAX_DEPTH)
      sh->grown += container_grown(sh->object[d - 1], sh->count[d - 1] + 1);
  } else if (c == ':') {
    sh->keys++;
  } else if (c == ',' && d > 0 && d - 1 <= SW_JSON_MAX_DEPTH) {
    sh->count[d - 1]++;
  }
}
/* The end of the string that starts with the quote at s[i]: one past its
 * closing quote, or len when it is not closed. */
static size_t string_end(const char *s, size_t len, size_t i) {
  for (i++; i < len; i++) {
    if (s[i] == '\\')
      i++;
    else if (s[i] == '"')
      return i + 1;
  }
  return len;
}

/* The end of the number-like token at s[i]. */
static size_t number_end(const char *s, size_t len, size_t i) {
  while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
                     s[i] == '+' || s[i] == '.' || s[i] == 'e' || s[i] == 'E'))
    i++;
  return i;
}

/* Digits of d[0..n) after leading zeros compared with the decimal limit:
 * true when they are all digits and the value is above it. */
static bool digits_above(const char *d, size_t n, const char *limit) {
  size_t i, ln = strlen(limit);

  for (i = 0; i < n; i++)
    if (d[i] < '0' || d[i] > '9')
      return false;
  while (n > 1 && d[0] == '0')
    d++, n--;
  return n > ln || (n == ln && memcmp(d, limit, n) > 0);
}

/* True when t[0..n) is an integer json-c would clamp: below INT64_MIN,
 * or above UINT64_MAX (json-c keeps the positive ones up to there). */
bool sw_json_big_int(const char *t, size_t n) {
  if (n > 0 && t[0] == '-')
    return digits_above(t + 1, n - 1, "9223372036854775808");
  return digits_above(t, n, "18446744073709551615");
}

/* True when the number t[0..n) has an exponent of more than
 * EXP_DIGITS_MAX significant digits. */
static bool huge_exponent(const char *t, size_t n) {
  const char *e = memchr(t, 'e', n);
  size_t i;

  if (!e)
    e = memchr(t, 'E', n);
  if (!e)
    return false;
  i = (size_t)(e - t) + 1;
  if (i < n && (t[i] == '+' || t[i] == '-'))
    i++;
  while (i < n && t[i] == '0')
    i++;
  return n - i > EXP_DIGITS_MAX;
}

/* Counts the number token s[i..end) into sh. */
static void scan_number(const char *s, size_t i, size_t end, json_shape *sh) {
  const char *t = s + i;
  size_t n = end - i;

  sh->numbers++;
  if (n > sh->longest)
    sh->longest = n;
  if (memchr(t, '.', n) || memchr(t, 'e', n) || memchr(t, 'E', n)) {
    sh->doubles++;
    if (!sh->huge_exp && huge_exponent(t, n))
      sh->huge_exp = i + 1;
  } else if (sw_json_big_int(t, n)) {
    sh->big_ints++;
  }
}

/* The next token of s from *i: counts it into sh and moves *i past it. */
static void scan_token(const char *s, size_t len, size_t *i, json_shape *sh) {
  size_t j = *i;
  char c = s[j];

  if (c == '"') {
    j = string_end(s, len, j);
    sh->strings++;
    sh->str_bytes += j - *i;
    if (j - *i > sh->longest)
      sh->longest = j - *i;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    j = number_end(s, len, j);
    scan_number(s, *i, j, sh);
  } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    while (j < len &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
      j++;
    sh->literals += c != 'n'; /* json-c has no object for null */
  } else {
    scan_struct(c, sh);
    j++;
  }
  *i = j;
}

static void scan(const char *s, size_t len, json_shape *sh) {
  size_t i = 0;

  memset(sh, 0, sizeof *sh);
  while (i < len)
    scan_token(s, len, &i, sh);
  while (sh->depth > 0) { /* json-c built them before it found the end */
    size_t d = sh->depth - 1;
    scan_struct(d <= SW_JSON_MAX_DEPTH && sh->object[d] ? '}' : ']', sh);
  }
}

/* The bytes json-c would allocate for a text of this shape. Counts are
 * below 2^31 (json-c takes an int length), so 64 bits cannot overflow. */
static uint64_t shape_cost(const json_shape *sh) {
  uint64_t values = sh->strings > sh->keys ? sh->strings - sh->keys : 0;

  return (uint64_t)sh->objects * COST_OBJECT +
         (uint64_t)sh->arrays * COST_ARRAY +
         (values + sh->numbers + sh->literals) * COST_SCALAR +
         (uint64_t)sh->doubles * COST_DOUBLE_TEXT +
         (uint64_t)sh->keys * COST_KEY + sh->grown + sh->str_bytes +
         2 * (uint64_t)sh->longest;
}

/* Values in the text: what a person would count (keys are not values). */
static size_t shape_values(const json_shape *sh) {
  size_t values = sh->strings > sh->keys ? sh->strings - sh->keys : 0;

  return sh->objects + sh->arrays + values + sh->numbers + sh->literals;
}

/* Refuses a text whose tree would not fit the budget, naming the limit.
 * Returns 0, or -1 with msg. */
static int shape_check(const json_shape *sh, char *msg, size_t n) {
  uint64_t cost = shape_cost(sh);
  sw_buf b;

  sw_buf_fixed(&b, msg, n);
  if (sh->huge_exp) {
    sw_buf_addf(&b,
                "JSON number at byte %zu has an exponent of more than %d "
                "digits (limit)",
                sh->huge_exp - 1, EXP_DIGITS_MAX);
    return -1;
  }
  if (cost <= SW_JSON_MAX_COST)
    return 0;
  sw_buf_addf(&b,
              "JSON body has %zu values (%zu objects, %zu arrays) needing "
              "about %" PRIu64 " MiB, more than the %d MiB this check "
              "parses (limit)",
              shape_values(sh), sh->objects, sh->arrays, cost >> 20,
              SW_JSON_MAX_COST >> 20);
  return -1;
}

/* Describes a json-c tokener failure at byte off in msg. */
static void parse_error(enum json_tokener_error e, size_t off, char *msg,
                        size_t n) {
  sw_buf b;

  sw_buf_fixed(&b, msg, n);
  if (e == json_tokener_error_depth)
    sw_buf_addf(&b, "JSON nested deeper than %d levels (limit)",
                SW_JSON_MAX_DEPTH);
  else
    sw_buf_addf(&b, "invalid JSON at byte %zu: %s", off,
                json_tokener_error_desc(e));
}

/* Finds the next integer json-c would clamp, scanning from *pos. Returns
 * true with *end just past it (and *pos there), false at the end. */
static bool next_big_int(const char *s, size_t len, size_t *pos, size_t *end) {
  json_shape sh;

  memset(&sh, 0, sizeof sh);
  while (*pos < len) {
    scan_token(s, len, pos, &sh);
    if (sh.big_ints) {
      *end = *pos;
      return true;
    }
  }
  return false;
}

/* The tokener's state as pieces of text are fed to it. */
typedef struct {
  struct json_tokener *tok;
  struct json_object *o;
  enum json_tokener_error e;
  size_t stop; /* body offset where the tokener stopped */
} feeder;

/* Feeds p[0..n), which stands at body offset base (an inserted piece
 * stands where it is inserted). Returns true while more is wanted. */
static bool feed(feeder *f, const char *p, size_t n, size_t base,
                 bool inserted) {
  f->o = json_tokener_parse_ex(f->tok, p, (int)n);
  f->e = json_tokener_get_error(f->tok);
  if (f->e == json_tokener_continue)
    return true;
  f->stop = base + (inserted ? 0 : json_tokener_get_parse_end(f->tok));
  return false;
}

/* Feeds all len bytes. json-c clamps an integer beyond 64 bits to
 * INT64_MIN or UINT64_MAX, which would then compare equal to those
 * values: after each such integer ".0" is fed as well, so json-c makes
 * it a double and keeps its exact text (numbers_equal reads it). */
static void feed_all(feeder *f, const char *s, size_t len, bool big) {
  size_t at = 0, pos = 0, end;
  bool lit;

  do {
    lit = big && next_big_int(s, len, &pos, &end);
    if (!lit)
      end = len;
    if (end > at && !feed(f, s + at, end - at, at, false))
      return;
    at = end;
  } while (lit && feed(f, ".0", 2, at, true));
}

/* Runs the tokener over all len bytes. Once they are used up it is fed a
 * NUL, which json-c takes as the end of input: a number at top level has
 * no closing byte of its own ("12" alone would wait for more digits).
 * Returns 0 with *out (NULL for the document `null`), or with msg -1 (not
 * JSON) or -2 (nested past SW_JSON_MAX_DEPTH: a limit). */
static int tokenize(struct json_tokener *tok, const char *s, size_t len,
                    bool big, struct json_object **out, char *msg, size_t n) {
  feeder f = {tok, NULL, json_tokener_continue, 0};
  size_t end;

  feed_all(&f, s, len, big);
  if (f.e == json_tokener_continue) {
    f.o = json_tokener_parse_ex(tok, "", 1);
    f.e = json_tokener_get_error(tok);
    if (f.e != json_tokener_success) {
      sw_buf b;
      sw_buf_fixed(&b, msg, n);
      sw_buf_addf(&b, "JSON ends early (%s)", json_tokener_error_desc(f.e));
      return -1;
    }
    *out = f.o;
    return 0;
  }
  if (f.e != json_tokener_success) { /* the depth is this check's limit */
    parse_error(f.e, f.stop, msg, n);
    return f.e == json_tokener_error_depth ? -2 : -1;
  }
  /* Strict mode refuses most trailing bytes itself, but json-c stops at a
   * NUL and calls that the end, so "{}\0junk" has to be caught here. */
  for (end = f.stop; end < len; end++)
    if (!json_ws(s[end])) {
      sw_buf b;
      json_object_put(f.o);
      sw_buf_fixed(&b, msg, n);
      sw_buf_addf(&b, "trailing data after JSON at byte %zu", end);
      return -1;
    }
  *out = f.o;
  return 0;
}

/* Parses exactly one JSON text of len bytes (see sw_json_load).
 * Returns SW_JSON_OK with *out (NULL for `null`), or another status
 * with msg. */
sw_json_status sw_json_load_value(const char *s, size_t len,
                                  struct json_object **out, char *msg,
                                  size_t n) {
  struct json_tokener *tok;
  json_shape sh;
  size_t i = 0;
  int rc;

  *out = NULL;
  while (i < len && json_ws(s[i]))
    i++;
  if (i == len) {
    snprintf(msg, n, "empty body");
    return SW_JSON_INVALID;
  }
  if (len > (size_t)INT_MAX) { /* json-c takes an int length */
    snprintf(msg, n, "JSON body of %zu bytes is more than %d (limit)", len,
             INT_MAX);
    return SW_JSON_LIMIT;
  }
  scan(s, len, &sh);
  if (shape_check(&sh, msg, n) != 0)
    return SW_JSON_LIMIT;
  tok = json_tokener_new_ex(SW_JSON_MAX_DEPTH);
  if (!tok) {
    snprintf(msg, n, "out of memory");
    return SW_JSON_LIMIT;
  }
  /* Strict: no single quotes, trailing commas or bytes after the value,
   * which json-c otherwise accepts and a real JSON client would not. */
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  rc = tokenize(tok, s, len, sh.big_ints > 0, out, msg, n);
  json_tokener_free(tok);
  return rc == 0 ? SW_JSON_OK : rc == -2 ? SW_JSON_LIMIT : SW_JSON_INVALID;
}

sw_json_status sw_json_load(const char *body, size_t len,
                            struct json_object **out, char *msg, size_t n) {
  sw_json_status rc =
      sw_json_load_value(body ? body : "", body ? len : 0, out, msg, n);

  if (rc == SW_JSON_OK && !*out) {
    snprintf(msg, n, "JSON document is null");
    return SW_JSON_INVALID;
  }
  return rc;
}

struct json_object *sw_json_parse(const char *body, size_t len, char *msg,
                                  size_t n) {
  struct json_object *o = NULL;

  return sw_json_load(body, len, &o, msg, n) == SW_JSON_OK ? o : NULL;
}
