/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/range.c: threshold range parsing and alerting. */
#include <stdio.h>
#include <string.h>

#include "streamwatch/range.h"
#include "tap.h"

/* Parses text (which must succeed) and checks sw_range_alerts for x. */
static void check_alert(const char *text, double x, int want) {
  sw_range r;
  sw_err err = {{0}};

  if (sw_range_parse(text, "-w", &r, &err) != 0) {
    ok(0, "'%s' parses (%s)", text, err.msg);
    return;
  }
  is_int(sw_range_alerts(&r, x), want, "'%s' with x=%g %s", text, x,
         want ? "alerts" : "does not alert");
}

/* Every row of the conventions.md table: just outside, on each boundary,
 * and just inside. */
static void test_table(void) {
  static const struct {
    const char *text;
    double x;
    int alert;
  } rows[] = {
      /* 10: alert when x < 0 or x > 10 */
      {"10", -0.001, 1},
      {"10", 0, 0},
      {"10", 0.001, 0},
      {"10", 5, 0},
      {"10", 9.999, 0},
      {"10", 10, 0},
      {"10", 10.001, 1},
      {"10", -1e300, 1},
      /* 10: -> alert when x < 10 */
      {"10:", 9.999, 1},
      {"10:", 10, 0},
      {"10:", 10.001, 0},
      {"10:", 1e300, 0},
      {"10:", -5, 1},
      /* ~:10 -> alert when x > 10 */
      {"~:10", 9.999, 0},
      {"~:10", 10, 0},
      {"~:10", 10.001, 1},
      {"~:10", -1e300, 0},
      {"~:10", 1e300, 1},
      /* 10:20 -> alert when x < 10 or x > 20 */
      {"10:20", 9.999, 1},
      {"10:20", 10, 0},
      {"10:20", 10.001, 0},
      {"10:20", 15, 0},
      {"10:20", 19.999, 0},
      {"10:20", 20, 0},
      {"10:20", 20.001, 1},
      /* @10:20 -> alert when 10 <= x <= 20 */
      {"@10:20", 9.999, 0},
      {"@10:20", 10, 1},
      {"@10:20", 10.001, 1},
      {"@10:20", 15, 1},
      {"@10:20", 19.999, 1},
      {"@10:20", 20, 1},
      {"@10:20", 20.001, 0},
      /* beyond the table: compat, negatives, fractions, '@' with ~ and N: */
      {":10", -0.001, 1},
      {":10", 0, 0},
      {":10", 10, 0},
      {":10", 10.001, 1},
      {"-5:5", -5.001, 1},
      {"-5:5", -5, 0},
      {"-5:5", 5, 0},
      {"-5:5", 5.001, 1},
      {"0.250", 0.25, 0},
      {"0.250", 0.2501, 1},
      {"0.250", 0.2499, 0},
      {"@~:10", 10, 1},
      {"@~:10", 10.001, 0},
      {"@~:10", -1e300, 1},
      {"@10:", 9.999, 0},
      {"@10:", 10, 1},
      {"@10:", 1e300, 1},
      {"5:5", 5, 0},
      {"5:5", 5.001, 1},
      {"5:5", 4.999, 1},
      {"~:-1", -1, 0},
      {"~:-1", -0.999, 1},
      {"+3", 3.001, 1}};

  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    check_alert(rows[i].text, rows[i].x, rows[i].alert);
}

/* The parsed fields, and that text is kept exactly as typed. */
static void test_fields(void) {
  sw_range r;
  sw_err err = {{0}};

  is_int(sw_range_parse("10", "-w", &r, &err), 0, "'10' parses");
  ok(r.set && !r.inside && !r.start_inf && !r.end_inf, "'10' flags");
  is_num(r.start, 0, "'10' start 0");
  is_num(r.end, 10, "'10' end 10");
  is_str(r.text, "10", "'10' text kept");

  is_int(sw_range_parse("10:", "-w", &r, &err), 0, "'10:' parses");
  ok(r.set && !r.inside && !r.start_inf && r.end_inf, "'10:' end is +inf");
  is_num(r.start, 10, "'10:' start 10");

  is_int(sw_range_parse("~:10", "-w", &r, &err), 0, "'~:10' parses");
  ok(r.start_inf && !r.end_inf, "'~:10' start is -inf");
  is_num(r.end, 10, "'~:10' end 10");

  is_int(sw_range_parse("@10:20", "-c", &r, &err), 0, "'@10:20' parses");
  ok(r.inside, "'@10:20' is inside");
  is_num(r.start, 10, "'@10:20' start 10");
  is_num(r.end, 20, "'@10:20' end 20");
  is_str(r.text, "@10:20", "'@10:20' text kept with '@'");

  is_int(sw_range_parse("0.250", "-w", &r, &err), 0, "'0.250' parses");
  is_str(r.text, "0.250", "'0.250' text kept, trailing zero included");
  is_num(r.end, 0.25, "'0.250' end 0.25");

  is_int(sw_range_parse(":10", "-w", &r, &err), 0, "':10' parses (compat)");
  ok(!r.start_inf, "':10' start is 0, not -inf");
  is_num(r.start, 0, "':10' start 0");

  char longest[64];
  memset(longest, '1', 63);
  longest[63] = '\0';
  longest[0] = '0';
  longest[1] = '.';
  is_int(sw_range_parse(longest, "-w", &r, &err), 0, "63-char range parses");
  is_str(r.text, longest, "63-char range text kept");
}

/* Malformed text: -1, r unset, message names the option and the text. */
static void check_bad(const char *text, const char *opt) {
  sw_range r;
  sw_err err = {{0}};
  char want[128];

  memset(&r, 0xA5, sizeof r);
  is_int(sw_range_parse(text, opt, &r, &err), -1, "'%s' refused", text);
  ok(!r.set, "'%s' leaves the range unset", text);
  ok(!sw_range_alerts(&r, 1e300) && !sw_range_alerts(&r, -1e300),
     "'%s' refused range never alerts", text);
  snprintf(want, sizeof want, "%s: invalid range '%s'", opt, text);
  for (char *q = want; *q; q++) /* the message shows control chars as '?' */
    if ((unsigned char)*q < 0x20)
      *q = '?';
  ok(strncmp(err.msg, want, strlen(want)) == 0, "message names %s and '%s': %s",
     opt, text, err.msg);
}

static void test_malformed(void) {
  static const char *const bad[] = {"10x",   "5:3",  ":",     "",      "@",
                                    "~",     "~:",   "@:",    "nan",   "NaN",
                                    "inf",   "-inf", "1:inf", "~:inf", "1::2",
                                    "1:2:3", "@@1",  "~10",   "10:~",  "1e3",
                                    "0x10",  "-5",   "10:5",  ".5",    "5.",
                                    "1,5",   "a:b",  "@~:",   "@~"};
  static const char *const blank[] = {" 10", "10 ", "1: 2", "1 :2", "\t10"};

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    check_bad(bad[i], i % 2 ? "-c" : "-w");
  for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
    check_bad(blank[i], "--cert-warning");
}

static void test_messages(void) {
  sw_range r;
  sw_err err = {{0}};
  char big[80];

  sw_range_parse("5:3", "-w", &r, &err);
  is_str(err.msg, "-w: invalid range '5:3' (start is greater than end)",
         "5:3 message");
  sw_range_parse("10x", "-w", &r, &err);
  is_str(err.msg, "-w: invalid range '10x'", "10x message");
  sw_range_parse("", "-c", &r, &err);
  is_str(err.msg, "-c: invalid range '' (empty)", "empty message");
  is_int(sw_range_parse(NULL, "-c", &r, &err), -1, "NULL refused");
  ok(!r.set, "NULL leaves the range unset");
  is_str(err.msg, "-c: missing range", "NULL message names the option");
  /* a newline typed into a command definition must not split the output */
  sw_range_parse("1\n2", "-w", &r, &err);
  is_str(err.msg, "-w: invalid range '1?2'", "newline in bad text sanitised");
  memset(big, '1', 64);
  big[64] = '\0';
  is_int(sw_range_parse(big, "-w", &r, &err), -1, "64-char range refused");
  ok(strstr(err.msg, "longer than 63 characters") != NULL,
     "64-char message says why: %s", err.msg);
  ok(strncmp(err.msg, "-w: invalid range '1111", 23) == 0,
     "64-char message names -w and the text");
  is_int(sw_range_parse("10x", "-w", &r, NULL), -1, "err may be NULL");
}

static void test_state(void) {
  sw_range w, c, unset;
  sw_err err = {{0}};

  memset(&unset, 0, sizeof unset);
  sw_range_parse("1", "-w", &w, &err);
  sw_range_parse("2", "-c", &c, &err);
  is_int(sw_range_state(&w, &c, 0.5), SW_OK, "0.5 under -w 1 -c 2: OK");
  is_int(sw_range_state(&w, &c, 1), SW_OK, "1 (on warn bound): OK");
  is_int(sw_range_state(&w, &c, 1.5), SW_WARNING, "1.5: WARNING");
  is_int(sw_range_state(&w, &c, 2), SW_WARNING, "2 (on crit bound): WARNING");
  is_int(sw_range_state(&w, &c, 2.5), SW_CRITICAL, "2.5: CRITICAL");
  is_int(sw_range_state(&w, &c, -1), SW_CRITICAL, "-1: CRITICAL (below 0)");
  is_int(sw_range_state(NULL, NULL, 1e300), SW_OK, "NULL ranges: OK");
  is_int(sw_range_state(&unset, &unset, 1e300), SW_OK, "unset ranges: OK");
  is_int(sw_range_state(NULL, &c, 1.5), SW_OK, "only -c, 1.5: OK");
  is_int(sw_range_state(NULL, &c, 3), SW_CRITICAL, "only -c, 3: CRITICAL");
  is_int(sw_range_state(&w, NULL, 3), SW_WARNING, "only -w, 3: WARNING");
  is_int(sw_range_state(&w, &unset, 3), SW_WARNING, "unset -c, 3: WARNING");
  ok(!sw_range_alerts(NULL, 1), "NULL range never alerts");
  ok(!sw_range_alerts(&w, NAN), "NaN never alerts (outside range)");
  sw_range_parse("@0:10", "-w", &w, &err);
  ok(!sw_range_alerts(&w, NAN), "NaN never alerts (inside range)");
}

/* Bounds at the edge of int64's span: accepted up to it, refused beyond
 * (never clamped), and huge values judged without overflow. */
static void test_edges(void) {
  static const char *const good[] = {
      "9223372036854774784", "-9223372036854775808:0", "0:9223372036854774784",
      "@-9223372036854775808:9223372036854774784", "~:9223372036854774784"};
  static const char *const beyond[] = {
      "9223372036854775808",
      "9223372036854775807",
      "-10000000000000000000:0",
      "0:18446744073709551616",
      "99999999999999999999999999999999999999:",
      "@1:99999999999999999999999999999999999999999999999999999999999"};
  sw_range r;
  sw_err err = {{0}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    is_int(sw_range_parse(good[i], "-c", &r, &err), 0, "'%s' accepted (%s)",
           good[i], err.msg);
  for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++) {
    check_bad(beyond[i], "-w");
    sw_range_parse(beyond[i], "-w", &r, &err);
    ok(strstr(err.msg, "beyond -9223372036854775808..9223372036854775807"),
       "'%s' says why: %s", beyond[i], err.msg);
  }
  check_alert("0:9223372036854774784", 1e300, 1);
  check_alert("0:9223372036854774784", -1e300, 1);
  check_alert("0:9223372036854774784", 9223372036854774784.0, 0);
  check_alert("-9223372036854775808:", -9223372036854775808.0, 0);
  check_alert("-9223372036854775808:", -1e19, 1);
}

/* The one wording of what a range alerts on. */
static void check_describe(const char *text, const char *unit,
                           const char *want) {
  sw_range r;
  sw_err err;
  char buf[80];
  if (sw_range_parse(text, "-w", &r, &err) != 0) {
    ok(0, "range %s parses: %s", text, err.msg);
    return;
  }
  size_t len = sw_range_describe(buf, sizeof buf, &r, unit);
  is_str(buf, want, "range %s reads \"%s\"", text, want);
  is_int((long long)len, (long long)strlen(want), "... its length returned");
}

static void test_describe(void) {
  check_describe("10", NULL, "outside 0..10");
  check_describe("0.95:", "x", "below 0.95x");
  check_describe("300:", "s", "below 300 s");
  check_describe("~:300", "s", "above 300 s");
  check_describe("10:20", "", "outside 10..20");
  check_describe("@10:20", "ms", "inside 10 ms..20 ms");
  check_describe("@5", NULL, "inside 0..5");
  check_describe("0", NULL, "other than 0");
  check_describe("@3:3", "s", "at 3 s");
  check_describe("@~:5", NULL, "at or below 5");
  check_describe("@5:", NULL, "at or above 5");
  char buf[16];
  is_int((long long)sw_range_describe(buf, sizeof buf, NULL, "s"), 5,
         "no range: \"never\"");
  is_str(buf, "never", "... never");
  sw_range r;
  sw_err err;
  sw_range_parse("123456:789012", "-w", &r, &err);
  sw_range_describe(buf, 12, &r, "s");
  ok(strlen(buf) < 12, "a small buffer is cut, never overrun: %s", buf);
}

/* A bare number is a floor (check_http -C's days); else a range. */
static void test_floor(void) {
  sw_range r;
  sw_err err;
  char buf[64];
  is_int(sw_range_parse_floor("14", "--cert-warning", "number of days", "14",
                              &r, &err),
         0, "14 parses");
  is_str(r.text, "14:", "a bare number is the floor 14:");
  ok(sw_range_alerts(&r, 13.9) && !sw_range_alerts(&r, 14),
     "... alerts below 14 only");
  sw_range_describe(buf, sizeof buf, &r, "days");
  is_str(buf, "below 14 days", "... described as a floor");
  is_int(sw_range_parse_floor("@0:60", "--ttl-warning", "number of seconds",
                              "300", &r, &err),
         0, "a range stays a range");
  ok(sw_range_alerts(&r, 30) && !sw_range_alerts(&r, 61), "... @0:60 as given");
  is_int(sw_range_parse_floor("-3", "--cert-warning", "number of days", "14",
                              &r, &err),
         -1, "a negative floor is refused");
  is_str(err.msg,
         "--cert-warning: invalid number of days '-3' (a floor such as 14, or "
         "a range such as 14:)",
         "... naming the option and the forms");
  is_int(sw_range_parse_floor("x", "--cert-warning", "number of days", "14", &r,
                              &err),
         -1, "not a number nor a range: refused as a range");
}

int main(void) {
  test_table();
  test_fields();
  test_malformed();
  test_messages();
  test_state();
  test_edges();
  test_describe();
  test_floor();
  return tap_done();
}
