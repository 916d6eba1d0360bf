/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login as a whole: a token endpoint's (or a login page's) answers
 * go in, the plugin's own run() (masks, flow, token judging, summary,
 * perfdata, printer) comes out, and the oracle (oracle.h) judges it.
 *
 * Input: byte 0 chooses the flow (bits 0-2, mod 5) and its options (the
 * bits below), the rest is the fake server's script (fake_http.h): one
 * answer per step of the flow (token POST; GET, POST form and GET
 * success page; or GET with and without credentials).
 *
 * The secrets are planted as a real run gets them: --client-secret,
 * --password, --refresh-token and a Private-Token credential header.
 * run() is check_login.c's own, included with its main renamed. */
#include <unistd.h>

#include "fake_http.h"
#include "fuzz.h"
#include "oracle.h"

#define main check_login_main /* libFuzzer has the main */
int check_login_main(int argc, char **argv);
#include "../../plugins/login/check_login.c"
#undef main

#define CLIENT_ID "labclient"
#define CLIENT_SECRET "cl1ent-S3CR3T/abc+def=ghi~jkl"
#define USERNAME "alice"
/* a space, UTF-8, '|' and '"': every form differs from the raw one */
#define PASSWORD "p4ss w\xc3\xb6rd/S3cr3t|x\"y!"
#define REFRESH "rt-R3FR3SH/tok+en==QmX"
#define PRIVATE_TOKEN "PRIV4te-T0ken/xyz+Q9w"

enum {
  CFG_HTTPS = 8,    /* https:// URLs */
  CFG_VERBOSE = 16, /* -v */
  CFG_OPT_A = 32,   /* client-auth post | verify-rejects | csrf field */
  CFG_OPT_B = 64,   /* ttl ranges | digest | success regex */
  CFG_OPT_C = 128   /* token cache | rejected-state | success URL */
};

/* The options of the token flows (client credentials, refresh token,
 * password grant). */
static void token_args(unsigned cfg, const char *cache, fuzz_argv *a) {
  fuzz_arg(a, "--client-id=" CLIENT_ID);
  fuzz_arg(a, "--client-secret=" CLIENT_SECRET);
  fuzz_arg(a, "--scope=read:status");
  if (cfg & CFG_OPT_A)
    fuzz_arg(a, "--client-auth=post");
  if (cfg & CFG_OPT_B) {
    fuzz_arg(a, "--ttl-warning=300:");
    fuzz_arg(a, "--ttl-critical=60:");
  }
  if (cfg & CFG_OPT_C)
    fuzz_arg(a, "--token-cache=%s", cache);
}

/* The form flow's options. */
static void form_args(unsigned cfg, const char *scheme, fuzz_argv *a) {
  if (cfg & CFG_OPT_A)
    fuzz_arg(a, "--csrf-field=csrf_token");
  if (cfg & CFG_OPT_B)
    fuzz_arg(a, "--success-regex=Welcome,? [a-z]+");
  else
    fuzz_arg(a, "--success-string=Welcome");
  if (cfg & CFG_OPT_C) {
    fuzz_arg(a, "--success-url=%s://login.example.com/account", scheme);
    fuzz_arg(a, "--failure-string=Invalid password");
  }
}

static void build_args(unsigned cfg, const char *cache, fuzz_argv *a) {
  static const char *const flows[] = {"client-credentials", "refresh-token",
                                      "password", "basic", "form"};
  static const char *const paths[] = {"oauth/token", "oauth/token",
                                      "oauth/token", "admin", "login"};
  unsigned f = (cfg & 7) % 5;
  const char *scheme = cfg & CFG_HTTPS ? "https" : "http";
  fuzz_arg(a, "check_login");
  fuzz_arg(a, "-u%s://login.example.com/%s", scheme, paths[f]);
  fuzz_arg(a, "--flow=%s", flows[f]);
  fuzz_arg(a, "-kPrivate-Token: " PRIVATE_TOKEN);
  if (cfg & CFG_VERBOSE)
    fuzz_arg(a, "-v");
  if (f == 1)
    fuzz_arg(a, "--refresh-token=" REFRESH);
  if (f >= 2) {
    fuzz_arg(a, "--username=" USERNAME);
    fuzz_arg(a, "--password=" PASSWORD);
  }
  if (f <= 2)
    token_args(cfg, cache, a);
  else if (f == 3) {
    if (cfg & CFG_OPT_A)
      fuzz_arg(a, "--verify-rejects");
    if (cfg & CFG_OPT_B)
      fuzz_arg(a, "--digest");
    if (cfg & CFG_OPT_C)
      fuzz_arg(a, "--rejected-state=warning");
  } else {
    form_args(cfg, scheme, a);
  }
}

/* Drops from b64 (may be NULL) the characters that encode only the
 * first prefix bytes of its text: the user name and ':' of a Basic
 * credential are no secret, and their base64 may show (a page may name
 * the user). Returns b64. */
static char *secret_part(char *b64, size_t prefix) {
  size_t skip = prefix / 3 * 4;
  if (b64 && strlen(b64) > skip)
    memmove(b64, b64 + skip, strlen(b64 + skip) + 1);
  return b64;
}

/* The forms of the secrets on the wire beyond those the oracle derives:
 * HTTP Basic's base64 of ID:SECRET (RFC 6749 2.3.1, form-urlencoded
 * first) and of USER:PASSWORD (the basic flow), from where the secret's
 * bytes begin. */
static void basic_forms(unsigned cfg, char *forms[3]) {
  char *id = curl_easy_escape(NULL, CLIENT_ID, 0);
  char *sec = curl_easy_escape(NULL, CLIENT_SECRET, 0);
  char both[256];
  unsigned f = (cfg & 7) % 5, k = 0;
  forms[0] = forms[1] = forms[2] = NULL;
  snprintf(both, sizeof both, "%s:%s", id, sec);
  forms[k] = f <= 2 ? secret_part(sw_base64(both, strlen(both)), strlen(id) + 1)
                    : NULL;
  k += forms[k] != NULL;
  snprintf(both, sizeof both, "%s", USERNAME ":" PASSWORD);
  forms[k] =
      f >= 2 ? secret_part(sw_base64(both, strlen(both)), strlen(USERNAME) + 1)
             : NULL;
  curl_free(id);
  curl_free(sec);
}

/* The secrets this run's flow was given (a flow that has no refresh
 * token cannot be blamed for showing one). */
static void planted(unsigned cfg, const char *secrets[5]) {
  unsigned f = (cfg & 7) % 5, k = 0;
  secrets[k++] = PRIVATE_TOKEN;
  if (f <= 2)
    secrets[k++] = CLIENT_SECRET;
  if (f == 1)
    secrets[k++] = REFRESH;
  if (f >= 2)
    secrets[k++] = PASSWORD;
  secrets[k] = NULL;
}

/* Beyond the output rules: a token flow that ends LOGIN OK got a token
 * with a lifetime (token_ttl measured, positive); a flow that made no
 * request is never OK. */
static void no_false_ok(unsigned cfg, const char *out, size_t len, int state) {
  double v;
  if (state != SW_OK)
    return;
  FUZZ_ASSERT(fuzz_oracle_perf(out, len, "steps", &v) == 1 && v >= 1);
  if ((cfg & 7) % 5 <= 2)
    FUZZ_ASSERT(fuzz_oracle_perf(out, len, "token_ttl", &v) == 1 && v > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  const char *secrets[5];
  char cache[64], *forms[3], *out;
  fuzz_argv args = {0};
  login_cfg cfg;
  sw_err err = {""};
  size_t len;
  if (n < 1)
    return 0;
  /* a token cache of this process's own, on tmpfs: written, then gone */
  snprintf(cache, sizeof cache, "/dev/shm/fuzz_login_plugin.%ld.tok",
           (long)getpid());
  build_args(d[0], cache, &args);
  if (login_parse(args.n, args.v, &cfg, &err) != SW_STD_DONE) {
    fprintf(stderr, "fuzz_login_plugin: configuration refused: %s\n", err.msg);
    abort(); /* the command line is the target's, not the input's */
  }
  basic_forms(d[0], forms);
  planted(d[0], secrets);
  int state =
      fake_http_run(run, &cfg, cfg.std.timeout, d + 1, n - 1, &out, &len);
  unlink(cache);
  fuzz_oracle o = {.service = "LOGIN",
                   .secrets = secrets,
                   .forms = (const char *const *)forms,
                   .server = d + 1,
                   .server_len = n - 1};
  fuzz_oracle_check(&o, out, len, state);
  no_false_ok(d[0], out, len, state);
  free(out);
  free(forms[0]);
  free(forms[1]); /* both may be NULL */
  login_cfg_free(&cfg);
  fuzz_argv_free(&args);
  return 0;
}
