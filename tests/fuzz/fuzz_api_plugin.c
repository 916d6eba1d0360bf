/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api as a whole: the server's status line, headers and body go
 * in, the plugin's own run() (masks, judge, printer) comes out, and the
 * oracle (oracle.h) judges what it printed.
 *
 * Input: byte 0 chooses the configuration (the bits below), the rest is
 * the fake server's script (fake_http.h): usually one response, more
 * when a redirect is followed.
 *
 * The configuration is a real command line through api_parse: -j
 * assertions, -s, -r (or -R), the header judges (--expect-header,
 * --header-absent, --max-age, --size), a bearer token and an X-Api-Key
 * credential header,
 * the secrets the oracle looks for. run() is check_api.c's own, included
 * here with its main renamed: it is static, and the plugin's flow from
 * masks to printer is what this target is about. */
#include <strings.h>

#include "fake_http.h"
#include "fuzz.h"
#include "oracle.h"

#define main check_api_main /* libFuzzer has the main */
int check_api_main(int argc, char **argv);
#include "../../plugins/api/check_api.c"
#undef main

/* The planted secrets: '/', '+', '=', '|' and '"' make their encoded and
 * sanitised forms differ from the raw one. */
#define BEARER "SECRETtok3n-4f9a/b+c=Zq8xWv2Lr7uY"
#define API_KEY "K3y|Vq9\"x7Lm2Np-Rt5wQ"

enum {
  CFG_NO_FOLLOW = 1, /* -f critical: a 3xx is judged, not followed */
  CFG_INVERT = 2,    /* --invert: -s and -r must not match */
  CFG_VERBOSE = 4,   /* -v */
  CFG_HTTPS = 8,     /* https:// (certificate days, TLS phase; the chain
                        and its TLS facts: --ocsp-required,
                        --cert-warning 30) */
  CFG_METRIC = 16,   /* -M with ranges */
  CFG_CODES = 32,    /* -e 200,204 */
  CFG_TIME = 64,     /* -w/-c on the total time */
  /* --rate-limit-state critical, and the header judges (issue 16):
   * --expect-header, --header-absent, --max-age, --size and -R in place
   * of -r; one bit, so that byte 0 keeps its meaning for the seeds */
  CFG_MORE = 128
};

static void build_args(unsigned cfg, fuzz_argv *a) {
  fuzz_arg(a, "check_api");
  fuzz_arg(a, "-u%s://api.example.com/v1/health",
           cfg & CFG_HTTPS ? "https" : "http");
  fuzz_arg(a, "-j/status==ok");
  fuzz_arg(a, "-j/items/0/id");
  fuzz_arg(a, "-j/name~=^[a-z]+$");
  fuzz_arg(a, "-shealthy");
  if (cfg & CFG_MORE)
    fuzz_arg(a, "-R\"VERSION\": *\"[0-9.]+\"");
  else
    fuzz_arg(a, "-r\"version\": *\"[0-9.]+\"");
  fuzz_arg(a, "--bearer=%s", BEARER);
  fuzz_arg(a, "-kX-Api-Key: %s", API_KEY);
  fuzz_arg(a, "-kAccept: application/json");
  if (cfg & CFG_HTTPS) {
    fuzz_arg(a, "--ocsp-required");
    fuzz_arg(a, "--cert-warning=30");
  }
  if (cfg & CFG_NO_FOLLOW)
    fuzz_arg(a, "-fcritical");
  if (cfg & CFG_INVERT)
    fuzz_arg(a, "--invert");
  if (cfg & CFG_VERBOSE)
    fuzz_arg(a, "-v");
  if (cfg & CFG_METRIC)
    fuzz_arg(a, "-Mtracks=/total;1:;1:");
  if (cfg & CFG_CODES)
    fuzz_arg(a, "-e200,204");
  if (cfg & CFG_TIME) {
    fuzz_arg(a, "-w0.5");
    fuzz_arg(a, "-c2");
  }
  if (cfg & CFG_MORE) {
    fuzz_arg(a, "--rate-limit-state=critical");
    fuzz_arg(a, "--expect-header=X-Cache: ^HIT");
    fuzz_arg(a, "--expect-header=Content-Type:");
    fuzz_arg(a, "--header-absent=X-Debug");
    fuzz_arg(a, "--header-absent=Set-Cookie");
    fuzz_arg(a, "--max-age=1d");
    fuzz_arg(a, "--size=2:100000");
  }
}

/* Does the script hold a line starting with name (lower case, any case
 * in the script)? */
static bool has_header(const uint8_t *d, size_t n, const char *name) {
  size_t nl = strlen(name);
  for (size_t i = 0; i + nl <= n; i++)
    if ((i == 0 || d[i - 1] == '\n') &&
        strncasecmp((const char *)d + i, name, nl) == 0)
      return true;
  return false;
}

/* Beyond the output rules: an answer whose status is not one -e
 * accepts (5xx, 429, a 3xx not followed, 404) is never API OK, and
 * neither is a run where an assertion failed, or (CFG_MORE) one
 * whose server never sent the X-Cache header asked for, or (CFG_HTTPS)
 * one whose chain expires within 30 days or that stapled no OCSP
 * response. */
static void no_false_ok(unsigned cfg, const char *out, size_t len, int state,
                        const uint8_t *server, size_t server_len) {
  double st;
  if (state != SW_OK)
    return;
  if (fuzz_oracle_perf(out, len, "status", &st) == 1) {
    bool ok = cfg & CFG_CODES ? st == 200 || st == 204 : st >= 200 && st < 300;
    FUZZ_ASSERT(ok);
  }
  const char *nl = memchr(out, '\n', len);
  FUZZ_ASSERT(!memmem(out, (size_t)(nl - out), " of 3 assertions hold", 21));
  if (cfg & CFG_MORE)
    FUZZ_ASSERT(has_header(server, server_len, "x-cache:"));
  /* https: no certificate of the chain within --cert-warning's 30 days,
   * and a staple whenever the facts were read (--ocsp-required) */
  double v;
  if ((cfg & CFG_HTTPS) && fuzz_oracle_perf(out, len, "cert_days", &v) == 1)
    FUZZ_ASSERT(v >= 30);
  if ((cfg & CFG_HTTPS) && fuzz_oracle_perf(out, len, "ocsp_stapled", &v) == 1)
    FUZZ_ASSERT(v == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  static const char *const secrets[] = {BEARER, API_KEY, NULL};
  fuzz_argv args = {0};
  api_cfg cfg;
  sw_err err = {""};
  char *out;
  size_t len;
  if (n < 1)
    return 0;
  build_args(d[0], &args);
  if (api_parse(args.n, args.v, &cfg, &err) != SW_STD_DONE) {
    /* the command line is the target's, not the input's */
    fprintf(stderr, "fuzz_api_plugin: configuration refused: %s\n", err.msg);
    abort();
  }
  int state =
      fake_http_run(run, &cfg, cfg.std.timeout, d + 1, n - 1, &out, &len);
  fuzz_oracle o = {.service = "API",
                   .secrets = secrets,
                   .server = d + 1,
                   .server_len = n - 1};
  fuzz_oracle_check(&o, out, len, state);
  no_false_ok(d[0], out, len, state, d + 1, n - 1);
  free(out);
  api_cfg_free(&cfg);
  fuzz_argv_free(&args);
  return 0;
}
