/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/options.c: -t parsing, the standard options, the
 * argument vector built from --extra-opts, and the wiping of secrets from
 * the caller's argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "streamwatch/options.h"
#include "tap.h"

static void test_timeout(void) {
  static const struct {
    const char *text;
    double seconds;
    sw_state state;
  } good[] = {
      {"10", 10, SW_CRITICAL},          {"2.5", 2.5, SW_CRITICAL},
      {"2.5:warning", 2.5, SW_WARNING}, {"3:ok", 3, SW_OK},
      {"1:UNKNOWN", 1, SW_UNKNOWN},     {"0.001:critical", 0.001, SW_CRITICAL},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    double s = -7;
    sw_state st = SW_CRITICAL; /* the default sw_std_init sets */
    sw_err err = {{0}};
    is_int(sw_parse_timeout(good[i].text, &s, &st, &err), 0, "-t '%s' parses",
           good[i].text);
    is_num(s, good[i].seconds, "-t '%s' seconds", good[i].text);
    is_int(st, good[i].state, "-t '%s' state %s", good[i].text,
           sw_state_name(good[i].state));
  }

  static const char *const bad[] = {"0",    "-1",  "abc", "5:bogus", "",
                                    "1e3",  "5:",  ":ok", " 5",      "5 ",
                                    "0:ok", "nan", "inf", "0x10",    "-0.5:ok"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double s = -7;
    sw_state st = SW_WARNING;
    sw_err err = {{0}};
    is_int(sw_parse_timeout(bad[i], &s, &st, &err), -1, "-t '%s' is refused",
           bad[i]);
    ok(strncmp(err.msg, "-t:", 3) == 0, "-t '%s': error names -t (%s)", bad[i],
       err.msg);
    ok(s == -7 && st == SW_WARNING, "-t '%s': outputs untouched", bad[i]);
  }
}

static void test_std_option(void) {
  sw_std_opts o;
  sw_err err = {{0}};
  sw_std_init(&o);
  is_num(o.timeout, 10, "default timeout 10 s");
  is_int(o.timeout_state, SW_CRITICAL, "default timeout state CRITICAL");
  is_int(o.verbose, 0, "default verbose 0");
  is_int(o.family, 0, "default family 0");
  ok(!o.warn.set && !o.crit.set, "no thresholds by default");

  is_int(sw_std_option(&o, 'h', NULL, &err), SW_STD_HELP, "-h is HELP");
  is_int(sw_std_option(&o, 'V', NULL, &err), SW_STD_VERSION, "-V is VERSION");
  for (int i = 0; i < 3; i++)
    is_int(sw_std_option(&o, 'v', NULL, &err), SW_STD_DONE, "-v %d", i + 1);
  is_int(o.verbose, 3, "-v counts");
  is_int(sw_std_option(&o, '4', NULL, &err), SW_STD_DONE, "-4 done");
  is_int(o.family, 4, "-4 sets family 4");
  is_int(sw_std_option(&o, '6', NULL, &err), SW_STD_DONE, "-6 done");
  is_int(o.family, 6, "-6 sets family 6");

  is_int(sw_std_option(&o, 't', "2.5:unknown", &err), SW_STD_DONE, "-t done");
  is_num(o.timeout, 2.5, "-t sets timeout");
  is_int(o.timeout_state, SW_UNKNOWN, "-t sets state");
  is_int(sw_std_option(&o, 't', "0", &err), SW_STD_ERROR, "-t 0 is ERROR");
  ok(strstr(err.msg, "-t") != NULL, "-t error names -t (%s)", err.msg);
  is_num(o.timeout, 2.5, "bad -t leaves the timeout");

  is_int(sw_std_option(&o, 'w', "10:20", &err), SW_STD_DONE, "-w done");
  ok(o.warn.set && sw_range_alerts(&o.warn, 5) && !sw_range_alerts(&o.warn, 15),
     "-w sets the warning range");
  is_str(o.warn.text, "10:20", "-w keeps the text");
  memset(&err, 0, sizeof err);
  is_int(sw_std_option(&o, 'w', "5:3", &err), SW_STD_ERROR, "-w 5:3 is ERROR");
  ok(strstr(err.msg, "-w") != NULL, "-w error names -w (%s)", err.msg);

  is_int(sw_std_option(&o, 'c', "~:10", &err), SW_STD_DONE, "-c done");
  ok(o.crit.set && sw_range_alerts(&o.crit, 11) &&
         !sw_range_alerts(&o.crit, -5),
     "-c sets the critical range");
  memset(&err, 0, sizeof err);
  is_int(sw_std_option(&o, 'c', "10x", &err), SW_STD_ERROR, "-c 10x is ERROR");
  ok(strstr(err.msg, "-c") != NULL, "-c error names -c (%s)", err.msg);

  is_int(sw_std_option(&o, SW_OPT_EXTRA_OPTS, "s@f", &err), SW_STD_DONE,
         "--extra-opts is done (already expanded)");
  is_int(sw_std_option(&o, 'H', "host", &err), SW_STD_NOT_MINE,
         "-H is not a standard option");
  is_int(sw_std_option(&o, SW_OPT_PLUGIN, "x", &err), SW_STD_NOT_MINE,
         "a plugin's long option is not mine");
  is_int(sw_std_option(&o, '?', NULL, &err), SW_STD_NOT_MINE,
         "getopt's '?' is not mine");
}

/* ------------------------------------------------------------ args */

static char tmpdir[256], ini[512];

/* A writable copy of a NULL-terminated list, as the kernel gives argv. */
static char **make_argv(const char *const *list, int *argc) {
  int n = 0;
  while (list[n])
    n++;
  char **v = calloc((size_t)n + 1, sizeof *v);
  for (int i = 0; v && i < n; i++)
    v[i] = strdup(list[i]);
  *argc = n;
  return v;
}

static void free_argv(char **v) {
  for (int i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

/* The vector joined with ' ' for one readable comparison. */
static const char *joined(const sw_strvec *sv) {
  static char buf[2048];
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < sv->n; i++) {
    int l =
        snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "", sv->v[i]);
    if (l < 0 || (size_t)l >= sizeof buf - used)
      break;
    used += (size_t)l;
  }
  return buf;
}

/* Builds from list with prog and secrets; checks the result and, when
 * it succeeds, the joined vector. */
static void build(const char *const *list, const char *prog,
                  const char *const *secrets, int want_rc, const char *want,
                  const char *name) {
  int argc;
  char **argv = make_argv(list, &argc);
  sw_strvec out = {0};
  sw_err err = {{0}};
  int rc = sw_args_build(argc, argv, prog, secrets, &out, &err);
  is_int(rc, want_rc, "%s: result", name);
  if (rc == 0) {
    is_str(joined(&out), want, "%s: vector", name);
    ok(out.v[out.n] == NULL, "%s: NULL-terminated", name);
  } else {
    ok(strstr(err.msg, want) != NULL, "%s: error names '%s' (%s)", name, want,
       err.msg);
    is_int(out.n, 0, "%s: nothing left in out on error", name);
  }
  sw_strvec_free(&out);
  free_argv(argv);
}

static void test_build(void) {
  char at[600], at2[600], at3[600];
  snprintf(at, sizeof at, "--extra-opts=check_x@%s", ini);
  snprintf(at2, sizeof at2, "sec2@%s", ini);
  snprintf(at3, sizeof at3, "--extra-opts=sec2@%s", ini);

  {
    const char *l[] = {"check_x", "-H", "cli", at, "-w", "1", NULL};
    build(l, "check_x", NULL, 0,
          "check_x --host=from-ini --timeout=5 -H cli -w 1",
          "section@file: ini options right after argv[0]");
  }
  {
    const char *l[] = {"/usr/lib/check_x", "-v", NULL};
    build(l, "check_x", NULL, 0, "/usr/lib/check_x -v",
          "no --extra-opts: command line copied");
  }
  {
    const char *l[] = {"check_x", NULL};
    build(l, "check_x", NULL, 0, "check_x", "argv[0] alone");
  }

  /* The default file comes from MP_CONFIG_FILE, the default section is
   * the program name (prog, not argv[0]). */
  setenv("MP_CONFIG_FILE", ini, 1);
  {
    const char *l[] = {"./plugins/check_resolve", "--extra-opts", "-v", NULL};
    build(l, "check_resolve", NULL, 0,
          "./plugins/check_resolve --server=10.0.0.1 -v",
          "bare --extra-opts: program's section from MP_CONFIG_FILE");
  }
  {
    const char *l[] = {"check_resolve", "-v", "--extra-opts=", NULL};
    build(l, "check_resolve", NULL, 0, "check_resolve --server=10.0.0.1 -v",
          "--extra-opts= (empty) is the bare form");
  }
  {
    const char *l[] = {"check_resolve", "--extra-opts=sec2", NULL};
    build(l, "check_resolve", NULL, 0, "check_resolve --verbose",
          "--extra-opts=SECTION uses MP_CONFIG_FILE");
  }
  {
    char v[600];
    snprintf(v, sizeof v, "--extra-opts=@%s", ini);
    const char *l[] = {"check_resolve", v, NULL};
    build(l, "check_resolve", NULL, 0, "check_resolve --server=10.0.0.1",
          "--extra-opts=@FILE uses the program's section");
  }
  {
    const char *l[] = {"check_x", "-H", "h", "--extra-opts", at2, "-v", NULL};
    build(l, "check_x", NULL, 0, "check_x --verbose -H h -v",
          "--extra-opts section@file as two words");
  }
  {
    const char *l[] = {"check_x", at3, "-H", "h", at, NULL};
    build(l, "check_x", NULL, 0,
          "check_x --verbose --host=from-ini --timeout=5 -H h",
          "several --extra-opts: all, in order, before the command line");
  }
  {
    const char *l[] = {"check_x", "-v", "--", at, "-x", NULL};
    char want[700];
    snprintf(want, sizeof want, "check_x -v -- %s -x", at);
    build(l, "check_x", NULL, 0, want, "'--' stops the scan");
  }
  {
    char v[600];
    snprintf(v, sizeof v, "--extra-opts=nosuch@%s", ini);
    const char *l[] = {"check_x", "-v", v, NULL};
    build(l, "check_x", NULL, -1, "nosuch", "missing section");
    build(l, "check_x", NULL, -1, ini, "missing section names the file");
  }
  {
    char v[600];
    snprintf(v, sizeof v, "--extra-opts=check_x@%s/nosuch.ini", tmpdir);
    const char *l[] = {"check_x", v, NULL};
    build(l, "check_x", NULL, -1, "nosuch.ini", "missing file");
  }
  unsetenv("MP_CONFIG_FILE");
}

/* True when none of the first len bytes at p is a byte of secret. */
static int no_secret_byte(const char *p, size_t len, const char *secret) {
  for (size_t i = 0; i < len; i++)
    if (memchr(secret, p[i], strlen(secret)))
      return 0;
  return 1;
}

/* Runs sw_args_build over list with the secret "password" and checks that
 * argv[wiped] lost every byte of "hunter2" after skip bytes, while the
 * built vector still says want. */
static void wipe_case(const char *const *list, int wiped, size_t skip,
                      const char *want, const char *name) {
  static const char *const secrets[] = {"password", "token", NULL};
  int argc;
  char **argv = make_argv(list, &argc);
  if (!argv)
    return;
  size_t len = strlen(argv[wiped]);
  sw_strvec out = {0};
  sw_err err = {{0}};
  is_int(sw_args_build(argc, argv, "check_x", secrets, &out, &err), 0,
         "%s: builds", name);
  is_int(strlen(argv[wiped]), len, "%s: length kept (no hole in argv)", name);
  ok(strncmp(argv[wiped], list[wiped], skip) == 0,
     "%s: the option name stays (%s)", name, argv[wiped]);
  ok(no_secret_byte(argv[wiped] + skip, len - skip, "hunter2"),
     "%s: no byte of the secret left in argv (%s)", name, argv[wiped]);
  is_str(joined(&out), want, "%s: the built vector has the real value", name);
  sw_strvec_free(&out);
  free_argv(argv);
}

static void test_wipe(void) {
  {
    const char *l[] = {"check_x", "-H", "h", "--password=hunter2", NULL};
    wipe_case(l, 3, strlen("--password="), "check_x -H h --password=hunter2",
              "--password=hunter2");
  }
  {
    const char *l[] = {"check_x", "--password", "hunter2", "-v", NULL};
    wipe_case(l, 2, 0, "check_x --password hunter2 -v", "--password hunter2");
  }
  {
    const char *l[] = {"check_x", "--pass=hunter2", NULL};
    wipe_case(l, 1, strlen("--pass="), "check_x --pass=hunter2",
              "abbreviation --pass=hunter2");
  }
  {
    const char *l[] = {"check_x", "--pass", "hunter2", NULL};
    wipe_case(l, 2, 0, "check_x --pass hunter2", "abbreviation --pass hunter2");
  }
  {
    const char *l[] = {"check_x", "--token=hunter2", "--password=hunter2",
                       NULL};
    wipe_case(l, 1, strlen("--token="),
              "check_x --token=hunter2 --password=hunter2",
              "second secret name");
  }
  {
    char v[600];
    snprintf(v, sizeof v, "--extra-opts=check_x@%s", ini);
    const char *l[] = {"check_x", v, "--password=hunter2", NULL};
    wipe_case(l, 2, strlen("--password="),
              "check_x --host=from-ini --timeout=5 --password=hunter2",
              "with --extra-opts");
  }

  /* Non-secret options, longer names that only start like a secret, and
   * anything after "--" are left alone. */
  static const char *const secrets[] = {"password", NULL};
  const char *l[] = {"check_x",
                     "--host=hunter2",
                     "--passwordfile=hunter2",
                     "--port",
                     "hunter2",
                     "-p",
                     "hunter2",
                     "--",
                     "--password=hunter2",
                     NULL};
  int argc;
  char **argv = make_argv(l, &argc);
  if (argv) {
    sw_args_wipe(argc, argv, secrets);
    int same = 1;
    for (int i = 0; i < argc; i++)
      same = same && strcmp(argv[i], l[i]) == 0;
    ok(same, "non-secret options, longer names and operands after '--' "
             "untouched");
    sw_args_wipe(argc, argv, NULL);
    ok(strcmp(argv[8], l[8]) == 0, "NULL secrets wipes nothing");
    free_argv(argv);
  }

  /* Credential headers, in each form -k takes, lose their value; other
   * headers and a credential header after "--" keep theirs. */
  const char *lh[] = {"check_x",
                      "-k",
                      "Authorization: Bearer hunter2",
                      "--header=X-Api-Key: hunter2",
                      "-kCookie: sid=hunter2",
                      "-vkX-Auth-Token:hunter2",
                      "--head",
                      "Proxy-Authorization: Basic hunter2",
                      "-k",
                      "Accept: hunter2",
                      "-j/token==hunter2",
                      "--",
                      "Authorization: hunter2",
                      NULL};
  const char *want[] = {"check_x",
                        "-k",
                        "Authorization: xxxxxxxxxxxxxx",
                        "--header=X-Api-Key: xxxxxxx",
                        "-kCookie: xxxxxxxxxxx",
                        "-vkX-Auth-Token:xxxxxxx",
                        "--head",
                        "Proxy-Authorization: xxxxxxxxxxxxx",
                        "-k",
                        "Accept: hunter2",
                        "-j/token==hunter2",
                        "--",
                        "Authorization: hunter2"};
  argv = make_argv(lh, &argc);
  if (argv) {
    sw_args_wipe(argc, argv, NULL);
    for (int i = 0; i < argc; i++)
      is_str(argv[i], want[i], "credential header wipe: '%s'", lh[i]);
    free_argv(argv);
  }

  /* A secret option last, without its value: nothing to wipe, no crash. */
  const char *l2[] = {"check_x", "--password", NULL};
  argv = make_argv(l2, &argc);
  if (argv) {
    sw_args_wipe(argc, argv, secrets);
    is_str(argv[1], "--password", "a trailing --password is left as is");
    free_argv(argv);
  }

  /* The wipe happens even when the build fails: the process must not
   * keep showing the secret while it prints its UNKNOWN. */
  char v[600];
  snprintf(v, sizeof v, "--extra-opts=nosuch@%s", ini);
  const char *l3[] = {"check_x", "--password=hunter2", v, NULL};
  argv = make_argv(l3, &argc);
  if (argv) {
    sw_strvec out = {0};
    sw_err err = {{0}};
    is_int(sw_args_build(argc, argv, "check_x", secrets, &out, &err), -1,
           "build with a missing section fails");
    ok(no_secret_byte(argv[1] + 11, strlen(argv[1]) - 11, "hunter2"),
       "the secret is wiped anyway (%s)", argv[1]);
    sw_strvec_free(&out);
    free_argv(argv);
  }
}

/* ------------------------------------------------------------ prescan */

/* sw_timeout_prescan over a NULL-terminated list: found, seconds, state. */
static void prescan_case(const char *const *list, int want, double secs,
                         sw_state st, const char *name) {
  int argc = 0;
  while (list[argc])
    argc++;
  double s = -1;
  sw_state state = SW_OK;
  is_int(sw_timeout_prescan(argc, (char *const *)list, &s, &state), want,
         "prescan %s: %s", name, want ? "found" : "none");
  if (want) {
    is_num(s, secs, "prescan %s: seconds", name);
    is_int(state, st, "prescan %s: state", name);
  } else {
    ok(s == -1 && state == SW_OK, "prescan %s: outputs untouched", name);
  }
}

static void test_prescan(void) {
  {
    const char *l[] = {"p", "--bearer-file", "/f", "-t", "2", NULL};
    prescan_case(l, 1, 2, SW_CRITICAL, "-t 2 after a file option");
  }
  {
    const char *l[] = {"p", "-t2.5:unknown", NULL};
    prescan_case(l, 1, 2.5, SW_UNKNOWN, "-t2.5:unknown");
  }
  {
    const char *l[] = {"p", "--timeout=3", NULL};
    prescan_case(l, 1, 3, SW_CRITICAL, "--timeout=3");
  }
  {
    const char *l[] = {"p", "--time", "4:warning", NULL};
    prescan_case(l, 1, 4, SW_WARNING, "--time 4:warning (abbreviated)");
  }
  {
    const char *l[] = {"p", "-vvt1", NULL};
    prescan_case(l, 1, 1, SW_CRITICAL, "-vvt1 (cluster)");
  }
  {
    const char *l[] = {"p", "-4t", "1.5", NULL};
    prescan_case(l, 1, 1.5, SW_CRITICAL, "-4t 1.5 (cluster, next word)");
  }
  {
    const char *l[] = {"p", "-t", "9", "--timeout=2", NULL};
    prescan_case(l, 1, 2, SW_CRITICAL, "the last -t wins, as in getopt");
  }
  {
    const char *l[] = {"p", "-t", "0", NULL};
    prescan_case(l, 0, 0, SW_OK, "-t 0 (invalid: left to the parser)");
  }
  {
    const char *l[] = {"p", "-kt: 5", "--token-cache", "/f", "--t=3", NULL};
    prescan_case(l, 0, 0, SW_OK, "-k's value, --token-cache, ambiguous --t");
  }
  {
    const char *l[] = {"p", "--", "-t", "3", NULL};
    prescan_case(l, 0, 0, SW_OK, "after --");
  }
  {
    const char *l[] = {"p", "-t", NULL};
    prescan_case(l, 0, 0, SW_OK, "a trailing -t");
  }
  {
    const char *l[] = {"p", "c", "", "-", "--", NULL};
    prescan_case(l, 0, 0, SW_OK, "one-byte and empty words (read in bounds)");
  }
}

/* ------------------------------------------------------------ masks */

static void test_url_wipe_and_masks(void) {
  static const char *const secrets[] = {"password", NULL};
  const char *l[] = {"check_x",
                     "-u",
                     "https://alice:hunter2@api.example/p?x=a@b",
                     "--proxy=http://bob:s3cret@proxy:3128",
                     "-uhttp://carol:pa%3Ass@h",
                     "--url",
                     "http://dave@h/x:y@z",
                     "-k",
                     "X-Api-Key: k3y",
                     "--password",
                     "pw1",
                     NULL};
  const char *want[] = {"check_x",
                        "-u",
                        "https://alice:xxxxxxx@api.example/p?x=a@b",
                        "--proxy=http://bob:xxxxxx@proxy:3128",
                        "-uhttp://carol:xxxxxxx@h",
                        "--url",
                        "http://dave@h/x:y@z",
                        "-k",
                        "X-Api-Key: xxx",
                        "--password",
                        "xxx"};
  int argc;
  char **argv = make_argv(l, &argc);
  sw_strvec args = {0}, masks = {0};
  for (int i = 0; argv && i < argc; i++)
    sw_strvec_add(&args, argv[i]);
  is_int(sw_args_masks(&args, secrets, &masks), 0, "masks from the args");
  is_str(joined(&masks), "hunter2 s3cret pa%3Ass k3y pw1",
         "masks: URL passwords, the header value, the secret option");
  if (argv) {
    sw_args_wipe(argc, argv, secrets);
    for (int i = 0; i < argc; i++)
      is_str(argv[i], want[i], "URL userinfo wipe: '%s'", l[i]);
    free_argv(argv);
  }
  sw_strvec_free(&masks);
  const char *l2[] = {"check_x", "-k", "Authorization: Bearer tok", NULL};
  sw_strvec a2 = {0};
  for (int i = 0; l2[i]; i++)
    sw_strvec_add(&a2, l2[i]);
  is_int(sw_args_masks(&a2, NULL, &masks), 0, "masks of a scheme header");
  is_str(joined(&masks), "Bearer tok tok",
         "masks: the header value and the credentials alone");
  is_int(sw_args_masks(NULL, secrets, &masks), 0, "no args: no masks");
  sw_strvec_free(&masks);
  sw_strvec_free(&a2);
  sw_strvec_free(&args);
}

int main(void) {
  test_timeout();
  test_std_option();
  test_prescan();
  test_url_wipe_and_masks();

  const char *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/sw-opt-XXXXXX",
           base && *base ? base : "/tmp");
  if (!mkdtemp(tmpdir)) {
    ok(0, "mkdtemp %s", tmpdir);
    return tap_done();
  }
  snprintf(ini, sizeof ini, "%s/plugins.ini", tmpdir);
  FILE *f = fopen(ini, "w");
  ok(f != NULL, "ini file created");
  if (f) {
    fputs("[check_x]\nhost=from-ini\ntimeout=5\n\n[sec2]\nverbose\n\n"
          "[check_resolve]\nserver=10.0.0.1\n",
          f);
    fclose(f);
    unsetenv("NAGIOS_CONFIG_PATH");
    test_build();
    test_wipe();
  }
  unlink(ini);
  rmdir(tmpdir);
  return tap_done();
}
