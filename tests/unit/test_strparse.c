/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/strparse.c: strict number parsing. */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "streamwatch/strparse.h"
#include "tap.h"

/* Every form a plugin user might type that is not a plain decimal. */
static void test_double_refused(void) {
  static const char *const bad[] = {
      "",     " 1",   "1 ",  "\t1",      "1\n",   "+",       "-",   ".",
      ".5",   "5.",   "-.5", "+.5",      "1.2.3", "1..2",    "--1", "+-1",
      "0x10", "0X1A", "1e3", "1E3",      "1e-3",  "nan",     "NaN", "-nan",
      "inf",  "-inf", "INF", "infinity", "1,5",   "1_000",   "10x", "x10",
      "1:2",  "~",    "@1",  "1e",       "0b1",   "\xc2\xb9"};
  double v = 42;

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    is_int(sw_parse_double(bad[i], &v), -1, "double refuses '%s'", bad[i]);
  is_num(v, 42, "refused input leaves *out alone");
  is_int(sw_parse_double(NULL, &v), -1, "double refuses NULL");
}

static void test_double_accepted(void) {
  static const struct {
    const char *s;
    double want;
  } good[] = {{"0", 0},
              {"-0", 0},
              {"+0", 0},
              {"1", 1},
              {"10", 10},
              {"-1", -1},
              {"+7", 7},
              {"0.250", 0.25},
              {"-5.5", -5.5},
              {"007", 7},
              {"0.000812", 0.000812},
              {"123456789.5", 123456789.5},
              {"18446744073709551616", 18446744073709551616.0}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    double v = -12345;
    is_int(sw_parse_double(good[i].s, &v), 0, "double accepts '%s'", good[i].s);
    is_num(v, good[i].want, "'%s' is %g", good[i].s, good[i].want);
  }
}

/* Finite only: an overflowing literal is as useless as "inf". */
static void test_double_range(void) {
  char big[400];
  double v;

  memset(big, '9', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  is_int(sw_parse_double(big, &v), -1, "399 nines overflow: refused");
  /* a long but finite number goes through the heap copy */
  big[0] = '0';
  big[1] = '.';
  is_int(sw_parse_double(big, &v), 0, "0.999...9 (399 chars) accepted");
  is_num(v, 1.0, "0.999...9 is 1 as a double");
}

static void test_double_n(void) {
  double v = 0;

  is_int(sw_parse_double_n("12:34", 2, &v), 0, "first 2 bytes of '12:34'");
  is_num(v, 12, "... are 12");
  is_int(sw_parse_double_n("123", 2, &v), 0, "first 2 bytes of '123'");
  is_num(v, 12, "... are 12, not 123");
  is_int(sw_parse_double_n("0.250xyz", 5, &v), 0,
         "first 5 bytes of '0.250xyz'");
  is_num(v, 0.25, "... are 0.25");
  is_int(sw_parse_double_n("1.5", 2, &v), -1,
         "'1.' (cut before fraction) refused");
  is_int(sw_parse_double_n("12", 0, &v), -1, "zero length refused");
  is_int(sw_parse_double_n(NULL, 3, &v), -1, "NULL refused");
  is_int(sw_parse_double_n("1\0"
                           "2",
                           3, &v),
         -1, "embedded NUL refused");
}

/* The plugins never call setlocale, but the library must not care. */
static void test_double_locale(void) {
  double v = 0;
  const char *loc = setlocale(LC_ALL, "de_DE.UTF-8");

  if (!loc)
    loc = setlocale(LC_ALL, "C.UTF-8");
  is_int(sw_parse_double("0.250", &v), 0, "'0.250' accepted under %s",
         loc ? loc : "C");
  is_num(v, 0.25, "'0.250' is 0.25 under %s", loc ? loc : "C");
  is_int(sw_parse_double("0,250", &v), -1, "'0,250' refused under %s",
         loc ? loc : "C");
  setlocale(LC_ALL, "C");
}

static void test_ulong(void) {
  unsigned long v = 99;
  char buf[64];

  is_int(sw_parse_ulong("0", 0, 10, &v), 0, "ulong '0'");
  is_int(v, 0, "... is 0");
  is_int(sw_parse_ulong("53", 1, 65535, &v), 0, "ulong '53' in 1..65535");
  is_int(v, 53, "... is 53");
  is_int(sw_parse_ulong("65535", 1, 65535, &v), 0, "max itself accepted");
  is_int(sw_parse_ulong("1", 1, 65535, &v), 0, "min itself accepted");
  v = 7;
  is_int(sw_parse_ulong("65536", 1, 65535, &v), -1, "max+1 refused");
  is_int(sw_parse_ulong("0", 1, 65535, &v), -1, "min-1 refused");
  is_int(v, 7, "refused input leaves *out alone");
  snprintf(buf, sizeof buf, "%lu", ULONG_MAX);
  is_int(sw_parse_ulong(buf, 0, ULONG_MAX, &v), 0, "ULONG_MAX accepted");
  ok(v == ULONG_MAX, "... is ULONG_MAX");
  is_int(sw_parse_ulong("18446744073709551616", 0, ULONG_MAX, &v), -1,
         "ULONG_MAX+1 (2^64) refused, no wrap-around");
  is_int(sw_parse_ulong("99999999999999999999999", 0, ULONG_MAX, &v), -1,
         "far overflow refused");
  static const char *const bad[] = {"",    "-1",   "+1",  " 1",  "1 ",
                                    "1.0", "0x10", "1e3", "abc", "12a"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    is_int(sw_parse_ulong(bad[i], 0, ULONG_MAX, &v), -1, "ulong refuses '%s'",
           bad[i]);
  is_int(sw_parse_ulong(NULL, 0, 10, &v), -1, "ulong refuses NULL");
  is_int(sw_parse_ulong("5", 10, 1, &v), -1, "empty interval (min > max)");
}

static void test_int64(void) {
  int64_t v = 99;
  static const struct {
    const char *s;
    int64_t want;
  } good[] = {{"0", 0},
              {"-0", 0},
              {"+7", 7},
              {"-1", -1},
              {"9223372036854775807", INT64_MAX},
              {"-9223372036854775808", INT64_MIN},
              {"-9223372036854775807", INT64_MIN + 1},
              {"0009223372036854775807", INT64_MAX}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    v = 99;
    is_int(sw_parse_int64(good[i].s, INT64_MIN, INT64_MAX, &v), 0,
           "int64 accepts '%s'", good[i].s);
    ok(v == good[i].want, "'%s' is exact", good[i].s);
  }
  static const char *const bad[] = {"9223372036854775808",
                                    "-9223372036854775809",
                                    "18446744073709551615",
                                    "18446744073709551616",
                                    "99999999999999999999999999999999",
                                    "-99999999999999999999999999999999",
                                    "",
                                    "-",
                                    "+",
                                    "1.0",
                                    "1e3",
                                    " 1",
                                    "1 ",
                                    "--1",
                                    "0x10",
                                    "nan"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    v = 99;
    is_int(sw_parse_int64(bad[i], INT64_MIN, INT64_MAX, &v), -1,
           "int64 refuses '%s' (not clamped)", bad[i]);
    ok(v == 99, "'%s' leaves *out alone", bad[i]);
  }
  is_int(sw_parse_int64("5", 6, 10, &v), -1, "below min refused");
  is_int(sw_parse_int64("11", 6, 10, &v), -1, "above max refused");
  is_int(sw_parse_int64(NULL, 0, 1, &v), -1, "NULL refused");
  is_int(sw_parse_int64_n("123:4", 3, 0, 1000, &v), 0, "first 3 bytes");
  ok(v == 123, "... are 123");
}

static void test_int64_from_double(void) {
  int64_t v = 99;
  is_int(sw_int64_from_double(3600, &v), 0, "3600.0 converts");
  ok(v == 3600, "... exactly");
  is_int(sw_int64_from_double(-9223372036854775808.0, &v), 0, "-2^63 converts");
  ok(v == INT64_MIN, "... to INT64_MIN");
  is_int(sw_int64_from_double(9223372036854774784.0, &v), 0,
         "the largest double below 2^63 converts");
  static const double bad[] = {9223372036854775808.0, /* 2^63 */
                               (double)INT64_MAX,     /* rounds to 2^63 */
                               1e300,
                               -1e300,
                               -9223372036854777856.0, /* below -2^63 */
                               0.5,
                               -1.25};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    v = 99;
    is_int(sw_int64_from_double(bad[i], &v), -1, "%g refused", bad[i]);
    ok(v == 99, "%g leaves *out alone", bad[i]);
  }
  is_int(sw_int64_from_double(NAN, &v), -1, "NaN refused");
  is_int(sw_int64_from_double(INFINITY, &v), -1, "inf refused");
  is_int(sw_int64_from_double(-INFINITY, &v), -1, "-inf refused");
}

int main(void) {
  test_double_refused();
  test_double_accepted();
  test_double_range();
  test_double_n();
  test_double_locale();
  test_ulong();
  test_int64();
  test_int64_from_double();
  return tap_done();
}
