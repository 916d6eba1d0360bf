/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a plugin process ends when something outside the check stops it:
 * SIGTERM / SIGINT / SIGHUP (the engine gives up or shuts down) and
 * SIGALRM (the safety net armed at the -t deadline plus a margin, so that
 * nothing, not even a write to a full pipe, runs past -t). Each prints
 * one result line, prepared before the signal, and exits at once:
 *
 *   API UNKNOWN - interrupted by SIGTERM after 1.2 s      (exit 3)
 *   API CRITICAL - timed out after 10 s                   (the -t STATE)
 *
 * Once the plugin has started printing its own result (sw_signals_result),
 * a signal prints nothing more and exits with that result's state, so
 * the output never holds two status lines.
 *
 * Also: SIGPIPE ignored (a reader that goes away must not kill the plugin
 * before it exits with its state) and no core dumps (RLIMIT_CORE 0 and
 * not dumpable: a core file could hold a secret). */
#ifndef STREAMWATCH_SIGNALS_H
#define STREAMWATCH_SIGNALS_H

#include "streamwatch/state.h"

/* The margin after the -t deadline at which SIGALRM fires: the plugins
 * keep the deadline themselves; the alarm only catches what they could
 * not (a blocked write, a library stuck in a call). */
#define SW_SIGNALS_MARGIN 0.25

/* Process set-up for the start of main: fds 0-2 open (/dev/null for a
 * closed one, so no socket becomes "stdout"), no core dumps, SIGPIPE ignored,
 * the handlers installed for service (e.g. "API", kept by pointer: a
 * string constant), and the alarm armed for the default -t (10 s,
 * CRITICAL) counted from start (sw_now()). Never fails the run: a set-up
 * call that fails leaves that part undone. */
void sw_signals_init(const char *service, double start);

/* Re-arms the alarm for the -t the options gave: fires at start +
 * timeout + SW_SIGNALS_MARGIN and reports "timed out after TIMEOUT s"
 * with state. */
void sw_signals_deadline(double timeout, sw_state state);

/* Arms the alarm for the time options and files are read (before the
 * plugin's own deadline logic runs): it fires at start + timeout, with no
 * margin since nothing else keeps time then, and reports "SERVICE UNKNOWN
 * - timed out after TIMEOUT s while reading options and files". UNKNOWN,
 * not the -t STATE: a file that never answers (a hung mount) is a local
 * problem, not the service's. sw_signals_deadline replaces it once the
 * options are parsed. */
void sw_signals_reading(double timeout);

/* Says that the result with state is being printed to stdout now: from
 * here on a signal only exits with state. */
void sw_signals_result(sw_state state);

/* Disarms the alarm once the output is flushed: what is left (freeing,
 * exit-time handlers, a sanitizer's leak check) writes nothing an engine
 * reads. */
void sw_signals_done(void);

#endif
