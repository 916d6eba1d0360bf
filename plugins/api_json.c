/* check_api's JSON side: -j assertions, -M metrics and parsing the body. */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_json.h"
#include "streamwatch/regex.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/strparse.h"

/* How much of a network value or a command-line text a message shows
 * (characters), and the bytes that takes in UTF-8 plus the cut mark. */
enum { SHOW_MAX = 120, SHOW_BYTES = SHOW_MAX * 4 + 8 };

/* ~= on a value that is not a string matches its JSON text, built up to
 * this many bytes (a whole 4 MiB document would otherwise be copied). */
enum { MATCH_TEXT_MAX = 1 << 20 };

/* Fills err with "OPT: invalid KIND 'TEXT' (WHY)". The text is sanitised
 * because a newline typed into a command definition must not split the
 * plugin's output. */
static int opt_fail(sw_err *err, const char *opt, const char *kind,
                    const char *text, const char *why) {
  char shown[SHOW_BYTES];

  sw_sanitize(shown, sizeof shown, text, strlen(text), SHOW_MAX);
  return sw_fail(err, "%s: invalid %s '%s' (%s)", opt, kind, shown, why);
}

/* RFC 6901 section 3: a pointer is empty or a series of "/" reference
 * tokens, and inside a token '~' only starts "~0" ('~') or "~1" ('/').
 * json-c would just report a bad escape as "not found", hiding the typo. */
static const char *pointer_problem(const char *p) {
  if (p[0] != '\0' && p[0] != '/')
    return "the pointer must be empty or start with '/'";
  for (; *p; p++)
    if (p[0] == '~' && p[1] != '0' && p[1] != '1')
      return "'~' in a pointer must be ~0 or ~1";
  return NULL;
}

/* Copies the pointer (len bytes of s) into dst (size n) and checks it.
 * Returns NULL or why it is refused. */
static const char *take_pointer(char *dst, size_t n, const char *s,
                                size_t len) {
  if (len >= n)
    return "pointer too long";
  memcpy(dst, s, len);
  dst[len] = '\0';
  return pointer_problem(dst);
}

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
  size_t depth, count[API_JSON_MAX_DEPTH + 1];
  bool object[API_JSON_MAX_DEPTH + 1];
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
    if (d <= API_JSON_MAX_DEPTH) {
      sh->object[d] = c == '{';
      sh->count[d] = 0;
    }
    sh->depth++;
  } else if ((c == '}' || c == ']') && d > 0) {
    sh->depth--;
    if (d - 1 <= API_JSON_MAX_DEPTH)
      sh->grown += container_grown(sh->object[d - 1], sh->count[d - 1] + 1);
  } else if (c == ':') {
    sh->keys++;
  } else if (c == ',' && d > 0 && d - 1 <= API_JSON_MAX_DEPTH) {
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
static bool big_int(const char *t, size_t n) {
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
  } else if (big_int(t, n)) {
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
    scan_struct(d <= API_JSON_MAX_DEPTH && sh->object[d] ? '}' : ']', sh);
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
  if (cost <= API_JSON_MAX_COST)
    return 0;
  sw_buf_addf(&b,
              "JSON body has %zu values (%zu objects, %zu arrays) needing "
              "about %" PRIu64 " MiB, more than the %d MiB this check "
              "parses (limit)",
              shape_values(sh), sh->objects, sh->arrays, cost >> 20,
              API_JSON_MAX_COST >> 20);
  return -1;
}

/* Describes a json-c tokener failure at byte off in msg. */
static void parse_error(enum json_tokener_error e, size_t off, char *msg,
                        size_t n) {
  sw_buf b;

  sw_buf_fixed(&b, msg, n);
  if (e == json_tokener_error_depth)
    sw_buf_addf(&b, "JSON nested deeper than %d levels (limit)",
                API_JSON_MAX_DEPTH);
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
 * JSON) or -2 (nested past API_JSON_MAX_DEPTH: a limit). */
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

/* Parses exactly one JSON text of len bytes (see api_json_load).
 * Returns API_JSON_OK with *out (NULL for `null`), or another status
 * with msg. */
static api_json_status parse_one(const char *s, size_t len,
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
    return API_JSON_INVALID;
  }
  if (len > (size_t)INT_MAX) { /* json-c takes an int length */
    snprintf(msg, n, "JSON body of %zu bytes is more than %d (limit)", len,
             INT_MAX);
    return API_JSON_LIMIT;
  }
  scan(s, len, &sh);
  if (shape_check(&sh, msg, n) != 0)
    return API_JSON_LIMIT;
  tok = json_tokener_new_ex(API_JSON_MAX_DEPTH);
  if (!tok) {
    snprintf(msg, n, "out of memory");
    return API_JSON_LIMIT;
  }
  /* Strict: no single quotes, trailing commas or bytes after the value,
   * which json-c otherwise accepts and a real JSON client would not. */
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  rc = tokenize(tok, s, len, sh.big_ints > 0, out, msg, n);
  json_tokener_free(tok);
  return rc == 0 ? API_JSON_OK : rc == -2 ? API_JSON_LIMIT : API_JSON_INVALID;
}

api_json_status api_json_load(const char *body, size_t len,
                              struct json_object **out, char *msg, size_t n) {
  api_json_status rc = parse_one(body ? body : "", body ? len : 0, out, msg, n);

  if (rc == API_JSON_OK && !*out) {
    snprintf(msg, n, "JSON document is null");
    return API_JSON_INVALID;
  }
  return rc;
}

struct json_object *api_json_parse(const char *body, size_t len, char *msg,
                                   size_t n) {
  struct json_object *o = NULL;

  return api_json_load(body, len, &o, msg, n) == API_JSON_OK ? o : NULL;
}

/* The operator of a -j text: the first "==", "!=" or "~=". Returns its
 * offset with *op set, or the text's length (and API_J_EXISTS). */
static size_t find_op(const char *text, api_j_op *op) {
  size_t i;

  for (i = 0; text[i] && text[i + 1]; i++) {
    if (text[i + 1] != '=')
      continue;
    if (text[i] == '=' || text[i] == '!' || text[i] == '~') {
      *op = text[i] == '=' ? API_J_EQ : text[i] == '!' ? API_J_NE : API_J_MATCH;
      return i;
    }
  }
  *op = API_J_EXISTS;
  return strlen(text);
}

/* True when o is a number json-c read as NaN or an infinity. */
static bool non_finite(struct json_object *o) {
  return json_object_is_type(o, json_type_double) &&
         !isfinite(json_object_get_double(o));
}

/* Turns the VALUE of ==/!= into a JSON value (see api_assert_parse).
 * Returns NULL or why it is refused. */
static const char *parse_value(const char *v, struct json_object **out) {
  char why[128];
  struct json_object *o;

  *out = NULL;
  if (!*v)
    return "empty value: use \"\" for the empty string";
  if (parse_one(v, strlen(v), &o, why, sizeof why) == API_JSON_OK &&
      !non_finite(o)) {
    *out = o;
    return NULL;
  }
  if (o)
    json_object_put(o);
  if (v[0] == '"' || v[0] == '[' || v[0] == '{')
    return "value starts like JSON but is not valid JSON";
  *out = json_object_new_string(v);
  return *out ? NULL : "out of memory";
}

/* Compiles the REGEX of ~= into a. Returns NULL, or why (in buf). */
static const char *parse_regex(const char *re, api_assert *a, char *buf,
                               size_t n) {
  char why[200];
  int rc;
  sw_buf b;

  if (!*re)
    return "empty regex";
  if (sw_regex_cost(re) > SW_REGEX_MAX_COST)
    return "regex too complex (stacked or nested repetitions)";
  rc = regcomp(&a->re, re, REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    regerror(rc, &a->re, why, sizeof why);
    sw_buf_fixed(&b, buf, n);
    sw_buf_addf(&b, "bad regex: %s", why);
    return buf;
  }
  a->has_re = true;
  return NULL;
}

int api_assert_parse(const char *text, api_assert *a, sw_err *err) {
  char buf[256];
  const char *why = NULL;
  size_t at;

  memset(a, 0, sizeof *a);
  if (!text || !*text)
    return sw_fail(err, "-j: empty assertion");
  if (strlen(text) >= sizeof a->text)
    return opt_fail(err, "-j", "assertion", text, "longer than 511 bytes");
  memcpy(a->text, text, strlen(text) + 1);
  at = find_op(text, &a->op);
  why = take_pointer(a->pointer, sizeof a->pointer, text, at);
  if (!why && a->op == API_J_MATCH)
    why = parse_regex(text + at + 2, a, buf, sizeof buf);
  else if (!why && a->op != API_J_EXISTS)
    why = parse_value(text + at + 2, &a->value);
  if (why) {
    api_assert_free(a);
    return opt_fail(err, "-j", "assertion", text, why);
  }
  return 0;
}

void api_assert_free(api_assert *a) {
  if (a->value)
    json_object_put(a->value);
  a->value = NULL;
  if (a->has_re)
    regfree(&a->re);
  a->has_re = false;
}

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

static bool values_equal(struct json_object *a, struct json_object *b);

/* Same keys (in any order) with equal values. json-c keeps one value per
 * key (the last), so counting keys is enough to rule out extras in b. */
static bool objects_equal(struct json_object *a, struct json_object *b) {
  struct json_object *bv;

  if (json_object_object_length(a) != json_object_object_length(b))
    return false;
  json_object_object_foreach(a, key, av) {
    if (!json_object_object_get_ex(b, key, &bv) || !values_equal(av, bv))
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
    if (!values_equal(json_object_array_get_idx(a, i),
                      json_object_array_get_idx(b, i)))
      return false;
  return true;
}

/* json_object_equal, except that numbers compare by value at every level
 * (it calls 3 and 3.0 different). The recursion is as deep as the
 * shallower tree, and both come from parsers limited to
 * API_JSON_MAX_DEPTH. */
static bool values_equal(struct json_object *a, struct json_object *b) {
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

static void put_json(sw_buf *b, struct json_object *o);

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

  if (n > 2 && memcmp(t + n - 2, ".0", 2) == 0 && big_int(t, n - 2) &&
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
      put_json(b, json_object_array_get_idx(o, i));
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
    put_json(b, v);
  }
  sw_buf_add(b, "}", 1);
}

/* o as compact JSON text ("ok" with its quotes, 12.5, null, {"a":1}), the
 * form the spec's messages use, into b up to its cap. json-c's own
 * serialiser would copy the whole value (a 4 MiB document, 6 bytes per
 * escaped control byte) to show 120 characters. The recursion is as deep
 * as the tree, which the parser limits to API_JSON_MAX_DEPTH. */
static void put_json(sw_buf *b, struct json_object *o) {
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

/* The longest of the secrets (NULL-terminated, or NULL). */
static size_t longest_secret(const char *const *secrets) {
  size_t i, n = 0;

  for (i = 0; secrets && secrets[i]; i++)
    if (strlen(secrets[i]) > n)
      n = strlen(secrets[i]);
  return n;
}

/* Network or command-line text masked, made safe and cut for a message. */
static void show_n(char *dst, size_t n, const char *s, size_t len,
                   const char *const *secrets) {
  sw_text_safe(dst, n, s, len, SHOW_MAX, secrets);
}

static void show(char *dst, size_t n, const char *s,
                 const char *const *secrets) {
  show_n(dst, n, s, strlen(s), secrets);
}

/* The value o shown as JSON text into dst (SHOW_BYTES). Only the start
 * can show, but a secret that starts there is masked whole: the text is
 * built up to twice what shows plus the longest secret (sw_text_safe's
 * window). */
static void show_value(char *dst, struct json_object *o,
                       const char *const *secrets) {
  sw_buf b;

  sw_buf_init(&b, 2 * SHOW_BYTES + longest_secret(secrets) + 16);
  put_json(&b, o);
  if (b.nomem)
    show(dst, SHOW_BYTES, "(not shown: out of memory)", NULL);
  else
    show_n(dst, SHOW_BYTES, sw_buf_str(&b), b.len, secrets);
  sw_buf_free(&b);
}

/* Looks the pointer up. Returns 0 with *res (NULL for a JSON null), or -1
 * when nothing is there: a missing key, an index past the end, or a token
 * that is no index of an array ("01", "-": RFC 6901 section 4). */
static int lookup(struct json_object *root, const char *pointer,
                  struct json_object **res) {
  *res = NULL;
  if (!pointer[0]) { /* json-c would do the same; saying so is clearer */
    *res = root;
    return 0;
  }
  return json_pointer_get(root, pointer, res) == 0 ? 0 : -1;
}

/* Does the value o match a's regex? Strings as they are, the rest as JSON
 * text (its first MATCH_TEXT_MAX bytes), so ~=^4 works on a number.
 * Returns 1, 0, or -1 with err when the search is too costly for the
 * value (sw_regex_search's default budget: a server picks the value). */
static int value_matches(const api_assert *a, struct json_object *o,
                         sw_err *err) {
  sw_buf b;
  int m;

  if (json_object_is_type(o, json_type_string)) {
    const char *s = json_object_get_string(o);
    return sw_regex_search(&a->re, s, strlen(s), 0, NULL, NULL, "-j", err);
  }
  sw_buf_init(&b, MATCH_TEXT_MAX);
  put_json(&b, o);
  m = b.nomem ? sw_fail(err, "-j: out of memory")
              : sw_regex_search(&a->re, sw_buf_str(&b), b.len, 0, NULL, NULL,
                                "-j", err);
  sw_buf_free(&b);
  return m;
}

/* The texts of one judgement's message, all shown already. */
typedef struct {
  const char *where, *got;
  const char *const *secrets;
} shown;

/* Judges ==/!= on the found value o and writes the message into b. */
static int judge_compare(const api_assert *a, struct json_object *o,
                         const shown *sh, sw_buf *b) {
  char want[SHOW_BYTES];
  bool holds = values_equal(o, a->value) == (a->op == API_J_EQ);

  show_value(want, a->value, sh->secrets);
  if (holds && a->op == API_J_EQ)
    sw_buf_addf(b, "%s is %s", sh->where, sh->got);
  else if (holds)
    sw_buf_addf(b, "%s is %s, not %s", sh->where, sh->got, want);
  else if (a->op == API_J_EQ)
    sw_buf_addf(b, "%s is %s, expected %s", sh->where, sh->got, want);
  else
    sw_buf_addf(b, "%s is %s, expected anything else", sh->where, sh->got);
  return holds;
}

/* Judges the found value o and writes the message into b. */
static int judge(const api_assert *a, struct json_object *o, const shown *sh,
                 sw_buf *b) {
  char want[SHOW_BYTES];
  sw_err err = {""};
  int holds;

  switch (a->op) {
  case API_J_EQ:
  case API_J_NE: return judge_compare(a, o, sh, b);
  case API_J_MATCH:
    holds = value_matches(a, o, &err);
    if (holds < 0) { /* this check's limit: UNKNOWN, not the service */
      sw_buf_addf(b, "%s: %s", sh->where, err.msg);
      return -1;
    }
    show(want, sizeof want, a->text + strlen(a->pointer) + 2, sh->secrets);
    sw_buf_addf(b, "%s %s %s %s", sh->where, sh->got,
                holds ? "matches" : "does not match", want);
    return holds;
  default: sw_buf_addf(b, "%s is %s", sh->where, sh->got); return 1;
  }
}

/* The pointer as messages show it. */
static void show_pointer(char *dst, size_t n, const char *pointer,
                         const char *const *secrets) {
  show(dst, n, pointer[0] ? pointer : "document", secrets);
}

int api_assert_eval_masked(const api_assert *a, struct json_object *root,
                           const char *const *secrets, char *msg, size_t n) {
  char where[SHOW_BYTES], got[SHOW_BYTES];
  shown sh = {where, got, secrets};
  struct json_object *o;
  sw_buf b;

  if (n < 4) { /* below sw_buf_fixed's least: cut by hand */
    int rc = api_assert_eval_masked(a, root, secrets, where, sizeof where);
    if (n)
      snprintf(msg, n, "%s", where);
    return rc;
  }
  sw_buf_fixed(&b, msg, n);
  show_pointer(where, sizeof where, a->pointer, secrets);
  if (lookup(root, a->pointer, &o) != 0) {
    sw_buf_addf(&b, "%s is missing", where);
    return 0;
  }
  show_value(got, o, secrets);
  return judge(a, o, &sh, &b);
}

int api_assert_eval(const api_assert *a, struct json_object *root, char *msg,
                    size_t n) {
  return api_assert_eval_masked(a, root, NULL, msg, n);
}

/* A perfdata label this plugin accepts: 1-63 of [A-Za-z0-9_.-], which
 * never needs quoting (conventions.md, Performance data). */
static const char *label_problem(const char *s, size_t len) {
  size_t i;

  if (len == 0)
    return "empty label";
  if (len >= 64)
    return "label longer than 63 characters";
  for (i = 0; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return "label may hold only letters, digits, '_', '.' and '-'";
  }
  return NULL;
}

/* Parses the ";WARN;CRIT" part s (may be empty) into m. Returns 0, or -1
 * with err (sw_range_parse's message names -M and the bad range). */
static int parse_ranges(const char *whole, const char *s, api_metric *m,
                        sw_err *err) {
  char part[64];
  sw_range *r[2] = {&m->warn, &m->crit};
  size_t i, len;

  for (i = 0; *s == ';'; i++) {
    if (i == 2)
      return opt_fail(err, "-M", "metric", whole, "more than WARN;CRIT");
    s++;
    len = strcspn(s, ";");
    if (len >= sizeof part)
      return opt_fail(err, "-M", "metric", whole, "range too long");
    memcpy(part, s, len);
    part[len] = '\0';
    if (len && sw_range_parse(part, "-M", r[i], err) != 0)
      return -1;
    s += len;
  }
  return 0;
}

int api_metric_parse(const char *text, api_metric *m, sw_err *err) {
  const char *eq, *why, *p;
  size_t plen;

  memset(m, 0, sizeof *m);
  if (!text || !*text)
    return sw_fail(err, "-M: empty metric");
  eq = strchr(text, '=');
  if (!eq)
    return opt_fail(err, "-M", "metric", text, "expected LABEL=POINTER");
  why = label_problem(text, (size_t)(eq - text));
  if (why)
    return opt_fail(err, "-M", "metric", text, why);
  memcpy(m->label, text, (size_t)(eq - text));
  p = eq + 1;
  plen = strcspn(p, ";");
  why = take_pointer(m->pointer, sizeof m->pointer, p, plen);
  if (why)
    return opt_fail(err, "-M", "metric", text, why);
  if (parse_ranges(text, p + plen, m, err) != 0) {
    memset(m, 0, sizeof *m);
    return -1;
  }
  return 0;
}

/* The number o stands for, if any (see api_metric_eval). */
static int number_of(struct json_object *o, double *value) {
  switch (json_object_get_type(o)) {
  case json_type_int:
  case json_type_double:
    *value = json_object_get_double(o);
    return isfinite(*value) ? 0 : -1;
  case json_type_string:
    return sw_parse_double_n(json_object_get_string(o),
                             (size_t)json_object_get_string_len(o), value);
  default: return -1;
  }
}

int api_metric_eval_masked(const api_metric *m, struct json_object *root,
                           const char *const *secrets, double *value, char *msg,
                           size_t n) {
  char where[SHOW_BYTES], got[SHOW_BYTES];
  struct json_object *o;
  sw_buf b;

  if (n < 4) { /* below sw_buf_fixed's least: cut by hand */
    int rc =
        api_metric_eval_masked(m, root, secrets, value, where, sizeof where);
    if (n)
      snprintf(msg, n, "%s", where);
    return rc;
  }
  sw_buf_fixed(&b, msg, n);
  show_pointer(where, sizeof where, m->pointer, secrets);
  if (lookup(root, m->pointer, &o) != 0) {
    sw_buf_addf(&b, "%s is missing", where);
    return -1;
  }
  if (number_of(o, value) == 0)
    return 0;
  show_value(got, o, secrets);
  sw_buf_addf(&b, "%s is %s, not %s", where, got,
              json_object_get_type(o) == json_type_double ? "a finite number"
                                                          : "a number");
  return -1;
}

int api_metric_eval(const api_metric *m, struct json_object *root,
                    double *value, char *msg, size_t n) {
  return api_metric_eval_masked(m, root, NULL, value, msg, n);
}
