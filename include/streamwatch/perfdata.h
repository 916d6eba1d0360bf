/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Performance data: 'label'=value[UOM];[warn];[crit];[min];[max].
 * Numbers are printed in the C locale whatever LC_ALL says, never in
 * exponent notation. */
#ifndef STREAMWATCH_PERFDATA_H
#define STREAMWATCH_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/range.h"

typedef struct {
  char label[160];
  bool measured; /* false: value printed as U */
  double value;
  const char *uom;      /* "", "s", "%", "B" or "c" */
  const sw_range *warn; /* may be NULL */
  const sw_range *crit; /* may be NULL */
  bool has_min, has_max;
  double min, max;
} sw_perf;

/* Formats v with at most `decimals` fraction digits, trailing zeros
 * removed, '.' as decimal point, no exponent. Always NUL-terminates. */
void sw_perf_number(char *buf, size_t n, double v, int decimals);

/* Seconds for an output text as perfdata has them: three decimals
 * ("0.081"), and below a millisecond its first digits ("0.00039"), never
 * "0.000" beside a perfdata value that is not 0. Returns buf. */
const char *sw_perf_secs(char *buf, size_t n, double v);

/* Writes label with every character but letters, digits, '_' and '-'
 * replaced by '_': the one set every graphing backend keeps as one flat
 * metric name ("time_api.stream.test@ns1" would be a nested Graphite
 * path), and never a quote, '=', '|' or a control character. Callers
 * give labels that stay the same while the configuration does, and
 * refuse two that map to one. Returns 0, or -1 when buf is too small. */
int sw_perf_label(char *buf, size_t n, const char *label);

/* Appends one perfdata item (no leading space) to buf of size n at *len.
 * Returns 0, or -1 when it does not fit (buf is left as it was). */
int sw_perf_format(char *buf, size_t n, size_t *len, const sw_perf *p);

#endif
