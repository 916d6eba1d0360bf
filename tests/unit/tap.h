/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A minimal TAP producer for the unit tests (automake's tap-driver.sh
 * reads it). Header-only: every test file is one program.
 *
 *   int main(void) { ok(1 == 1, "one is one"); is_str(a, b, "name"); return tap_done(); }
 */
#ifndef STREAMWATCH_TAP_H
#define STREAMWATCH_TAP_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  int n;
  int failed;
} tap_counter;

static tap_counter tap_state; /* one per test program */

static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static int tap_ok(int cond, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  tap_state.n++;
  printf("%sok %d - ", cond ? "" : "not ", tap_state.n);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond) {
    tap_state.failed++;
    printf("#   failed at %s:%d\n", file, line);
  }
  return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_str(got, want, ...)                                            \
  do {                                                                    \
    const char *tap_g_ = (got), *tap_w_ = (want);                         \
    if (!tap_ok(tap_g_ && tap_w_ && strcmp(tap_g_, tap_w_) == 0,          \
                __FILE__, __LINE__, __VA_ARGS__))                         \
      printf("#   got:  '%s'\n#   want: '%s'\n", tap_g_ ? tap_g_ : "(null)", \
             tap_w_ ? tap_w_ : "(null)");                                 \
  } while (0)

#define is_int(got, want, ...)                                            \
  do {                                                                    \
    long tap_g_ = (long)(got), tap_w_ = (long)(want);                     \
    if (!tap_ok(tap_g_ == tap_w_, __FILE__, __LINE__, __VA_ARGS__))       \
      printf("#   got:  %ld\n#   want: %ld\n", tap_g_, tap_w_);           \
  } while (0)

#define is_num(got, want, ...)                                            \
  do {                                                                    \
    double tap_g_ = (got), tap_w_ = (want);                               \
    if (!tap_ok(fabs(tap_g_ - tap_w_) < 1e-9, __FILE__, __LINE__,         \
                __VA_ARGS__))                                             \
      printf("#   got:  %.9g\n#   want: %.9g\n", tap_g_, tap_w_);         \
  } while (0)

/* Prints the plan and returns the exit status (0 when all passed). */
static inline int tap_done(void) {
  printf("1..%d\n", tap_state.n);
  return tap_state.failed ? 1 : 0;
}

#endif
