/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream: does audio or video really flow, at real-time rate,
 * without stalls. Progressive (Icecast, SHOUTcast, files, .m3u/.pls), HLS
 * and DASH, judged the way a player would.
 *
 *   options/ini -> stream_cfg -> progressive | HLS | DASH sampling ->
 *   stream_judge -> the one printer -> exit state
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "stream.h"
#include "streamwatch/plugin.h"
#include "streamwatch/secret.h"
#include "streamwatch/strvec.h"

/* The summary leads with the worst problem; the overview follows. */
static void lead_with_problem(sw_check *check) {
  sw_state worst = sw_check_state(check);
  if (worst == SW_OK || !check->summary)
    return;
  for (size_t i = 0; i < check->nsubs; i++) {
    if (check->subs[i].state == worst) {
      char *overview = check->summary;
      check->summary = NULL;
      sw_check_summary(check, "%s (%s)", check->subs[i].text, overview);
      free(overview);
      return;
    }
  }
}

/* The stream sampled and judged into check; returns the time to the
 * first media byte, or -1 when none came. */
static double check_one(const stream_cfg *cfg, const sw_deadline *d,
                        sw_check *check) {
  stream_meas m = {.ttfb = -1, .rate = -1, .playlist_age = -1};
  stream_audio_init(&m.audio);
  if (cfg->token_cache) /* as check_api says it */
    sw_check_sub(check, SW_OK, "bearer token from %s, valid %lld s more",
                 cfg->token_cache, cfg->token_left);
  stream_type t =
      cfg->type == ST_AUTO ? stream_guess_type(cfg->url) : cfg->type;
  if (t == ST_HLS)
    stream_hls(cfg, cfg->url, d, &m, check);
  else if (t == ST_DASH)
    stream_dash(cfg, cfg->url, d, &m, check);
  else
    stream_progressive(cfg, cfg->url, d, &m, check);
  if (cfg->all_variants && m.renditions == 0 &&
      strncmp(m.kind, "progressive", 11) == 0) /* a mistake: not a page */
    sw_check_sub(check, SW_UNKNOWN,
                 "--all-variants: a progressive stream has no variants (use "
                 "it with an HLS master playlist or a DASH MPD)");
  stream_judge(cfg, &m, check);
  stream_origins_report(cfg, &m, check);
  lead_with_problem(check);
  return m.ttfb;
}

/* --all-addresses: the stream pinned to one edge (no -vv trace: the
 * edges run at once). */
static double edge_one(void *arg, const char *addr, const sw_deadline *d,
                       sw_check *check) {
  stream_cfg own = *(const stream_cfg *)arg;
  own.base.connect_to = addr;
  own.base.trace = NULL;
  return check_one(&own, d, check);
}

static int run(void *vcfg, const sw_deadline *d) {
  stream_cfg *cfg = vcfg;
  sw_strvec trace = {0}, masks = {0};
  sw_check check;
  /* the bearer and credential headers (-k): masked wherever a server
   * echoes them, in the trace and in the output */
  if (sw_masks_http(&masks, cfg->bearer, &cfg->headers) < 0 ||
      stream_masks_userinfo(&masks, cfg->url) < 0) {
    sw_masks_free(&masks); /* nothing is sent that could not be masked */
    return sw_check_print_unknown("STREAM", "out of memory", NULL, stdout);
  }
  cfg->base.secrets = (const char *const *)masks.v;
  cfg->base.trace = sw_strvec_add_line;
  cfg->base.trace_arg = &trace;
  sw_check_init(&check, "STREAM");
  check.secrets = (const char *const *)masks.v;
  if (cfg->edges.all) {
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    cfg->parse_lock = &lock;
    xmlInitParser(); /* libxml2 set up here, not in an edge's thread */
    sw_edges_run(&cfg->edges, cfg->url, cfg->std.family, d, edge_one, cfg,
                 &check);
    cfg->parse_lock = NULL;
  } else
    check_one(cfg, d, &check);
  if (cfg->base.insecure && check.summary) /* said out loud, as check_api */
    sw_check_summary_append(&check, " [TLS verification off]");
  check.trace = &trace; /* printed after the result, masked */
  sw_state state = sw_check_print(&check, stdout);
  sw_strvec_free(&trace);
  sw_check_free(&check);
  sw_masks_free(&masks);
  return state;
}

static sw_std_result parse(int argc, char **argv, void *vcfg,
                           const sw_std_opts **std, sw_err *err) {
  stream_cfg *cfg = vcfg;
  *std = &cfg->std;
  return stream_parse(argc, argv, cfg, err);
}

static void free_cfg(void *cfg) {
  stream_cfg_free(cfg);
}

int main(int argc, char **argv) {
  static const char *const secrets[] = {"bearer", NULL};
  static const sw_plugin plugin = {.prog = "check_stream",
                                   .service = "STREAM",
                                   .secrets = secrets,
                                   .parse = parse,
                                   .help = stream_help,
                                   .libs = sw_http_version,
                                   .run = run,
                                   .free_cfg = free_cfg};
  stream_cfg cfg;
  return sw_plugin_main(&plugin, &cfg, argc, argv);
}
