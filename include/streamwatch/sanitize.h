/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Network strings made safe to print in plugin output. */
#ifndef STREAMWATCH_SANITIZE_H
#define STREAMWATCH_SANITIZE_H

#include <stddef.h>

/* Copies at most srclen bytes of src into dst (size n, always
 * NUL-terminated): '|' becomes '/', control characters (newlines, tabs,
 * escapes, DEL) and bytes that are not valid UTF-8 become '?'. When the
 * result would not fit in n-1 bytes or is longer than max characters
 * (0: no limit) it is cut and ends in "...". Returns the length written. */
size_t sw_sanitize(char *dst, size_t n, const char *src, size_t srclen,
                   size_t max);

/* The one way to show text that may hold a secret (a server's body, a
 * header, a JSON value, a URL, a trace line): like sw_sanitize, but
 * first every string of the NULL-terminated list secrets (NULL: none;
 * the run's masks with their encoded forms, see sw_masks_add) is replaced
 * by '*', on the raw bytes. Mask, then sanitise, then cut: a secret
 * holding '|', a control byte or invalid UTF-8 is still found, and a cut
 * can never show the first part of a secret. */
size_t sw_text_safe(char *dst, size_t n, const char *src, size_t srclen,
                    size_t max, const char *const *secrets);

#endif
