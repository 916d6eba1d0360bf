/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one main of every plugin: argv (with --extra-opts and secret
 * wiping) -> the plugin's parser -> help, version, a usage error as
 * UNKNOWN naming the option, or the check under the -t deadline. */
#ifndef STREAMWATCH_PLUGIN_H
#define STREAMWATCH_PLUGIN_H

#include <stddef.h>
#include <stdio.h>
#include "streamwatch/deadline.h"
#include "streamwatch/optab.h"
#include "streamwatch/options.h"

typedef struct {
  const char *prog;           /* "check_api": version line, ini section */
  const char *service;        /* "API": the first word of every output */
  const char *const *secrets; /* long options wiped from argv, or NULL */
  /* Parses argv into cfg and returns its standard options. */
  sw_std_result (*parse)(int argc, char **argv, void *cfg,
                         const sw_std_opts **std, sw_err *err);
  void (*help)(FILE *out);
  const char *(*libs)(char *buf, size_t n);    /* "libcurl/7.88.1 ..." */
  int (*run)(void *cfg, const sw_deadline *d); /* prints, returns state */
  void (*free_cfg)(void *cfg);                 /* may be NULL */
} sw_plugin;

/* Runs the plugin; returns the exit code (0..3). */
int sw_plugin_main(const sw_plugin *p, void *cfg, int argc, char **argv);

/* For a plugin's getopt_long loop: turns '?' or ':' into an error naming
 * the option. Returns SW_STD_ERROR. */
sw_std_result sw_getopt_error(int c, char **argv, sw_err *err);

/* A plugin's own option: returns 0, or -1 with err naming it (and "unknown
 * option" for one it does not know). */
typedef int (*sw_option_fn)(void *cfg, int c, const char *arg, sw_err *err);

/* The getopt_long loop of every plugin, over the options of its table
 * (the standard ones among them): the standard options into std, every
 * other one to own(cfg, ...), then no stray argument. Returns
 * SW_STD_DONE, _HELP, _VERSION or _ERROR with err. */
sw_std_result sw_getopt_all(int argc, char **argv, const sw_optab *tab,
                            sw_std_opts *std, sw_option_fn own, void *cfg,
                            sw_err *err);

#endif
