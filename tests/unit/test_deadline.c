/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/deadline.c: the one budget for network work. */
#include <stdio.h>

#include "streamwatch/deadline.h"
#include "tap.h"

/* A deadline of `total` seconds of which `gone` have passed. */
static sw_deadline at(double total, double gone) {
  sw_deadline d;
  sw_deadline_start(&d, total);
  d.start -= gone;
  d.end -= gone;
  return d;
}

int main(void) {
  sw_deadline d = at(10, 0);
  long w = sw_deadline_work_ms(&d);
  ok(w > 9750 && w <= 9800, "-t 10, just begun: 200 ms kept to print (%ld)", w);
  d = at(1, 0);
  w = sw_deadline_work_ms(&d);
  ok(w > 850 && w <= 900, "-t 1: a tenth kept (%ld)", w);
  d = at(10, 9.9);
  is_int(sw_deadline_work_ms(&d), 0,
         "less left than the margin: 0, never negative");
  d = at(10, 11);
  is_int(sw_deadline_work_ms(&d), 0, "past the deadline: 0");
  is_int(sw_deadline_remaining_ms(&d), 0, "remaining past the deadline: 0");
  d = at(10, 2);
  double e = sw_deadline_elapsed(&d);
  ok(e >= 2 && e < 2.5, "elapsed counts from the start (%.3f)", e);
  return tap_done();
}
