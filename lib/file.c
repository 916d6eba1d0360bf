/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files a user named, and secrets from files or the environment; see
 * include/streamwatch/file.h and secret.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "streamwatch/file.h"
#include "streamwatch/secret.h"

/* The first read's size when fstat says nothing useful (a regular file
 * of size 0 in /proc or /sys still has text). */
#define FILE_FIRST_CHUNK 4096

/* A secret file holds at most 64 KiB of secret (SW_HTTP_BEARER_MAX: large
 * JWTs) and the line end an editor adds. */
#define SECRET_FILE_MAX (64 * 1024 + 2)

/* What a file that is not regular is, for the message. */
static const char *file_kind(mode_t mode) {
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a plain file";
}

/* Opens path for reading without waiting: O_NONBLOCK makes the open of a
 * FIFO without a writer (or of a device) return at once, and the fstat on
 * the descriptor (not the name, which could change in between) refuses it.
 * Returns the fd, or -1 with err. */
static int open_regular(const char *path, const char *opt, struct stat *st,
                        sw_err *err) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return sw_fail(err, "%s: cannot read %s: %s", opt, path, strerror(errno));
  if (fstat(fd, st) < 0) {
    int e = errno;
    close(fd);
    return sw_fail(err, "%s: cannot read %s: %s", opt, path, strerror(e));
  }
  if (!S_ISREG(st->st_mode)) {
    close(fd);
    return sw_fail(err, "%s: %s is not a regular file (%s)", opt, path,
                   file_kind(st->st_mode));
  }
  return fd;
}

int sw_file_check(const char *path, const char *opt, sw_err *err) {
  struct stat st;
  int fd = open_regular(path, opt, &st, err);
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

/* Overwrites n bytes of p, then frees it: a buffer may hold a secret. */
static void wipe_free(char *p, size_t n) {
  if (!p)
    return;
  volatile char *v = p;
  while (n--)
    *v++ = '\0';
  free(p);
}

/* Grows *buf (size *size, *used bytes in use) to hold at least want
 * bytes, never more than cap: a new block, the old one wiped. Returns 0
 * or -1 when out of memory. */
static int grow(char **buf, size_t *size, size_t used, size_t want,
                size_t cap) {
  size_t n = *size ? *size : FILE_FIRST_CHUNK;
  while (n < want && n < cap)
    n = n > cap / 2 ? cap : n * 2;
  if (n > cap)
    n = cap;
  char *nb = malloc(n);
  if (!nb)
    return -1;
  if (used)
    memcpy(nb, *buf, used);
  wipe_free(*buf, *size);
  *buf = nb;
  *size = n;
  return 0;
}

/* Reads fd to its end into a new buffer of at most max + 1 bytes of text
 * and a NUL, starting with room for hint bytes. Returns 0, -1 with errno
 * set, or -2 when there are more than max bytes. */
static int read_all(int fd, size_t max, size_t hint, char **out, size_t *len) {
  char *buf = NULL;
  size_t size = 0, used = 0, cap = max + 2; /* max + 1 to see "too large" */
  int rc = 0;
  for (;;) {
    if (used + 1 >= size &&
        grow(&buf, &size, used, used + (hint ? hint : 1) + 1, cap) < 0) {
      errno = ENOMEM;
      rc = -1;
      break;
    }
    hint = 0;
    ssize_t r = read(fd, buf + used, size - 1 - used);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      rc = r < 0 ? -1 : 0;
      break;
    }
    used += (size_t)r;
    if (used > max) {
      rc = -2;
      break;
    }
  }
  if (rc < 0) {
    int e = errno;
    wipe_free(buf, size);
    errno = e;
    return rc;
  }
  buf[used] = '\0';
  *out = buf;
  *len = used;
  return 0;
}

int sw_read_file(const char *path, size_t max, const char *opt, char **out,
                 size_t *len, sw_err *err) {
  struct stat st;
  int fd = open_regular(path, opt, &st, err);
  if (fd < 0)
    return -1;
  if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
    close(fd);
    return sw_fail(err, "%s: %s is larger than %zu bytes", opt, path, max);
  }
  int rc = read_all(fd, max, (size_t)st.st_size, out, len);
  int e = errno;
  close(fd);
  if (rc == -2)
    return sw_fail(err, "%s: %s is larger than %zu bytes", opt, path, max);
  if (rc < 0)
    return e == ENOMEM
               ? sw_fail(err, "%s: out of memory", opt)
               : sw_fail(err, "%s: cannot read %s: %s", opt, path, strerror(e));
  return 0;
}

int sw_secret_file(const char *path, const char *opt, char **out, sw_err *err) {
  size_t len;
  if (sw_read_file(path, SECRET_FILE_MAX, opt, out, &len, err) < 0)
    return -1;
  if (len > 0 && (*out)[len - 1] == '\n')
    (*out)[--len] = '\0';
  if (len > 0 && (*out)[len - 1] == '\r')
    (*out)[--len] = '\0';
  if (len == 0 || strlen(*out) != len) {
    wipe_free(*out, len);
    *out = NULL;
    return sw_fail(err,
                   "%s: %s holds no usable secret (empty, or a NUL "
                   "byte inside)",
                   opt, path);
  }
  return 0;
}

int sw_secret_env(const char *var, const char *opt, char **out, sw_err *err) {
  const char *v = getenv(var);
  if (!v || !*v)
    return sw_fail(err, "%s: environment variable %s is not set or empty", opt,
                   var);
  if (!(*out = strdup(v)))
    return sw_fail(err, "%s: out of memory", opt);
  return 0;
}
