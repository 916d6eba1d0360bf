/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Threshold ranges as in the Monitoring Plugins guidelines:
 *   10      alert when x < 0 or x > 10
 *   10:     alert when x < 10
 *   ~:10    alert when x > 10
 *   10:20   alert when x < 10 or x > 20
 *   @10:20  alert when 10 <= x <= 20
 * Parsing is strict: "10x", "5:3", ":", "", NaN and inf are refused, and
 * so is a bound beyond int64's span (|x| >= 2^63): refused, not clamped. */
#ifndef STREAMWATCH_RANGE_H
#define STREAMWATCH_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/state.h"

typedef struct {
  bool set;       /* false: no threshold given, never alerts */
  bool inside;    /* '@': alert inside [start, end] */
  bool start_inf; /* '~': start is minus infinity */
  bool end_inf;   /* "N:": end is plus infinity */
  double start;
  double end;
  char text[64]; /* the range exactly as given, for perfdata */
} sw_range;

/* Parses text into r. On error fills err with a message that names opt
 * (e.g. "-w") and the bad text, and returns -1; r is then unset. */
int sw_range_parse(const char *text, const char *opt, sw_range *r, sw_err *err);

/* "OPT: " and sw_range_describe's words ("-w: above 0.5 s",
 * "--rate-warning: below 0.95x"): which threshold, and what it alerts
 * on, for a message. Returns the length written. */
size_t sw_range_threshold(char *buf, size_t n, const char *opt,
                          const sw_range *r, const char *unit);

/* A threshold where a bare number N is a floor, "N:" (as check_http -C
 * reads days: alert below N), and anything else a range as above. what
 * names the unit for the message ("number of days"), eg is an example
 * ("14"). Returns 0, or -1 with err naming opt. */
int sw_range_parse_floor(const char *text, const char *opt, const char *what,
                         const char *eg, sw_range *r, sw_err *err);

/* True when x is outside the range (inside it with '@'). An unset range
 * never alerts. */
bool sw_range_alerts(const sw_range *r, double x);

/* What r alerts on, in words, for messages: "outside 0..10", "other
 * than 0" (the range 0), "below
 * 0.95x", "above 300 s", "inside 10..20", "at or below 5", "never" (r
 * unset or NULL). Bounds are printed as perfdata numbers followed by
 * unit ("s" gives "300 s"; "x" gives "0.95x"; NULL or "" none). The one
 * wording for thresholds, so a message cannot say the opposite of the
 * range. Writes at most n bytes (NUL included); returns the length. */
size_t sw_range_describe(char *buf, size_t n, const sw_range *r,
                         const char *unit);

/* CRITICAL when crit alerts, else WARNING when warn alerts, else OK. */
sw_state sw_range_state(const sw_range *warn, const sw_range *crit, double x);

#endif
