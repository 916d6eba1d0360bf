/* SPDX-License-Identifier: GPL-3.0-or-later */
/* States of a Nagios-style plugin and how they combine. */
#ifndef STREAMWATCH_STATE_H
#define STREAMWATCH_STATE_H

/* The four plugin states; the value is the process exit code. */
typedef enum {
  SW_OK = 0,
  SW_WARNING = 1,
  SW_CRITICAL = 2,
  SW_UNKNOWN = 3
} sw_state;

/* A caller-owned error message buffer, filled by lib/ functions that fail
 * (redis' anet style): the plugin decides what state the failure means. */
typedef struct {
  char msg[512];
} sw_err;

/* Fills err with a printf-style message and returns -1, so that failing
 * paths read `return sw_fail(err, "...", ...);`. err may be NULL. */
int sw_fail(sw_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "OK", "WARNING", "CRITICAL" or "UNKNOWN". Never NULL. */
const char *sw_state_name(sw_state s);

/* The worse of two states: CRITICAL > WARNING > UNKNOWN > OK, so an
 * UNKNOWN sub-check beside a CRITICAL one gives CRITICAL. */
sw_state sw_state_worst(sw_state a, sw_state b);

/* Rank used for sorting sub-checks worst first (higher is worse). */
int sw_state_rank(sw_state s);

/* Parses "ok", "warning", "critical" or "unknown" (any case).
 * Returns 0, or -1 on any other text. */
int sw_state_parse(const char *s, sw_state *out);

#endif
