/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's JSON side: -j assertions, -M metrics and parsing the body.
 * Pure functions over json-c trees: no I/O, no globals, so every case is
 * a unit test (tests/unit/test_api_json.c). */
#ifndef STREAMWATCH_API_JSON_H
#define STREAMWATCH_API_JSON_H

#include <json-c/json.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "streamwatch/json.h"
#include "streamwatch/range.h"
#include "streamwatch/state.h"
#include "streamwatch/strbuf.h"

typedef enum { API_J_EXISTS, API_J_EQ, API_J_NE, API_J_MATCH } api_j_op;

typedef struct {
  char text[512];    /* the assertion as given, for messages */
  char pointer[256]; /* RFC 6901 pointer, "" is the whole document */
  api_j_op op;
  /* EQ/NE: the expected JSON value (owned). NULL is JSON null, as
   * everywhere in json-c (json_object_get_type(NULL) == json_type_null). */
  struct json_object *value;
  regex_t re; /* MATCH: POSIX ERE (REG_EXTENDED|REG_NOSUB) */
  bool has_re;
} api_assert;

/* Parses one -j: "POINTER" (exists), "POINTER==VALUE", "POINTER!=VALUE" or
 * "POINTER~=REGEX". The operator is the first "==", "!=" or "~=" in the
 * text, so a key holding "==" or "!=" cannot be addressed ("~=" can never
 * occur in a valid pointer). POINTER is "" or starts with '/', and every
 * '~' is "~0" or "~1" (RFC 6901 section 3).
 * The mistakes an administrator makes are refused with the fix, not
 * judged as a pointer that is "missing" (a CRITICAL about a healthy
 * service): a single '=' ("/user=x"), '=~', "===" or "!==", '<' or '>'
 * (no such comparison: -M with a range), a space before the operator, a
 * pointer without its leading '/' or in JSONPath ("$.a"), an index
 * written "[0]". So a key holding '=', '<', '>' or "[N]" cannot be
 * addressed by -j either.
 * VALUE is JSON when the whole of it parses as JSON (true, 3, 2.5, "ok",
 * null, [..], {..}); otherwise it is a string (==ok means =="ok"). A VALUE
 * starting with '"', '[' or '{' must be valid JSON (a typo is refused, not
 * silently compared as text); NaN/Infinity are not JSON (RFC 8259 section
 * 6) and are text. VALUE and REGEX must not be empty (=="" compares with
 * the empty string); the text must not be empty.
 * Returns 0, or -1 with err naming -j and the text; a is then empty (safe
 * to api_assert_free). */
int api_assert_parse(const char *text, api_assert *a, sw_err *err);

/* Frees what a holds and empties it; safe on an empty or freed a. */
void api_assert_free(api_assert *a);

/* Evaluates a against root (from sw_json_parse). Returns 1 when it holds,
 * 0 when not; msg (size n, sanitised, each value capped at 120 chars as
 * JSON text) says why:
 *   holds:  `/status is "ok"`, `/status is "ok", not "degraded"`,
 *           `/title "Sine 440" matches ^Sine`
 *   fails:  `/status is "degraded", expected "ok"`,
 *           `/status is "ok", expected anything else`,
 *           `/tracks/items/5 is missing`,
 *           `/title "Sine 440" does not match ^Foo`
 * A missing value fails every operator, != included. Numbers compare by
 * exact decimal value (3 == 3.0 == 3e0, but 9007199254740993 is not
 * 9007199254740992.0 and 18446744073709551616 is not 18446744073709551615:
 * nothing is rounded or clamped into a verdict), strings byte for byte,
 * arrays and objects member by member with the same rules (key order does
 * not matter). MATCH applies to strings as they are (up to an embedded
 * NUL) and to other values as their JSON text (its first MiB), within
 * sw_regex_search's default budget. The pointer "" is shown as
 * "document". Returns 1 when the assertion holds, 0 when not, -1 when a
 * regex was too costly for the value (this check's limit, msg says so). */
int api_assert_eval(const api_assert *a, struct json_object *root, char *msg,
                    size_t n);

/* api_assert_eval, with every value, pointer and expected text in msg
 * shown through sw_text_safe with secrets (NULL-terminated, NULL: none):
 * masked, then sanitised, then cut, so a value that echoes a token never
 * shows part of it. */
int api_assert_eval_masked(const api_assert *a, struct json_object *root,
                           const char *const *secrets, char *msg, size_t n);

typedef struct {
  char label[64]; /* the label as given */
  char perf[64];  /* the perfdata label: label with every byte outside
                     [A-Za-z0-9_-] made '_' (sw_perf_label) */
  char pointer[256];
  sw_range warn, crit; /* optional: unset when not given or empty */
} api_metric;

/* Parses -M "LABEL=POINTER[;WARN[;CRIT]]": LABEL is 1-63 characters of
 * [A-Za-z0-9_.-] ('.' becomes '_' in m->perf, as graphing backends split
 * at '.'); POINTER as for -j (so a key holding ';' cannot be
 * addressed); WARN and CRIT exactly as sw_range_parse takes them, and an
 * empty one is unset ("lat=/ms;;500" has only a critical range).
 * Returns 0, or -1 with err naming -M and the text. */
int api_metric_parse(const char *text, api_metric *m, sw_err *err);

/* Reads the number at m's pointer into *value. Accepted: JSON numbers,
 * and strings that are strictly one decimal number (sw_parse_double: "12.5"
 * yes, " 12", "12ms", "1e3" no), because APIs quote numbers to keep their
 * precision. Refused: booleans and null (assert those with -j), non-finite
 * numbers (1e400, NaN) that perfdata cannot carry.
 * Returns 0, or -1 with msg: `/latency_ms is missing`,
 * `/status is "ok", not a number`. */
int api_metric_eval(const api_metric *m, struct json_object *root,
                    double *value, char *msg, size_t n);

/* api_metric_eval with msg's texts masked as api_assert_eval_masked. */
int api_metric_eval_masked(const api_metric *m, struct json_object *root,
                           const char *const *secrets, double *value, char *msg,
                           size_t n);

/* Internal to api_json.c and api_json_value.c. */

/* True when a and b are the same JSON value; numbers compare by their
 * exact decimal value, 1.0 == 1 (api_json_value.c). */
bool api_json_equal(struct json_object *a, struct json_object *b);

/* o as compact JSON text into b, up to b's cap (api_json_value.c). */
void api_json_put(sw_buf *b, struct json_object *o);

#endif
