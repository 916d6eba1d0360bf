/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's command line and help. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stream.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/perfdata.h"
#include "streamwatch/plugin.h"
#include "streamwatch/secret.h"
#include "streamwatch/strparse.h"

void stream_help(FILE *out) {
  fputs(
      "check_stream: does audio or video really flow, at real-time rate\n"
      "\n"
      "Usage: check_stream -u URL [--type auto|progressive|hls|dash]\n"
      "         [--duration SECONDS] [--variant lowest|highest|BANDWIDTH]\n"
      "         [--segments N] [--expect-format FORMAT] [--min-bitrate KBPS]\n"
      "         [--rate-warning RANGE] [--rate-critical RANGE]\n"
      "         [--stall SECONDS] [--stall-critical RANGE] [--max-age "
      "SECONDS]\n"
      "         [-w RANGE] [-c RANGE] [--connect-to ADDR] [--insecure]\n"
      "         [--ca-file F] [-k HEADER ...] [-t SECONDS[:STATE]] [-4|-6] "
      "[-v]\n"
      "\n"
      "Options:\n",
      out);
  sw_optab_help(&stream_optab, out);
  fputs("\n"
        "Examples:\n"
        "  check_stream -u http://radio.example/live.mp3 --expect-format mp3\n"
        "  check_stream -u https://cdn.example/live/master.m3u8 --variant "
        "highest\n"
        "  check_stream -u https://cdn.example/vod/manifest.mpd --segments 3\n"
        "\n"
        "Ranges are [@]START:END as in the Monitoring Plugins guidelines: 10 "
        "alerts\n"
        "outside 0..10, 10: below 10, ~:10 above 10, @10:20 inside 10..20. The "
        "rate\n"
        "wants a floor: --rate-warning 0.95: (below 0.95x), not 0.95 (outside "
        "0..0.95x).\n",
        out);
}

static int parse_type(const char *arg, stream_type *t, sw_err *err) {
  static const char *const names[] = {"auto", "progressive", "hls", "dash"};
  for (int i = 0; i < 4; i++) {
    if (strcasecmp(arg, names[i]) == 0) {
      *t = (stream_type)i;
      return 0;
    }
  }
  return sw_fail(err, "--type: '%s' is not auto, progressive, hls or dash",
                 arg);
}

static int positive(const char *arg, const char *opt, double max, double *out,
                    sw_err *err) {
  if (sw_parse_double(arg, out) < 0 || !(*out > 0) || *out > max)
    return sw_fail(err,
                   "%s: invalid value '%s' (greater than 0, at most "
                   "%g)",
                   opt, arg, max);
  return 0;
}

/* The level options: each turns decoding on. */
static int level_option(stream_cfg *cfg, int c, const char *arg, sw_err *err) {
  double db;
  int rc = 0;
  switch (c) {
  case OPT_DECODE: cfg->loudness = true; break;
  case OPT_SILENCE_LEVEL:
    if (sw_parse_double(arg, &db) < 0 || db < SA_FLOOR_DB || db >= 0)
      return sw_fail(err,
                     "--silence-level: invalid level '%s' (dBFS, below 0 "
                     "and at least %g, e.g. -60)",
                     arg, SA_FLOOR_DB);
    cfg->silence_db = db;
    break;
  case OPT_SILENCE_WARN:
    rc = sw_range_parse(arg, "--silence-warning", &cfg->silence_warn, err);
    break;
  case OPT_SILENCE_CRIT:
    rc = sw_range_parse(arg, "--silence-critical", &cfg->silence_crit, err);
    break;
  case OPT_LEVEL_WARN:
    rc = sw_range_parse(arg, "--level-warning", &cfg->level_warn, err);
    break;
  case OPT_LEVEL_CRIT:
    rc = sw_range_parse(arg, "--level-critical", &cfg->level_crit, err);
    break;
  case OPT_LOUD_WARN:
    cfg->loudness = true;
    rc = sw_range_parse(arg, "--loudness-warning", &cfg->loud_warn, err);
    break;
  case OPT_LOUD_CRIT:
    cfg->loudness = true;
    rc = sw_range_parse(arg, "--loudness-critical", &cfg->loud_crit, err);
    break;
  default: return 1;
  }
  cfg->decode = true;
  return rc;
}

/* --all-variants and the thresholds on the renditions that failed. */
static int rendition_option(stream_cfg *cfg, int c, const char *arg,
                            sw_err *err) {
  switch (c) {
  case OPT_ALL_VARIANTS: cfg->all_variants = true; return 0;
  case OPT_VARIANT_FAIL_WARN:
    return sw_range_parse(arg, "--variant-fail-warning",
                          &cfg->variant_fail_warn, err);
  case OPT_VARIANT_FAIL_CRIT:
    return sw_range_parse(arg, "--variant-fail-critical",
                          &cfg->variant_fail_crit, err);
  default: return level_option(cfg, c, arg, err);
  }
}

/* Options about the stream and its judgement. */
static int stream_option(stream_cfg *cfg, int c, const char *arg, sw_err *err) {
  unsigned long n;
  switch (c) {
  case 'u': cfg->url = arg; return 0;
  case OPT_TYPE: return parse_type(arg, &cfg->type, err);
  case OPT_DURATION:
    return positive(arg, "--duration", 3600, &cfg->duration, err);
  case OPT_VARIANT:
    if (strcmp(arg, "lowest") && strcmp(arg, "highest") &&
        sw_parse_ulong(arg, 1, 1UL << 40, &n) < 0)
      return sw_fail(err,
                     "--variant: '%s' is not lowest, highest or a "
                     "bandwidth in bits/s",
                     arg);
    cfg->variant = arg;
    return 0;
  case OPT_SEGMENTS:
    if (sw_parse_ulong(arg, 1, 20, &n) < 0)
      return sw_fail(err, "--segments: invalid number '%s' (1 to 20)", arg);
    cfg->segments = n;
    return 0;
  case OPT_EXPECT_FORMAT:
    if (sf_format_parse(arg, &cfg->expect_format) < 0)
      return sw_fail(err,
                     "--expect-format: unknown format '%s' (mp3, aac, "
                     "ogg, vorbis, opus, ts or fmp4)",
                     arg);
    cfg->expect_format_set = true;
    return 0;
  case OPT_MIN_BITRATE:
    return positive(arg, "--min-bitrate", 1e6, &cfg->min_bitrate, err);
  case OPT_RATE_WARN:
    return sw_range_parse(arg, "--rate-warning", &cfg->rate_warn, err);
  case OPT_RATE_CRIT:
    return sw_range_parse(arg, "--rate-critical", &cfg->rate_crit, err);
  case OPT_STALL:
    cfg->stall_set = true;
    return positive(arg, "--stall", 3600, &cfg->stall, err);
  case OPT_STALL_CRIT:
    return sw_range_parse(arg, "--stall-critical", &cfg->stall_crit, err);
  case OPT_TOKEN_CACHE: cfg->token_cache = arg; return 0;
  case OPT_MAX_AGE:
    return positive(arg, "--max-age", 86400, &cfg->max_age, err);
  default: return rendition_option(cfg, c, arg, err);
  }
}

/* The shared HTTP and bearer options, then the stream's own. */
static int any_option(void *vcfg, int c, const char *arg, sw_err *err) {
  stream_cfg *cfg = vcfg;
  int rc = sw_http_option(&cfg->base, &cfg->headers, c, arg, err);
  if (rc <= 0 || (rc = sw_bearer_option(&cfg->bearer, c, arg, err)) <= 0 ||
      (rc = sw_edges_option(&cfg->edges, c, arg, err)) <= 0)
    return rc;
  rc = stream_option(cfg, c, arg, err);
  return rc > 0 ? sw_fail(err, "unknown option (see --help)") : rc;
}

stream_type stream_guess_type(const char *url) {
  size_t len = strcspn(url, "?#");
  if (len >= 5 && strncasecmp(url + len - 5, ".m3u8", 5) == 0)
    return ST_HLS;
  if (len >= 4 && strncasecmp(url + len - 4, ".mpd", 4) == 0)
    return ST_DASH;
  return ST_PROGRESSIVE;
}

int stream_masks_userinfo(sw_strvec *masks, const char *url) {
  CURLU *u = curl_url();
  char *user = NULL, *pass = NULL;
  int rc = u ? 0 : -1;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
    curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE);
    curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE);
    if (sw_masks_add(masks, pass) < 0)
      rc = -1;
  }
  if (pass)
    memset(pass, 0, strlen(pass));
  curl_free(user);
  curl_free(pass);
  curl_url_cleanup(u);
  return rc;
}

/* Does url carry userinfo ("user:pass@")? Basic credentials for libcurl. */
static bool has_userinfo(const char *url) {
  const char *auth = strstr(url, "://");
  if (!auth)
    return false;
  auth += 3;
  size_t n = strcspn(auth, "/?#");
  return memchr(auth, '@', n) != NULL;
}

/* The credentials, and the headers that may go to any origin. */
static int split_headers(stream_cfg *cfg, sw_err *err) {
  cfg->has_creds = cfg->bearer || has_userinfo(cfg->url);
  for (size_t i = 0; i < cfg->headers.n; i++) {
    const char *h = cfg->headers.v[i];
    if (sw_secret_header(h, strlen(h)))
      cfg->has_creds = true;
    else if (sw_strvec_add(&cfg->plain_headers, h) < 0)
      return sw_fail(err, "out of memory");
  }
  return 0;
}

/* A progressive sample runs --duration seconds after the first byte;
 * with the connection, the first byte and the result it must fit in -t,
 * or a healthy stream ends as a timeout: a configuration that cannot
 * work. Room kept: 1 s, or a fifth of a -t under 5 s (black-hole and
 * deadline checks run with -t 1 and --duration 0.5). The message names
 * both ways out: the -t the sample needs, the longest sample -t allows.
 * A --stall given as long as the sample cannot be seen in it either
 * (the default 1 s stays quiet in shorter samples). */
static int sample_fits(const stream_cfg *cfg, sw_err *err) {
  stream_type t =
      cfg->type == ST_AUTO ? stream_guess_type(cfg->url) : cfg->type;
  double room = cfg->std.timeout / 5 < 1.0 ? cfg->std.timeout / 5 : 1.0;
  if (t != ST_PROGRESSIVE)
    return 0;
  if (cfg->duration + room > cfg->std.timeout) {
    double need = cfg->duration >= 4 ? cfg->duration + 1 : cfg->duration * 1.25;
    char most[32];
    sw_perf_number(most, sizeof most, cfg->std.timeout - room, 2);
    return sw_fail(err,
                   "--duration %g s does not fit in -t %g s: raise -t to %g "
                   "s or more, or lower --duration to %s s or less",
                   cfg->duration, cfg->std.timeout, need, most);
  }
  if (cfg->stall_set && cfg->stall >= cfg->duration)
    return sw_fail(err,
                   "--stall %g s cannot be seen in a --duration %g s "
                   "sample: lower --stall below %g s or raise --duration "
                   "above %g s",
                   cfg->stall, cfg->duration, cfg->duration, cfg->stall);
  return 0;
}

void stream_cfg_free(stream_cfg *cfg) {
  sw_strvec_free(&cfg->headers);
  sw_strvec_free(&cfg->plain_headers);
  sw_secret_free(cfg->bearer);
  cfg->bearer = NULL;
}

sw_std_result stream_parse(int argc, char **argv, stream_cfg *cfg,
                           sw_err *err) {
  memset(cfg, 0, sizeof *cfg);
  sw_std_init(&cfg->std);
  sw_edges_opts_init(&cfg->edges);
  cfg->duration = 5;
  cfg->variant = "lowest";
  cfg->segments = 2;
  cfg->stall = 1.0;
  cfg->silence_db = -60;
  sw_range_parse("0", "--stall-critical", &cfg->stall_crit, err);
  sw_range_parse("0", "--variant-fail-critical", &cfg->variant_fail_crit, err);
  sw_std_result r =
      sw_getopt_all(argc, argv, &stream_optab, &cfg->std, any_option, cfg, err);
  if (r != SW_STD_DONE)
    return r;
  if (!cfg->url)
    return sw_fail(err, "-u: the stream URL is required"), SW_STD_ERROR;
  if (strncasecmp(cfg->url, "http://", 7) &&
      strncasecmp(cfg->url, "https://", 8))
    return sw_fail(err, "-u: not an http:// or https:// URL"), SW_STD_ERROR;
  if (cfg->token_cache && sw_bearer_from_cache(&cfg->bearer, cfg->token_cache,
                                               &cfg->token_left, err) < 0)
    return SW_STD_ERROR;
  if (split_headers(cfg, err) < 0 || sample_fits(cfg, err) < 0 ||
      sw_edges_opts_check(&cfg->edges, cfg->base.connect_to, err) < 0)
    return SW_STD_ERROR;
  if (cfg->edges.all && cfg->all_variants) /* edges x renditions at once */
    return sw_fail(err, "--all-addresses: not with --all-variants (every "
                        "edge or every rendition: one run each)"),
           SW_STD_ERROR;
  cfg->base.headers = &cfg->headers;
  cfg->base.bearer = cfg->bearer;
  cfg->base.family = cfg->std.family;
  cfg->base.verbose = cfg->edges.verbose = cfg->std.verbose;
  cfg->base.follow = true;
  cfg->base.max_redirects = 10;
  cfg->base.max_size = 32u << 20; /* one segment or playlist */
  cfg->base.user_agent = "check_stream/" PACKAGE_VERSION " (streamwatch)";
  return SW_STD_DONE;
}
