/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/http_opts.c: -k and bearer values that would inject
 * headers are refused without their value ever reaching the message; a
 * bearer up to the documented 64 KiB works; URL userinfo is split into
 * credentials and a URL that no longer holds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "streamwatch/http_opts.h"
#include "streamwatch/secret.h"
#include "tap.h"

/* -k arg is refused; the message names -k, holds want, and not secret. */
static void k_refused(const char *arg, const char *want, const char *secret,
                      const char *name) {
  sw_http_req r = {0};
  sw_strvec h = {0};
  sw_err err = {""};
  is_int(sw_http_option(&r, &h, 'k', arg, &err), -1, "-k %s: refused", name);
  ok(strncmp(err.msg, "-k: ", 4) == 0, "-k %s: names -k (%s)", name, err.msg);
  ok(strstr(err.msg, want) != NULL, "-k %s: says '%s'", name, want);
  ok(!strstr(err.msg, secret), "-k %s: the value is not shown", name);
  ok(!strpbrk(err.msg, "\r\n"), "-k %s: one line", name);
  is_int(h.n, 0, "-k %s: not added", name);
  sw_strvec_free(&h);
}

static void test_header(void) {
  k_refused("X-Api-Key: s3cret\r\nAPI OK - forged", "header 'X-Api-Key'",
            "s3cret", "with CR LF");
  k_refused("X-Api-Key: s3cret\nx", "control character", "s3cret", "with LF");
  k_refused("X-Api-Key: s3cret\x1b[31m", "control character", "s3cret",
            "with ESC");
  k_refused("X-Api-Key: s3cret\x7f", "control character", "s3cret", "with DEL");
  k_refused("X-Api-Key s3cret", "no ':'", "s3cret", "without a colon");
  k_refused("s3cret", "no ':'", "s3cret", "a bare secret");
  k_refused("X Api: s3cret", "invalid header name", "s3cret",
            "a blank in the name");
  k_refused("s3cret\r\n: v", "invalid header name", "s3cret",
            "CR LF in the name");
  k_refused(": s3cret", "invalid header name", "s3cret", "an empty name");

  sw_http_req r = {0};
  sw_strvec h = {0};
  sw_err err = {""};
  is_int(sw_http_option(&r, &h, 'k', "X-Probe: a\tb", &err), 0,
         "-k with a tab in the value: accepted (RFC 9110 allows HTAB)");
  is_int(sw_http_option(&r, &h, 'k', "X-Empty:", &err), 0,
         "-k with an empty value: accepted");
  is_int(h.n, 2, "both added");
  sw_strvec_free(&h);
}

/* A bearer option c with arg is refused, naming opt, without secret. */
static void bearer_refused(int c, const char *arg, const char *opt,
                           const char *secret, const char *name) {
  char *b = strdup("old");
  sw_err err = {""};
  is_int(sw_bearer_option(&b, c, arg, &err), -1, "%s: refused", name);
  ok(b == NULL, "%s: no token kept", name);
  ok(strncmp(err.msg, opt, strlen(opt)) == 0 && err.msg[strlen(opt)] == ':',
     "%s: names %s (%.100s)", name, opt, err.msg);
  ok(!secret || !strstr(err.msg, secret), "%s: the token is not shown", name);
  ok(!strpbrk(err.msg, "\r\n"), "%s: one line", name);
  sw_secret_free(b);
}

static void test_bearer(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/tok", dir);

  bearer_refused(SW_HOPT_BEARER, "tok3n\r\nX-Evil: 1", "--bearer", "tok3n",
                 "--bearer with CR LF");
  bearer_refused(SW_HOPT_BEARER, "tok3n tok3n", "--bearer", "tok3n",
                 "--bearer with a blank");
  bearer_refused(SW_HOPT_BEARER, "", "--bearer", NULL, "--bearer empty");
  setenv("SW_T_BEARER", "tok3n\nX-Evil: 1", 1);
  bearer_refused(SW_HOPT_BEARER_ENV, "SW_T_BEARER", "--bearer-env", "tok3n",
                 "--bearer-env with LF");
  FILE *f = fopen(path, "w");
  if (f) {
    fputs("tok3n\r\nX-Evil: 1\n", f);
    fclose(f);
  }
  bearer_refused(SW_HOPT_BEARER_FILE, path, "--bearer-file", "tok3n",
                 "--bearer-file with CR LF inside");

  /* 64 KiB: a large JWT works; one byte more is refused naming the limit */
  size_t n = SW_HTTP_BEARER_MAX;
  char *big = malloc(n + 2);
  if (!big)
    return;
  memset(big, 'A', n + 1);
  big[n] = '\0';
  char *b = NULL;
  sw_err err = {""};
  is_int(sw_bearer_option(&b, SW_HOPT_BEARER, big, &err), 0,
         "--bearer of 65536 bytes: accepted");
  ok(b && strlen(b) == n, "kept whole");
  f = fopen(path, "w");
  if (f) {
    fputs(big, f);
    fputc('\n', f);
    fclose(f);
  }
  is_int(sw_bearer_option(&b, SW_HOPT_BEARER_FILE, path, &err), 0,
         "--bearer-file of 65536 bytes and a newline: accepted");
  ok(b && strlen(b) == n, "kept whole, newline dropped");
  big[n] = 'A';
  big[n + 1] = '\0';
  bearer_refused(SW_HOPT_BEARER, big, "--bearer", "AAAAAAAA",
                 "--bearer of 65537 bytes");
  sw_secret_free(b);
  b = NULL;
  sw_bearer_option(&b, SW_HOPT_BEARER, big, &err);
  ok(strstr(err.msg, "65536-byte limit") != NULL, "names the limit (%s)",
     err.msg);
  sw_secret_free(b);
  free(big);
  unlink(path);

  is_int(sw_bearer_option(&b, 'k', "x", &err), 1, "-k is not a bearer option");
}

/* sw_http_url_parse of arg gives url, user and password (NULL: none). */
static void url_case(const char *arg, const char *url, const char *user,
                     const char *pass) {
  sw_http_url u = {0};
  sw_err err = {""};
  is_int(sw_http_url_parse(&u, arg, "-u", &err), 0, "URL %s: parses", arg);
  is_str(u.url, url, "URL %s: without userinfo", arg);
  ok(user ? u.username && strcmp(u.username, user) == 0 : !u.username,
     "URL %s: user %s", arg, user ? user : "(none)");
  ok(pass ? u.password && strcmp(u.password, pass) == 0 : !u.password,
     "URL %s: password %s", arg, pass ? pass : "(none)");
  sw_http_url_free(&u);
  ok(!u.url && !u.username && !u.password, "URL %s: freed", arg);
}

static void test_url(void) {
  url_case("https://alice:hunter2@api.example/v1?q=1",
           "https://api.example/v1?q=1", "alice", "hunter2");
  url_case("http://bob@h:8080/", "http://h:8080/", "bob", NULL);
  url_case("http://u:p%40ss%3Aw@h/x", "http://h/x", "u", "p@ss:w");
  url_case("http://u:a@b@h/", "http://h/", "u", "a@b");
  url_case("http://h/path@x:y", "http://h/path@x:y", NULL, NULL);
  url_case("http://h?a=u:p@x", "http://h?a=u:p@x", NULL, NULL);
  url_case("http://u:@h/", "http://h/", "u", "");
  url_case("https://api.example/", "https://api.example/", NULL, NULL);

  sw_http_url u = {0};
  sw_err err = {""};
  is_int(sw_http_url_parse(&u, "http://u:hunter2%0d%0aX:1@h/", "-u", &err), -1,
         "a %%-encoded CR LF in the password: refused");
  ok(strncmp(err.msg, "-u: ", 4) == 0 && !strstr(err.msg, "hunter2"),
     "names -u, not the password (%s)", err.msg);
  is_int(sw_http_url_parse(&u, "http://u:hunter2%4@h/", "-u", &err), -1,
         "a broken %%-escape: refused");
  ok(!strstr(err.msg, "hunter2"), "the password is not shown");
}

static void test_url_option(void) {
  sw_http_req r = {0};
  sw_http_url u = {0};
  sw_err err = {""};
  is_int(sw_http_url_option(&r, &u, "https://al%40ice:pw%20x@h:8443/a", "-u",
                            &err),
         0, "-u with userinfo: set on the request");
  is_str(r.url, "https://h:8443/a", "the request's URL has no userinfo");
  is_str(r.username, "al@ice", "username decoded");
  is_str(r.password, "pw x", "password decoded");
  is_int(sw_http_url_option(&r, &u, "https://h/b", "-u", &err), 0,
         "a second -u without userinfo");
  is_str(r.url, "https://h/b", "replaces the URL");
  ok(u.password == NULL, "the old password is freed");
  ok(r.username == NULL && r.password == NULL,
     "and the request no longer points at the old credentials");
  sw_http_url_free(&u);
}

int main(void) {
  char dir[256];
  const char *base = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/sw-hopt-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(dir)) {
    ok(0, "mkdtemp");
    return tap_done();
  }
  test_header();
  test_bearer(dir);
  test_url();
  test_url_option();
  rmdir(dir);
  return tap_done();
}
