/* Strict number parsing: the only place text becomes a number.
 * No atoi/strtol elsewhere. A number is accepted only when the whole
 * string is one: no leading blanks, no trailing junk, no hex, no NaN or
 * infinity. */
#ifndef STREAMWATCH_STRPARSE_H
#define STREAMWATCH_STRPARSE_H

#include <stddef.h>

/* Parses a finite decimal number ("-1", "0.250", "1e3" is refused: plugin
 * users never mean exponents). Returns 0, or -1 on anything else. */
int sw_parse_double(const char *s, double *out);

/* Parses a non-negative decimal integer within [min, max].
 * Returns 0, or -1 when malformed or out of range. */
int sw_parse_ulong(const char *s, unsigned long min, unsigned long max,
                   unsigned long *out);

/* Parses the first len bytes of s as sw_parse_double does. */
int sw_parse_double_n(const char *s, size_t len, double *out);

#endif
