/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growable, NULL-terminated vector of owned strings (an argv). */
#ifndef STREAMWATCH_STRVEC_H
#define STREAMWATCH_STRVEC_H

#include <stddef.h>

typedef struct {
  char **v; /* v[n] is always NULL once anything was added */
  size_t n, cap;
} sw_strvec;

/* Appends a copy of the first len bytes of s. Returns 0, or -1 on out of
 * memory (the vector is unchanged). */
int sw_strvec_addn(sw_strvec *sv, const char *s, size_t len);

/* Appends a copy of s. Returns 0, or -1 on out of memory. */
int sw_strvec_add(sw_strvec *sv, const char *s);

/* sw_strvec_add in the shape of a trace callback (arg is the vector):
 * plugins keep -vv/-vvv lines this way and print them after the result.
 * An allocation failure drops the line. */
void sw_strvec_add_line(void *sv, const char *line);

/* Frees every string and the vector; leaves it empty. */
void sw_strvec_free(sw_strvec *sv);

#endif
