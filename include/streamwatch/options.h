/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The standard plugin options (-h -V -v -t -w -c -4 -6 --extra-opts),
 * the argument vector built from --extra-opts ini sections, and the
 * wiping of secrets from the process's own argv. */
#ifndef STREAMWATCH_OPTIONS_H
#define STREAMWATCH_OPTIONS_H

#include <getopt.h>
#include <stdio.h>
#include "streamwatch/range.h"
#include "streamwatch/state.h"
#include "streamwatch/strvec.h"

/* What the standard options set. */
typedef struct {
  int verbose;            /* -v count */
  double timeout;         /* -t seconds, default 10 */
  sw_state timeout_state; /* -t ...:STATE, default CRITICAL */
  sw_range warn, crit;    /* -w / -c */
  int family;             /* 0, 4 (-4) or 6 (-6) */
} sw_std_opts;

/* Long-option values above any character, for options without a short
 * form; plugins number their own from SW_OPT_PLUGIN. */
enum { SW_OPT_EXTRA_OPTS = 0x1000, SW_OPT_PLUGIN = 0x1100 };

/* What sw_std_option made of one option. */
typedef enum {
  SW_STD_ERROR = -1, /* bad value: err names the option */
  SW_STD_NOT_MINE = 0,
  SW_STD_DONE = 1,
  SW_STD_HELP = 2,
  SW_STD_VERSION = 3
} sw_std_result;

/* Sets the defaults (timeout 10 s, CRITICAL on expiry). Can't fail. */
void sw_std_init(sw_std_opts *o);

/* Handles option c (as getopt_long returned it) with argument arg. */
sw_std_result sw_std_option(sw_std_opts *o, int c, const char *arg,
                            sw_err *err);

/* Parses -t's "SECONDS[:STATE]": seconds > 0 with fractions, STATE one of
 * ok/warning/critical/unknown. Returns 0, or -1 with err naming -t. */
int sw_parse_timeout(const char *arg, double *seconds, sw_state *state,
                     sw_err *err);

/* Builds the argument vector a plugin parses: argv[0], then the options
 * of every --extra-opts section (ini options come first so that the
 * command line wins), then the rest of the command line without the
 * --extra-opts options. prog names the default section.
 *
 * Afterwards the values of the long options named in secrets (a
 * NULL-terminated list such as {"password", NULL}; may be NULL) are
 * overwritten in the caller's argv (and so are credential headers, see
 * sw_args_wipe), so /proc/PID/cmdline and ps never show them; out holds
 * copies. Returns 0, or -1 with err naming the problem (unreadable ini
 * file, missing section, out of memory). */
int sw_args_build(int argc, char **argv, const char *prog,
                  const char *const *secrets, sw_strvec *out, sw_err *err);

/* Overwrites with 'x', in place, the value of every --NAME=VALUE /
 * --NAME VALUE whose NAME is in secrets (may be NULL), of every
 * credential header line (sw_secret_header: "Authorization: ..." given
 * to -k, --header=..., -k...), and the password of every URL userinfo
 * ("-u https://user:PASSWORD@host/", "--proxy=http://u:PASSWORD@p"),
 * up to "--". Can't fail. */
void sw_args_wipe(int argc, char **argv, const char *const *secrets);

/* Appends to masks a copy of every secret sw_args_wipe would wipe in
 * args (the vector sw_args_build made, ini options included; a header's
 * credentials also without their scheme), so that a usage error, printed
 * before the plugin knows its own masks, never shows one. Returns 0, or
 * -1 when out of memory. */
int sw_args_masks(const sw_strvec *args, const char *const *secrets,
                  sw_strvec *masks);

/* Finds -t in argv before anything is parsed or read, so that reading
 * options and files runs under it: the last valid "-t V", "-tV",
 * "--timeout=V", "--timeout V" (or an abbreviation down to "--ti"), also
 * at the end of a cluster of standard flags ("-vt5"), before "--". A
 * pre-scan, not a parse: a value of another option that looks like -t
 * can fool it, which only moves the safety-net alarm until the options
 * are parsed. Returns 1 with *seconds and *state (CRITICAL unless
 * given), or 0 with them untouched. Can't fail. */
int sw_timeout_prescan(int argc, char *const *argv, double *seconds,
                       sw_state *state);

/* Prints "check_x v1.2.3 (streamwatch 1.2.3; libs)" as its first line,
 * then the licence (GPL-3.0-or-later) and the no-warranty notice. */
void sw_print_version(FILE *out, const char *prog, const char *libs);

#endif
