/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/ini.c: the --extra-opts ini reader (a pure function
 * over bytes), loading from a file, and the file search path. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "streamwatch/ini.h"
#include "tap.h"

/* Runs sw_ini_section over a NUL-terminated text and joins the options
 * with '\x1f' (a byte no option here contains) into got, so one is_str
 * shows the whole vector. Returns the function's result. */
static int section(const char *text, const char *name, char *got, size_t n,
                   bool *found, sw_err *err) {
  sw_strvec out = {0};
  int rc = sw_ini_section(text, strlen(text), name, &out, found, err);
  size_t used = 0;
  got[0] = '\0';
  for (size_t i = 0; i < out.n; i++) {
    int l = snprintf(got + used, n - used, "%s%s", i ? "\x1f" : "", out.v[i]);
    if (l < 0 || (size_t)l >= n - used)
      break;
    used += (size_t)l;
  }
  if (out.n > 0)
    ok(out.v[out.n] == NULL, "vector is NULL-terminated");
  sw_strvec_free(&out);
  return rc;
}

#define SEP "\x1f"

static void test_sections(void) {
  char got[1024];
  bool found = false;
  sw_err err = {{0}};
  static const char text[] = "# a comment\n"
                             "; another comment\n"
                             "\n"
                             "[other]\n"
                             "x=1\n"
                             "[check_resolve]\n"
                             "  host = example.com  \n"
                             "verbose\n"
                             "\t timeout=\t2.5 \n"
                             "   # indented comment\n"
                             "   ; indented comment\n"
                             "   \t \n"
                             "name=\"  spaced value \"\n"
                             "expr=a=b\n"
                             "empty=\n"
                             "[ other ]\n"
                             "y=2\n"
                             "[check_resolve]\n"
                             "port=53"; /* no final newline */
  is_int(section(text, "check_resolve", got, sizeof got, &found, &err), 0,
         "parses");
  ok(found, "section found");
  is_str(got,
         "--host=example.com" SEP "--verbose" SEP "--timeout=2.5" SEP
         "--name=  spaced value " SEP "--expr=a=b" SEP "--empty=" SEP
         "--port=53",
         "key=value -> --key=value, bare key -> --key, comments skipped, "
         "blanks trimmed, quotes keep blanks, repeated section collected");

  is_int(section(text, "other", got, sizeof got, &found, &err), 0,
         "[other] parses");
  ok(found, "[other] found");
  is_str(got, "--x=1" SEP "--y=2", "blanks inside [ other ] are trimmed");

  found = true;
  is_int(section(text, "missing", got, sizeof got, &found, &err), 0,
         "missing section is not an error for the pure function");
  ok(!found, "missing section: found=false");
  is_str(got, "", "missing section: no options");

  /* A prefix or a longer name must not match. */
  is_int(section(text, "check", got, sizeof got, &found, &err), 0,
         "prefix of a section name parses");
  ok(!found, "a prefix of a section name is not that section");
  is_int(section(text, "check_resolve2", got, sizeof got, &found, &err), 0,
         "longer name parses");
  ok(!found, "a longer name is not that section");

  is_int(section("", "s", got, sizeof got, &found, &err), 0, "empty text");
  ok(!found, "empty text has no section");
}

static void test_crlf(void) {
  char got[512];
  bool found = false;
  sw_err err = {{0}};
  is_int(section("[s]\r\nk=v\r\nbare\r\nq=\"a b\"\r\n; c\r\n\r\n", "s", got,
                 sizeof got, &found, &err),
         0, "CRLF text parses");
  ok(found, "CRLF section found");
  is_str(got, "--k=v" SEP "--bare" SEP "--q=a b", "CR never reaches an option");
}

static void test_length_bound(void) {
  /* Pure function over len bytes: nothing past len is read, and the text
   * need not be NUL-terminated. */
  char buf[] = {'[', 's', ']', '\n', 'k', '=', 'v', '\n', 'z', '=', '1'};
  sw_strvec out = {0};
  bool found = false;
  sw_err err = {{0}};
  is_int(sw_ini_section(buf, 8, "s", &out, &found, &err), 0,
         "unterminated buffer parses");
  is_int(out.n, 1, "only the options inside len");
  if (out.n == 1)
    is_str(out.v[0], "--k=v", "the option inside len");
  sw_strvec_free(&out);
}

static void test_malformed(void) {
  char got[512];
  bool found = false;
  sw_err err = {{0}};

  is_int(section("# c\n[s]\n[abc\nk=v\n", "s", got, sizeof got, &found, &err),
         -1, "'[abc' fails");
  ok(strstr(err.msg, "line 3") != NULL, "error names line 3 (%s)", err.msg);
  ok(strstr(err.msg, "--extra-opts") != NULL, "error names --extra-opts");

  memset(&err, 0, sizeof err);
  is_int(section("[s]\nk=v\n\n=value\n", "s", got, sizeof got, &found, &err),
         -1, "'=value' fails");
  ok(strstr(err.msg, "line 4") != NULL, "error names line 4 (%s)", err.msg);

  memset(&err, 0, sizeof err);
  is_int(section("[s]\r\n  = value\r\n", "s", got, sizeof got, &found, &err),
         -1, "'  = value' (blank key) fails");
  ok(strstr(err.msg, "line 2") != NULL, "error names line 2 (%s)", err.msg);

  memset(&err, 0, sizeof err);
  is_int(section("[s]\nk=v\n[\n", "s", got, sizeof got, &found, &err), -1,
         "a lone '[' fails");
  ok(strstr(err.msg, "line 3") != NULL, "error names line 3 (%s)", err.msg);

  /* A 64 KiB token given as bearer=... fits (secrets may come through
   * --extra-opts); a line too long for one option is an error, not a
   * silent cut. */
  size_t vl = 64 * 1024, bl = 6 + vl + 400 + 2;
  char *big = malloc(bl);
  sw_strvec sv = {0};
  if (big) {
    memcpy(big, "[s]\nk=", 6);
    memset(big + 6, 'v', vl);
    memcpy(big + 6 + vl, "\n", 2);
    memset(&err, 0, sizeof err);
    is_int(sw_ini_section(big, 6 + vl + 1, "s", &sv, &found, &err), 0,
           "a 65536-byte value (a large token) is taken");
    ok(sv.n == 1 && strlen(sv.v[0]) == vl + 4, "whole: --k=<65536 bytes>");
    sw_strvec_free(&sv);
    memset(big + 6, 'v', vl + 400);
    memcpy(big + 6 + vl + 400, "\n", 2);
    memset(&err, 0, sizeof err);
    is_int(sw_ini_section(big, bl - 1, "s", &sv, &found, &err), -1,
           "a 65936-byte value fails");
    ok(strstr(err.msg, "line 2") != NULL, "error names line 2 (%s)", err.msg);
    ok(strstr(err.msg, "longer than") != NULL, "and says why (%s)", err.msg);
    sw_strvec_free(&sv);
    free(big);
  }
}

/* A NUL byte would end an option early: "\0=x" became "--", which
 * getopt reads as the end of the options (found by tests/fuzz/fuzz_ini,
 * input reduced to these bytes). A text file has none: refused. */
static void test_nul_byte(void) {
  static const char dashdash[] = "[s]\n\0=x\n";
  static const char cut[] = "[s]\nkey\0junk=v\n";
  sw_strvec out = {0};
  bool found = false;
  sw_err err = {{0}};

  is_int(sw_ini_section(dashdash, sizeof dashdash - 1, "s", &out, &found, &err),
         -1, "a NUL byte before '=' fails");
  ok(strstr(err.msg, "line 2") != NULL, "error names line 2 (%s)", err.msg);
  ok(strstr(err.msg, "NUL") != NULL, "error says NUL (%s)", err.msg);
  is_int(out.n, 0, "no \"--\" option reaches getopt");
  sw_strvec_free(&out);
  memset(&err, 0, sizeof err);
  is_int(sw_ini_section(cut, sizeof cut - 1, "s", &out, &found, &err), -1,
         "a NUL byte inside a key fails");
  is_int(out.n, 0, "no cut option \"--key\"");
  sw_strvec_free(&out);
}

/* A scratch directory for the file tests, removed at the end. */
static char tmpdir[256];

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs(text, f);
  return fclose(f);
}

static void test_load(void) {
  char path[512], missing[512];
  sw_strvec out = {0};
  sw_err err = {{0}};

  snprintf(path, sizeof path, "%s/test.ini", tmpdir);
  snprintf(missing, sizeof missing, "%s/nosuch.ini", tmpdir);
  ok(write_file(path, "[check_x]\nhost=h\n\n[y]\nz\n") == 0, "ini written");

  is_int(sw_ini_load(path, "check_x", &out, &err), 0, "load existing section");
  is_int(out.n, 1, "one option");
  if (out.n == 1)
    is_str(out.v[0], "--host=h", "option from the file");
  sw_strvec_free(&out);

  is_int(sw_ini_load(missing, "check_x", &out, &err), -1, "missing file fails");
  ok(strstr(err.msg, missing) != NULL, "error names the file (%s)", err.msg);
  is_int(out.n, 0, "nothing added for a missing file");
  sw_strvec_free(&out);

  memset(&err, 0, sizeof err);
  is_int(sw_ini_load(path, "nosuch", &out, &err), -1, "missing section fails");
  ok(strstr(err.msg, "nosuch") != NULL, "error names the section (%s)",
     err.msg);
  ok(strstr(err.msg, path) != NULL, "error names the file (%s)", err.msg);
  sw_strvec_free(&out);

  snprintf(missing, sizeof missing, "%s/bad.ini", tmpdir);
  ok(write_file(missing, "[s]\n[broken\n") == 0, "bad ini written");
  memset(&err, 0, sizeof err);
  is_int(sw_ini_load(missing, "s", &out, &err), -1, "malformed file fails");
  ok(strstr(err.msg, "line 2") != NULL, "error names the line (%s)", err.msg);
  sw_strvec_free(&out);
  unlink(missing);
  unlink(path);
}

static void test_find(void) {
  char buf[512], ini[512], mpini[512], empty[512];
  sw_err err = {{0}};

  snprintf(ini, sizeof ini, "%s/plugins.ini", tmpdir);
  snprintf(empty, sizeof empty, "%s/empty", tmpdir);
  ok(write_file(ini, "[s]\nk=v\n") == 0, "plugins.ini written");
  ok(mkdir(empty, 0700) == 0, "empty dir made");

  /* MP_CONFIG_FILE wins, even when it names a file that does not exist
   * (the load then reports it). */
  setenv("MP_CONFIG_FILE", "/nonexistent/mp.ini", 1);
  setenv("NAGIOS_CONFIG_PATH", tmpdir, 1);
  is_int(sw_ini_find(buf, sizeof buf, &err), 0, "MP_CONFIG_FILE is used");
  is_str(buf, "/nonexistent/mp.ini", "path from MP_CONFIG_FILE");

  /* An empty MP_CONFIG_FILE counts as unset. */
  setenv("MP_CONFIG_FILE", "", 1);
  char path[1100];
  snprintf(path, sizeof path, "/nonexistent:%s::%s", empty, tmpdir);
  setenv("NAGIOS_CONFIG_PATH", path, 1);
  is_int(sw_ini_find(buf, sizeof buf, &err), 0,
         "NAGIOS_CONFIG_PATH dirs are searched");
  is_str(buf, ini, "plugins.ini in the third directory is found");

  unsetenv("MP_CONFIG_FILE");
  snprintf(mpini, sizeof mpini, "%s/monitoring-plugins.ini", tmpdir);
  ok(write_file(mpini, "[s]\n") == 0, "monitoring-plugins.ini written");
  is_int(sw_ini_find(buf, sizeof buf, &err), 0, "found again");
  is_str(buf, mpini, "monitoring-plugins.ini is preferred to plugins.ini");

  /* Only directories without an ini: whatever is found must not be in
   * them (the machine may or may not have a system-wide file). */
  setenv("NAGIOS_CONFIG_PATH", empty, 1);
  memset(&err, 0, sizeof err);
  buf[0] = '\0';
  int rc = sw_ini_find(buf, sizeof buf, &err);
  if (rc == 0)
    ok(strncmp(buf, tmpdir, strlen(tmpdir)) != 0,
       "no ini in NAGIOS_CONFIG_PATH: a system path is used (%s)", buf);
  else
    ok(strstr(err.msg, "MP_CONFIG_FILE") != NULL,
       "nothing found: error says how to name one (%s)", err.msg);

  unsetenv("NAGIOS_CONFIG_PATH");
  unlink(mpini);
  unlink(ini);
  rmdir(empty);
}

int main(void) {
  const char *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/sw-ini-XXXXXX",
           base && *base ? base : "/tmp");
  test_sections();
  test_crlf();
  test_length_bound();
  test_malformed();
  test_nul_byte();
  if (!mkdtemp(tmpdir)) {
    ok(0, "mkdtemp %s", tmpdir);
    return tap_done();
  }
  test_load();
  test_find();
  rmdir(tmpdir);
  return tap_done();
}
