/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared main of every plugin; see include/streamwatch/plugin.h. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "streamwatch/plugin.h"
#include "streamwatch/result.h"
#include "streamwatch/secret.h"
#include "streamwatch/signals.h"
#include "streamwatch/strvec.h"

sw_std_result sw_getopt_error(int c, char **argv, sw_err *err) {
  const char *bad = optind > 0 ? argv[optind - 1] : "?";
  char opt[3] = {'-', (char)optopt, '\0'};
  if (!bad)
    bad = "?";
  /* Only the option's name: a mistyped or ambiguous --secret-option=VALUE
   * (--client-secrt=..., --bear=...) must not print its value, nor a
   * cluster such as -xVALUE more than its unknown letter. */
  if (optopt > 0 && optopt < 128 && strncmp(bad, "--", 2) != 0)
    bad = opt;
  sw_fail(err, "%.*s: %s", (int)strcspn(bad, "="), bad,
          c == ':' ? "needs a value" : "unknown option (see --help)");
  return SW_STD_ERROR;
}

sw_std_result sw_getopt_all(int argc, char **argv, const sw_optab *tab,
                            sw_std_opts *std, sw_option_fn own, void *cfg,
                            sw_err *err) {
  struct option longs[SW_OPTAB_MAX + 1];
  char shorts[3 * SW_OPTAB_MAX + 2];
  int c;
  if (sw_optab_getopt(tab, longs, shorts, err) < 0)
    return SW_STD_ERROR;
  opterr = 0; /* errors are ours to word, on stdout */
  optind = 1;
  while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
    if (c == '?' || c == ':')
      return sw_getopt_error(c, argv, err);
    sw_std_result r = sw_std_option(std, c, optarg, err);
    if (r == SW_STD_NOT_MINE)
      r = own(cfg, c, optarg, err) < 0 ? SW_STD_ERROR : SW_STD_DONE;
    if (r != SW_STD_DONE)
      return r;
  }
  if (optind < argc) {
    /* Not echoed: a stray word is often half of a value that needed
     * quotes ("-k X-Api-Key: SECRET"), so it may be a secret. */
    sw_fail(err, "unexpected argument (a value with blanks needs quotes; "
                 "see --help)");
    return SW_STD_ERROR;
  }
  return SW_STD_DONE;
}

/* Prints an UNKNOWN that comes before the run (a usage error, an
 * unreadable file) through the one printer: sanitised, and with every
 * secret found in args masked (NULL args: none known). Returns UNKNOWN. */
static int print_unknown(const sw_plugin *p, const sw_strvec *args,
                         const char *msg) {
  sw_strvec masks = {0};
  if (sw_args_masks(args, p->secrets, &masks) < 0)
    msg = "out of memory"; /* never the unmasked message */
  sw_check_print_unknown(p->service, msg, (const char *const *)masks.v, stdout);
  sw_masks_free(&masks);
  return SW_UNKNOWN;
}

/* Arms the alarm for reading options and files: the -t a pre-scan finds
 * in argv, or the default 10 s. */
static void arm_reading(int argc, char **argv) {
  double t = 10.0;
  sw_state st = SW_CRITICAL;
  sw_timeout_prescan(argc, argv, &t, &st);
  sw_signals_reading(t);
}

/* Whether to end with the libraries' clean-up (free, OpenSSL's and
 * libcurl's atexit work) rather than _exit once the result is out: in
 * sanitizer and fuzzing builds (SW_FULL_EXIT) and under valgrind's
 * memcheck (its preload library in LD_PRELOAD), where a leak must stay
 * visible. callgrind measures what a run costs, so it sees the _exit. */
static bool full_exit(void) {
#ifdef SW_FULL_EXIT
  return true;
#else
  const char *pre = getenv("LD_PRELOAD");
  return pre && strstr(pre, "vgpreload_memcheck");
#endif
}

int sw_plugin_main(const sw_plugin *p, void *cfg, int argc, char **argv) {
  const sw_std_opts *std = NULL;
  sw_deadline d;
  sw_strvec args = {0};
  sw_err err = {""};
  char libs[256];
  int state = SW_UNKNOWN;
  /* The deadline starts now: option parsing and files count against -t. */
  double start = sw_now();
  /* No core dumps, SIGPIPE ignored, SIGTERM/SIGINT/SIGHUP and the -t
   * alarm end the run with one result line (lib/signals.c). The alarm is
   * armed before the first file (--extra-opts' ini) is opened, for the -t
   * of the command line, then for the one the ini file may add. */
  sw_signals_init(p->service, start);
  arm_reading(argc, argv);
  if (sw_args_build(argc, argv, p->prog, p->secrets, &args, &err) < 0) {
    state = print_unknown(p, NULL, err.msg);
    goto out;
  }
  arm_reading((int)args.n, args.v);
  sw_std_result parsed = p->parse((int)args.n, args.v, cfg, &std, &err);
  if (parsed == SW_STD_HELP || parsed == SW_STD_VERSION)
    sw_signals_result(SW_UNKNOWN);
  switch (parsed) {
  case SW_STD_HELP: p->help(stdout); break;
  case SW_STD_VERSION:
    sw_print_version(stdout, p->prog, p->libs(libs, sizeof libs));
    break;
  case SW_STD_DONE:
    d.start = start;
    d.end = start + std->timeout;
    sw_signals_deadline(std->timeout, std->timeout_state);
    state = p->run(cfg, &d);
    break;
  default: print_unknown(p, &args, err.msg); break;
  }
  /* The result is all that is left to do: out it goes, and nothing runs
   * after it (a run's memory and secrets end with the process; core
   * dumps are off). */
  if (fflush(stdout) == 0 && !full_exit())
    _exit(state);
  if (p->free_cfg)
    p->free_cfg(cfg);
out:
  sw_masks_free(&args); /* the copies hold the secrets argv no longer does */
  fflush(stdout);
  sw_signals_done();
  return state;
}
