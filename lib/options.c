/* The standard options, --extra-opts expansion and secret wiping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/ini.h"
#include "streamwatch/options.h"
#include "streamwatch/secret.h"
#include "streamwatch/strparse.h"

void sw_std_init(sw_std_opts *o) {
  memset(o, 0, sizeof *o);
  o->timeout = 10.0;
  o->timeout_state = SW_CRITICAL;
}

int sw_parse_timeout(const char *arg, double *seconds, sw_state *state,
                     sw_err *err) {
  const char *colon = strchr(arg, ':');
  size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
  double s;
  if (sw_parse_double_n(arg, len, &s) < 0 || !(s > 0) || s > 86400)
    return sw_fail(err,
                   "-t: invalid timeout '%s' (seconds greater than 0, "
                   "e.g. 10 or 2.5, optionally :STATE)",
                   arg);
  if (colon && sw_state_parse(colon + 1, state) < 0)
    return sw_fail(err,
                   "-t: invalid state '%s' (ok, warning, critical or "
                   "unknown)",
                   colon + 1);
  *seconds = s;
  return 0;
}

sw_std_result sw_std_option(sw_std_opts *o, int c, const char *arg,
                            sw_err *err) {
  switch (c) {
  case 'h': return SW_STD_HELP;
  case 'V': return SW_STD_VERSION;
  case 'v': o->verbose++; return SW_STD_DONE;
  case '4': o->family = 4; return SW_STD_DONE;
  case '6': o->family = 6; return SW_STD_DONE;
  case 't':
    return sw_parse_timeout(arg, &o->timeout, &o->timeout_state, err) < 0
               ? SW_STD_ERROR
               : SW_STD_DONE;
  case 'w':
    return sw_range_parse(arg, "-w", &o->warn, err) < 0 ? SW_STD_ERROR
                                                        : SW_STD_DONE;
  case 'c':
    return sw_range_parse(arg, "-c", &o->crit, err) < 0 ? SW_STD_ERROR
                                                        : SW_STD_DONE;
  case SW_OPT_EXTRA_OPTS:
    return SW_STD_DONE; /* already expanded by sw_args_build */
  default: return SW_STD_NOT_MINE;
  }
}

/* Appends the options of one "[SECTION][@FILE]" value. */
static int add_extra_opts(const char *value, const char *prog, sw_strvec *out,
                          sw_err *err) {
  const char *at = value ? strchr(value, '@') : NULL;
  char section[256], path[4096];
  size_t sl = value ? (at ? (size_t)(at - value) : strlen(value)) : 0;
  if (sl >= sizeof section)
    return sw_fail(err, "--extra-opts: section name too long");
  if (sl == 0)
    snprintf(section, sizeof section, "%s", prog);
  else
    snprintf(section, sizeof section, "%.*s", (int)sl, value);
  if (at && at[1])
    snprintf(path, sizeof path, "%s", at + 1);
  else if (sw_ini_find(path, sizeof path, err) < 0)
    return -1;
  return sw_ini_load(path, section, out, err);
}

/* Is argv[i] --extra-opts? Sets *value (NULL when bare) and *used (how
 * many argv entries it takes: a bare one takes the next word unless that
 * is an option, as Monitoring Plugins do). */
static int is_extra_opts(int argc, char **argv, int i, const char **value,
                         int *used) {
  /* getopt_long takes abbreviations, so must this: "--extra" and longer
   * prefixes (shorter ones clash with other options, such as --expect). */
  static const char name[] = "--extra-opts";
  size_t nl = strcspn(argv[i], "=");
  if (nl < 7 || nl > sizeof name - 1 || strncmp(argv[i], name, nl) != 0)
    return 0;
  if (argv[i][nl] == '=') {
    *value = argv[i] + nl + 1;
    *used = 1;
    return 1;
  }
  if (argv[i][nl] != '\0')
    return 0;
  *used = 1;
  *value = NULL;
  if (i + 1 < argc && argv[i + 1][0] != '-') {
    *value = argv[i + 1];
    *used = 2;
  }
  return 1;
}

int sw_args_build(int argc, char **argv, const char *prog,
                  const char *const *secrets, sw_strvec *out, sw_err *err) {
  sw_strvec rest = {0};
  int rc = -1;
  memset(out, 0, sizeof *out);
  if (sw_strvec_add(out, argc > 0 ? argv[0] : prog) < 0)
    goto nomem;
  for (int i = 1; i < argc; i++) {
    const char *value;
    int used;
    if (strcmp(argv[i], "--") == 0) {
      for (; i < argc; i++)
        if (sw_strvec_add(&rest, argv[i]) < 0)
          goto nomem;
      break;
    }
    if (is_extra_opts(argc, argv, i, &value, &used)) {
      if (add_extra_opts(value, prog, out, err) < 0)
        goto out;
      i += used - 1;
    } else if (sw_strvec_add(&rest, argv[i]) < 0) {
      goto nomem;
    }
  }
  for (size_t i = 0; i < rest.n; i++)
    if (sw_strvec_add(out, rest.v[i]) < 0)
      goto nomem;
  rc = 0;
  goto out;
nomem:
  rc = sw_fail(err, "out of memory");
out:
  sw_args_wipe(argc, argv, secrets);
  sw_strvec_free(&rest);
  if (rc < 0)
    sw_strvec_free(out);
  return rc;
}

/* Does "--NAME" (up to '=' or the end) name a secret option, given in
 * full or abbreviated as getopt_long allows? */
static int names_secret(const char *arg, const char *const *secrets) {
  if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0' || arg[2] == '=')
    return 0;
  size_t len = strcspn(arg + 2, "=");
  for (size_t i = 0; secrets[i]; i++)
    if (len <= strlen(secrets[i]) && strncmp(arg + 2, secrets[i], len) == 0)
      return 1;
  return 0;
}

/* Overwrites the value of a credential header (sw_secret_header) that
 * arg is or carries: "Authorization: Bearer x" (after -k or --header),
 * "--header=Authorization: ...", or "-kAuthorization: ..." (also at the
 * end of a cluster such as -vk...). Anything else is left alone. */
static void wipe_header(char *arg) {
  char *h = arg;
  if (strncmp(arg, "--", 2) == 0 && strchr(arg, '='))
    h = strchr(arg, '=') + 1;
  else if (arg[0] == '-' && arg[1] != '-' && strchr(arg, 'k'))
    h = strchr(arg, 'k') + 1;
  size_t len = strlen(h), v = sw_secret_header(h, len);
  if (v)
    memset(h + v, 'x', len - v);
}

void sw_args_wipe(int argc, char **argv, const char *const *secrets) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    wipe_header(argv[i]);
    if (!secrets || !names_secret(argv[i], secrets))
      continue;
    char *eq = strchr(argv[i], '=');
    if (eq)
      memset(eq + 1, 'x', strlen(eq + 1));
    else if (i + 1 < argc)
      memset(argv[i + 1], 'x', strlen(argv[i + 1]));
  }
}

void sw_print_version(FILE *out, const char *prog, const char *libs) {
  fprintf(out, "%s v%s (%s %s; %s)\n", prog, PACKAGE_VERSION, PACKAGE_NAME,
          PACKAGE_VERSION, libs);
}
