/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token cache shared by check_login (writes) and check_api (reads):
 * a small text file, mode 0600, replaced atomically so that a reader
 * never sees half a file.
 *
 *   # streamwatch token cache (check_login); do not edit
 *   token_type=Bearer
 *   expires_at=1795000000
 *   access_token=...
 */
#ifndef STREAMWATCH_TOKEN_H
#define STREAMWATCH_TOKEN_H

#include <stddef.h>
#include "streamwatch/state.h"

typedef struct {
  char *access_token; /* secret: free with sw_token_free */
  char token_type[32];
  long long expires_at; /* seconds since the epoch */
} sw_token;

/* Writes t to path: a temporary file beside it (mode 0600), fsync, then
 * rename over path. opt names the option for errors ("--token-cache").
 * Returns 0, or -1 with err naming opt and the path. */
int sw_token_save(const char *path, const sw_token *t, const char *opt,
                  sw_err *err);

/* Parses a token cache text (a pure function over bytes). Returns 0, or
 * -1 with err when a field is missing or malformed. */
int sw_token_parse(const char *text, size_t len, sw_token *t, sw_err *err);

/* Reads and parses path. Returns 0, or -1 with err naming opt and path. */
int sw_token_load(const char *path, const char *opt, sw_token *t, sw_err *err);

/* Wipes and frees the token. */
void sw_token_free(sw_token *t);

/* Writes a secret alone (plus a newline) to path, atomically, mode 0600
 * (--save-refresh-token). Returns 0 or -1 with err. */
int sw_secret_save(const char *path, const char *secret, const char *opt,
                   sw_err *err);

#endif
