/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream as a whole: a playlist (HLS m3u8) or an MPD, the media
 * playlist, the segments and the playlist fetched again go in; the
 * plugin's own run() (masks, the stream parsers, frames, stream_judge,
 * the printer) comes out, and the oracle (oracle.h) judges it.
 *
 * Input: byte 0 chooses the configuration (the bits below), the rest is
 * the fake server's script (fake_http.h): one answer per request in the
 * order the plugin makes them. The fake clock lets a live playlist be
 * fetched again "a target duration later" at once.
 *
 * The secrets are a bearer token and an X-Auth-Token credential header.
 * run() is check_stream.c's own, included with its main renamed. */
#include "fake_http.h"
#include "fuzz.h"
#include "oracle.h"

#define main check_stream_main /* libFuzzer has the main */
int check_stream_main(int argc, char **argv);
#include "../../plugins/stream/check_stream.c"
#undef main

#define BEARER "SECRETtok3n-77c1/Zk+q=Hh2Lm9Vb4Nx"
#define AUTH_TOKEN "AuTh-T0k3n|8f2e/Wq\"9zP"

enum {
  CFG_TYPE = 3,        /* 0, 3: HLS; 1: DASH; 2: progressive */
  CFG_VARIANT = 12,    /* lowest, highest, 800000, default */
  CFG_SEGMENTS = 16,   /* --segments 1 (else 3) */
  CFG_HTTPS = 32,      /* https:// */
  CFG_VERBOSE = 64,    /* -v */
  CFG_THRESHOLDS = 128 /* --expect-format, --min-bitrate, --max-age */
};

static void build_args(unsigned cfg, fuzz_argv *a) {
  static const char *const types[] = {"hls", "dash", "progressive", "hls"};
  static const char *const paths[] = {"live/master.m3u8", "live/manifest.mpd",
                                      "radio.mp3", "vod/index.m3u8"};
  static const char *const variants[] = {"lowest", "highest", "800000", NULL};
  unsigned t = cfg & CFG_TYPE;
  fuzz_arg(a, "check_stream");
  fuzz_arg(a, "-u%s://cdn.example.com/%s", cfg & CFG_HTTPS ? "https" : "http",
           paths[t]);
  fuzz_arg(a, "--type=%s", types[t]);
  fuzz_arg(a, "--bearer=" BEARER);
  fuzz_arg(a, "-kX-Auth-Token: " AUTH_TOKEN);
  fuzz_arg(a, "-kAccept: */*");
  if (variants[(cfg & CFG_VARIANT) >> 2])
    fuzz_arg(a, "--variant=%s", variants[(cfg & CFG_VARIANT) >> 2]);
  fuzz_arg(a, "--segments=%d", cfg & CFG_SEGMENTS ? 1 : 3);
  if (t == 2)
    fuzz_arg(a, "--duration=2");
  if (cfg & CFG_VERBOSE)
    fuzz_arg(a, "-v");
  if (cfg & CFG_THRESHOLDS) {
    fuzz_arg(a, "--expect-format=%s", t == 2 ? "mp3" : "ts");
    fuzz_arg(a, "--min-bitrate=64");
    fuzz_arg(a, "--max-age=30");
  }
}

/* Beyond the output rules: STREAM OK means media arrived: bytes, and
 * frames unless the segments are encrypted or of a format check_stream
 * does not read (then only arrival and size are checked, and the output
 * says so). */
static void no_false_ok(const char *out, size_t len, int state) {
  double bytes, frames;
  if (state != SW_OK)
    return;
  FUZZ_ASSERT(fuzz_oracle_perf(out, len, "bytes", &bytes) == 1 && bytes > 0);
  FUZZ_ASSERT(
      (fuzz_oracle_perf(out, len, "frames", &frames) == 1 && frames > 0) ||
      memmem(out, len, "encrypted", 9) ||
      memmem(out, len, "frames not checked", 18));
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  static const char *const secrets[] = {BEARER, AUTH_TOKEN, NULL};
  fuzz_argv args = {0};
  stream_cfg cfg;
  sw_err err = {""};
  char *out;
  size_t len;
  if (n < 1)
    return 0;
  build_args(d[0], &args);
  if (stream_parse(args.n, args.v, &cfg, &err) != SW_STD_DONE) {
    fprintf(stderr, "fuzz_stream_plugin: configuration refused: %s\n", err.msg);
    abort(); /* the command line is the target's, not the input's */
  }
  /* a deadline far away: the waits run on the fake clock, and only the
   * script decides how the run ends */
  int state = fake_http_run(run, &cfg, 1e6, d + 1, n - 1, &out, &len);
  fuzz_oracle o = {.service = "STREAM",
                   .secrets = secrets,
                   .server = d + 1,
                   .server_len = n - 1};
  fuzz_oracle_check(&o, out, len, state);
  no_false_ok(out, len, state);
  free(out);
  stream_cfg_free(&cfg);
  fuzz_argv_free(&args);
  return 0;
}
