/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api: is an HTTP API answering correctly, down to JSON values,
 * with every phase timed.
 *
 *   options/ini -> api_cfg -> sw_http_perform (one libcurl transfer under
 *   the deadline) -> api_judge -> the one printer -> exit state
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "streamwatch/plugin.h"
#include "streamwatch/secret.h"
#include "streamwatch/strvec.h"

/* One request and its verdict into check; returns the request's time,
 * or -1 when none was measured. */
static double check_one(const api_cfg *cfg, const sw_deadline *d,
                        sw_check *check) {
  sw_http_resp resp;
  sw_err err = {""};
  double t = -1;
  int rc = sw_http_perform(&cfg->req, d, &resp, &err);
  if (cfg->tcp_fail && rc < 0 && !err.msg[0] && resp.phase &&
      strcmp(resp.phase, "connect") == 0) {
    cfg->tcp_fail->failed = true;
    snprintf(cfg->tcp_fail->why, sizeof cfg->tcp_fail->why, "%s", resp.err);
  }
  if (rc < 0 && err.msg[0]) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "%s", err.msg);
    api_perfdata_unsent(cfg, check);
  } else {
    if (cfg->judge_lock)
      pthread_mutex_lock(cfg->judge_lock);
    api_judge(cfg, &resp, rc < 0, d, check);
    if (cfg->judge_lock)
      pthread_mutex_unlock(cfg->judge_lock);
    t = rc < 0 ? -1 : resp.t.total;
  }
  sw_http_resp_free(&resp);
  return t;
}

/* --all-addresses: the same check pinned to one edge (no -vv trace: the
 * edges run at once). */
static double edge_one(void *arg, const char *addr, const sw_deadline *d,
                       sw_check *check) {
  api_cfg own = *(const api_cfg *)arg;
  own.req.connect_to = addr;
  own.req.trace = NULL;
  return check_one(&own, d, check);
}

static int run(void *vcfg, const sw_deadline *d) {
  api_cfg *cfg = vcfg;
  sw_strvec trace = {0}, masks = {0};
  sw_check check;
  /* the bearer, credential headers (-k) and the URL's password (still in
   * the URL, or moved to req.password by sw_http_url_option): masked
   * wherever a server echoes them, in the trace and in the output */
  char *url_pw = sw_url_password(cfg->req.url);
  int bad = sw_masks_http(&masks, cfg->bearer, &cfg->headers) < 0 ||
            sw_masks_add(&masks, url_pw) < 0 ||
            sw_masks_add(&masks, cfg->req.password) < 0 ||
            sw_masks_add(&masks, cfg->auth) < 0; /* Basic's user:password */
  sw_secret_free(url_pw);
  if (bad) { /* nothing is sent that could not be masked */
    sw_masks_free(&masks);
    return sw_check_print_unknown("API", "out of memory", NULL, stdout);
  }
  cfg->req.secrets = (const char *const *)masks.v;
  cfg->req.trace = sw_strvec_add_line;
  cfg->req.trace_arg = &trace;
  sw_check_init(&check, "API");
  check.secrets = (const char *const *)masks.v;
  if (cfg->edges.all) {
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    cfg->judge_lock = &lock;
    sw_edges_run(&cfg->edges, cfg->req.url, cfg->std.family, d, edge_one, cfg,
                 &check);
    cfg->judge_lock = NULL;
    if (cfg->req.insecure && check.summary)
      sw_check_summary_append(&check, " [TLS verification off]");
  } else if (cfg->prefer) {
    api_prefer_run(cfg, d, &check, check_one);
  } else {
    check_one(cfg, d, &check);
  }
  check.trace = &trace; /* printed after the result, masked */
  sw_state state = sw_check_print(&check, stdout);
  sw_strvec_free(&trace);
  sw_check_free(&check);
  sw_masks_free(&masks);
  return state;
}

static sw_std_result parse(int argc, char **argv, void *vcfg,
                           const sw_std_opts **std, sw_err *err) {
  api_cfg *cfg = vcfg;
  *std = &cfg->std;
  return api_parse(argc, argv, cfg, err);
}

static void free_cfg(void *cfg) {
  api_cfg_free(cfg);
}

int main(int argc, char **argv) {
  static const char *const secrets[] = {"bearer", NULL};
  static const sw_plugin plugin = {.prog = "check_api",
                                   .service = "API",
                                   .secrets = secrets,
                                   .parse = parse,
                                   .help = api_help,
                                   .libs = sw_http_version,
                                   .run = run,
                                   .free_cfg = free_cfg};
  api_cfg cfg;
  return sw_plugin_main(&plugin, &cfg, argc, argv);
}
