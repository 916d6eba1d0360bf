/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The --extra-opts ini reader, as Monitoring Plugins read it:
 *   [section]
 *   key=value      -> --key=value
 *   key            -> --key
 *   # or ; comment
 * Blanks around keys and values are trimmed; a value may be quoted with
 * "..." to keep its blanks. */
#ifndef STREAMWATCH_INI_H
#define STREAMWATCH_INI_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/state.h"
#include "streamwatch/strvec.h"

/* Appends the options of `section` found in text (len bytes) to out as
 * "--key=value" / "--key". *found tells whether the section exists.
 * Returns 0, or -1 with err (line number) on a malformed line, a NUL
 * byte or out of memory. A pure function over bytes. */
int sw_ini_section(const char *text, size_t len, const char *section,
                   sw_strvec *out, bool *found, sw_err *err);

/* Finds the ini file when --extra-opts names none: $MP_CONFIG_FILE, then
 * monitoring-plugins.ini / plugins.ini / nagios-plugins.ini in each
 * directory of $NAGIOS_CONFIG_PATH, then the standard paths of
 * Monitoring Plugins (/usr/local/etc/monitoring-plugins/..., /etc/...,
 * then the old nagios paths). Returns 0 with the path in buf, or -1 with
 * err when none exists. */
int sw_ini_find(char *buf, size_t n, sw_err *err);

/* Reads section from file into out; a missing file or section is an
 * error naming it. Returns 0 or -1. */
int sw_ini_load(const char *path, const char *section, sw_strvec *out,
                sw_err *err);

#endif
