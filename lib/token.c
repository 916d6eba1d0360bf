/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token cache file and atomic owner-only writes of secrets. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/strparse.h"
#include "streamwatch/token.h"

/* The latest expiry a cache may hold (seconds since the epoch, far past
 * any real token): a bound, so no reader or writer does arithmetic on a
 * server's number unchecked. */
#define TOKEN_MAX_EXPIRES_AT 1000000000000000LL

/* Writes text to a new file beside path and renames it over path: the
 * file is either the old one or the whole new one, never half (rename is
 * atomic within a directory, POSIX). */
static int write_atomic(const char *path, const char *text, const char *opt,
                        sw_err *err) {
  char tmp[4096];
  int n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
  if (n < 0 || (size_t)n >= sizeof tmp)
    return sw_fail(err, "%s: path too long", opt);
  int fd = mkstemp(tmp); /* mode 0600 */
  if (fd < 0)
    return sw_fail(err, "%s: cannot write %s: %s", opt, path, strerror(errno));
  size_t len = strlen(text), done = 0;
  while (done < len) {
    ssize_t w = write(fd, text + done, len - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  int bad = done < len || fsync(fd) < 0;
  int saved = errno;
  if (close(fd) < 0)
    bad = 1;
  if (bad || rename(tmp, path) < 0) {
    if (!bad)
      saved = errno;
    unlink(tmp);
    return sw_fail(err, "%s: cannot write %s: %s", opt, path, strerror(saved));
  }
  return 0;
}

int sw_token_save(const char *path, const sw_token *t, const char *opt,
                  sw_err *err) {
  /* A line break would end the field early and let the rest of the value
   * (from the login service's response) forge a line of its own, such as
   * a later expires_at; an empty token would not load back. */
  if (!t->access_token || !t->access_token[0] ||
      strpbrk(t->access_token, "\r\n") || !t->token_type[0] ||
      strpbrk(t->token_type, "\r\n"))
    return sw_fail(err,
                   "%s: cannot write %s: the token is empty or holds a "
                   "line break",
                   opt, path);
  /* The same bound the reader holds (token_line): an expiry a reader
   * would refuse is never written. */
  if (t->expires_at < 0 || t->expires_at > TOKEN_MAX_EXPIRES_AT)
    return sw_fail(err, "%s: cannot write %s: expiry %lld out of range", opt,
                   path, t->expires_at);
  sw_buf b;
  sw_buf_init(&b, strlen(t->access_token) + strlen(t->token_type) + 200);
  sw_buf_addf(&b,
              "# streamwatch token cache (check_login); do not edit\n"
              "token_type=%s\nexpires_at=%lld\naccess_token=%s\n",
              t->token_type, t->expires_at, t->access_token);
  int rc = b.nomem || b.cut ? sw_fail(err, "%s: out of memory", opt)
                            : write_atomic(path, sw_buf_str(&b), opt, err);
  if (b.p)
    memset(b.p, 0, b.len);
  sw_buf_free(&b);
  return rc;
}

int sw_secret_save(const char *path, const char *secret, const char *opt,
                   sw_err *err) {
  sw_buf b;
  sw_buf_init(&b, strlen(secret) + 1);
  sw_buf_addf(&b, "%s\n", secret);
  int rc = b.nomem || b.cut ? sw_fail(err, "%s: out of memory", opt)
                            : write_atomic(path, sw_buf_str(&b), opt, err);
  if (b.p)
    memset(b.p, 0, b.len);
  sw_buf_free(&b);
  return rc;
}

/* One "key=value" line; sets the matching field of t. */
static int token_line(const char *b, const char *e, sw_token *t, int *seen,
                      sw_err *err) {
  const char *eq = memchr(b, '=', (size_t)(e - b));
  if (!eq)
    return sw_fail(err, "line without '='");
  size_t kl = (size_t)(eq - b), vl = (size_t)(e - eq - 1);
  const char *v = eq + 1;
  if (kl == 10 && memcmp(b, "token_type", 10) == 0 && vl &&
      vl < sizeof t->token_type) {
    memcpy(t->token_type, v, vl);
    t->token_type[vl] = '\0';
    *seen |= 1;
  } else if (kl == 10 && memcmp(b, "expires_at", 10) == 0) {
    double x;
    if (sw_parse_double_n(v, vl, &x) < 0 || x < 0 ||
        x > (double)TOKEN_MAX_EXPIRES_AT)
      return sw_fail(err, "bad expires_at");
    t->expires_at = (long long)x;
    *seen |= 2;
  } else if (kl == 12 && memcmp(b, "access_token", 12) == 0 && vl) {
    sw_secret_free(t->access_token);
    if (!(t->access_token = strndup(v, vl)))
      return sw_fail(err, "out of memory");
    *seen |= 4;
  }
  return 0;
}

int sw_token_parse(const char *text, size_t len, sw_token *t, sw_err *err) {
  const char *p = text, *end = text + len;
  int seen = 0;
  memset(t, 0, sizeof *t);
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    if (e > p && *p != '#' && token_line(p, e, t, &seen, err) < 0) {
      sw_token_free(t);
      return -1;
    }
    p = nl ? nl + 1 : end;
  }
  if (seen != 7) {
    sw_token_free(t);
    return sw_fail(err, "incomplete (token_type, expires_at and "
                        "access_token are required)");
  }
  return 0;
}

int sw_token_load(const char *path, const char *opt, sw_token *t, sw_err *err) {
  char *text;
  size_t len;
  sw_err why;
  if (sw_read_file(path, 64 * 1024, opt, &text, &len, err) < 0)
    return -1;
  int rc = sw_token_parse(text, len, t, &why);
  sw_secret_free(text);
  if (rc < 0)
    return sw_fail(err, "%s: %s is not a token cache: %s", opt, path, why.msg);
  return 0;
}

void sw_token_free(sw_token *t) {
  sw_secret_free(t->access_token);
  t->access_token = NULL;
}
