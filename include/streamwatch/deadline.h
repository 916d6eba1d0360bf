/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A monotonic deadline for the whole run (-t). */
#ifndef STREAMWATCH_DEADLINE_H
#define STREAMWATCH_DEADLINE_H

typedef struct {
  double start; /* monotonic seconds when the run began */
  double end;   /* monotonic seconds when -t expires */
} sw_deadline;

/* Monotonic clock in seconds. Can't fail. */
double sw_now(void);

/* Starts a deadline `seconds` from now. */
void sw_deadline_start(sw_deadline *d, double seconds);

/* Milliseconds left (0 when expired). */
long sw_deadline_remaining_ms(const sw_deadline *d);

/* Milliseconds left for network work (0 when none): what is left of the
 * deadline less the time kept to judge and print, a tenth of -t and at
 * most 200 ms. The one budget the DNS and HTTP layers wait by; the
 * SIGALRM safety net fires SW_SIGNALS_MARGIN after the deadline itself
 * (streamwatch/signals.h). */
long sw_deadline_work_ms(const sw_deadline *d);

/* Seconds since the run began. */
double sw_deadline_elapsed(const sw_deadline *d);

#endif
