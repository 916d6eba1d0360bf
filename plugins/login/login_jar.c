/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --cookie-jar: the one file check_login lets libcurl write. libcurl
 * 7.88 opens the jar with fopen(path, "w") when the session ends, which
 * follows a symbolic link and truncates whatever it names: a jar planted
 * as a link to another file would destroy that file. So the path is
 * checked, and made, by us first, without following links. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "login.h"

/* Why st (of an existing jar) is refused, or NULL. */
static const char *jar_refused(const struct stat *st) {
  if (S_ISLNK(st->st_mode))
    return "is a symbolic link (refused: the jar is written, and a link "
           "would be followed)";
  if (!S_ISREG(st->st_mode))
    return "is not a regular file";
  if (st->st_nlink > 1)
    return "has other hard links (refused: the jar is rewritten)";
  return NULL;
}

int login_jar_check(const char *path, sw_err *err) {
  struct stat st;
  const char *why;
  if (lstat(path, &st) == 0 && (why = jar_refused(&st)))
    return sw_fail(err, "--cookie-jar: %s %s", path, why);
  /* O_NOFOLLOW: a link planted since lstat is refused too (ELOOP);
   * O_NONBLOCK: a FIFO cannot hold the open up. */
  int fd = open(
      path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
      0600);
  if (fd < 0)
    return sw_fail(err, "--cookie-jar: cannot open %s: %s", path,
                   errno == ELOOP ? "a symbolic link (refused)"
                                  : strerror(errno));
  int rc = 0;
  if (fstat(fd, &st) < 0)
    rc =
        sw_fail(err, "--cookie-jar: cannot read %s: %s", path, strerror(errno));
  else if ((why = jar_refused(&st)))
    rc = sw_fail(err, "--cookie-jar: %s %s", path, why);
  else if ((st.st_mode & 077) && fchmod(fd, 0600) < 0)
    rc = sw_fail(err, "--cookie-jar: cannot make %s owner-only: %s", path,
                 strerror(errno));
  close(fd);
  return rc;
}
