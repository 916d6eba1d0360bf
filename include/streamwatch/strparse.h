/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict number parsing: the only place text becomes a number.
 * No atoi/strtol elsewhere. A number is accepted only when the whole
 * string is one: no leading blanks, no trailing junk, no hex, no NaN or
 * infinity. */
#ifndef STREAMWATCH_STRPARSE_H
#define STREAMWATCH_STRPARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses a finite decimal number ("-1", "0.250", "1e3" is refused: plugin
 * users never mean exponents). Returns 0, or -1 on anything else. */
int sw_parse_double(const char *s, double *out);

/* Parses a non-negative decimal integer within [min, max].
 * Returns 0, or -1 when malformed or out of range. */
int sw_parse_ulong(const char *s, unsigned long min, unsigned long max,
                   unsigned long *out);

/* Parses the first len bytes of s as sw_parse_double does. */
int sw_parse_double_n(const char *s, size_t len, double *out);

/* Parses a decimal integer "[+-]DIGITS" (nothing else) within [min, max].
 * A value beyond int64 is refused, never clamped, and no input makes a
 * signed operation overflow. Returns 0, or -1 when malformed or out of
 * range (*out untouched). */
int sw_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* The same over the first len bytes of s. */
int sw_parse_int64_n(const char *s, size_t len, int64_t min, int64_t max,
                     int64_t *out);

/* Converts a double that holds an integer within int64 (a JSON number
 * such as expires_in) exactly. Returns 0, or -1 for NaN, an infinity, a
 * fraction or a value outside [-2^63, 2^63) (1e300, 9223372036854775807
 * parsed as a double: it rounds to 2^63), where a cast would be undefined
 * behaviour. */
int sw_int64_from_double(double v, int64_t *out);

#endif
