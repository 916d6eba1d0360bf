/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/state.c: state names, worst-of order, parsing and
 * sw_fail. */
#include <stdio.h>
#include <string.h>

#include "streamwatch/state.h"
#include "tap.h"

static void test_names(void) {
  is_str(sw_state_name(SW_OK), "OK", "name of OK");
  is_str(sw_state_name(SW_WARNING), "WARNING", "name of WARNING");
  is_str(sw_state_name(SW_CRITICAL), "CRITICAL", "name of CRITICAL");
  is_str(sw_state_name(SW_UNKNOWN), "UNKNOWN", "name of UNKNOWN");
  /* The value is the exit code: the guidelines fix these numbers. */
  is_int(SW_OK, 0, "OK is exit code 0");
  is_int(SW_WARNING, 1, "WARNING is exit code 1");
  is_int(SW_CRITICAL, 2, "CRITICAL is exit code 2");
  is_int(SW_UNKNOWN, 3, "UNKNOWN is exit code 3");
  /* "Never NULL", even for a value outside the enum. */
  ok(sw_state_name((sw_state)42) != NULL, "name of a bad value is not NULL");
}

/* Position in CRITICAL > WARNING > UNKNOWN > OK (higher is worse). */
static int order(sw_state s) {
  switch (s) {
  case SW_OK: return 0;
  case SW_UNKNOWN: return 1;
  case SW_WARNING: return 2;
  default: return 3;
  }
}

/* Every ordered pair, both argument orders, against the table above. */
static void test_worst(void) {
  static const sw_state all[] = {SW_OK, SW_WARNING, SW_CRITICAL, SW_UNKNOWN};
  for (size_t i = 0; i < 4; i++) {
    for (size_t j = 0; j < 4; j++) {
      sw_state a = all[i], b = all[j];
      sw_state want = order(a) >= order(b) ? a : b;
      is_str(sw_state_name(sw_state_worst(a, b)), sw_state_name(want),
             "worst(%s, %s)", sw_state_name(a), sw_state_name(b));
    }
  }
  /* The two cases the conventions spell out. */
  is_int(sw_state_worst(SW_UNKNOWN, SW_CRITICAL), SW_CRITICAL,
         "UNKNOWN beside CRITICAL gives CRITICAL");
  is_int(sw_state_worst(SW_WARNING, SW_UNKNOWN), SW_WARNING,
         "UNKNOWN beside WARNING gives WARNING");
  is_int(sw_state_worst(SW_OK, SW_UNKNOWN), SW_UNKNOWN,
         "UNKNOWN beside OK gives UNKNOWN");
  ok(sw_state_rank(SW_CRITICAL) > sw_state_rank(SW_WARNING) &&
         sw_state_rank(SW_WARNING) > sw_state_rank(SW_UNKNOWN) &&
         sw_state_rank(SW_UNKNOWN) > sw_state_rank(SW_OK),
     "rank orders CRITICAL > WARNING > UNKNOWN > OK");
}

static void test_parse(void) {
  static const struct { const char *text; sw_state want; } good[] = {
      {"ok", SW_OK},           {"OK", SW_OK},
      {"Ok", SW_OK},           {"warning", SW_WARNING},
      {"WARNING", SW_WARNING}, {"WaRnInG", SW_WARNING},
      {"critical", SW_CRITICAL}, {"CRITICAL", SW_CRITICAL},
      {"unknown", SW_UNKNOWN}, {"Unknown", SW_UNKNOWN},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    sw_state s = (sw_state)99;
    is_int(sw_state_parse(good[i].text, &s), 0, "'%s' parses", good[i].text);
    is_int(s, good[i].want, "'%s' is %s", good[i].text,
           sw_state_name(good[i].want));
  }
  /* Abbreviations, blanks, numbers and near misses are all refused, and
   * the output is left alone. */
  static const char *const bad[] = {"",      "o",        "okay",
                                    " ok",   "ok ",      "warn",
                                    "crit",  "2",        "critical\t",
                                    "unknow", "unknownx", "OK:"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sw_state s = SW_WARNING;
    is_int(sw_state_parse(bad[i], &s), -1, "'%s' is refused", bad[i]);
    is_int(s, SW_WARNING, "'%s' leaves the output alone", bad[i]);
  }
  sw_state s = SW_OK;
  /* Apart: a newline in a TAP description would end the line. */
  is_int(sw_state_parse("critical\n", &s), -1, "'critical<newline>' is refused");
  is_int(sw_state_parse(NULL, &s), -1, "NULL is refused");
}

static void test_fail(void) {
  sw_err err = {{0}};
  is_int(sw_fail(&err, "-%c: bad '%s' (%d)", 't', "x", 7), -1,
         "sw_fail returns -1");
  is_str(err.msg, "-t: bad 'x' (7)", "sw_fail formats the message");
  is_int(sw_fail(NULL, "ignored %s", "text"), -1,
         "sw_fail with NULL err returns -1 and does not crash");

  /* A message longer than the buffer is cut, still terminated. */
  char longtext[1000];
  memset(longtext, 'a', sizeof longtext - 1);
  longtext[sizeof longtext - 1] = '\0';
  is_int(sw_fail(&err, "%s", longtext), -1, "long message returns -1");
  is_int(strlen(err.msg), sizeof err.msg - 1,
         "long message is cut to the buffer and terminated");
}

int main(void) {
  test_names();
  test_worst();
  test_parse();
  test_fail();
  return tap_done();
}
