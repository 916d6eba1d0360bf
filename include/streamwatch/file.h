/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one way a plugin reads a file a user named (--extra-opts=@F,
 * --bearer-file, --client-secret-file, --data-file, --token-cache,
 * --resolv-conf...): only a regular file, opened so that nothing can make
 * the open or the read wait (a FIFO with no writer, a terminal, a
 * device), read with a size bound. What is left to hang is a hung mount,
 * which the -t alarm (armed before any file is read) ends.
 *
 * The secret readers built on it (sw_secret_file, sw_secret_env) are
 * declared in streamwatch/secret.h. */
#ifndef STREAMWATCH_FILE_H
#define STREAMWATCH_FILE_H

#include <stddef.h>
#include "streamwatch/state.h"

/* Checks that path names a regular file that can be opened for reading
 * (for files another library opens later: --ca-file, --client-cert,
 * --client-key). Returns 0, or -1 with err "OPT: PATH is not a regular
 * file (a FIFO)" or "OPT: cannot read PATH: reason". */
int sw_file_check(const char *path, const char *opt, sw_err *err);

/* Reads all of path (at most max bytes) into a new NUL-terminated buffer,
 * after the same check as sw_file_check (open with O_NONBLOCK, O_NOCTTY
 * and O_CLOEXEC, then fstat: anything but a regular file is refused before
 * a byte is read). Returns 0 with *out and *len, or -1 with err naming
 * opt: "OPT: cannot read PATH: reason", "OPT: PATH is not a regular file
 * (a FIFO)", "OPT: PATH is larger than MAX bytes". The buffer may hold a
 * secret: memory it used and let go of is overwritten first. */
int sw_read_file(const char *path, size_t max, const char *opt, char **out,
                 size_t *len, sw_err *err);

#endif
