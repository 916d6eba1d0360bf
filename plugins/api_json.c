/* check_api's JSON side: -j assertions, -M metrics and parsing the body. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api_json.h"
#include "streamwatch/regex.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strparse.h"

/* How much of a network value or a command-line text a message shows. */
enum { SHOW_MAX = 120 };

/* Fills err with "OPT: invalid KIND 'TEXT' (WHY)". The text is sanitised
 * because a newline typed into a command definition must not split the
 * plugin's output. */
static int opt_fail(sw_err *err, const char *opt, const char *kind,
                    const char *text, const char *why) {
  char shown[SHOW_MAX + 8];

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

/* Describes a json-c tokener failure at byte off in msg. */
static void parse_error(enum json_tokener_error e, size_t off, char *msg,
                        size_t n) {
  if (e == json_tokener_error_depth)
    snprintf(msg, n, "JSON nested deeper than %d levels", API_JSON_MAX_DEPTH);
  else
    snprintf(msg, n, "invalid JSON at byte %zu: %s", off,
             json_tokener_error_desc(e));
}

/* Runs the tokener over all len bytes. Once they are used up it is fed a
 * NUL, which json-c takes as the end of input: a number at top level has
 * no closing byte of its own ("12" alone would wait for more digits).
 * Returns 0 with *out (NULL for the document `null`), or -1 with msg. */
static int tokenize(struct json_tokener *tok, const char *s, size_t len,
                    struct json_object **out, char *msg, size_t n) {
  struct json_object *o = json_tokener_parse_ex(tok, s, (int)len);
  enum json_tokener_error e = json_tokener_get_error(tok);
  size_t end;

  if (e == json_tokener_continue) {
    o = json_tokener_parse_ex(tok, "", 1);
    e = json_tokener_get_error(tok);
    if (e != json_tokener_success) {
      snprintf(msg, n, "JSON ends early (%s)", json_tokener_error_desc(e));
      return -1;
    }
    *out = o;
    return 0;
  }
  if (e != json_tokener_success) {
    parse_error(e, json_tokener_get_parse_end(tok), msg, n);
    return -1;
  }
  /* Strict mode refuses most trailing bytes itself, but json-c stops at a
   * NUL and calls that the end, so "{}\0junk" has to be caught here. */
  for (end = json_tokener_get_parse_end(tok); end < len; end++)
    if (!json_ws(s[end])) {
      json_object_put(o);
      snprintf(msg, n, "trailing data after JSON at byte %zu", end);
      return -1;
    }
  *out = o;
  return 0;
}

/* Parses exactly one JSON text of len bytes (see api_json_parse).
 * Returns 0 with *out (NULL for `null`), or -1 with msg. */
static int parse_one(const char *s, size_t len, struct json_object **out,
                     char *msg, size_t n) {
  struct json_tokener *tok;
  size_t i = 0;
  int rc;

  *out = NULL;
  while (i < len && json_ws(s[i]))
    i++;
  if (i == len) {
    snprintf(msg, n, "empty body");
    return -1;
  }
  if (len > (size_t)INT_MAX) { /* json-c takes an int length */
    snprintf(msg, n, "body too large to parse (%zu bytes)", len);
    return -1;
  }
  tok = json_tokener_new_ex(API_JSON_MAX_DEPTH);
  if (!tok) {
    snprintf(msg, n, "out of memory");
    return -1;
  }
  /* Strict: no single quotes, trailing commas or bytes after the value,
   * which json-c otherwise accepts and a real JSON client would not. */
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  rc = tokenize(tok, s, len, out, msg, n);
  json_tokener_free(tok);
  return rc;
}

struct json_object *api_json_parse(const char *body, size_t len, char *msg,
                                   size_t n) {
  struct json_object *o;

  if (parse_one(body ? body : "", body ? len : 0, &o, msg, n) != 0)
    return NULL;
  if (!o)
    snprintf(msg, n, "JSON document is null");
  return o;
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
  if (parse_one(v, strlen(v), &o, why, sizeof why) == 0 && !non_finite(o)) {
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
  int rc;
  size_t len;

  if (!*re)
    return "empty regex";
  if (sw_regex_cost(re) > SW_REGEX_MAX_COST)
    return "regex too complex (stacked or nested repetitions)";
  rc = regcomp(&a->re, re, REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    len = (size_t)snprintf(buf, n, "bad regex: ");
    regerror(rc, &a->re, buf + len, len < n ? n - len : 0);
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

/* True when a and b (both numbers) are the same number. Two integers
 * compare exactly: json-c keeps int64 and uint64 apart, and the pair of
 * clamped readings tells every value of both apart. Otherwise by double,
 * so 3 == 3.0 (RFC 8259 section 6 has one number type). */
static bool numbers_equal(struct json_object *a, struct json_object *b) {
  if (json_object_is_type(a, json_type_int) &&
      json_object_is_type(b, json_type_int))
    return json_object_get_int64(a) == json_object_get_int64(b) &&
           json_object_get_uint64(a) == json_object_get_uint64(b);
  return json_object_get_double(a) == json_object_get_double(b);
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

/* o as compact JSON text ("ok" with its quotes, 12.5, null, {"a":1}), the
 * form the spec's messages use. json-c keeps the string inside o. */
static const char *json_text(struct json_object *o) {
  return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                               JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Network or command-line text made safe and short for a message. */
static void show(char *dst, size_t n, const char *s) {
  sw_sanitize(dst, n, s, strlen(s), SHOW_MAX);
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
 * text, so ~=^4 works on a number. */
static bool value_matches(const api_assert *a, struct json_object *o) {
  const char *s = json_object_is_type(o, json_type_string)
                      ? json_object_get_string(o)
                      : json_text(o);
  return regexec(&a->re, s, 0, NULL, 0) == 0;
}

/* Judges the found value o and writes the message. where and got are the
 * shown pointer and value. */
static int judge(const api_assert *a, struct json_object *o, const char *where,
                 const char *got, char *msg, size_t n) {
  char want[SHOW_MAX + 8];
  bool holds;

  switch (a->op) {
  case API_J_EQ:
  case API_J_NE:
    show(want, sizeof want, json_text(a->value));
    holds = values_equal(o, a->value) == (a->op == API_J_EQ);
    if (holds && a->op == API_J_EQ)
      snprintf(msg, n, "%s is %s", where, got);
    else if (holds)
      snprintf(msg, n, "%s is %s, not %s", where, got, want);
    else if (a->op == API_J_EQ)
      snprintf(msg, n, "%s is %s, expected %s", where, got, want);
    else
      snprintf(msg, n, "%s is %s, expected anything else", where, got);
    return holds;
  case API_J_MATCH:
    holds = value_matches(a, o);
    show(want, sizeof want, a->text + strlen(a->pointer) + 2);
    snprintf(msg, n, "%s %s %s %s", where, got,
             holds ? "matches" : "does not match", want);
    return holds;
  default: snprintf(msg, n, "%s is %s", where, got); return 1;
  }
}

/* The pointer as messages show it. */
static void show_pointer(char *dst, size_t n, const char *pointer) {
  show(dst, n, pointer[0] ? pointer : "document");
}

int api_assert_eval(const api_assert *a, struct json_object *root, char *msg,
                    size_t n) {
  char where[SHOW_MAX + 8], got[SHOW_MAX + 8];
  struct json_object *o;

  show_pointer(where, sizeof where, a->pointer);
  if (lookup(root, a->pointer, &o) != 0) {
    snprintf(msg, n, "%s is missing", where);
    return 0;
  }
  show(got, sizeof got, json_text(o));
  return judge(a, o, where, got, msg, n);
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

int api_metric_eval(const api_metric *m, struct json_object *root,
                    double *value, char *msg, size_t n) {
  char where[SHOW_MAX + 8], got[SHOW_MAX + 8];
  struct json_object *o;

  show_pointer(where, sizeof where, m->pointer);
  if (lookup(root, m->pointer, &o) != 0) {
    snprintf(msg, n, "%s is missing", where);
    return -1;
  }
  if (number_of(o, value) == 0)
    return 0;
  show(got, sizeof got, json_text(o));
  snprintf(msg, n, "%s is %s, not %s", where, got,
           json_object_get_type(o) == json_type_double ? "a finite number"
                                                       : "a number");
  return -1;
}
