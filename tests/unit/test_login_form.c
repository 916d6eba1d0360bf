/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/login/login_form.c: the tag scanner that finds a login
 * form, its action and method, and its input fields (a pure function over
 * bytes, which need not be NUL-terminated). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/login/login_form.h"
#include "streamwatch/strbuf.h"
#include "tap.h"

/* Runs form_find over a NUL-terminated page. */
static int find(const char *html, const char *field, html_form *f) {
  return form_find(html, strlen(html), field, f);
}

/* Checks that the form has input name with the given type and value. */
static void input_is(const html_form *f, const char *name, const char *type,
                     const char *value, const char *what) {
  const form_input *in = form_input_get(f, name);
  if (!ok(in != NULL, "%s: input '%s' found", what, name))
    return;
  is_str(in->type, type, "%s: '%s' type", what, name);
  is_str(in->value, value, "%s: '%s' value", what, name);
}

static void test_simple(void) {
  static html_form f;
  static const char page[] =
      "<!doctype html><html><head><title>Sign in</title></head><body>\n"
      "<form action=\"/login?next=%2F\" method=\"post\" id=\"login\">\n"
      "  <input type=\"hidden\" name=\"csrf_token\" value=\"abc123\">\n"
      "  <label>User <input type=\"text\" name=\"username\"></label>\n"
      "  <input type=\"password\" name=\"password\" />\n"
      "  <button type=\"submit\">Sign in</button>\n"
      "</form></body></html>\n";

  is_int(find(page, "password", &f), 0, "simple form found");
  is_str(f.action, "/login?next=%2F", "simple: action as written");
  is_str(f.method, "post", "simple: method");
  is_int(f.n, 3, "simple: three inputs (the button is not one)");
  input_is(&f, "csrf_token", "hidden", "abc123", "simple");
  input_is(&f, "username", "text", "", "simple");
  input_is(&f, "password", "password", "", "simple");
  ok(form_input_get(&f, "missing") == NULL, "form_input_get: unknown -> NULL");
  ok(form_input_get(&f, "PASSWORD") == NULL,
     "form_input_get: names are case-sensitive");
  if (f.n == 3) {
    is_str(f.inputs[0].name, "csrf_token", "simple: inputs in page order (0)");
    is_str(f.inputs[1].name, "username", "simple: inputs in page order (1)");
    is_str(f.inputs[2].name, "password", "simple: inputs in page order (2)");
  }

  /* field NULL: the first form. */
  is_int(find(page, NULL, &f), 0, "field NULL: the first form");
  is_int(f.n, 3, "field NULL: its inputs");
}

static void test_attribute_syntax(void) {
  static html_form f;
  static const char page[] =
      "<FORM METHOD=POST ACTION='/a b'>"
      "<INPUT VALUE='single' NAME=one TYPE=HIDDEN>"
      "<input\tname = \"two\"\n value=unquoted type='Password'>"
      "<Input value=\"dq\" type=text name='three'/>"
      "<input name=four value=x/>"
      "<input name=five value=\"\">"
      "<input name=\"six\" value>"
      "<input name=seven value=\"a>b\" type=hidden>"
      "<input name=eight value=it's>"
      "<input/name=\"nine\"/type=x>"
      "</FORM>";

  is_int(find(page, "one", &f), 0, "upper case: form found");
  is_str(f.action, "/a b", "upper case: single-quoted action keeps blank");
  is_str(f.method, "post", "upper case: METHOD=POST is lowercased");
  is_int(f.n, 9, "upper case: nine inputs");
  input_is(&f, "one", "hidden", "single", "value before name, TYPE lowered");
  input_is(&f, "two", "password", "unquoted",
           "blanks around '=', tab and newline separators");
  input_is(&f, "three", "text", "dq", "<Input ... />, name last");
  /* An unquoted value runs to a blank or '>', so the '/' is part of it, as
   * in HTML. */
  input_is(&f, "four", "text", "x/", "unquoted value before '/>'");
  input_is(&f, "five", "text", "", "empty quoted value");
  input_is(&f, "six", "text", "", "attribute without '='");
  input_is(&f, "seven", "hidden", "a>b", "'>' inside a quoted value");
  input_is(&f, "eight", "text", "it's", "quote inside an unquoted value");
  input_is(&f, "nine", "x", "", "'/' separates attributes");
}

static void test_entities(void) {
  static html_form f;
  static const char page[] =
      "<form action=\"/login?a=1&amp;b=2\">"
      "<input name=\"e\" value=\"&lt;a&gt; &amp; &quot;q&quot; &#39;s&#39;\">"
      "<input name=\"u\" value='&AMP;&#x27;&apos;'>"
      "<input name=\"raw\" value=\"&amp &nbsp; & &#40; &am\">"
      "<input name=\"twice\" value=\"&amp;lt;\">"
      "<input name=\"t\" type=\"&quot;\" >"
      "<input name=\"a&amp;b\">"
      "</form>";

  is_int(find(page, NULL, &f), 0, "entities: form found");
  is_str(f.action, "/login?a=1&b=2", "entities: decoded in action");
  input_is(&f, "e", "text", "<a> & \"q\" 's'",
           "&lt; &gt; &amp; &quot; &#39; decoded");
  input_is(&f, "u", "text", "&''", "&AMP; &#x27; &apos; decoded");
  input_is(&f, "raw", "text", "&amp &nbsp; & &#40; &am",
           "unknown or unterminated entities kept as written");
  input_is(&f, "twice", "text", "&lt;", "decoded once only");
  input_is(&f, "t", "\"", "", "entity in type decoded");
  ok(form_input_get(&f, "a&b") != NULL, "entities: decoded in name");
}

static void test_defaults(void) {
  static html_form f;

  is_int(find("<form><input name=q></form>", NULL, &f), 0, "bare form found");
  is_str(f.action, "", "no action -> \"\" (the page itself)");
  is_str(f.method, "get", "no method -> get");
  input_is(&f, "q", "text", "", "no type -> text, no value -> \"\"");

  is_int(find("<form method=\"\"><input name=q type=\"\"></form>", NULL, &f), 0,
         "empty method and type: form found");
  is_str(f.method, "", "method=\"\" is kept as written");
  input_is(&f, "q", "", "", "type=\"\" is kept as written");
}

static void test_nesting(void) {
  static html_form f;
  static const char page[] =
      "<form action=/outer><form-row><input name=a></form-row>"
      "<input name=pw type=password></form>";

  is_int(find(page, "pw", &f), 0, "custom element: form found");
  is_str(f.action, "/outer", "custom element: action");
  is_int(f.n, 2, "'<form-row>' neither opens nor '</form-row>' closes");
  input_is(&f, "pw", "password", "", "custom element");
}

static void test_choice(void) {
  static html_form f;
  static const char page[] =
      "<form action=\"/search\"><input name=\"q\"></form>\n"
      "<form action=\"/login\" method=\"post\">"
      "<input name=\"user\"><input type=password name=\"pw\"></form>\n"
      "<form action=\"/third\"><input name=\"pw\"></form>\n";

  is_int(find(page, "pw", &f), 0, "two forms: found");
  is_str(f.action, "/login", "two forms: the one with the field is chosen");
  is_str(f.method, "post", "two forms: its method");
  is_int(f.n, 2, "two forms: only its own inputs");
  ok(form_input_get(&f, "q") == NULL, "two forms: first form's input absent");
  input_is(&f, "pw", "password", "", "two forms");

  is_int(find(page, "nothing", &f), 0, "field nowhere: a form all the same");
  is_str(f.action, "/search", "field nowhere: the first form");
  is_int(f.n, 1, "field nowhere: the first form's inputs");

  is_int(find(page, NULL, &f), 0, "field NULL: found");
  is_str(f.action, "/search", "field NULL: the first form");
}

static void test_no_form(void) {
  static html_form f;

  is_int(
      find("<html><body><input name=pw type=password></body></html>", "pw", &f),
      -1, "inputs without a form -> -1");
  is_int(find("", "pw", &f), -1, "empty page -> -1");
  is_int(find("<formula>x</formula><inputs name=pw>", "pw", &f), -1,
         "'<formula' is not a form");
  is_int(find("<p>no forms here, not even &lt;form&gt;</p>", "pw", &f), -1,
         "escaped '&lt;form&gt;' is text -> -1");
}

static void test_names(void) {
  static html_form f;
  static const char page[] =
      "<form>"
      "<input type=hidden value=\"no name\">"
      "<input name=\"\" value=\"empty name\">"
      "<input data-x=\"name=evil\" name=\"real\" value=\"r\">"
      "<input username=\"evil2\" name=\"real2\">"
      "<input placeholder=\"user name=evil3\" name=\"real3\">"
      "<input aria-label='your name = evil4' value=\"type=evil\" "
      "name=real4 type=hidden>"
      "<input value=\"name=evil5\">"
      "<input data-value=\"dv\" name=\"real6\" value=\"v6\">"
      "</form>";

  is_int(find(page, NULL, &f), 0, "names: form found");
  is_int(f.n, 5, "inputs without a (non-empty) name are skipped");
  if (f.n == 5) {
    is_str(f.inputs[0].name, "real", "name=... inside data-x's value ignored");
    is_str(f.inputs[0].value, "r", "its value");
    is_str(f.inputs[1].name, "real2", "username=... is not name=...");
    is_str(f.inputs[2].name, "real3",
           "' name=' after a blank inside a value ignored");
    is_str(f.inputs[3].name, "real4", "'name = ' inside a value ignored");
    is_str(f.inputs[3].type, "hidden", "'type=' inside a value ignored");
    is_str(f.inputs[3].value, "type=evil", "value taken from value=");
    is_str(f.inputs[4].name, "real6",
           "an input with name only in a value "
           "is skipped");
    is_str(f.inputs[4].value, "v6", "data-value is not value");
  }
  ok(form_input_get(&f, "evil") == NULL, "no input named evil");
  ok(form_input_get(&f, "evil5") == NULL, "no input named evil5");

  /* The same trap in the form tag. */
  is_int(find("<form data-x=\"x action=/evil method=put\" action=/ok>"
              "</form>",
              NULL, &f),
         0, "form attributes: found");
  is_str(f.action, "/ok", "action=... inside another value ignored");
  is_str(f.method, "get", "method=... inside another value ignored");
}

/* Appends c n times. */
static void add_run(sw_buf *b, char c, size_t n) {
  for (size_t i = 0; i < n; i++)
    sw_buf_add(b, &c, 1);
}

static void test_long_values(void) {
  static html_form f;
  enum { LONG = 5000 };
  sw_buf b;
  sw_buf_init(&b, LONG * 4 + 256);
  sw_buf_puts(&b, "<form action=\"");
  add_run(&b, 'A', LONG);
  sw_buf_puts(&b, "\" method=\"postpostpostpostpost\">"
                  "<input type=\"passwordpasswordpasswordpassword!\" "
                  "name=\"");
  add_run(&b, 'N', LONG);
  sw_buf_puts(&b, "\" value=\"");
  /* 2000 entities: more than the buffer holds once decoded. */
  for (int i = 0; i < LONG * 2 / 5; i++)
    sw_buf_puts(&b, "&amp;");
  sw_buf_puts(&b, "\"></form>");
  if (!ok(!b.nomem && !b.cut, "long values: page built"))
    return;
  const char *page = sw_buf_str(&b);
  size_t used = b.len;

  is_int(form_find(page, used, NULL, &f), 0, "long values: form found");
  is_int(strlen(f.action), sizeof f.action - 1, "action truncated to buffer");
  ok(strspn(f.action, "A") == sizeof f.action - 1, "action: only 'A's");
  is_int(strlen(f.method), sizeof f.method - 1, "method truncated to buffer");
  is_int(f.n, 1, "long values: the input is kept");
  if (f.n == 1) {
    const form_input *in = &f.inputs[0];
    is_int(strlen(in->name), sizeof in->name - 1, "name truncated to buffer");
    is_int(strlen(in->value), sizeof in->value - 1,
           "value truncated to buffer");
    ok(strspn(in->value, "&") == sizeof in->value - 1,
       "value: decoded '&'s only");
    is_int(strlen(in->type), sizeof in->type - 1, "type truncated to buffer");
    is_str(in->type, "passwordpasswordpasswordpasswor",
           "type: truncated, lowercased");
    ok(in->cut, "a cut name or value is flagged, so it is never posted");
  }
  ok(f.action_cut, "a cut action is flagged");
  sw_buf_free(&b);

  /* exactly what fits is not cut; one byte more is */
  html_form g;
  char fit[1200], over[1200];
  snprintf(fit, sizeof fit,
           "<form><input type=hidden name=v value=\"%.*s\"></form>",
           (int)sizeof g.inputs[0].value - 1,
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  is_int(form_find(fit, strlen(fit), NULL, &g), 0, "a value that just fits");
  ok(g.n == 1 && !g.inputs[0].cut &&
         strlen(g.inputs[0].value) == sizeof g.inputs[0].value - 1,
     "a value of exactly the buffer's size is kept whole, not flagged");
  snprintf(over, sizeof over,
           "<form><input type=hidden name=v value=\"%sy\"></form>",
           g.inputs[0].value);
  is_int(form_find(over, strlen(over), NULL, &g), 0, "a value one too long");
  ok(g.n == 1 && g.inputs[0].cut, "a value one byte too long is flagged");
}

static void test_many_inputs(void) {
  static html_form f;
  enum { MANY = 200 };
  sw_buf b;
  sw_buf_init(&b, MANY * 40 + 128);
  sw_buf_puts(&b, "<form>");
  for (int i = 0; i < MANY; i++)
    sw_buf_addf(&b, "<input name=\"f%d\" value=\"%d\">", i, i);
  sw_buf_puts(&b, "<input name=pw type=password></form>");
  if (!ok(!b.nomem && !b.cut, "many inputs: page built"))
    return;
  const char *page = sw_buf_str(&b);
  size_t used = b.len;

  is_int(form_find(page, used, NULL, &f), 0, "many inputs: form found");
  is_int(f.n, FORM_MAX_INPUTS, "stops at FORM_MAX_INPUTS");
  is_str(f.inputs[0].name, "f0", "first input kept");
  is_str(f.inputs[FORM_MAX_INPUTS - 1].name, "f63", "64th input kept");
  is_str(f.inputs[FORM_MAX_INPUTS - 1].value, "63", "64th input's value");
  ok(form_input_get(&f, "f64") == NULL, "65th input dropped");
  ok(f.too_many, "more inputs than kept: flagged, so the form is not posted");
  ok(form_input_get(&f, "pw") == NULL, "field past the limit not seen");

  /* The field past the limit: the form is still the first one. */
  is_int(form_find(page, used, "pw", &f), 0,
         "many inputs, field past limit: a form");
  is_int(f.n, FORM_MAX_INPUTS, "many inputs, field past limit: 64 inputs");
  sw_buf_free(&b);

  /* exactly as many as kept: nothing left out, not flagged */
  sw_buf_init(&b, FORM_MAX_INPUTS * 40 + 64);
  sw_buf_puts(&b, "<form>");
  for (int i = 0; i < FORM_MAX_INPUTS; i++)
    sw_buf_addf(&b, "<input name=\"f%d\">", i);
  sw_buf_puts(&b, "<input type=submit></form>");
  is_int(form_find(sw_buf_str(&b), b.len, NULL, &f), 0, "64 inputs: found");
  ok(f.n == FORM_MAX_INPUTS && !f.too_many,
     "64 named inputs (and one without a name): all kept, not flagged");
  sw_buf_free(&b);
}

static void test_unterminated(void) {
  static html_form f;

  is_int(find("<form action=\"/x\" method=post><input name=a value=1>"
              "<input name=pw type=password",
              "pw", &f),
         0, "unterminated form and tag: found");
  is_str(f.action, "/x", "unterminated: action");
  is_int(f.n, 2, "unterminated: both inputs");
  input_is(&f, "pw", "password", "", "unterminated last tag");

  is_int(find("<form action=\"/unclosed", NULL, &f), 0,
         "unterminated quoted action: found");
  is_str(f.action, "/unclosed", "unterminated quoted action: to the end");
  is_int(f.n, 0, "unterminated form tag: no inputs");

  is_int(find("<form><input name=\"pw", "pw", &f), 0,
         "unterminated quoted name: form found");
  input_is(&f, "pw", "text", "", "unterminated quoted name: to the end");

  is_int(find("<form><input name=a value='x", NULL, &f), 0,
         "unterminated quoted value: found");
  input_is(&f, "a", "text", "x", "unterminated quoted value: to the end");

  is_int(find("<form><input name=a value=&am", NULL, &f), 0,
         "entity cut by the end: found");
  input_is(&f, "a", "text", "&am", "entity cut by the end kept as written");

  is_int(find("<form><input name=", NULL, &f), 0, "'name=' at end: found");
  is_int(f.n, 0, "'name=' at end: empty name, skipped");

  is_int(find("<form", NULL, &f), 0, "'<form' at the very end");
  is_str(f.method, "get", "'<form' at the end: defaults");
  is_int(find("<for", NULL, &f), -1, "'<for' at the end: no form");
  is_int(find("<form><inpu", NULL, &f), 0, "'<inpu' at the end: form");
  is_int(f.n, 0, "'<inpu' at the end: no input");
}

/* The page is given by length: bytes past len are not part of it. The copy
 * is sized exactly so that ASan/valgrind catch any read beyond len. */
static void test_not_terminated(void) {
  static html_form f;
  static const char text[] =
      "<form action=\"/cut\"><input name=user value=\"abc\">"
      "<input name=pw type=password></form>";
  const char *cut = strstr(text, "<input name=pw");
  size_t len = (size_t)(cut - text), n = strlen(text);
  char *page = malloc(n); /* no NUL */
  if (!ok(page != NULL, "not terminated: malloc"))
    return;
  memcpy(page, text, n);

  is_int(form_find(page, len, "pw", &f), 0, "prefix: a form");
  is_int(f.n, 1, "prefix: only the input before len");
  ok(form_input_get(&f, "pw") == NULL, "prefix: the field after len unseen");
  input_is(&f, "user", "text", "abc", "prefix");

  is_int(form_find(page, n, "pw", &f), 0, "whole, no NUL: a form");
  is_int(f.n, 2, "whole, no NUL: both inputs");
  input_is(&f, "pw", "password", "", "whole, no NUL");

  /* Every prefix: nothing read past it (the tools watch), and the result
   * never holds more than the prefix shows. */
  int bad = 0;
  for (size_t l = 0; l <= n; l++) {
    char *p = malloc(l ? l : 1);
    if (!p) {
      bad++;
      break;
    }
    memcpy(p, text, l);
    int rc = form_find(p, l, "pw", &f);
    if (rc != (l >= 5 ? 0 : -1))
      bad++;
    if (rc == 0 && l < (size_t)(cut - text) + 14 && form_input_get(&f, "pw"))
      bad++;
    free(p);
  }
  is_int(bad, 0, "every prefix of the page: sane results");

  /* Cut inside an attribute value: it ends at len. */
  static const char v[] = "<form><input name=a value=\"secretXYZ\"></form>";
  const char *x = strstr(v, "XYZ");
  memcpy(page, v, sizeof v - 1);
  is_int(form_find(page, (size_t)(x - v), NULL, &f), 0,
         "cut inside a value: found");
  input_is(&f, "a", "text", "secret", "cut inside a value: ends at len");

  /* A NUL byte inside the page does not end it. */
  static const char z[] = "<form><input name=a>\0<input name=pw></form>";
  is_int(form_find(z, sizeof z - 1, "pw", &f), 0, "NUL inside: found");
  ok(form_input_get(&f, "pw") != NULL, "NUL inside: input after it seen");
  free(page);
}

int main(void) {
  test_simple();
  test_attribute_syntax();
  test_entities();
  test_defaults();
  test_nesting();
  test_choice();
  test_no_form();
  test_names();
  test_long_values();
  test_many_inputs();
  test_unterminated();
  test_not_terminated();
  return tap_done();
}
