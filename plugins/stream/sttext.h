/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text helpers shared by the stream parsers (hls.c, mpd.c,
 * playlist.c): URL resolution, ISO 8601 date-times and durations, and
 * strict integers from slices that are not NUL-terminated. Pure functions;
 * no I/O. */
#ifndef STREAMWATCH_STREAM_STTEXT_H
#define STREAMWATCH_STREAM_STTEXT_H

#include <stddef.h>

#include "streamwatch/state.h"

/* Longest URL the stream parsers accept (bytes, without the NUL). */
#define ST_URL_MAX 4096

/* Resolves ref against base as RFC 3986 section 5.2 says (libcurl's CURLU
 * does the work). base NULL or "" returns a copy of ref unchanged. Returns
 * a malloc'd string the caller frees with free(), or NULL with err filled
 * (malformed, control characters, longer than ST_URL_MAX, out of memory). */
char *st_resolve(const char *base, const char *ref, sw_err *err);

/* Parses the first len bytes of s as a decimal integer in [0, max], as
 * sw_parse_ulong does (digits only). Returns 0, or -1. */
int st_ulong_n(const char *s, size_t len, unsigned long max,
               unsigned long *out);

/* Parses an ISO 8601 / RFC 3339 date-time "YYYY-MM-DDTHH:MM:SS[.f]" with an
 * optional zone "Z", "+HH:MM", "+HHMM" or "+HH" (no zone: UTC, as DASH
 * treats xs:dateTime) into seconds since the Unix epoch. Fields are range
 * checked (February 30th is refused). Returns 0, or -1. */
int st_datetime(const char *s, size_t len, double *epoch);

/* Parses an xs:duration / ISO 8601 duration "PnDTnHnMnS" (weeks "nW" too)
 * into seconds, strictly: components in order, a fraction only on the
 * last one, no sign, at least one component, "T" followed by one. Years
 * and months have no fixed length, so they are accepted only when zero
 * ("P0Y0M0DT1M" as some packagers write). Returns 0, or -1. */
int st_duration(const char *s, size_t len, double *secs);

#endif
