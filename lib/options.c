/* SPDX-License-Identifier: GPL-3.0-or-later */
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
  if (at && at[1]) {
    if (strlen(at + 1) >= sizeof path) /* cut, it would name another file */
      return sw_fail(err, "--extra-opts: file name longer than %zu bytes",
                     sizeof path - 1);
    memcpy(path, at + 1, strlen(at + 1) + 1);
  } else if (sw_ini_find(path, sizeof path, err) < 0)
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
  if (!secrets || strncmp(arg, "--", 2) != 0 || arg[2] == '\0' || arg[2] == '=')
    return 0;
  size_t len = strcspn(arg + 2, "=");
  for (size_t i = 0; secrets[i]; i++)
    if (len <= strlen(secrets[i]) && strncmp(arg + 2, secrets[i], len) == 0)
      return 1;
  return 0;
}

/* What secret_spans calls for each secret it finds: n bytes at p. */
typedef int (*span_fn)(void *ctx, char *p, size_t n);

/* The value of a credential header (sw_secret_header) that arg is or
 * carries: "Authorization: Bearer x" (after -k or --header),
 * "--header=Authorization: ...", or "-kAuthorization: ..." (also at the
 * end of a cluster such as -vk...). Returns 0 or what fn returned. */
static int header_span(char *arg, span_fn fn, void *ctx) {
  char *h = arg;
  if (strncmp(arg, "--", 2) == 0 && strchr(arg, '='))
    h = strchr(arg, '=') + 1;
  else if (arg[0] == '-' && arg[1] != '-' && strchr(arg, 'k'))
    h = strchr(arg, 'k') + 1;
  size_t len = strlen(h), v = sw_secret_header(h, len);
  return v && v < len ? fn(ctx, h + v, len - v) : 0;
}

/* The password of every URL userinfo ("scheme://user:PASSWORD@host")
 * inside arg: -u's URL, --proxy's, or one in any other value. The
 * authority ends at the first '/', '?' or '#', and its userinfo at the
 * last '@' in it (RFC 3986 3.2). Returns 0 or what fn returned. */
static int url_spans(char *arg, span_fn fn, void *ctx) {
  for (char *p = strstr(arg, "://"); p; p = strstr(p, "://")) {
    char *auth = p + 3, *end = auth + strcspn(auth, "/?#"), *at = NULL;
    for (char *q = auth; q < end; q++)
      if (*q == '@')
        at = q;
    char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    int rc = colon && at > colon + 1
                 ? fn(ctx, colon + 1, (size_t)(at - colon - 1))
                 : 0;
    if (rc)
      return rc;
    p = end;
  }
  return 0;
}

/* Calls fn for every secret in argv[1..argc) up to "--": the value of a
 * secret option (--NAME=VALUE or --NAME VALUE, NAME in secrets, which
 * may be NULL), a credential header's value and a URL's password. Stops
 * at the first non-zero return of fn and returns it. */
static int secret_spans(int argc, char **argv, const char *const *secrets,
                        span_fn fn, void *ctx) {
  int rc = 0;
  for (int i = 1; i < argc && rc == 0; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    rc = header_span(argv[i], fn, ctx);
    if (rc == 0)
      rc = url_spans(argv[i], fn, ctx);
    if (rc || !names_secret(argv[i], secrets))
      continue;
    char *eq = strchr(argv[i], '=');
    if (eq && eq[1])
      rc = fn(ctx, eq + 1, strlen(eq + 1));
    else if (!eq && i + 1 < argc && argv[i + 1][0])
      rc = fn(ctx, argv[i + 1], strlen(argv[i + 1]));
  }
  return rc;
}

static int wipe_span(void *ctx, char *p, size_t n) {
  (void)ctx;
  memset(p, 'x', n);
  return 0;
}

void sw_args_wipe(int argc, char **argv, const char *const *secrets) {
  secret_spans(argc, argv, secrets, wipe_span, NULL);
}

/* Adds the n bytes at p, and for "Scheme credentials" the credentials
 * alone, to the masks ctx. */
static int mask_span(void *ctx, char *p, size_t n) {
  sw_strvec *masks = ctx;
  size_t scheme = 0;
  while (scheme < n && p[scheme] != ' ' && p[scheme] != '\t')
    scheme++;
  size_t cred = scheme;
  while (cred < n && (p[cred] == ' ' || p[cred] == '\t'))
    cred++;
  if (sw_strvec_addn(masks, p, n) < 0 ||
      (cred > scheme && cred < n &&
       sw_strvec_addn(masks, p + cred, n - cred) < 0))
    return -1;
  return 0;
}

int sw_args_masks(const sw_strvec *args, const char *const *secrets,
                  sw_strvec *masks) {
  if (!args || args->n == 0)
    return 0;
  return secret_spans((int)args->n, args->v, secrets, mask_span, masks);
}

/* Is arg a long option naming --timeout, in full or abbreviated down to
 * "--ti" (shorter is ambiguous with --tls-min, --token-cache...)? */
static int names_timeout(const char *arg) {
  if (strncmp(arg, "--", 2) != 0)
    return 0;
  size_t nl = strcspn(arg + 2, "=");
  return nl >= 2 && nl <= 7 && strncmp(arg + 2, "timeout", nl) == 0;
}

int sw_timeout_prescan(int argc, char *const *argv, double *seconds,
                       sw_state *state) {
  int found = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    if (strcmp(a, "--") == 0)
      break;
    if (names_timeout(a)) {
      const char *eq = strchr(a, '=');
      v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
    } else if (a[0] == '-' && a[1] != '-') {
      /* -t, -tV, or a cluster of the standard flags ending in t: -vt5 */
      size_t k = 1 + strspn(a + 1, "vV46h");
      if (a[k] == 't')
        v = a[k + 1] ? a + k + 1 : i + 1 < argc ? argv[++i] : NULL;
    }
    double s;
    sw_state st = SW_CRITICAL;
    if (v && sw_parse_timeout(v, &s, &st, NULL) == 0) {
      *seconds = s;
      *state = st;
      found = 1;
    }
  }
  return found;
}

/* The first line is what scripts and tests parse; the licence follows it,
 * as GNU programs print it (COPYING, debian/copyright). */
void sw_print_version(FILE *out, const char *prog, const char *libs) {
  fprintf(out, "%s v%s (%s %s; %s)\n", prog, PACKAGE_VERSION, PACKAGE_NAME,
          PACKAGE_VERSION, libs);
  fputs("License GPL-3.0-or-later: GNU GPL version 3 or later "
        "<https://gnu.org/licenses/gpl.html>\n"
        "This is free software: you are free to change and redistribute it.\n"
        "There is NO WARRANTY, to the extent permitted by law.\n",
        out);
}
