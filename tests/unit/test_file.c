/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/file.c: only regular files are read, at once (a FIFO
 * without a writer, a directory or a device is refused before any read
 * could wait), with a size bound; secrets from files and the
 * environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "streamwatch/deadline.h"
#include "streamwatch/secret.h"
#include "tap.h"

static char dir[256];

/* dir/name in a static buffer (one at a time). */
static const char *path_of(const char *name) {
  static char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return p;
}

static void write_file(const char *name, const char *text, size_t len) {
  FILE *f = fopen(path_of(name), "wb");
  if (f) {
    fwrite(text, 1, len, f);
    fclose(f);
  }
}

/* sw_read_file of path fails at once, naming opt and saying want. */
static void refused(const char *path, const char *want, const char *name) {
  char *out = (char *)"untouched";
  size_t len = 7;
  sw_err err = {""};
  double t0 = sw_now();
  is_int(sw_read_file(path, 1024, "--bearer-file", &out, &len, &err), -1,
         "%s: refused", name);
  ok(sw_now() - t0 < 1.0, "%s: at once (%.3f s)", name, sw_now() - t0);
  ok(strncmp(err.msg, "--bearer-file: ", 15) == 0, "%s: names the option (%s)",
     name, err.msg);
  ok(strstr(err.msg, want) != NULL, "%s: says '%s'", name, want);
  ok(strcmp(out, "untouched") == 0 && len == 7, "%s: outputs untouched", name);
  is_int(sw_file_check(path, "--ca-file", &err), -1, "%s: check refuses", name);
  ok(strncmp(err.msg, "--ca-file: ", 11) == 0 && strstr(err.msg, want),
     "%s: check says why (%s)", name, err.msg);
}

static void test_not_regular(void) {
  if (mkfifo(path_of("fifo"), 0600) == 0)
    refused(path_of("fifo"), "is not a regular file (a FIFO)",
            "a FIFO with no writer");
  else
    ok(0, "mkfifo %s", path_of("fifo"));
  refused(dir, "is not a regular file (a directory)", "a directory");
  refused("/dev/null", "is not a regular file (a character device)",
          "/dev/null");
  refused(path_of("missing"), "cannot read", "a missing file");
  /* a symlink to a FIFO: the descriptor decides, not the name */
  if (symlink(path_of("fifo"), path_of("link")) == 0)
    refused(path_of("link"), "(a FIFO)", "a symlink to a FIFO");
}

static void test_regular(void) {
  char *out = NULL;
  size_t len = 0;
  sw_err err = {""};
  write_file("small", "abc\n", 4);
  is_int(sw_read_file(path_of("small"), 4, "--data-file", &out, &len, &err), 0,
         "exactly max bytes: read");
  ok(out && len == 4 && strcmp(out, "abc\n") == 0, "content and length");
  free(out);
  out = NULL;
  is_int(sw_read_file(path_of("small"), 3, "--data-file", &out, &len, &err), -1,
         "max + 1 bytes: refused");
  ok(strstr(err.msg, "--data-file: ") == err.msg &&
         strstr(err.msg, "larger than 3 bytes"),
     "too large names the option and the limit (%s)", err.msg);
  ok(out == NULL, "nothing returned");
  is_int(sw_file_check(path_of("small"), "--ca-file", &err), 0,
         "a regular file passes the check");

  write_file("empty", "", 0);
  is_int(sw_read_file(path_of("empty"), 10, "--x", &out, &len, &err), 0,
         "an empty file reads");
  ok(out && len == 0 && out[0] == '\0', "as an empty string");
  free(out);

  /* larger than the first chunk, with NUL bytes: all of it */
  size_t big = 100000;
  char *text = malloc(big);
  for (size_t i = 0; text && i < big; i++)
    text[i] = (char)(i % 251);
  if (text)
    write_file("big", text, big);
  out = NULL;
  is_int(sw_read_file(path_of("big"), big, "--x", &out, &len, &err), 0,
         "100000 bytes with NULs: read");
  ok(out && text && len == big && memcmp(out, text, big) == 0,
     "every byte, in order");
  free(out);
  free(text);

  /* a file in /proc says size 0 and still has text */
  out = NULL;
  is_int(sw_read_file("/proc/self/stat", 65536, "--x", &out, &len, &err), 0,
         "/proc/self/stat (st_size 0) reads");
  ok(out && len > 0, "with its text (%zu bytes)", len);
  free(out);
}

static void test_secrets(void) {
  char *s = NULL;
  sw_err err = {""};
  write_file("tok", "s3cr3t\r\n", 8);
  is_int(sw_secret_file(path_of("tok"), "--bearer-file", &s, &err), 0,
         "secret file with CRLF");
  is_str(s, "s3cr3t", "one trailing CRLF dropped");
  sw_secret_free(s);
  s = NULL;
  write_file("nul", "ab\0cd", 5);
  is_int(sw_secret_file(path_of("nul"), "--bearer-file", &s, &err), -1,
         "a NUL inside: refused");
  ok(s == NULL && strstr(err.msg, "no usable secret"), "says so (%s)", err.msg);
  is_int(sw_secret_file(path_of("fifo"), "--client-secret-file", &s, &err), -1,
         "a FIFO as a secret file: refused at once");
  ok(strstr(err.msg, "--client-secret-file: ") == err.msg,
     "names the option (%s)", err.msg);
  setenv("SW_TEST_TOKEN", "envtok", 1);
  is_int(sw_secret_env("SW_TEST_TOKEN", "--bearer-env", &s, &err), 0,
         "secret from the environment");
  is_str(s, "envtok", "its value");
  sw_secret_free(s);
  is_int(sw_secret_env("SW_TEST_UNSET_X", "--bearer-env", &s, &err), -1,
         "unset variable: refused");
  ok(strstr(err.msg, "SW_TEST_UNSET_X"), "names the variable (%s)", err.msg);
}

int main(void) {
  const char *base = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/sw-file-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(dir)) {
    ok(0, "mkdtemp %s", dir);
    return tap_done();
  }
  test_not_regular();
  test_regular();
  test_secrets();
  static const char *const names[] = {"fifo", "link", "small", "empty",
                                      "big",  "tok",  "nul"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    unlink(path_of(names[i]));
  rmdir(dir);
  return tap_done();
}
