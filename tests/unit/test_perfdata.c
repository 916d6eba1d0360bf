/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/perfdata.c: labels, numbers and whole perfdata items. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/perfdata.h"
#include "tap.h"

static void check_label(const char *label, const char *want, const char *name) {
  char buf[400];

  is_int(sw_perf_label(buf, sizeof buf, label), 0, "label %s: fits", name);
  is_str(buf, want, "label %s", name);
}

static void test_label(void) {
  char buf[8];

  check_label("time", "time", "plain");
  check_label("a-b_E9", "a-b_E9", "all kept characters");
  /* what Graphite would split (.), and what other backends refuse */
  check_label("time_api.stream.test@ns1", "time_api_stream_test_ns1",
              "'.' and '@' become '_': one flat metric name");
  check_label("a:b c'd", "a_b_c_d", "':', space and quote become '_'");
  check_label("a=b|c\nd", "a_b_c_d", "'=', '|' and a newline become '_'");
  check_label("a\rb\tc\x1b[0m\x7f", "a_b_c__0m_", "CR, tab, ESC, DEL");
  check_label("caf\xc3\xa9", "caf__", "each byte of UTF-8 becomes '_'");
  check_label("", "_", "empty becomes _");
  check_label(NULL, "_", "NULL becomes _");

  is_int(sw_perf_label(buf, 5, "abcd"), 0, "label exactly filling buf");
  is_str(buf, "abcd", "... is complete");
  memcpy(buf, "keep", 5);
  is_int(sw_perf_label(buf, 4, "abcd"), -1, "label one byte too long: -1");
  is_str(buf, "keep", "... buf untouched");
  is_int(sw_perf_label(buf, 4, "a b"), 0, "'a b' fits in 4: no quotes");
  is_str(buf, "a_b", "... as a_b");
  is_int(sw_perf_label(buf, 0, "a"), -1, "n == 0: -1");
}

static void check_number(double v, int decimals, const char *want) {
  char buf[400];

  sw_perf_number(buf, sizeof buf, v, decimals);
  is_str(buf, want, "number %.17g with %d decimals", v, decimals);
}

static void test_number(void) {
  char buf[8];

  check_number(0, 6, "0");
  check_number(-0.0, 6, "0");
  check_number(0.000812, 6, "0.000812");
  check_number(1e-7, 6, "0");
  check_number(-1e-7, 6, "0");
  check_number(1e-300, 6, "0");
  check_number(123456789.5, 6, "123456789.5");
  check_number(-2.5, 6, "-2.5");
  check_number(-0.25, 6, "-0.25");
  check_number(0.9999995, 6, "1");
  check_number(-0.9999995, 6, "-1");
  check_number(1.0000005, 6, "1.000001");
  check_number(100, 6, "100");
  check_number(10, 0, "10");
  check_number(2.5, 0, "3");
  check_number(-2.5, 0, "-3");
  check_number(3.14159, 3, "3.142");
  check_number(0.1, 99, "0.1");
  check_number(7.6, -1, "8");
  check_number(12345678901.25, 6, "12345678901.25");
  check_number(9007199254740993.0, 6, "9007199254740992");
  check_number(1e20, 6, "100000000000000000000");
  check_number(-1e20, 6, "-100000000000000000000");
  check_number(NAN, 6, "U");
  check_number(INFINITY, 6, "U");
  check_number(-INFINITY, 6, "U");

  sw_perf_number(buf, 4, 123456, 6);
  is_str(buf, "123", "number cut to the buffer, NUL-terminated");
  sw_perf_number(buf, 1, 5, 6);
  is_str(buf, "", "n == 1 gives an empty string");
  buf[0] = 'x';
  sw_perf_number(buf, 0, 5, 6);
  ok(buf[0] == 'x', "n == 0 writes nothing");

  /* no exponent notation, whatever the magnitude */
  static const double mags[] = {1e-20, 1e-6, 1e15, 1e16, 1e100, 1.7e308};
  for (size_t i = 0; i < sizeof mags / sizeof mags[0]; i++) {
    char big[400];
    sw_perf_number(big, sizeof big, mags[i], 6);
    ok(strpbrk(big, "eE") == NULL && strspn(big, "0123456789.-") == strlen(big),
       "%g printed as digits only", mags[i]);
  }
}

/* Formats one item into a fresh buffer. */
static const char *item(char *buf, size_t n, const sw_perf *p) {
  size_t len = 0;

  buf[0] = '\0';
  if (sw_perf_format(buf, n, &len, p) != 0)
    return "(failed)";
  if (len != strlen(buf))
    return "(bad len)";
  return buf;
}

static sw_range range(const char *text) {
  sw_range r;
  sw_err err;

  if (sw_range_parse(text, "-w", &r, &err) != 0)
    printf("# range '%s': %s\n", text, err.msg);
  return r;
}

static void test_format(void) {
  char buf[512];
  sw_range zero = range("0"), w = range("0.5"), c = range("1");
  sw_range tw = range("~:10"), tc = range("@10:20"), unset;
  sw_perf p;

  memset(&unset, 0, sizeof unset);
  p = (sw_perf){.label = "failed",
                .measured = true,
                .value = 0,
                .uom = "",
                .crit = &zero,
                .has_min = true,
                .min = 0,
                .has_max = true,
                .max = 6};
  is_str(item(buf, sizeof buf, &p), "failed=0;;0;0;6", "count, crit, min, max");
  p = (sw_perf){.label = "answers", .measured = true, .value = 12, .uom = ""};
  is_str(item(buf, sizeof buf, &p), "answers=12", "bare value, fields trimmed");
  p = (sw_perf){.label = "answers", .measured = true, .value = 12};
  is_str(item(buf, sizeof buf, &p), "answers=12", "NULL uom is none");
  p = (sw_perf){.label = "t@x",
                .measured = true,
                .value = 0.000812,
                .uom = "s",
                .warn = &w,
                .crit = &c,
                .has_min = true};
  is_str(item(buf, sizeof buf, &p), "t_x=0.000812s;0.5;1;0",
         "label made flat, seconds, warn, crit, min");
  p = (sw_perf){.label = "time",
                .measured = false,
                .value = 99,
                .uom = "s",
                .warn = &w,
                .crit = &c,
                .has_min = true};
  is_str(item(buf, sizeof buf, &p), "time=U;0.5;1;0",
         "unmeasured is U, no UOM");
  p = (sw_perf){.label = "x", .measured = true, .value = 1, .warn = &w};
  is_str(item(buf, sizeof buf, &p), "x=1;0.5", "warn only");
  p = (sw_perf){
      .label = "x", .measured = true, .value = 1, .warn = &unset, .crit = &c};
  is_str(item(buf, sizeof buf, &p), "x=1;;1", "unset warn is empty");
  p = (sw_perf){.label = "x",
                .measured = true,
                .value = 1,
                .has_max = true,
                .max = 100,
                .uom = "%"};
  is_str(item(buf, sizeof buf, &p), "x=1%;;;;100", "max only");
  p = (sw_perf){.label = "temp",
                .measured = true,
                .value = -3.5,
                .has_min = true,
                .min = -40,
                .has_max = true,
                .max = 85.25};
  is_str(item(buf, sizeof buf, &p), "temp=-3.5;;;-40;85.25", "negatives");
  p = (sw_perf){.label = "t",
                .measured = true,
                .value = 15,
                .warn = &tw,
                .crit = &tc,
                .uom = "s"};
  is_str(item(buf, sizeof buf, &p), "t=15s;~:10;@10:20",
         "ranges printed exactly as given");
  p = (sw_perf){.label = "bytes", .measured = true, .value = 1e20, .uom = "B"};
  is_str(item(buf, sizeof buf, &p), "bytes=100000000000000000000B",
         "big value, no exponent");
  p = (sw_perf){.label = "a b=c|d\n", .measured = true, .value = 0.0000004};
  is_str(item(buf, sizeof buf, &p), "a_b_c_d_=0", "hostile label");

  /* a label filling its whole array, without a NUL */
  p = (sw_perf){.measured = true, .value = 1};
  memset(p.label, 'a', sizeof p.label);
  char want[sizeof p.label + 3];
  memset(want, 'a', sizeof p.label);
  memcpy(want + sizeof p.label, "=1", 3);
  is_str(item(buf, sizeof buf, &p), want, "160-byte label without NUL");
}

static void test_append(void) {
  char buf[32];
  size_t len = 0;
  sw_perf a = {.label = "a", .measured = true, .value = 1};
  sw_perf b = {.label = "bb", .measured = true, .value = 2.5, .uom = "s"};

  buf[0] = '\0';
  is_int(sw_perf_format(buf, sizeof buf, &len, &a), 0, "first item appended");
  is_int(len, 3, "len is 3");
  buf[len++] = ' ';
  buf[len] = '\0';
  is_int(sw_perf_format(buf, sizeof buf, &len, &b), 0, "second item appended");
  is_str(buf, "a=1 bb=2.5s", "two items");
  is_int(len, 11, "len is 11");

  char small[12];
  memcpy(small, "a=1 ", 5);
  len = 4;
  /* "bb=2.5s" is 7 bytes: 4 + 7 + NUL = 12 fits exactly */
  is_int(sw_perf_format(small, sizeof small, &len, &b), 0, "exact fit");
  is_str(small, "a=1 bb=2.5s", "exact fit content");
  memcpy(small, "a=1 x", 6);
  len = 5;
  is_int(sw_perf_format(small, sizeof small, &len, &b), -1, "one byte short");
  is_str(small, "a=1 x", "buf left as it was");
  is_int(len, 5, "len left as it was");
  len = sizeof small;
  is_int(sw_perf_format(small, sizeof small, &len, &b), -1, "len == n: -1");
  len = 0;
  is_int(sw_perf_format(small, sizeof small, &len, NULL), -1, "NULL item: -1");
  is_int(sw_perf_format(small, sizeof small, NULL, &b), -1, "NULL len: -1");
}

/* "Numbers: C locale whatever LC_ALL says." A comma locale is used when
 * the system has one; otherwise C.UTF-8 still exercises setlocale. */
static void test_locale(void) {
  static const double vals[] = {0.000812, -2.5, 123456789.5, 0.9999995, 1e20};
  char before[5][400], after[400], buf[128];
  const char *loc;
  sw_range w = range("0.250");
  sw_perf p = {.label = "t",
               .measured = true,
               .value = 1.25,
               .uom = "s",
               .warn = &w,
               .has_min = true,
               .min = 0.5};

  for (size_t i = 0; i < 5; i++)
    sw_perf_number(before[i], sizeof before[i], vals[i], 6);
  loc = setlocale(LC_ALL, "de_DE.UTF-8");
  if (!loc)
    loc = setlocale(LC_ALL, "C.UTF-8");
  printf("# locale under test: %s (decimal point '%s')\n", loc ? loc : "C",
         localeconv()->decimal_point);
  for (size_t i = 0; i < 5; i++) {
    sw_perf_number(after, sizeof after, vals[i], 6);
    is_str(after, before[i], "%s: same output for %s", loc ? loc : "C",
           before[i]);
    ok(strchr(after, ',') == NULL, "%s: no ',' in %s", loc ? loc : "C", after);
  }
  is_str(item(buf, sizeof buf, &p), "t=1.25s;0.250;;0.5", "item under %s",
         loc ? loc : "C");
  setlocale(LC_ALL, "C");
}

int main(void) {
  test_label();
  test_number();
  test_format();
  test_append();
  test_locale();
  return tap_done();
}
