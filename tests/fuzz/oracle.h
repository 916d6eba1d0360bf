/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The oracle of the whole-plugin fuzz targets: what a plugin printed,
 * checked against the output conventions (docs/spec conventions.md,
 * "Output", "Performance data", "Secrets"). Any target that ends in
 * sw_check_print (or a plugin's run() that prints to stdout) can use it:
 * the HTTP plugins' targets and check_resolve's.
 *
 * Rules (a violation prints the rule and the output, then abort()s, so
 * libFuzzer keeps the input as a crash):
 *  - the state is 0..3;
 *  - the output is lines ending in '\n', none empty, valid UTF-8 without
 *    C1 controls, no control byte but those newlines, no DEL;
 *  - line 1 is "SERVICE STATE - summary[ | perfdata]", STATE the word of
 *    the returned state, a non-empty summary, at most one '|';
 *  - every further line is "\_ [STATE] text" without '|', worst first,
 *    none worse than the first line's state (worst state wins);
 *  - the perfdata re-parses item by item as tests/plugins/perfcheck.pl
 *    does: 'label'=value[UOM];warn;crit;min;max, C-locale numbers
 *    without exponent, U for unmeasured, UOM none/s/%/B/KB/MB/GB/TB/c,
 *    ranges [@][~|num][:[num]] with start <= end, labels unique;
 *  - no 8 consecutive characters of a planted secret appear, nor of its
 *    URL-encoded, base64, JSON-escaped (with and without "\/") or
 *    sanitised form, nor of any extra form the target names (HTTP
 *    Basic's base64 of ID:SECRET), unless the server itself sent those
 *    characters (or all but the first or last of them) apart from a
 *    whole secret: as sent, JSON-, XML- or URL-decoded, JSON-escaped or
 *    URL-encoded again, each also sanitised. The plugin cannot know a
 *    server's half-token is one; a whole one it must mask, so a cut of
 *    it is always found.
 * fuzz_oracle_perf lets a target add its own properties on top (the
 * HTTP targets: no OK with a refused status, without a token lifetime,
 * without media). */
#ifndef STREAMWATCH_FUZZ_ORACLE_H
#define STREAMWATCH_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "streamwatch/result.h"

typedef struct {
  const char *service;         /* "API": the first word of line 1 */
  const char *const *secrets;  /* planted secrets, NULL-terminated */
  const char *const *forms;    /* other literal forms, NULL-terminated;
                                  may be NULL */
  const unsigned char *server; /* every byte the server sent */
  size_t server_len;
} fuzz_oracle;

/* Checks out[0..len) printed with exit state; aborts on a violation. */
void fuzz_oracle_check(const fuzz_oracle *o, const char *out, size_t len,
                       int state);

/* Prints c with sw_check_print into memory, checks it, returns the state. */
int fuzz_oracle_print(const fuzz_oracle *o, const sw_check *c);

/* The value of perfdata item label in checked output: 1 with *v when
 * measured, 0 when U, -1 when absent (for a target's own properties,
 * such as "no OK with a 5xx status"). */
int fuzz_oracle_perf(const char *out, size_t len, const char *label, double *v);

/* stdout redirected into memory for a plugin's run(), which prints to
 * stdout: begin swaps it, end restores it and hands back the text
 * (*out, *len; free *out). */
typedef struct {
  FILE *saved, *mem;
  char *buf;
  size_t len;
} fuzz_capture;

void fuzz_capture_begin(fuzz_capture *cap);
void fuzz_capture_end(fuzz_capture *cap, char **out, size_t *len);

#endif
