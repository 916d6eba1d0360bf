/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running one job per item at once: the renditions of --all-variants,
 * the edges of --all-addresses. Every job runs under the run's one
 * deadline, so the whole takes about as long as the slowest job. */
#ifndef STREAMWATCH_FANOUT_H
#define STREAMWATCH_FANOUT_H

#include <stddef.h>

/* Calls job(items + i * size) for each of the n items, in at most max
 * (>= 1) threads, the calling one among them; each thread takes the next
 * item when its job returns. Returns when every job has
 * returned. Every thread allocates from one malloc arena from then on
 * (M_ARENA_MAX 1): the run's peak memory stays that of the jobs' live
 * data, not of one arena's leftovers per thread. */
void sw_fanout(void *items, size_t n, size_t size, void *(*job)(void *),
               size_t max);

#endif
