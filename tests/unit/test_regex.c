/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/regex.c: the compile-time cost bound, and the search
 * whose cost is bounded by the clock: a pattern that is quadratic on a
 * large subject stops with an error naming the option and the subject's
 * size well within the budget, ordinary patterns on large subjects still
 * match, and every answer is the one regexec gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/regex.h"
#include "tap.h"

static void test_cost(void) {
  ok(sw_regex_cost("a{1,4000}") <= SW_REGEX_MAX_COST, "a{1,4000} fits");
  ok(sw_regex_cost("Q:++++++++++++++++++++") > SW_REGEX_MAX_COST,
     "stacked '+' are over the bound");
  regex_t re;
  bool has = false;
  sw_err err = {""};
  is_int(sw_regex_compile(&re, &has, "a(b", "-r", 0, &err), -1,
         "an invalid regex is refused");
  ok(strncmp(err.msg, "-r: ", 4) == 0, "naming the option (%s)", err.msg);
  is_int(sw_regex_compile(&re, &has, "(a{1,100}){1,100}", "-r", 0, &err), -1,
         "a nested repetition is refused");
  is_int(sw_regex_compile(&re, &has, "v=\"([^\"]*)\"", "-r", 0, &err), 0,
         "an ordinary regex compiles");
  if (has)
    regfree(&re);
}

/* sw_regex_search and regexec agree on pattern over subject. */
static void agree(const char *pattern, int flags, const char *subject) {
  regex_t re;
  regmatch_t a[3], b[3];
  sw_err err = {""};
  if (regcomp(&re, pattern, REG_EXTENDED | flags) != 0) {
    ok(0, "regcomp '%s'", pattern);
    return;
  }
  memset(a, 0xff, sizeof a);
  memset(b, 0xff, sizeof b);
  int want = regexec(&re, subject, 3, a, 0) == 0;
  int got =
      sw_regex_search(&re, subject, strlen(subject), 3, b, NULL, "-r", &err);
  is_int(got, want, "'%s' on '%.*s': %s as regexec says", pattern,
         (int)strcspn(subject, "\n"), subject, want ? "match" : "no match");
  if (want && got == 1 && !(flags & REG_NOSUB))
    ok(memcmp(a, b, sizeof a) == 0,
       "'%s' on '%.*s': the same match and groups (%d-%d, %d-%d)", pattern,
       (int)strcspn(subject, "\n"), subject, (int)b[0].rm_so, (int)b[0].rm_eo,
       (int)b[1].rm_so, (int)b[1].rm_eo);
  regfree(&re);
}

static void test_same_answers(void) {
  agree("b+", 0, "aaabbbccc");
  agree("^a", 0, "ba");
  agree("^b", 0, "ba");
  agree("a$", 0, "ab");
  agree("b$", 0, "ab");
  agree("(a|ab)(c|bcd)", 0, "xxabcd");
  agree("v=\"([^\"]*)\"", 0, "<input name=csrf v=\"tok123\"> v=\"x\"");
  agree("(.*)(.*)x$", 0, "abcx");
  agree("(.*)(.*)x$", 0, "abcxy");
  agree("x*", 0, "");
  agree("HELLO", REG_ICASE, "say hello");
  agree("^b", REG_NEWLINE, "a\nb");
  agree("a.c", REG_NEWLINE, "a\nc");
  agree("ok", REG_NOSUB, "status: ok");
  agree("z", REG_NOSUB, "status: ok");
}

/* A subject of n bytes repeating unit, NUL-terminated. */
static char *subject_of(size_t n, const char *unit) {
  char *s = malloc(n + 1);
  size_t ul = strlen(unit);
  for (size_t i = 0; s && i < n; i++)
    s[i] = unit[i % ul];
  if (s)
    s[n] = '\0';
  return s;
}

static void test_costly(void) {
  size_t n = 2600000; /* the 2.6 MB login page of the finding */
  char *s = subject_of(n, "<input name=x value=\"abc\">\n");
  regex_t re;
  regmatch_t m[2];
  sw_err err = {""};
  if (!s || regcomp(&re, "(.*)(.*)(.*)(.*)(.*)x$", REG_EXTENDED) != 0) {
    ok(0, "set up");
    free(s);
    return;
  }
  sw_deadline d;
  sw_deadline_start(&d, 2.0);
  double t0 = sw_now();
  int rc = sw_regex_search(&re, s, n, 2, m, &d, "--csrf-regex", &err);
  double took = sw_now() - t0;
  is_int(rc, -1, "(.*)(.*)(.*)(.*)(.*)x$ on 2.6 MB: refused");
  ok(took < 1.5, "within half of the 2 s left, and some (%.2f s)", took);
  ok(strstr(err.msg, "--csrf-regex: regular expression too costly for a "
                     "2.6 MB subject") == err.msg,
     "names the option and the subject's size (%s)", err.msg);
  regfree(&re);

  /* the same with no deadline: the 1 s default budget */
  regcomp(&re, ".*x$", REG_EXTENDED | REG_NOSUB);
  t0 = sw_now();
  rc = sw_regex_search(&re, s, n, 0, NULL, NULL, "-r", &err);
  took = sw_now() - t0;
  is_int(rc, -1, ".*x$ on 2.6 MB without a match: refused");
  ok(took < 1.5, "within the default budget (%.2f s)", took);
  regfree(&re);

  /* ordinary patterns on the same page still answer, and fast */
  static const struct {
    const char *re;
    int want;
  } fine[] = {{"value=\"([^\"]*)\"", 1}, {"abc\">", 1},  {"csrf", 0},
              {"name=(x|y) ", 1},        {"^<input", 1}, {"[0-9]+", 0}};
  for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
    regcomp(&re, fine[i].re, REG_EXTENDED);
    sw_deadline_start(&d, 2.0);
    t0 = sw_now();
    rc = sw_regex_search(&re, s, n, 2, m, &d, "-r", &err);
    is_int(rc, fine[i].want, "'%s' on 2.6 MB: %s", fine[i].re,
           fine[i].want ? "found" : "not found");
    ok(sw_now() - t0 < 0.5, "'%s' on 2.6 MB: in %.3f s", fine[i].re,
       sw_now() - t0);
    regfree(&re);
  }
  /* cheap start positions first, then costly ones: the chunks grown on
   * the cheap part must not run past the budget on the costly one */
  char *mixed = malloc(n + 1);
  if (mixed) {
    memset(mixed, 'a', n - 1000000);
    memset(mixed + n - 1000000, '<', 1000000);
    mixed[n] = '\0';
    regcomp(&re, "<[^>]*x$", REG_EXTENDED | REG_NOSUB);
    sw_deadline_start(&d, 2.0);
    t0 = sw_now();
    rc = sw_regex_search(&re, mixed, n, 0, NULL, &d, "-r", &err);
    took = sw_now() - t0;
    is_int(rc, -1, "1.6 MB cheap then 1 MB costly: refused");
    ok(took < 1.5, "still within half of the 2 s left (%.2f s)", took);
    regfree(&re);
    free(mixed);
  }
  /* a match at the very end of a large subject: all starts tried */
  s[n - 1] = 'Z';
  regcomp(&re, "Z$", REG_EXTENDED);
  rc = sw_regex_search(&re, s, n, 2, m, NULL, "-r", &err);
  is_int(rc, 1, "Z$ at the end of 2.6 MB: found");
  ok(rc == 1 && m[0].rm_so == (regoff_t)(n - 1), "at its offset");
  regfree(&re);
  free(s);
}

int main(void) {
  test_cost();
  test_same_answers();
  test_costly();
  return tap_done();
}
