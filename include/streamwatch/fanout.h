/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running one job per item at once: the renditions of --all-variants,
 * the edges of --all-addresses. Every job runs under the run's one
 * deadline, so the whole takes about as long as the slowest job. */
#ifndef STREAMWATCH_FANOUT_H
#define STREAMWATCH_FANOUT_H

#include <stddef.h>

/* Calls job(items + i * size) for each of the n items, at most max
 * (>= 1) threads at once; a job that cannot get a thread runs in the
 * calling one. Returns when every job has returned. */
void sw_fanout(void *items, size_t n, size_t size, void *(*job)(void *),
               size_t max);

#endif
