/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The --extra-opts ini reader and its file search path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "streamwatch/ini.h"
#include "streamwatch/secret.h"

/* Bytes [*b, *e) with blanks trimmed on both sides. */
static void trim(const char **b, const char **e) {
  while (*b < *e && (**b == ' ' || **b == '\t' || **b == '\r'))
    (*b)++;
  while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
    (*e)--;
}

/* The longest ini option ("--key=value") taken: a 64 KiB token given
 * as bearer=... (conventions: secrets may come through --extra-opts) and
 * its name. */
#define INI_OPTION_MAX (64 * 1024 + 256)

/* Turns "key=value" or "key" into "--key=value" / "--key". The value may
 * be a secret: the copy made here is wiped once the vector has its own. */
static int ini_option(const char *b, const char *e, sw_strvec *out, int lineno,
                      sw_err *err) {
  const char *eq = memchr(b, '=', (size_t)(e - b));
  const char *kb = b, *ke = eq ? eq : e, *vb = e, *ve = e;
  trim(&kb, &ke);
  if (kb == ke)
    return sw_fail(err, "--extra-opts: line %d: option name missing", lineno);
  if (eq) {
    vb = eq + 1;
    trim(&vb, &ve);
    /* A quoted value keeps its blanks. */
    if (ve - vb >= 2 && *vb == '"' && ve[-1] == '"') {
      vb++;
      ve--;
    }
  }
  size_t kl = (size_t)(ke - kb), vl = (size_t)(ve - vb);
  if (kl + vl > INI_OPTION_MAX)
    return sw_fail(err, "--extra-opts: line %d: longer than %d bytes", lineno,
                   INI_OPTION_MAX);
  char *opt = malloc(kl + vl + 4); /* "--", '=', NUL */
  if (!opt)
    return sw_fail(err, "--extra-opts: out of memory");
  memcpy(opt, "--", 2);
  memcpy(opt + 2, kb, kl);
  opt[2 + kl] = '\0';
  if (eq) {
    opt[2 + kl] = '=';
    memcpy(opt + 3 + kl, vb, vl);
    opt[3 + kl + vl] = '\0';
  }
  int rc = sw_strvec_add(out, opt);
  sw_secret_free(opt);
  return rc < 0 ? sw_fail(err, "--extra-opts: out of memory") : 0;
}

int sw_ini_section(const char *text, size_t len, const char *section,
                   sw_strvec *out, bool *found, sw_err *err) {
  const char *p = text, *end = text + len;
  bool in_section = false;
  *found = false;
  for (int lineno = 1; p < end; lineno++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *b = p, *e = nl ? nl : end;
    p = nl ? nl + 1 : end;
    /* a NUL would cut an option short ("\0=x" gives "--") */
    if (memchr(b, '\0', (size_t)(e - b)))
      return sw_fail(err, "--extra-opts: line %d: NUL byte", lineno);
    trim(&b, &e);
    if (b == e || *b == '#' || *b == ';')
      continue;
    if (*b == '[') {
      if (e[-1] != ']')
        return sw_fail(err, "--extra-opts: line %d: ']' missing", lineno);
      const char *sb = b + 1, *se = e - 1;
      trim(&sb, &se);
      in_section = strlen(section) == (size_t)(se - sb) &&
                   memcmp(section, sb, (size_t)(se - sb)) == 0;
      *found = *found || in_section;
      continue;
    }
    if (in_section && ini_option(b, e, out, lineno, err) < 0)
      return -1;
  }
  return 0;
}

/* The paths Monitoring Plugins search, in their order. */
static const char *const ini_default_paths[] = {
    "/usr/local/etc/monitoring-plugins/monitoring-plugins.ini",
    "/usr/local/etc/monitoring-plugins.ini",
    "/etc/monitoring-plugins/monitoring-plugins.ini",
    "/etc/monitoring-plugins.ini",
    "/etc/nagios/plugins.ini",
    "/usr/local/nagios/etc/plugins.ini",
    "/usr/local/etc/nagios/plugins.ini",
    "/etc/opt/nagios/plugins.ini",
    "/etc/nagios-plugins.ini",
    "/usr/local/etc/nagios-plugins.ini",
    "/etc/opt/nagios-plugins.ini",
};

/* Looks for the ini file names in each directory of a colon list. */
static int ini_find_in_dirs(const char *dirs, char *buf, size_t n) {
  static const char *const names[] = {"monitoring-plugins.ini", "plugins.ini",
                                      "nagios-plugins.ini"};
  const char *p = dirs;
  while (*p) {
    size_t dl = strcspn(p, ":");
    for (size_t i = 0; dl > 0 && i < sizeof names / sizeof names[0]; i++) {
      int len = snprintf(buf, n, "%.*s/%s", (int)dl, p, names[i]);
      if (len > 0 && (size_t)len < n && access(buf, R_OK) == 0)
        return 0;
    }
    p += dl;
    if (*p == ':')
      p++;
  }
  return -1;
}

int sw_ini_find(char *buf, size_t n, sw_err *err) {
  const char *env = getenv("MP_CONFIG_FILE");
  if (env && *env) {
    /* named explicitly: a missing file is reported by the load; a cut
     * name would name another file */
    if (strlen(env) >= n)
      return sw_fail(err,
                     "--extra-opts: MP_CONFIG_FILE is longer than %zu "
                     "bytes",
                     n - 1);
    memcpy(buf, env, strlen(env) + 1);
    return 0;
  }
  env = getenv("NAGIOS_CONFIG_PATH");
  if (env && ini_find_in_dirs(env, buf, n) == 0)
    return 0;
  for (size_t i = 0; i < sizeof ini_default_paths / sizeof *ini_default_paths;
       i++) {
    if (strlen(ini_default_paths[i]) < n &&
        access(ini_default_paths[i], R_OK) == 0) {
      memcpy(buf, ini_default_paths[i], strlen(ini_default_paths[i]) + 1);
      return 0;
    }
  }
  return sw_fail(err, "--extra-opts: no ini file found (set MP_CONFIG_FILE "
                      "or name one: --extra-opts=SECTION@FILE)");
}

int sw_ini_load(const char *path, const char *section, sw_strvec *out,
                sw_err *err) {
  char *text;
  size_t len;
  bool found = false;
  /* an ini file of options is never large */
  if (sw_read_file(path, 1 << 20, "--extra-opts", &text, &len, err) < 0)
    return -1;
  int rc = sw_ini_section(text, len, section, out, &found, err);
  if (rc == 0 && !found)
    rc = sw_fail(err, "--extra-opts: section [%s] not found in %s", section,
                 path);
  free(text);
  return rc;
}
