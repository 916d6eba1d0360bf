/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's -j assertions and -M metrics on a parsed body (the body is
 * parsed in sw_json_load.c, values compared and shown in api_json_value.c). */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_json.h"
#include "streamwatch/perfdata.h"
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

/* Fills err with a message about a mistake in an option's text, built
 * from printf pieces that quote the text, and sanitised whole (a newline
 * typed into a command definition must not split the output). */
static int mistake_fail(sw_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int mistake_fail(sw_err *err, const char *fmt, ...) {
  char raw[2048], shown[sizeof err->msg];
  va_list ap;
  int len;

  va_start(ap, fmt);
  len = vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  if (len < 0)
    len = 0;
  sw_sanitize(shown, sizeof shown, raw,
              (size_t)len < sizeof raw ? (size_t)len : sizeof raw - 1, 400);
  return sw_fail(err, "%s", shown);
}

static bool is_space(char c) {
  return c == ' ' || c == '\t';
}

/* "[0]" (JSONPath's index) somewhere in p: where it starts, or NULL. */
static const char *bracket_index(const char *p, size_t len) {
  for (size_t i = 0; i + 2 < len; i++) {
    size_t k = i + 1;
    if (p[i] != '[')
      continue;
    while (k < len && p[k] >= '0' && p[k] <= '9')
      k++;
    if (k > i + 1 && k < len && p[k] == ']')
      return p + i;
  }
  return NULL;
}

/* The -j mistakes an administrator makes (api_json.h), each refused with
 * the fix before the text is read as a pointer that would then be
 * "missing": CRITICAL for a healthy service. text has its operator at
 * `at` (find_op). Returns 0, or -1 with err. */
static int assert_mistake(const char *text, size_t at, api_j_op op,
                          sw_err *err) {
  static const char *const ops[] = {"", "==", "!=", "~="};
  const char *eq = memchr(text, '=', at), *rest = text + at + (op ? 2 : 0);
  const char *lt = memchr(text, '<', at), *gt = memchr(text, '>', at);
  const char *br = bracket_index(text, at);
  int plen = (int)at;

  if (at > 0 && text[0] == '$')
    return mistake_fail(err,
                        "-j: '%.120s' is JSONPath: write an RFC 6901 pointer "
                        "(/tracks/items/0 for $.tracks.items[0])",
                        text);
  if (at > 0 && text[0] != '/')
    return mistake_fail(err,
                        "-j: '%.120s': the pointer must start with '/': "
                        "write '/%.120s'",
                        text, text);
  if (lt || gt)
    return mistake_fail(err,
                        "-j: '%.120s': -j compares with ==, != and ~= only; "
                        "for a number against a range use -M "
                        "'LABEL=POINTER;RANGE' (e.g. -M 'n=/count;3:' "
                        "alerts below 3)",
                        text);
  if (eq && eq + 1 < text + at && eq[1] == '~')
    return mistake_fail(err,
                        "-j: '%.120s': the regex operator is '~=': write "
                        "'%.*s~=%.120s'",
                        text, (int)(eq - text), text, eq + 2);
  if (eq) {
    int name = (int)(eq - text);
    return mistake_fail(err,
                        "-j: '%.120s' has a single '=': use '%.*s==%.120s' "
                        "to compare, or '%.*s' alone to test that it exists",
                        text, name, text, eq + 1, name, text);
  }
  if (br)
    return mistake_fail(err,
                        "-j: '%.120s': an array index is a path segment: "
                        "'/items/0', not '/items[0]'",
                        text);
  if (op == API_J_EXISTS)
    return 0;
  if (op != API_J_MATCH && rest[0] == '=')
    return mistake_fail(err,
                        "-j: '%.120s': '%s=' is no operator: write "
                        "'%.*s%s%.120s' (to compare with text that starts "
                        "with '=', quote it: %s\"=...\")",
                        text, ops[op], plen, text, ops[op], rest + 1, ops[op]);
  if (at > 0 && is_space(text[at - 1])) {
    while (plen > 0 && is_space(text[plen - 1]))
      plen--;
    while (is_space(*rest))
      rest++;
    return mistake_fail(err,
                        "-j: '%.120s': the space before '%s' would be part "
                        "of the pointer: write '%.*s%s%.120s'",
                        text, ops[op], plen, text, ops[op], rest);
  }
  return 0;
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
  if (sw_json_load_value(v, strlen(v), &o, why, sizeof why) == SW_JSON_OK &&
      !non_finite(o)) {
    *out = o;
    return NULL;
  }
  if (o)
    json_object_put(o);
  if (v[0] == '"' || v[0] == '[' || v[0] == '{')
    return "value starts like JSON but is not valid JSON";
  if (is_space(v[0]) || is_space(v[strlen(v) - 1]))
    return "a space around a text value would be part of it: drop the "
           "space, or quote the text as JSON (==\" x\")";
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
  if (assert_mistake(text, at, a->op, err) < 0)
    return -1;
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
  api_json_put(&b, o);
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
  api_json_put(&b, o);
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
  bool holds = api_json_equal(o, a->value) == (a->op == API_J_EQ);

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
  if (!eq && text[0] == '/')
    return mistake_fail(err,
                        "-M: '%.120s' has no label: write "
                        "'LABEL=%.120s' (the perfdata label first)",
                        text, text);
  if (!eq)
    return opt_fail(err, "-M", "metric", text, "expected LABEL=POINTER");
  why = label_problem(text, (size_t)(eq - text));
  if (why)
    return opt_fail(err, "-M", "metric", text, why);
  memcpy(m->label, text, (size_t)(eq - text));
  sw_perf_label(m->perf, sizeof m->perf, m->label);
  p = eq + 1;
  plen = strcspn(p, ";");
  if (plen && p[0] != '/') {
    int llen = (int)(eq - text);
    memset(m, 0, sizeof *m);
    if (p[0] == '=')
      return mistake_fail(err,
                          "-M: '%.120s': one '=' goes between LABEL and "
                          "POINTER: write '%.*s=%.120s'",
                          text, llen, text, p + 1);
    return mistake_fail(err,
                        "-M: '%.120s': the pointer must start with '/': "
                        "write '%.*s=/%.120s'",
                        text, llen, text, p);
  }
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
