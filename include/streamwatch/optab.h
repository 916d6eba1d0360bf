/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One table per plugin holds its options: getopt_long's table and short
 * letters, the option list of --help, the option heads of the man page
 * and the Icinga 2 CheckCommand arguments are all made from it, so that
 * none of them can drift from the others (tests/optab.sh compares the
 * man pages and docs/icinga2/streamwatch.conf with what the tables make,
 * byte for byte). */
#ifndef STREAMWATCH_OPTAB_H
#define STREAMWATCH_OPTAB_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include "streamwatch/options.h"
#include "streamwatch/state.h"

/* What an option takes, which also says how Icinga passes it. */
typedef enum {
  SW_ARG_NONE,     /* a flag; Icinga: set_if = "$var$" */
  SW_ARG_ONE,      /* one value; Icinga: value, guarded by set_if */
  SW_ARG_MANY,     /* repeatable value; Icinga: an array (repeat_key) */
  SW_ARG_OPTIONAL, /* --name[=value] (--extra-opts); Icinga: as ONE */
  SW_ARG_COUNT,    /* -v, counted; Icinga: -v/-vv/-vvv from one variable */
  SW_ARG_INFO      /* -h, -V: prints and exits; not in Icinga */
} sw_argkind;

/* One option. */
typedef struct {
  int val;          /* short letter, or a number above 0xff without one */
  const char *name; /* long name */
  sw_argkind kind;
  const char *arg;    /* its value's name ("URL", "'Name: value'"), or NULL */
  const char *help;   /* --help description, '\n' between lines */
  const char *var;    /* Icinga variable after "<prefix>_"; NULL: the long
                         name with '_' for '-' */
  const char *icinga; /* Icinga description; "@_" stands for "<prefix>_" */
} sw_optdef;

/* A plugin's table. */
typedef struct {
  const char *prog;   /* "check_api" */
  const char *prefix; /* Icinga variables' prefix: "api" */
  const sw_optdef *v;
  size_t n;
} sw_optab;

#define SW_OPTAB(prog, prefix, rows)                                           \
  { prog, prefix, rows, sizeof rows / sizeof *rows }

/* The most options a table holds. */
enum { SW_OPTAB_MAX = 80 };

/* getopt_long's long table (longs: SW_OPTAB_MAX + 1 entries, the last
 * zeroed) and its short-option string (":" first, so that a missing
 * value is ':'; shorts: 3 * SW_OPTAB_MAX + 2 bytes). Returns 0, or -1
 * with err when the table is too big. */
int sw_optab_getopt(const sw_optab *t, struct option *longs, char *shorts,
                    sw_err *err);

/* The --help option list: " -u, --url=URL" and the description in
 * column 28, on the same line when the head leaves room, else on the
 * next; every further line indented to it. */
void sw_optab_help(const sw_optab *t, FILE *out);

/* The man page's option heads, one line each, in the table's order:
 * ".BR \-u \", \" \-\-url =\fIURL\fR" (several options that share a
 * description stand as .TP and .TQ heads of one item). */
void sw_optab_man(const sw_optab *t, FILE *out);

/* The Icinga 2 CheckCommand's arguments block, from "  arguments = {" to
 * "  }", as docs/icinga2/streamwatch.conf holds it. */
void sw_optab_icinga(const sw_optab *t, FILE *out);

/* The rows every plugin has. */
#define SW_OPTDEF_TIMEOUT(what)                                                \
  {                                                                            \
    't', "timeout", SW_ARG_ONE, "SECONDS[:STATE]",                             \
        "deadline for the whole " what " (default 10:critical)", NULL,         \
        "Deadline for the whole run, SECONDS[:STATE] (plugin default "         \
        "10:critical); keep it below the check's timeout (CheckCommand "       \
        "default "                                                             \
        "1m)"                                                                  \
  }
#define SW_OPTDEF_IPV4(help, icinga)                                           \
  { '4', "use-ipv4", SW_ARG_NONE, NULL, help, "ipv4", icinga }
#define SW_OPTDEF_IPV6(help, icinga)                                           \
  { '6', "use-ipv6", SW_ARG_NONE, NULL, help, "ipv6", icinga }
#define SW_OPTDEF_EXTRA_OPTS                                                   \
  {                                                                            \
    SW_OPT_EXTRA_OPTS, "extra-opts", SW_ARG_OPTIONAL, "[SECTION][@FILE]",      \
        "read options from an ini file", NULL,                                 \
        "Options from an ini file, [SECTION][@FILE] (Monitoring Plugins' "     \
        "extra-opts; SECTION defaults to the plugin's name)"                   \
  }
#define SW_OPTDEF_VERBOSE(help)                                                \
  {                                                                            \
    'v', "verbose", SW_ARG_COUNT, NULL, help, NULL,                            \
        "More detail in the long output: true or 1 (-v), 2 (-vv: the "         \
        "requests "                                                            \
        "made), 3 (-vvv: protocol trace); secrets are masked at every level"   \
  }
#define SW_OPTDEF_HELP_VERSION                                                 \
  {'h', "help", SW_ARG_INFO, NULL, "this help", NULL, NULL}, {                 \
    'V', "version", SW_ARG_INFO, NULL, "version and library versions", NULL,   \
        NULL                                                                   \
  }

#endif
