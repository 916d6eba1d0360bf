/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading whole files, and secrets from files or the environment, so that
 * tokens and passwords never need to be on the command line. */
#ifndef STREAMWATCH_SECRET_H
#define STREAMWATCH_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/file.h"
#include "streamwatch/state.h"
#include "streamwatch/strvec.h"

/* A secret from a file (read with sw_read_file, streamwatch/file.h: a
 * regular file only, at most 64 KiB and a line end): its content without
 * one trailing newline (\n or \r\n), as editors and `echo` leave. An
 * empty secret is an error. Defined in lib/file.c. */
int sw_secret_file(const char *path, const char *opt, char **out, sw_err *err);

/* A secret from an environment variable; unset or empty is an error
 * naming opt and the variable. */
int sw_secret_env(const char *var, const char *opt, char **out, sw_err *err);

/* Overwrites and frees a secret; NULL is fine. */
void sw_secret_free(char *secret);

/* Overwrites with '*' every occurrence in buf of each string of the
 * NULL-terminated list secrets (NULL and empty entries skipped), and of
 * every piece of 8 or more bytes of one (a secret a library quoted only
 * in part), ignoring ASCII case (a URL parser lower-cases a host a
 * server put a secret into). */
void sw_secret_mask(char *buf, const char *const *secrets);

/* The same over len bytes that may hold NUL bytes. */
void sw_secret_mask_n(char *buf, size_t len, const char *const *secrets);

/* The base64 (RFC 4648, padded) of the first n bytes of s, as a new
 * string (free with sw_secret_free), or NULL when out of memory: the form
 * a secret takes inside HTTP Basic, to mask that too. */
char *sw_base64(const char *s, size_t n);

/* Is the header line ("Name: value", len bytes, not necessarily
 * NUL-terminated) one whose value is a credential? The name decides:
 * Authorization, Proxy-Authorization, Cookie, Set-Cookie, or one holding
 * "token", "key", "secret", "passw", "session" or "x-auth" (any case).
 * Returns the offset of the value (past the colon and blanks), or 0. The
 * trace masks such headers, the printer their values, and argv never
 * shows them. */
size_t sw_secret_header(const char *line, size_t len);

/* A run's masks (for sw_secret_mask, and the sw_check and sw_http_req
 * secrets lists: masks->v is NULL-terminated) are owned copies; these
 * return 0 or -1 when out of memory. sw_masks_add adds s (NULL or empty:
 * nothing) and every form a server may echo it in: percent-encoded (upper
 * and lower case hex, and form-encoded), as a URL parser normalises it
 * (only blanks, controls and non-ASCII encoded), JSON-escaped (with and
 * without "\/", and those normalised as in a URL), and base64 without
 * padding (standard and URL-safe); duplicates are added once. sw_masks_http adds a bearer token (may be NULL) and the
 * value of every credential header among headers (may be NULL) and, for
 * "scheme credentials", the credentials alone. sw_masks_free overwrites
 * every copy, then frees them. */
int sw_masks_add(sw_strvec *masks, const char *s);
int sw_masks_http(sw_strvec *masks, const char *bearer,
                  const sw_strvec *headers);
void sw_masks_free(sw_strvec *masks);

#endif
