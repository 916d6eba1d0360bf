/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signals, the -t safety-net alarm and core dumps; see
 * include/streamwatch/signals.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "streamwatch/deadline.h"
#include "streamwatch/signals.h"

/* What the handler prints, prepared outside it (while parsing options) so
 * that the handler only copies bytes and formats one number.
 *
 * This is the one file-scope state of the project: a signal handler gets
 * no argument, so what it needs must be reachable from a static. Only
 * this file touches it; writes happen with the signals blocked. */
static struct {
  const char *service;          /* "API" */
  double start;                 /* sw_now() when the run began */
  char alarm_line[128];         /* "API CRITICAL - timed out after 10 s\n" */
  size_t alarm_len;             /* strlen(alarm_line) */
  int alarm_code;               /* the -t STATE */
  volatile sig_atomic_t result; /* state being printed, or -1 */
} sig_state = {.service = "PLUGIN", .result = -1};

/* The signals that end a run early. */
static const int handled[] = {SIGTERM, SIGINT, SIGHUP, SIGALRM};

/* Appends s to buf (size n) at *len. Async-signal-safe. */
static void put_str(char *buf, size_t n, size_t *len, const char *s) {
  while (*s && *len + 1 < n)
    buf[(*len)++] = *s++;
  buf[*len] = '\0';
}

/* Appends v >= 0 rounded to `decimals` digits after the point (at most
 * 6), always with '.' whatever the locale; with trim, trailing zeros and
 * a bare point are dropped ("10", "2.5", "0.25"). Async-signal-safe. */
static void put_decimal(char *buf, size_t n, size_t *len, double v,
                        int decimals, int trim) {
  unsigned long long scale = 1, x, ip, fp;
  char digits[24], frac[8];
  int nd = 0, nf = decimals;
  for (int i = 0; i < decimals; i++)
    scale *= 10;
  if (!(v >= 0) || v > 1e9)
    v = 0;
  x = (unsigned long long)(v * (double)scale + 0.5);
  ip = x / scale;
  fp = x % scale;
  do {
    digits[nd++] = (char)('0' + ip % 10);
    ip /= 10;
  } while (ip);
  while (nd > 0 && *len + 1 < n)
    buf[(*len)++] = digits[--nd];
  for (int i = decimals - 1; i >= 0; i--) {
    frac[i] = (char)('0' + fp % 10);
    fp /= 10;
  }
  while (trim && nf > 0 && frac[nf - 1] == '0')
    nf--;
  if (nf > 0 && *len + 1 < n)
    buf[(*len)++] = '.';
  for (int i = 0; i < nf && *len + 1 < n; i++)
    buf[(*len)++] = frac[i];
  buf[*len] = '\0';
}

static const char *signal_word(int signo) {
  switch (signo) {
  case SIGTERM: return "SIGTERM";
  case SIGINT: return "SIGINT";
  case SIGHUP: return "SIGHUP";
  default: return "a signal";
  }
}

/* Ends the run. Async-signal-safe only: clock_gettime, fcntl, write,
 * _exit (POSIX's list) and the byte copying above. Other signals are
 * blocked while it runs (sa_mask), and it never returns. */
static void on_signal(int signo) {
  char line[192];
  size_t len = 0;
  int code = SW_UNKNOWN;
  struct timespec ts;
  if (sig_state.result >= 0)
    _exit((int)sig_state.result); /* the plugin's own line is out */
  if (signo == SIGALRM) {
    memcpy(line, sig_state.alarm_line, sig_state.alarm_len + 1);
    len = sig_state.alarm_len;
    code = sig_state.alarm_code;
  } else {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double elapsed =
        (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - sig_state.start;
    put_str(line, sizeof line, &len, sig_state.service);
    put_str(line, sizeof line, &len, " UNKNOWN - interrupted by ");
    put_str(line, sizeof line, &len, signal_word(signo));
    put_str(line, sizeof line, &len, " after ");
    put_decimal(line, sizeof line, &len, elapsed, 1, 0); /* "1.0" */
    put_str(line, sizeof line, &len, " s\n");
  }
  /* A full pipe must not block the last write: try once, then go. The
   * flags are put back because fd 1's open file description may be
   * shared with the caller (a terminal, a shell's pipe). */
  int flags = fcntl(STDOUT_FILENO, F_GETFL);
  if (flags >= 0)
    fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK);
  size_t done = 0;
  while (done < len) {
    ssize_t w = write(STDOUT_FILENO, line + done, len - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  if (flags >= 0)
    fcntl(STDOUT_FILENO, F_SETFL, flags);
  _exit(code);
}

/* Blocks (how = SIG_BLOCK) or unblocks the handled signals. */
static void mask_handled(int how) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
    sigaddset(&set, handled[i]);
  sigprocmask(how, &set, NULL);
}

/* Arms ITIMER_REAL to fire at monotonic time `at` (at once if past). */
static void arm_at(double at) {
  double left = at - sw_now();
  struct itimerval it = {{0, 0}, {0, 0}};
  if (left < 1e-6)
    left = 1e-6;
  it.it_value.tv_sec = (time_t)left;
  it.it_value.tv_usec = (suseconds_t)((left - (double)(time_t)left) * 1e6);
  if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
    it.it_value.tv_usec = 1;
  setitimer(ITIMER_REAL, &it, NULL);
}

/* Prepares the alarm line "SERVICE STATE - timed out after T s[ STAGE]"
 * and arms the alarm for start + timeout + margin. */
static void arm_deadline(double timeout, sw_state state, const char *stage,
                         double margin) {
  mask_handled(SIG_BLOCK);
  size_t len = 0;
  char *l = sig_state.alarm_line;
  size_t n = sizeof sig_state.alarm_line;
  l[0] = '\0';
  put_str(l, n, &len, sig_state.service);
  put_str(l, n, &len, " ");
  put_str(l, n, &len, sw_state_name(state));
  put_str(l, n, &len, " - timed out after ");
  put_decimal(l, n, &len, timeout, 3, 1);
  put_str(l, n, &len, " s");
  if (stage) {
    put_str(l, n, &len, " ");
    put_str(l, n, &len, stage);
  }
  /* the newline even when the line was cut: one whole line, always */
  if (len + 1 >= n)
    len = n - 2;
  l[len++] = '\n';
  l[len] = '\0';
  sig_state.alarm_len = len;
  sig_state.alarm_code = (int)state;
  arm_at(sig_state.start + timeout + margin);
  mask_handled(SIG_UNBLOCK);
}

void sw_signals_deadline(double timeout, sw_state state) {
  arm_deadline(timeout, state, NULL, SW_SIGNALS_MARGIN);
}

void sw_signals_reading(double timeout) {
  arm_deadline(timeout, SW_UNKNOWN, "while reading options and files", 0);
}

/* Opens /dev/null on whichever of fds 0, 1, 2 is closed. Otherwise the
 * first file or socket the run opens gets that number: with stdout closed
 * (">&-"), check_resolve's DNS socket became fd 1 and a signal's result
 * line went to the DNS server as a datagram. */
static void std_fds_open(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
      continue;
    int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (nfd >= 0 && nfd != fd) { /* lower fds are open: nfd == fd */
      dup2(nfd, fd);
      close(nfd);
    }
  }
}

void sw_signals_init(const char *service, double start) {
  struct rlimit none = {0, 0};
  struct sigaction sa;
  std_fds_open();
  /* No core file: it could hold a password or a token. RLIMIT_CORE does
   * not bind a core_pattern pipe (core(5)); not being dumpable does. */
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  /* A monitoring engine that closes the pipe early must not kill the
   * plugin before it exits with its state. */
  signal(SIGPIPE, SIG_IGN);
  mask_handled(SIG_BLOCK);
  sig_state.service = service;
  sig_state.start = start;
  sig_state.result = -1;
  mask_handled(SIG_UNBLOCK);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigfillset(&sa.sa_mask); /* one handler at a time, and it never returns */
  for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
    sigaction(handled[i], &sa, NULL);
  sw_signals_deadline(10.0, SW_CRITICAL);
}

void sw_signals_result(sw_state state) {
  sig_state.result = (sig_atomic_t)state;
}

void sw_signals_done(void) {
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
}
