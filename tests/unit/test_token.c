/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/token.c: the token cache text (a pure function over
 * bytes), saving and loading it atomically with mode 0600, and saving a
 * secret alone. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "streamwatch/token.h"
#include "tap.h"

static const char GOOD[] =
    "# streamwatch token cache (check_login); do not edit\n"
    "token_type=Bearer\n"
    "expires_at=1795000000\n"
    "access_token=eyJhbGciOiJSUzI1NiJ9.e30.sig==\n";

/* Parses a NUL-terminated text. */
static int parse(const char *text, sw_token *t, sw_err *err) {
  return sw_token_parse(text, strlen(text), t, err);
}

/* Parses text, which must fail with a message holding want. */
static void parse_bad(const char *text, const char *want, const char *what) {
  sw_token t;
  sw_err err = {{0}};

  is_int(parse(text, &t, &err), -1, "%s: refused", what);
  ok(strstr(err.msg, want) != NULL, "%s: says '%s' (%s)", what, want, err.msg);
  ok(t.access_token == NULL, "%s: nothing left allocated", what);
}

static void test_parse_good(void) {
  sw_token t;
  sw_err err = {{0}};

  is_int(parse(GOOD, &t, &err), 0, "good text parses");
  is_str(t.token_type, "Bearer", "token_type");
  is_int(t.expires_at, 1795000000LL, "expires_at");
  is_str(t.access_token, "eyJhbGciOiJSUzI1NiJ9.e30.sig==",
         "access_token ('=' inside the value kept)");
  sw_token_free(&t);
  ok(t.access_token == NULL, "sw_token_free clears the pointer");
  sw_token_free(&t); /* twice is harmless */

  static const char other[] = "# a comment\n"
                              "#token_type=Evil\n"
                              "\n"
                              "access_token=abc\n"
                              "\n"
                              "color=blue\n"
                              "refresh_token=ignored\n"
                              "expires_at=0\n"
                              "# access_token=evil\n"
                              "token_type=Bearer"; /* no final newline */
  is_int(parse(other, &t, &err), 0,
         "any order, comments, blank lines, unknown keys, no final newline");
  is_str(t.access_token, "abc", "commented-out access_token not taken");
  is_str(t.token_type, "Bearer", "commented-out token_type not taken");
  is_int(t.expires_at, 0, "expires_at=0 is fine");
  sw_token_free(&t);

  static const char twice[] =
      "token_type=Bearer\nexpires_at=1\naccess_token=old\n"
      "access_token=new\nexpires_at=2\n";
  is_int(parse(twice, &t, &err), 0, "repeated keys parse");
  is_str(t.access_token, "new", "repeated access_token: the last one");
  is_int(t.expires_at, 2, "repeated expires_at: the last one");
  sw_token_free(&t);

  is_int(parse("token_type=Bearer\nexpires_at=+42\naccess_token=x\n", &t, &err),
         0, "expires_at with '+' parses");
  is_int(t.expires_at, 42, "expires_at +42");
  sw_token_free(&t);

  /* By length: what is past len is not part of the text. */
  static const char cut[] = "token_type=Bearer\nexpires_at=7\n"
                            "access_token=abcdef";
  is_int(sw_token_parse(cut, sizeof cut - 1 - 3, &t, &err), 0,
         "text given by length parses");
  is_str(t.access_token, "abc", "access_token ends at len");
  sw_token_free(&t);
}

static void test_parse_bad(void) {
  parse_bad("", "incomplete", "empty text");
  parse_bad("# only a comment\n", "incomplete", "comment only");
  parse_bad("expires_at=1\naccess_token=x\n", "incomplete",
            "token_type missing");
  parse_bad("token_type=Bearer\naccess_token=x\n", "incomplete",
            "expires_at missing");
  parse_bad("token_type=Bearer\nexpires_at=1\n", "incomplete",
            "access_token missing");
  parse_bad("token_type=Bearer\nexpires_at=1\naccess_token=\n", "incomplete",
            "empty access_token");
  parse_bad("token_type=\nexpires_at=1\naccess_token=x\n", "incomplete",
            "empty token_type");
  parse_bad("token_type=0123456789012345678901234567890123456789\n"
            "expires_at=1\naccess_token=x\n",
            "incomplete", "token_type longer than its buffer");
  parse_bad("TOKEN_TYPE=Bearer\nexpires_at=1\naccess_token=x\n", "incomplete",
            "keys are case-sensitive");
  parse_bad(" token_type=Bearer\nexpires_at=1\naccess_token=x\n", "incomplete",
            "a blank before a key makes another key");

  static const char *const bad_exp[] = {
      "abc", "-1",   "1e3", "",    "1 ",
      " 1",  "0x10", "nan", "inf", "99999999999999999"};
  for (size_t i = 0; i < sizeof bad_exp / sizeof bad_exp[0]; i++) {
    char text[128], what[64];
    snprintf(text, sizeof text,
             "token_type=Bearer\naccess_token=secret\nexpires_at=%s\n",
             bad_exp[i]);
    snprintf(what, sizeof what, "expires_at='%s'", bad_exp[i]);
    parse_bad(text, "bad expires_at", what);
  }

  parse_bad("token_type=Bearer\naccess_token=secret\nno equals sign\n"
            "expires_at=1\n",
            "line without '='", "line without '='");
  /* The error comes after access_token was read: it is freed (ASan's leak
   * check watches). */
  parse_bad("access_token=secret\nexpires_at=soon\n", "bad expires_at",
            "error after access_token");
}

/* Creates a fresh directory for the file tests; "" when it cannot. */
static void make_dir(char *dir, size_t n) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, n, "%s/test_token.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir))
    dir[0] = '\0';
}

/* The number of entries in dir, "." and ".." aside. */
static int entries(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  if (!d)
    return -1;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

/* Reads all of fd (from where it is) into buf; returns the length. */
static size_t read_all(int fd, char *buf, size_t n) {
  size_t used = 0;
  ssize_t r;
  while (used + 1 < n && (r = read(fd, buf + used, n - 1 - used)) > 0)
    used += (size_t)r;
  buf[used] = '\0';
  return used;
}

/* Reads path into buf; -1 when it cannot be opened. */
static long slurp(const char *path, char *buf, size_t n) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  size_t l = read_all(fd, buf, n);
  close(fd);
  return (long)l;
}

static void test_save_load(const char *dir) {
  char path[4096], buf[8192];
  sw_err err = {{0}};
  sw_token t = {.access_token = "tok.en-1/2+3=", .expires_at = 1795000000LL},
           got;
  struct stat st;

  snprintf(t.token_type, sizeof t.token_type, "Bearer");
  snprintf(path, sizeof path, "%s/token", dir);
  mode_t old_umask = umask(0); /* the file must be 0600 whatever the umask */
  is_int(sw_token_save(path, &t, "--token-cache", &err), 0, "save (%s)",
         err.msg);
  umask(old_umask);
  ok(stat(path, &st) == 0, "saved file exists");
  is_int(st.st_mode & 07777, 0600, "saved file mode is 0600");
  ok(S_ISREG(st.st_mode), "saved file is a regular file");
  is_int(entries(dir), 1, "no temporary file left behind");
  is_int(slurp(path, buf, sizeof buf) > 0, 1, "saved file readable");
  is_str(buf,
         "# streamwatch token cache (check_login); do not edit\n"
         "token_type=Bearer\nexpires_at=1795000000\n"
         "access_token=tok.en-1/2+3=\n",
         "saved file content");

  is_int(sw_token_load(path, "--token-cache", &got, &err), 0, "load (%s)",
         err.msg);
  is_str(got.access_token, t.access_token, "round trip: access_token");
  is_str(got.token_type, "Bearer", "round trip: token_type");
  is_int(got.expires_at, t.expires_at, "round trip: expires_at");
  sw_token_free(&got);

  /* Replacing: a reader that opened the old file keeps reading all of it. */
  char big[6000];
  memset(big, 'B', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  char old[8192];
  long old_len = slurp(path, old, sizeof old);
  int fd = open(path, O_RDONLY);
  ok(fd >= 0, "old file opened");
  ino_t old_ino = 0;
  if (fstat(fd, &st) == 0)
    old_ino = st.st_ino;
  sw_token t2 = {.access_token = big, .expires_at = 42};
  snprintf(t2.token_type, sizeof t2.token_type, "Bearer");
  is_int(sw_token_save(path, &t2, "--token-cache", &err), 0,
         "save over the existing file (%s)", err.msg);
  if (fd >= 0) {
    size_t l = read_all(fd, buf, sizeof buf);
    close(fd);
    is_int(l, old_len, "open reader: the whole old length");
    is_str(buf, old, "open reader: the old content, complete");
  }
  ok(stat(path, &st) == 0 && st.st_ino != old_ino,
     "the file was replaced (a new inode), not rewritten in place");
  is_int(st.st_mode & 07777, 0600, "replaced file mode is 0600");
  is_int(entries(dir), 1, "no temporary file left after replacing");
  is_int(sw_token_load(path, "--token-cache", &got, &err), 0,
         "load the new file (%s)", err.msg);
  is_str(got.access_token, big, "new file: the new token");
  is_int(got.expires_at, 42, "new file: the new expires_at");
  sw_token_free(&got);

  /* A token that would break the file is refused, and the old file kept. */
  sw_token t3 = {.access_token = "abc\nexpires_at=99999999999",
                 .expires_at = 1};
  snprintf(t3.token_type, sizeof t3.token_type, "Bearer");
  is_int(sw_token_save(path, &t3, "--token-cache", &err), -1,
         "token with a newline refused");
  ok(strstr(err.msg, "--token-cache") && strstr(err.msg, path),
     "newline error names option and path (%s)", err.msg);
  t3.access_token = "";
  is_int(sw_token_save(path, &t3, "--token-cache", &err), -1,
         "empty token refused");
  /* An expiry a reader would refuse (beyond 1e15, or negative, as an
   * overflowed time() + expires_in gave) is never written. */
  t3.access_token = "abc";
  t3.expires_at = 9223372036854775807LL;
  is_int(sw_token_save(path, &t3, "--token-cache", &err), -1,
         "expires_at INT64_MAX refused");
  ok(strstr(err.msg, "out of range") != NULL, "says why (%s)", err.msg);
  t3.expires_at = -9223372036854775807LL - 1;
  is_int(sw_token_save(path, &t3, "--token-cache", &err), -1,
         "a negative expires_at refused");
  t3.expires_at = 1000000000000001LL;
  is_int(sw_token_save(path, &t3, "--token-cache", &err), -1,
         "expires_at just past the reader's bound refused");
  is_int(entries(dir), 1, "refused saves leave no file behind");
  is_int(sw_token_load(path, "--token-cache", &got, &err), 0,
         "refused saves keep the old file");
  is_str(got.access_token, big, "old file intact");
  sw_token_free(&got);

  unlink(path);
}

static void test_errors(const char *dir) {
  char path[4096], bad[4096];
  sw_err err = {{0}};
  sw_token t = {.access_token = "x", .expires_at = 1}, got;
  snprintf(t.token_type, sizeof t.token_type, "Bearer");

  snprintf(path, sizeof path, "%s/missing/token", dir);
  is_int(sw_token_save(path, &t, "--token-cache", &err), -1,
         "save into a missing directory fails");
  ok(strstr(err.msg, "--token-cache") != NULL, "error names the option (%s)",
     err.msg);
  ok(strstr(err.msg, path) != NULL, "error names the path (%s)", err.msg);
  ok(strstr(err.msg, "No such file") != NULL, "error gives the reason (%s)",
     err.msg);

  err.msg[0] = '\0';
  is_int(sw_token_load(path, "--token-cache", &got, &err), -1,
         "load of a missing file fails");
  ok(strstr(err.msg, "--token-cache") && strstr(err.msg, path),
     "load error names option and path (%s)", err.msg);

  snprintf(bad, sizeof bad, "%s/notatoken", dir);
  FILE *f = fopen(bad, "w");
  if (f) {
    fputs("token_type=Bearer\nexpires_at=tomorrow\naccess_token=x\n", f);
    fclose(f);
  }
  err.msg[0] = '\0';
  is_int(sw_token_load(bad, "--token-cache", &got, &err), -1,
         "load of a malformed file fails");
  ok(strstr(err.msg, "--token-cache") && strstr(err.msg, bad) &&
         strstr(err.msg, "bad expires_at"),
     "malformed file: option, path and reason (%s)", err.msg);
  unlink(bad);

  is_int(sw_secret_save(path, "s", "--save-refresh-token", &err), -1,
         "secret into a missing directory fails");
  ok(strstr(err.msg, "--save-refresh-token") && strstr(err.msg, path),
     "secret error names option and path (%s)", err.msg);
  is_int(entries(dir), 0, "failed saves leave nothing behind");
}

static void test_secret(const char *dir) {
  char path[4096], buf[256];
  sw_err err = {{0}};
  struct stat st;

  snprintf(path, sizeof path, "%s/refresh", dir);
  mode_t old_umask = umask(0);
  is_int(sw_secret_save(path, "r3fresh-t0ken", "--save-refresh-token", &err), 0,
         "secret saved (%s)", err.msg);
  umask(old_umask);
  is_int(slurp(path, buf, sizeof buf), 14, "secret file length");
  is_str(buf, "r3fresh-t0ken\n", "secret file: the secret and a newline");
  ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
     "secret file mode is 0600");

  is_int(sw_secret_save(path, "second", "--save-refresh-token", &err), 0,
         "secret saved over the old one (%s)", err.msg);
  slurp(path, buf, sizeof buf);
  is_str(buf, "second\n", "secret replaced");
  ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
     "replaced secret file mode is 0600");
  is_int(entries(dir), 1, "no temporary file left by sw_secret_save");
  unlink(path);
}

int main(void) {
  char dir[4096];

  test_parse_good();
  test_parse_bad();
  make_dir(dir, sizeof dir);
  if (ok(dir[0] != '\0', "mkdtemp")) {
    test_save_load(dir);
    test_errors(dir);
    test_secret(dir);
    ok(rmdir(dir) == 0, "temporary directory empty and removed");
  }
  return tap_done();
}
