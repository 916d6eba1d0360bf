/* SPDX-License-Identifier: GPL-3.0-or-later */
/* failalloc: an LD_PRELOAD shim for the out-of-memory tests
 * (tests/plugins/login_oom.sh). It makes exactly one allocation fail, so
 * a test can walk the failure through every allocation of a run:
 *
 *   FAILALLOC_ESCAPE=N  the Nth call of curl_easy_escape returns NULL
 *   FAILALLOC_MALLOC=N  the Nth malloc, calloc or realloc returns NULL
 *   FAILALLOC_LOG=FILE  "escape N" / "malloc N" appended when it did, and
 *                       "count E M" (calls made) when the process exits
 *
 * Built by the test with the system compiler: cc -shared -fPIC; with
 * -DFAILALLOC_NO_MALLOC for a sanitizer build (ASan owns malloc there:
 * a shim defining it breaks ASan's start-up). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FAILALLOC_NO_MALLOC
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
#endif

static unsigned long n_escape, n_malloc, fail_escape, fail_malloc;
static int ready;

/* Writes a line to the log with write(2): no allocation in here. */
static void note(const char *what, unsigned long a, unsigned long b) {
  const char *path = getenv("FAILALLOC_LOG");
  char line[96];
  if (!path)
    return;
  int len = snprintf(line, sizeof line, "%s %lu %lu\n", what, a, b);
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd >= 0 && len > 0) {
    ssize_t w = write(fd, line, (size_t)len);
    (void)w;
  }
  if (fd >= 0)
    close(fd);
}

static unsigned long env_num(const char *name) {
  const char *v = getenv(name);
  unsigned long n = 0;
  for (; v && *v >= '0' && *v <= '9'; v++)
    n = n * 10 + (unsigned long)(*v - '0');
  return n;
}

__attribute__((constructor)) static void setup(void) {
  fail_escape = env_num("FAILALLOC_ESCAPE");
  fail_malloc = env_num("FAILALLOC_MALLOC");
  ready = 1;
}

__attribute__((destructor)) static void report(void) {
  note("count", n_escape, n_malloc);
}

/* A plugin ends with _exit once its result is out (lib/plugin.c), where
 * no destructor runs: the count is written there too. */
void _exit(int status) {
  void (*real)(int) = (void (*)(int))dlsym(RTLD_NEXT, "_exit");
  report();
  if (real)
    real(status);
  for (;;)
    pause();
}

#ifndef FAILALLOC_NO_MALLOC
/* One more allocation: true when it is the one to fail. */
static int fails(void) {
  if (!ready)
    return 0;
  if (++n_malloc != fail_malloc)
    return 0;
  note("malloc", n_malloc, 0);
  return 1;
}

void *malloc(size_t n) {
  return fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t a, size_t b) {
  return fails() ? NULL : __libc_calloc(a, b);
}

void *realloc(void *p, size_t n) {
  return fails() ? NULL : __libc_realloc(p, n);
}
#endif

char *curl_easy_escape(void *h, const char *s, int len) {
  static char *(*real)(void *, const char *, int);
  if (!real)
    *(void **)&real = dlsym(RTLD_NEXT, "curl_easy_escape");
  if (++n_escape == fail_escape) {
    note("escape", n_escape, 0);
    return NULL;
  }
  return real ? real(h, s, len) : NULL;
}
