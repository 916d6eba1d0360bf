/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Threshold ranges and strict numbers (lib/range.c, lib/strparse.c): the
 * text a user types after -w/-c and every number option. Properties: an
 * accepted range is finite and ordered, survives a second parse of its
 * own text unchanged; an accepted number is finite; a refused one leaves
 * an error message that cannot add an output line. */
#include <limits.h>
#include <math.h>

#include "fuzz.h"
#include "streamwatch/range.h"
#include "streamwatch/strparse.h"

static void check_range(const char *s) {
  sw_range r, again;
  sw_err err = {""};

  if (sw_range_parse(s, "-w", &r, &err) != 0) {
    FUZZ_ASSERT(err.msg[0] != '\0');
    FUZZ_ASSERT(fuzz_printable(err.msg));
    FUZZ_ASSERT(!r.set);
    FUZZ_ASSERT(!sw_range_alerts(&r, 0.0));
    return;
  }
  FUZZ_ASSERT(r.set);
  FUZZ_ASSERT(strcmp(r.text, s) == 0);
  FUZZ_ASSERT(r.start_inf || isfinite(r.start));
  FUZZ_ASSERT(r.end_inf || isfinite(r.end));
  FUZZ_ASSERT(r.start_inf || r.end_inf || r.start <= r.end);
  FUZZ_ASSERT(sw_range_parse(r.text, "-c", &again, &err) == 0);
  FUZZ_ASSERT(again.inside == r.inside && again.start_inf == r.start_inf &&
              again.end_inf == r.end_inf);
  FUZZ_ASSERT(r.start_inf || again.start == r.start);
  FUZZ_ASSERT(r.end_inf || again.end == r.end);
  /* Its own bounds are inside [start, end]: they alert only with '@'. */
  if (!r.start_inf)
    FUZZ_ASSERT(sw_range_alerts(&r, r.start) == r.inside);
  if (!r.end_inf)
    FUZZ_ASSERT(sw_range_alerts(&r, r.end) == r.inside);
  (void)sw_range_alerts(&r, NAN);
  (void)sw_range_alerts(&r, INFINITY);
  (void)sw_range_alerts(&r, -INFINITY);
  sw_state st = sw_range_state(&r, &again, 0.0);
  FUZZ_ASSERT(st == SW_OK || st == SW_CRITICAL);
}

static void check_numbers(const uint8_t *d, size_t n, const char *s) {
  double x;
  unsigned long u;
  char *raw = fuzz_bytes(d, n); /* no terminator: parse_double_n's bound */

  if (sw_parse_double(s, &x) == 0)
    FUZZ_ASSERT(isfinite(x));
  if (sw_parse_double_n(raw, n, &x) == 0) {
    FUZZ_ASSERT(isfinite(x));
    FUZZ_ASSERT(memchr(raw, 'e', n) == NULL && memchr(raw, 'E', n) == NULL);
  }
  if (sw_parse_ulong(s, 0, ULONG_MAX, &u) == 0)
    FUZZ_ASSERT(s[0] >= '0' && s[0] <= '9');
  if (sw_parse_ulong(s, 5, 100, &u) == 0)
    FUZZ_ASSERT(u >= 5 && u <= 100);
  free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *s = fuzz_str(d, n);

  check_range(s);
  check_numbers(d, n, s);
  free(s);
  return 0;
}
