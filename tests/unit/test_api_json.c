/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/api/api_json.c: -j assertions, -M metrics and body
 * parsing for check_api. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/api/api_json.h"
#include "streamwatch/sanitize.h"
#include "tap.h"

static const char DOC[] =
    "{\"status\":\"ok\",\"version\":\"1.4.2\",\"tracks\":{\"items\":"
    "[{\"id\":\"t1\",\"title\":\"Sine 440\"},{\"id\":\"t2\"}],\"total\":2},"
    "\"latency_ms\":12.5,\"live\":true,\"region\":null,\"a/b\":1,\"m~n\":2,"
    "\"hostile\":\"x|y\\nOK - forged | z=1\",\"count\":\"42\","
    "\"big\":1e400,\"long\":\"" /* 300 'L's, closed in main */;

/* Parses text, which must succeed, and checks the parts. */
static void parse_good(const char *text, const char *pointer, api_j_op op) {
  api_assert a;
  sw_err err = {{0}};

  if (api_assert_parse(text, &a, &err) != 0) {
    ok(0, "-j '%s' parses (%s)", text, err.msg);
    return;
  }
  is_str(a.pointer, pointer, "-j '%s': pointer '%s'", text, pointer);
  is_int(a.op, op, "-j '%s': operator", text);
  api_assert_free(&a);
}

/* Parses text, which must fail with a message holding want. The text is
 * sanitised for the test names: a raw newline would break the TAP line. */
static void parse_bad(const char *text, const char *want) {
  api_assert a;
  sw_err err = {{0}};
  char t[64];

  sw_sanitize(t, sizeof t, text, strlen(text), 40);
  is_int(api_assert_parse(text, &a, &err), -1, "-j '%s' is refused", t);
  ok(strstr(err.msg, want) != NULL, "-j '%s' says '%s' (%s)", t, want, err.msg);
  ok(strncmp(err.msg, "-j", 2) == 0, "-j '%s': message names -j", t);
  ok(!a.value && !a.has_re, "-j '%s': nothing left allocated", t);
}

/* glibc's regcomp copies a subexpression for each '+' and each repetition
 * of an interval, so stacked or nested quantifiers grow exponentially:
 * tests/fuzz/fuzz_api_assert found "~=Q:" and 100 '+' making it allocate
 * over 2 GB. Such a regex is refused before regcomp sees it; real ones
 * still compile. */
static void test_parse_regex_cost(void) {
  char fuzzed[128] = "~=Q:", nested[160] = "/x~=", t[64];
  static const char *const fine[] = {
      "/t~=^Sine [0-9]+ Hz$", "/ip~=^([0-9]{1,3}\\.){3}[0-9]{1,3}$",
      "/a~=a{1,1000}",        "/a~=[[:alpha:]]+(x|y)*[]a-]?",
      "/a~=(a|b|c)+d*e?",     "/a~=^.*?x"};
  api_assert a;
  sw_err err = {{0}};
  size_t i;

  memset(fuzzed + 4, '+', 100); /* the fuzzer's input, as it found it */
  parse_bad(fuzzed, "too complex");
  for (i = 0; i < 24; i++)
    strcat(nested, "(");
  strcat(nested, "a");
  for (i = 0; i < 24; i++)
    strcat(nested, "+)");
  parse_bad(nested, "too complex");
  parse_bad("/a~=(a{1,100}){1,100}", "too complex");
  parse_bad("/a~=a**************************", "too complex");
  /* the fuzzer's next one: small, but 15 s in regcomp under ASan */
  parse_bad("/bo\326dy~==++++++~=????+++++++^\\\"\377t", "too complex");
  parse_bad("/a~=a+++", "too complex");
  for (i = 0; i < sizeof fine / sizeof *fine; i++) {
    sw_sanitize(t, sizeof t, fine[i], strlen(fine[i]), 40);
    is_int(api_assert_parse(fine[i], &a, &err), 0, "-j '%s' compiles (%s)", t,
           err.msg);
    api_assert_free(&a);
  }
}

/* Every well-formed shape of -j, and what VALUE becomes. */
static void test_parse_forms(void) {
  api_assert a;
  sw_err err = {{0}};

  parse_good("/status", "/status", API_J_EXISTS);
  parse_good("/status==ok", "/status", API_J_EQ);
  parse_good("/status!=ok", "/status", API_J_NE);
  parse_good("/title~=^Sine [0-9]+$", "/title", API_J_MATCH);
  parse_good("==3", "", API_J_EQ);
  parse_good("/", "/", API_J_EXISTS);
  parse_good("/a~1b==1", "/a~1b", API_J_EQ);
  parse_good("/m~0n", "/m~0n", API_J_EXISTS);
  /* the first operator wins; the rest belongs to the value */
  parse_good("/a==b==c", "/a", API_J_EQ);
  parse_good("/a==x!=y", "/a", API_J_EQ);
  parse_good("/a~=x==y|z", "/a", API_J_MATCH);
  /* a '=' inside the value is the value's, once the operator is found */
  parse_good("/a!=x=3", "/a", API_J_NE);
  parse_good("/a==\"=x\"", "/a", API_J_EQ);
  parse_good("/a~==x", "/a", API_J_MATCH);

  static const struct {
    const char *text;
    enum json_type type;
  } v[] = {{"/a==true", json_type_boolean}, {"/a==3", json_type_int},
           {"/a==2.5", json_type_double},   {"/a==\"ok\"", json_type_string},
           {"/a==ok", json_type_string},    {"/a==null", json_type_null},
           {"/a==[1,2]", json_type_array},  {"/a=={\"k\":1}", json_type_object},
           {"/a==\"\"", json_type_string},  {"/a==NaN", json_type_string},
           {"/a==tru", json_type_string},   {"/a==3 apples", json_type_string},
           {"/a==1e3", json_type_double},   {"/a== 3 ", json_type_int}};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    is_int(api_assert_parse(v[i].text, &a, &err), 0, "-j '%s' parses",
           v[i].text);
    is_int(json_object_get_type(a.value), v[i].type, "-j '%s': value type",
           v[i].text);
    api_assert_free(&a);
  }
  api_assert_parse("/a==ok", &a, &err);
  is_str(json_object_get_string(a.value), "ok", "bare ok is the string ok");
  api_assert_free(&a);
  api_assert_free(&a); /* twice is harmless */
  ok(!a.value && !a.has_re, "free empties the assertion");
}

/* Every malformed -j, each with the reason it gives. */
static void test_parse_bad(void) {
  char longp[400];
  api_assert a;
  sw_err err = {{0}};

  parse_bad("", "empty assertion");
  parse_bad("status", "start with '/'");
  parse_bad("status==ok", "start with '/'");
  parse_bad("/a==", "empty value");
  parse_bad("/a!=", "empty value");
  parse_bad("/a~=", "empty regex");
  parse_bad("/a~=[", "bad regex");
  parse_bad("/a~=(x", "bad regex");
  parse_bad("/a~2b", "~0 or ~1");
  parse_bad("/a~", "~0 or ~1");
  parse_bad("/a==\"ok", "not valid JSON");
  parse_bad("/a==[1,", "not valid JSON");
  parse_bad("/a=={x}", "not valid JSON");
  parse_bad("/a==\"a\" x", "not valid JSON");
  memset(longp, 'p', sizeof longp - 1);
  longp[0] = '/';
  longp[sizeof longp - 1] = '\0';
  parse_bad(longp, "pointer too long");
  parse_bad("x|y\nz", "start with '/'");
  api_assert_parse("x|y\nz", &a, &err);
  ok(strchr(err.msg, '\n') == NULL && strchr(err.msg, '|') == NULL,
     "a hostile -j is sanitised in its error (%s)", err.msg);
  ok(api_assert_parse(NULL, &a, &err) == -1, "NULL is refused");
}

/* The mistakes an administrator makes in -j: UNKNOWN naming -j and the
 * fix, where they once were pointers judged "missing" (CRITICAL for a
 * healthy service) or values compared as the wrong text. */
static void test_parse_mistakes(void) {
  parse_bad("/user=x", "has a single '=': use '/user==x' to compare, or "
                       "'/user' alone to test that it exists");
  parse_bad("/a/b=1", "use '/a/b==1' to compare, or '/a/b' alone");
  parse_bad("/user=~^al", "the regex operator is '~=': write '/user~=^al'");
  parse_bad("/user===x", "'===' is no operator: write '/user==x'");
  parse_bad("/a!==3", "'!==' is no operator: write '/a!=3'");
  parse_bad("/count>=3", "-j compares with ==, != and ~= only");
  parse_bad("/count<=3", "-M 'LABEL=POINTER;RANGE'");
  parse_bad("/count>3", "-j compares with ==, != and ~= only");
  parse_bad("/user == x", "the space before '==' would be part of the "
                          "pointer: write '/user==x'");
  parse_bad("/user\t!=x", "write '/user!=x'");
  parse_bad("/user== x", "a space around a text value");
  parse_bad("/user==x ", "a space around a text value");
  parse_bad("status==ok", "write '/status==ok'");
  parse_bad("$.status", "is JSONPath");
  parse_bad("/items[0]/id", "an array index is a path segment");
  /* still fine: JSON values with spaces, a quoted text with them */
  parse_good("/a== 3 ", "/a", API_J_EQ);
  parse_good("/a==\" x\"", "/a", API_J_EQ);
  parse_good("/a~= x", "/a", API_J_MATCH);
  parse_good("/a[b]", "/a[b]", API_J_EXISTS);
}

/* Evaluates text against doc: the result and the exact message. */
static void eval_is(struct json_object *doc, const char *text, int want,
                    const char *want_msg) {
  api_assert a;
  sw_err err = {{0}};
  char msg[256] = "";

  if (api_assert_parse(text, &a, &err) != 0) {
    ok(0, "-j '%s' parses (%s)", text, err.msg);
    return;
  }
  is_int(api_assert_eval(&a, doc, msg, sizeof msg), want, "-j '%s' %s", text,
         want ? "holds" : "fails");
  if (want_msg)
    is_str(msg, want_msg, "-j '%s' message", text);
  api_assert_free(&a);
}

/* exists / missing, pointer escapes, indexes (RFC 6901 sections 3-4). */
static void test_eval_exists(struct json_object *doc) {
  eval_is(doc, "/status", 1, "/status is \"ok\"");
  eval_is(doc, "/nope", 0, "/nope is missing");
  eval_is(doc, "/region", 1, "/region is null");
  eval_is(doc, "/tracks/items/0/id", 1, "/tracks/items/0/id is \"t1\"");
  eval_is(doc, "/tracks/items/1/title", 0, "/tracks/items/1/title is missing");
  eval_is(doc, "/tracks/items/5", 0, "/tracks/items/5 is missing");
  eval_is(doc, "/tracks/items/01", 0, "/tracks/items/01 is missing");
  eval_is(doc, "/tracks/items/-", 0, "/tracks/items/- is missing");
  eval_is(doc, "/tracks/items/99999999999999999999", 0, NULL);
  eval_is(doc, "/status/x", 0, "/status/x is missing");
  eval_is(doc, "/region/x", 0, "/region/x is missing");
  eval_is(doc, "/a~1b", 1, "/a~1b is 1");
  eval_is(doc, "/a~1b==1", 1, "/a~1b is 1");
  eval_is(doc, "/m~0n==2", 1, "/m~0n is 2");
  eval_is(doc, "/a/b", 0, "/a/b is missing");
  eval_is(doc, "/tracks/total", 1, "/tracks/total is 2");
  eval_is(doc, "/tracks/items/1", 1, "/tracks/items/1 is {\"id\":\"t2\"}");
  eval_is(doc, "/tracks/items/nope", 0, "/tracks/items/nope is missing");
  eval_is(doc,
          "/tracks/items==[{\"id\":\"t1\",\"title\":\"Sine 440\"},"
          "{\"id\":\"t2\"}]",
          1, NULL);
}

/* ==, != and ~= with JSON values, numbers by value, bare text. */
static void test_eval_compare(struct json_object *doc) {
  eval_is(doc, "/status==ok", 1, "/status is \"ok\"");
  eval_is(doc, "/status==\"ok\"", 1, "/status is \"ok\"");
  eval_is(doc, "/status==degraded", 0,
          "/status is \"ok\", expected \"degraded\"");
  eval_is(doc, "/status!=ok", 0, "/status is \"ok\", expected anything else");
  eval_is(doc, "/status!=degraded", 1, "/status is \"ok\", not \"degraded\"");
  eval_is(doc, "/nope!=ok", 0, "/nope is missing");
  eval_is(doc, "/live==true", 1, "/live is true");
  eval_is(doc, "/live==\"true\"", 0, "/live is true, expected \"true\"");
  eval_is(doc, "/live==1", 0, "/live is true, expected 1");
  eval_is(doc, "/tracks/total==2", 1, "/tracks/total is 2");
  eval_is(doc, "/tracks/total==2.0", 1, "/tracks/total is 2");
  eval_is(doc, "/tracks/total==\"2\"", 0, NULL);
  eval_is(doc, "/tracks/total==3", 0, "/tracks/total is 2, expected 3");
  eval_is(doc, "/latency_ms==12.5", 1, "/latency_ms is 12.5");
  eval_is(doc, "/latency_ms==12.50", 1, NULL);
  eval_is(doc, "/latency_ms!=12.5", 0, NULL);
  eval_is(doc, "/region==null", 1, "/region is null");
  eval_is(doc, "/region!=null", 0, "/region is null, expected anything else");
  eval_is(doc, "/status==null", 0, "/status is \"ok\", expected null");
  eval_is(doc, "/region==\"null\"", 0, NULL);
  eval_is(doc, "/version==1.4.2", 1, "/version is \"1.4.2\"");
  eval_is(doc, "/status==OK", 0, NULL); /* strings exactly */
  eval_is(doc, "/tracks/items/1=={\"id\":\"t2\"}", 1, NULL);
  eval_is(doc, "/tracks/items/1=={\"id\":\"t2\",\"x\":1}", 0, NULL);
  eval_is(doc,
          "/tracks=={\"total\":2.0,\"items\":[{\"title\":\"Sine 440\","
          "\"id\":\"t1\"},{\"id\":\"t2\"}]}",
          1, NULL);
  eval_is(doc,
          "/tracks/items==[{\"id\":\"t2\"},{\"id\":\"t1\","
          "\"title\":\"Sine 440\"}]",
          0, NULL); /* order counts */
  eval_is(doc, "/title~=x", 0, "/title is missing");
  eval_is(doc, "/tracks/items/0/title~=^Sine [0-9]+$", 1,
          "/tracks/items/0/title \"Sine 440\" matches ^Sine [0-9]+$");
  eval_is(doc, "/tracks/items/0/title~=^Foo", 0,
          "/tracks/items/0/title \"Sine 440\" does not match ^Foo");
  eval_is(doc, "/tracks/items/0/title~=^\"", 0, NULL); /* no quotes */
  eval_is(doc, "/latency_ms~=^12\\.5$", 1, NULL);      /* JSON text */
  eval_is(doc, "/live~=^true$", 1, NULL);
  eval_is(doc, "/region~=^null$", 1, NULL);
  eval_is(doc, "/tracks/items/1~=\"id\":\"t2\"", 1, NULL);
  eval_is(doc, "/status~=^(ok|fine)$", 1, "/status \"ok\" matches ^(ok/fine)$");
  eval_is(doc, "==3", 0, NULL);
}

/* Values from the server are sanitised and capped in messages. */
static void test_eval_hostile(struct json_object *doc) {
  api_assert a;
  sw_err err = {{0}};
  char msg[512];

  api_assert_parse("/hostile==ok", &a, &err);
  is_int(api_assert_eval(&a, doc, msg, sizeof msg), 0, "hostile != ok");
  ok(strchr(msg, '|') == NULL, "no '|' in the message (%s)", msg);
  ok(strchr(msg, '\n') == NULL, "no newline in the message");
  is_str(msg, "/hostile is \"x/y\\nOK - forged / z=1\", expected \"ok\"",
         "hostile value shown as escaped, sanitised JSON text");
  api_assert_free(&a);

  api_assert_parse("/long==x", &a, &err);
  api_assert_eval(&a, doc, msg, sizeof msg);
  ok(strlen(msg) < 160, "a 300-char value is capped (%zu chars)", strlen(msg));
  ok(strstr(msg, "...") != NULL, "the cut is visible");
  api_assert_free(&a);

  api_assert_parse("/status", &a, &err);
  is_int(api_assert_eval(&a, doc, msg, 10), 1, "small msg buffer works");
  is_str(msg, "/statu...", "message cut to the buffer, the cut visible");
  api_assert_free(&a);

  api_assert_parse("==1", &a, &err);
  api_assert_eval(&a, doc, msg, sizeof msg);
  ok(strncmp(msg, "document is {", 13) == 0 && strlen(msg) < 160,
     "the whole document is called document, capped (%s)", msg);
  api_assert_free(&a);
}

/* Parses an -M text that must succeed. */
static void metric_good(const char *text, const char *label,
                        const char *pointer, const char *warn,
                        const char *crit) {
  api_metric m;
  sw_err err = {{0}};

  if (api_metric_parse(text, &m, &err) != 0) {
    ok(0, "-M '%s' parses (%s)", text, err.msg);
    return;
  }
  is_str(m.label, label, "-M '%s': label", text);
  is_str(m.pointer, pointer, "-M '%s': pointer", text);
  is_str(m.warn.set ? m.warn.text : "", warn, "-M '%s': warn", text);
  is_str(m.crit.set ? m.crit.text : "", crit, "-M '%s': crit", text);
}

/* Parses an -M text that must fail, naming -M and want. */
static void metric_bad(const char *text, const char *want) {
  api_metric m;
  sw_err err = {{0}};

  is_int(api_metric_parse(text, &m, &err), -1, "-M '%s' is refused", text);
  ok(strncmp(err.msg, "-M", 2) == 0 && strstr(err.msg, want),
     "-M '%s' says -M ... %s (%s)", text, want, err.msg);
}

static void test_metric_parse(void) {
  metric_good("lat=/latency_ms", "lat", "/latency_ms", "", "");
  metric_good("lat=/latency_ms;100", "lat", "/latency_ms", "100", "");
  metric_good("lat=/latency_ms;100;500", "lat", "/latency_ms", "100", "500");
  metric_good("lat=/latency_ms;;500", "lat", "/latency_ms", "", "500");
  metric_good("lat=/latency_ms;", "lat", "/latency_ms", "", "");
  metric_good("t.total-2_x=/tracks/total;@1:5;~:10", "t.total-2_x",
              "/tracks/total", "@1:5", "~:10");
  metric_good("doc=", "doc", "", "", "");
  metric_good("a=/a~1b=c", "a", "/a~1b=c", "", "");
  {
    api_metric m;
    sw_err err = {{0}};
    api_metric_parse("t.total-2_x=/t", &m, &err);
    is_str(m.perf, "t_total-2_x", "-M's perfdata label has '.' as '_'");
  }
  metric_bad("/latency_ms", "has no label: write 'LABEL=/latency_ms'");
  metric_bad("lat==/x", "one '=' goes between LABEL and POINTER: write "
                        "'lat=/x'");
  metric_bad("lat=latency", "write 'lat=/latency'");
  metric_bad("", "empty metric");
  metric_bad("lat", "LABEL=POINTER");
  metric_bad("=/x", "empty label");
  metric_bad("l a=/x", "label may hold");
  metric_bad("l'a=/x", "label may hold");
  metric_bad("l|a=/x", "label may hold");
  metric_bad("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=/x",
             "longer than 63");
  metric_bad("lat=latency", "start with '/'");
  metric_bad("lat=/a~x", "~0 or ~1");
  metric_bad("lat=/x;10x", "10x");
  metric_bad("lat=/x;5:3", "5:3");
  metric_bad("lat=/x;1;2;3", "more than WARN;CRIT");
  metric_bad("lat=/x;1;nan", "nan");
}

/* Evaluates the metric text against doc. */
static void metric_eval_is(struct json_object *doc, const char *text, int want,
                           double value, const char *want_msg) {
  api_metric m;
  sw_err err = {{0}};
  char msg[256] = "";
  double v = -999;

  if (api_metric_parse(text, &m, &err) != 0) {
    ok(0, "-M '%s' parses (%s)", text, err.msg);
    return;
  }
  is_int(api_metric_eval(&m, doc, &v, msg, sizeof msg), want, "-M '%s' %s",
         text, want == 0 ? "reads a number" : "fails");
  if (want == 0)
    is_num(v, value, "-M '%s' value", text);
  else if (want_msg)
    is_str(msg, want_msg, "-M '%s' message", text);
}

static void test_metric_eval(struct json_object *doc) {
  api_metric m;
  sw_err err = {{0}};
  double v = 0;
  char msg[128];

  metric_eval_is(doc, "lat=/latency_ms", 0, 12.5, NULL);
  metric_eval_is(doc, "n=/tracks/total", 0, 2, NULL);
  metric_eval_is(doc, "c=/count", 0, 42, NULL); /* "42": quoted number */
  metric_eval_is(doc, "x=/missing", -1, 0, "/missing is missing");
  metric_eval_is(doc, "s=/status", -1, 0, "/status is \"ok\", not a number");
  metric_eval_is(doc, "v=/version", -1, 0,
                 "/version is \"1.4.2\", not a number");
  metric_eval_is(doc, "l=/live", -1, 0, "/live is true, not a number");
  metric_eval_is(doc, "r=/region", -1, 0, "/region is null, not a number");
  metric_eval_is(doc, "b=/big", -1, 0, "/big is 1e400, not a finite number");
  metric_eval_is(doc, "o=/tracks", -1, 0, NULL);
  metric_eval_is(doc, "h=/hostile", -1, 0,
                 "/hostile is \"x/y\\nOK - forged / z=1\", not a number");

  /* the ranges parsed by -M judge the value as -w/-c would */
  api_metric_parse("lat=/latency_ms;10;20", &m, &err);
  api_metric_eval(&m, doc, &v, msg, sizeof msg);
  is_int(sw_range_state(&m.warn, &m.crit, v), SW_WARNING, "12.5 > 10 warns");
  api_metric_parse("lat=/latency_ms;;12", &m, &err);
  is_int(sw_range_state(&m.warn, &m.crit, v), SW_CRITICAL, "12.5 > 12 crit");
  api_metric_parse("lat=/latency_ms;20;30", &m, &err);
  is_int(sw_range_state(&m.warn, &m.crit, v), SW_OK, "12.5 within 20 is ok");
}

/* Parses body with sw_json_parse: NULL expected when want_msg is set. */
static void body_is(const char *body, size_t len, const char *want_msg,
                    const char *name) {
  char msg[256] = "";
  struct json_object *o = sw_json_parse(body, len, msg, sizeof msg);

  if (want_msg) {
    ok(o == NULL, "%s: not accepted", name);
    ok(strstr(msg, want_msg) != NULL, "%s: says '%s' (%s)", name, want_msg,
       msg);
  } else {
    ok(o != NULL, "%s: accepted (%s)", name, msg);
  }
  json_object_put(o);
}

static void test_body(void) {
  static const char html[] = "<!DOCTYPE html><html><body>502</body></html>";
  static const char nul[] = "{\"a\":1}\0junk";
  char *deep = malloc(10001);

  body_is("{\"a\":1}", 7, NULL, "object");
  body_is("  [1,2]\r\n\t ", 11, NULL, "whitespace around");
  body_is("12", 2, NULL, "a bare number (no closing byte)");
  body_is("\"ok\"", 4, NULL, "a bare string");
  body_is("true", 4, NULL, "true");
  body_is("{\"a\":1}xyz", 7, NULL, "len excludes the junk");
  body_is(html, sizeof html - 1, "invalid JSON at byte 0", "HTML");
  body_is("{\"a\":1", 6, "JSON ends early", "truncated object");
  body_is("{\"a\":\"x", 7, "JSON ends early", "truncated string");
  body_is("tru", 3, "JSON ends early", "truncated literal");
  body_is("{\"a\":1}x", 8, "byte 7", "trailing junk");
  body_is("{\"a\":1} {\"b\":2}", 15, "byte 8", "two documents");
  body_is("12 x", 4, "byte 3", "junk after a number");
  body_is(nul, sizeof nul - 1, "trailing data after JSON at byte 7",
          "junk after a NUL");
  body_is("", 0, "empty body", "empty body");
  body_is(" \r\n", 3, "empty body", "blank body");
  body_is(NULL, 0, "empty body", "NULL body");
  body_is("null", 4, "JSON document is null", "null");
  body_is("['a']", 5, "invalid JSON", "single quotes (strict)");
  body_is("[1,]", 4, "invalid JSON", "trailing comma (strict)");
  if (!deep) {
    ok(0, "malloc");
    return;
  }
  memset(deep, '[', 10000);
  deep[10000] = '\0';
  body_is(deep, 10000, "nested deeper than 64", "10000 '['");
  memset(deep, '[', 64);
  memset(deep + 64, ']', 64);
  body_is(deep, 128, NULL, "64 levels");
  memset(deep, '[', 65);
  memset(deep + 65, ']', 65);
  body_is(deep, 130, "nested deeper than 64", "65 levels");
  free(deep);
}

/* A body of n copies of item in an array, as a server could send. */
static char *repeat_body(const char *item, size_t n, size_t *len) {
  size_t il = strlen(item), i, p = 0;
  char *b = malloc(n * (il + 1) + 3);

  if (!b)
    return NULL;
  b[p++] = '[';
  for (i = 0; i < n; i++) {
    if (i)
      b[p++] = ',';
    memcpy(b + p, item, il);
    p += il;
  }
  b[p++] = ']';
  b[p] = '\0';
  *len = p;
  return b;
}

/* Loads body and checks the status and, when want is set, the message. */
static void load_is(const char *body, size_t len, sw_json_status st,
                    const char *want, const char *name) {
  char msg[256] = "";
  struct json_object *o = NULL;

  is_int(sw_json_load(body, len, &o, msg, sizeof msg), st, "%s: status (%s)",
         name, msg);
  if (want)
    ok(strstr(msg, want) != NULL, "%s: says '%s' (%s)", name, want, msg);
  ok((st == SW_JSON_OK) == (o != NULL), "%s: a tree only when OK", name);
  json_object_put(o);
}

/* json-c has no allocation hooks: 4 MB of [{},{},...] (inside check_api's
 * default --max-size) took 1.09 GB and under a memory limit turned into a
 * false "response is not JSON". The cost is counted before json-c runs
 * and a body past the budget is refused as a limit (UNKNOWN), naming it;
 * real answers of a few MB still parse. */
static void test_budget(void) {
  static const struct {
    const char *item;
    size_t n;
    sw_json_status st;
    const char *want;
  } c[] = {
      {"{}", 1398100, SW_JSON_LIMIT,
       "JSON body has 1398101 values (1398100 objects, 1 arrays) needing about "
       "1090 MiB, more than the 40 MiB this check parses (limit)"},
      {"[]", 1398100, SW_JSON_LIMIT, "1398101 arrays) needing"},
      {"1", 2097150, SW_JSON_LIMIT, "2097151 values"},
      {"{\"k\":\"v\"}", 400000, SW_JSON_LIMIT, "(limit)"},
      {"{}", 40000, SW_JSON_OK, NULL},
      {"1", 300000, SW_JSON_OK, NULL},
      {"\"a string of some length, as real answers have\"", 80000, SW_JSON_OK,
       NULL},
      {"{\"id\":123456,\"title\":\"Track number 42 of the long playlist\","
       "\"artist\":\"Artist 7\",\"duration_ms\":231000,\"score\":0.25,"
       "\"tags\":[\"rock\",\"live\"],\"live\":false,\"region\":null}",
       19000, SW_JSON_OK, NULL},
  };
  size_t i, len;

  for (i = 0; i < sizeof c / sizeof c[0]; i++) {
    char *b = repeat_body(c[i].item, c[i].n, &len), name[80];
    if (!b) {
      ok(0, "malloc");
      return;
    }
    snprintf(name, sizeof name, "%zu x %.20s (%zu bytes)", c[i].n, c[i].item,
             len);
    load_is(b, len, c[i].st, c[i].want, name);
    free(b);
  }
  load_is("[1e1234567890123456]", 20, SW_JSON_LIMIT,
          "JSON number at byte 1 has an exponent of more than 15 digits "
          "(limit)",
          "a 16-digit exponent");
  load_is("[1e123456789012345]", 19, SW_JSON_OK, NULL, "a 15-digit exponent");
  load_is("<html>", 6, SW_JSON_INVALID, "invalid JSON at byte 0", "HTML");
  load_is("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]",
          66, SW_JSON_LIMIT, "JSON nested deeper than 64 levels (limit)",
          "65 levels are this check's limit, not a broken body");
}

/* Judges -j text against body: want 1 (holds) or 0, msg holding show. */
static void big_is(const char *body, const char *text, int want,
                   const char *show) {
  char msg[512] = "";
  struct json_object *doc = NULL;
  api_assert a;
  sw_err err = {{0}};

  if (sw_json_load(body, strlen(body), &doc, msg, sizeof msg) != SW_JSON_OK ||
      api_assert_parse(text, &a, &err) != 0) {
    ok(0, "%s and -j '%s' parse (%s%s)", body, text, msg, err.msg);
    json_object_put(doc);
    return;
  }
  is_int(api_assert_eval(&a, doc, msg, sizeof msg), want, "%s -j '%s' %s", body,
         text, want ? "holds" : "fails");
  if (show)
    ok(strstr(msg, show) != NULL, "%s -j '%s': says '%s' (%s)", body, text,
       show, msg);
  api_assert_free(&a);
  json_object_put(doc);
}

/* json-c clamps integers beyond 64 bits (to INT64_MIN or UINT64_MAX) and
 * compares by double otherwise: numbers from servers are judged exactly,
 * never clamped or rounded into a verdict. */
static void test_big_numbers(void) {
  char msg[256];
  double v = 0;
  api_metric m;
  sw_err err = {{0}};
  struct json_object *doc = NULL;

  big_is("{\"n\":9223372036854775808}", "/n==9223372036854775807", 0,
         "/n is 9223372036854775808, expected 9223372036854775807");
  big_is("{\"n\":1e400}", "/n==9223372036854775807", 0, "/n is 1e400");
  big_is("{\"n\":9223372036854775807}", "/n==9223372036854775807", 1, NULL);
  big_is("{\"n\":18446744073709551616}", "/n==18446744073709551615", 0,
         "/n is 18446744073709551616, expected 18446744073709551615");
  big_is("{\"n\":99999999999999999999}", "/n==18446744073709551615", 0, NULL);
  big_is("{\"n\":18446744073709551615}", "/n==18446744073709551615", 1, NULL);
  big_is("{\"n\":-9223372036854775809}", "/n==-9223372036854775808", 0,
         "/n is -9223372036854775809, expected -9223372036854775808");
  big_is("{\"n\":-9223372036854775808}", "/n==-9223372036854775808", 1, NULL);
  big_is("{\"n\":123456789012345678901234567890}",
         "/n==123456789012345678901234567890", 1,
         "/n is 123456789012345678901234567890");
  big_is("{\"n\":123456789012345678901234567890}",
         "/n!=123456789012345678901234567891", 1, NULL);
  big_is("[99999999999999999999,2]", "/1==2", 1, NULL);
  big_is("99999999999999999999", "==99999999999999999999", 1, NULL);
  big_is("99999999999999999999", "~=^9+$", 1, NULL);
  /* rounding to double made these equal */
  big_is("{\"n\":9007199254740993}", "/n==9007199254740992.0", 0, NULL);
  big_is("{\"n\":0.1}", "/n==0.1000000000000000055511151231257827", 0, NULL);
  /* one number type (RFC 8259 section 6): the same value in any form */
  big_is("{\"n\":100}", "/n==1e2", 1, NULL);
  big_is("{\"n\":100}", "/n==1.00E+2", 1, NULL);
  big_is("{\"n\":0.1}", "/n==0.10", 1, NULL);
  big_is("{\"n\":1.5e-3}", "/n==0.0015", 1, NULL);
  big_is("{\"n\":-0.0}", "/n==0", 1, NULL);
  big_is("{\"n\":-2}", "/n==2", 0, NULL);
  big_is("{\"n\":[1,99999999999999999999]}", "/n==[1.0,99999999999999999999]",
         1, NULL);
  load_is("[99999999999999999999 x]", 24, SW_JSON_INVALID,
          "invalid JSON at byte 22", "junk after a big integer");
  /* -M reads the big integer's value, not UINT64_MAX */
  sw_json_load("{\"n\":100000000000000000000}", 27, &doc, msg, sizeof msg);
  api_metric_parse("n=/n", &m, &err);
  is_int(api_metric_eval(&m, doc, &v, msg, sizeof msg), 0, "-M of 1e20 reads");
  ok(v == 1e20, "-M of 100000000000000000000 is 1e20 (%g)", v);
  json_object_put(doc);
}

/* Values are masked before they are sanitised and cut: a value echoing a
 * token past the 120-character cut never shows its first part. */
static void test_masked(void) {
  static const char *const secrets[] = {"s3cr3t-token-abcdef", NULL};
  char body[400], msg[512];
  struct json_object *doc = NULL;
  api_assert a;
  api_metric m;
  sw_err err = {{0}};
  double v;

  snprintf(body, sizeof body, "{\"t\":\"%0110d s3cr3t-token-abcdef\"}", 0);
  sw_json_load(body, strlen(body), &doc, msg, sizeof msg);
  api_assert_parse("/t==ok", &a, &err);
  is_int(api_assert_eval_masked(&a, doc, secrets, msg, sizeof msg), 0,
         "masked eval fails as the plain one");
  ok(!strstr(msg, "s3cr") && !strstr(msg, "abcdef"),
     "no part of the secret shows (%s)", msg);
  api_assert_eval(&a, doc, msg, sizeof msg);
  ok(strstr(msg, "s3cr") != NULL, "without masks the cut shows its start");
  api_assert_free(&a);
  api_metric_parse("t=/t", &m, &err);
  api_metric_eval_masked(&m, doc, secrets, &v, msg, sizeof msg);
  ok(!strstr(msg, "s3cr"), "-M's message is masked too (%s)", msg);
  json_object_put(doc);
}

/* ~= on a long value a server sent: a costly pattern is bounded by the
 * search's budget and said to be this check's limit (-1), never a run
 * into the alarm nor a "does not match". */
static void test_match_cost(void) {
  size_t n = 300000;
  char *body = malloc(n + 16), msg[512];
  struct json_object *doc = NULL;
  api_assert a;
  sw_err err = {{0}};
  memcpy(body, "{\"t\":\"", 6);
  memset(body + 6, 'x', n);
  memcpy(body + 6 + n, "\"}", 3);
  sw_json_load(body, strlen(body), &doc, msg, sizeof msg);
  api_assert_parse("/t~=(.*)(.*)(.*)(.*)(.*)y$", &a, &err);
  is_int(api_assert_eval(&a, doc, msg, sizeof msg), -1,
         "a quadratic ~= on a 300 kB value gives up");
  ok(strstr(msg, "/t: -j: regular expression too costly") != NULL,
     "the limit is named (%s)", msg);
  api_assert_free(&a);
  api_assert_parse("/t~=^x+$", &a, &err);
  is_int(api_assert_eval(&a, doc, msg, sizeof msg), 1,
         "an ordinary ~= on the same value holds");
  api_assert_free(&a);
  json_object_put(doc);
  free(body);
}

int main(void) {
  char doc_text[sizeof DOC + 310];
  char msg[256];
  size_t dl = sizeof DOC - 1;
  struct json_object *doc;

  memcpy(doc_text, DOC, dl);
  memset(doc_text + dl, 'L', 300);
  memcpy(doc_text + dl + 300, "\"}", 3);
  doc = sw_json_parse(doc_text, strlen(doc_text), msg, sizeof msg);
  if (!ok(doc != NULL, "the test document parses (%s)", doc ? "" : msg))
    return tap_done();
  test_parse_forms();
  test_parse_bad();
  test_parse_regex_cost();
  test_eval_exists(doc);
  test_eval_compare(doc);
  test_eval_hostile(doc);
  test_metric_parse();
  test_parse_mistakes();
  test_metric_eval(doc);
  test_body();
  test_budget();
  test_big_numbers();
  test_masked();
  test_match_cost();
  json_object_put(doc);
  return tap_done();
}
