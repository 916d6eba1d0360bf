/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The check / sub-check result tree and its one printer.
 *
 * A plugin fills one sw_check: a service name ("RESOLVE"), a summary, any
 * number of sub-checks (one line each) and perfdata items. sw_check_print
 * writes
 *   SERVICE STATE - summary | perfdata
 *   \_ [STATE] sub-check text          (worst first)
 * and sw_check_state gives the exit code: the worst of the sub-checks and
 * of any state set directly. */
#ifndef STREAMWATCH_RESULT_H
#define STREAMWATCH_RESULT_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include "streamwatch/perfdata.h"
#include "streamwatch/state.h"
#include "streamwatch/strvec.h"

typedef struct {
  sw_state state;
  char *text;
} sw_subcheck;

typedef struct sw_check {
  const char *service; /* e.g. "RESOLVE"; not owned */
  sw_state state;      /* set directly; combined with sub-checks */
  char *summary;       /* owned */
  sw_subcheck *subs;
  size_t nsubs, capsubs;
  char *perf; /* formatted perfdata, space separated */
  size_t perflen, perfcap;
  int nomem; /* an allocation failed: printed as UNKNOWN */
  /* NULL-terminated strings (the run's secrets and their encoded forms)
   * masked with '*' in every text the printer writes, whatever put them
   * there (a server echoing a token into an error body or a JSON value);
   * not owned; may be NULL. Perfdata is not masked. */
  const char *const *secrets;
  /* -vv/-vvv trace lines (not owned; may be NULL), printed after the
   * sub-checks through the same masks and sanitiser as every other text */
  const sw_strvec *trace;
} sw_check;

/* Starts an empty check for service (a static string). Can't fail. */
void sw_check_init(sw_check *c, const char *service);

/* Frees everything the check owns. */
void sw_check_free(sw_check *c);

/* Raises the check's own state to at least s (worst-of). */
void sw_check_raise(sw_check *c, sw_state s);

/* Replaces the summary. Returns 0, or -1 on out of memory (remembered,
 * the check then prints UNKNOWN). */
int sw_check_summary(sw_check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends text to the summary (" [TLS verification off]"). Returns 0,
 * or -1 on out of memory (the summary is then kept as it was). */
int sw_check_summary_append(sw_check *c, const char *text);

/* Adds a sub-check line with state s; its state counts towards the
 * result. Returns 0, or -1 on out of memory. */
int sw_check_sub(sw_check *c, sw_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends one perfdata item. Returns 0, or -1 on out of memory. */
int sw_check_perf(sw_check *c, const sw_perf *p);

/* Appends a time in seconds (label=Vs, U when v < 0), with optional
 * ranges and min 0 when with_min. Returns 0, or -1 on out of memory. */
int sw_check_perf_time(sw_check *c, const char *label, double v,
                       const sw_range *warn, const sw_range *crit,
                       bool with_min);

/* Prints a result that is only "SERVICE UNKNOWN - text" (a usage error,
 * out of memory before the run) through the same masks and sanitiser as
 * sw_check_print (secrets may be NULL). Returns UNKNOWN. */
sw_state sw_check_print_unknown(const char *service, const char *text,
                                const char *const *secrets, FILE *out);

/* The state the plugin exits with: worst of c->state and every
 * sub-check, UNKNOWN after an allocation failure with nothing worse. */
sw_state sw_check_state(const sw_check *c);

/* Prints the result as described above. Every text has c->secrets masked
 * and is passed through the output sanitiser once more, so no text can add
 * a line or a '|' or show a secret; then c->trace's lines, the same way.
 * Returns the state (the exit code). */
sw_state sw_check_print(const sw_check *c, FILE *out);

#endif
