/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A monotonic deadline for the whole run: immune to wall-clock jumps. */
#include <time.h>

#include "streamwatch/deadline.h"

double sw_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sw_deadline_start(sw_deadline *d, double seconds) {
  d->start = sw_now();
  d->end = d->start + seconds;
}

long sw_deadline_remaining_ms(const sw_deadline *d) {
  double left = d->end - sw_now();
  return left > 0 ? (long)(left * 1000.0) : 0;
}

double sw_deadline_elapsed(const sw_deadline *d) {
  return sw_now() - d->start;
}

long sw_deadline_work_ms(const sw_deadline *d) {
  long total = (long)((d->end - d->start) * 1000.0);
  long margin = total / 10 < 200 ? total / 10 : 200;
  long left = sw_deadline_remaining_ms(d) - margin;
  return left > 0 ? left : 0;
}
