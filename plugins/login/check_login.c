/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login: can a user or an application still log in. A login is a
 * flow of HTTP requests (token endpoint, protected page, or an HTML form
 * with its CSRF token and cookies), each a timed step.
 *
 *   options/ini -> login_cfg -> login_flow_run -> perfdata -> the one
 *   printer -> exit state
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "login.h"
#include "streamwatch/plugin.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/strvec.h"

/* The steps the configured flow makes when all goes well: what its
 * time_stepN labels are, in every run (U for a step not reached). */
static int planned_steps(const login_cfg *cfg) {
  switch (cfg->flow) {
  case FLOW_BASIC: return cfg->verify_rejects ? 2 : 1;
  case FLOW_FORM: return cfg->success_url ? 3 : 2;
  default: return 1;
  }
}

/* A step's time, or -1 when it sent nothing (an error before the
 * request: sw_http_perform leaves every phase unreached and total 0). */
static double step_time(const login_step *s) {
  const sw_http_times *t = &s->resp.t;
  return t->total <= 0 && t->dns < 0 ? -1 : t->total;
}

/* time (total), time_step1 .. time_stepN for every step the flow plans,
 * the phases of the slowest step, token_ttl (token flows), steps; -w/-c
 * on the total. Every label in every run, U when not measured. Returns
 * the total, or -1 when no step sent anything. */
static double add_perfdata(const login_cfg *cfg, const login_run *run,
                           sw_check *check) {
  double total = -1;
  int slow = -1, planned = planned_steps(cfg);
  sw_http_times none = {-1, -1, -1, -1, -1, -1};
  for (int i = 0; i < run->n; i++) {
    double t = step_time(&run->steps[i]);
    if (t < 0)
      continue;
    total = (total < 0 ? 0 : total) + t;
    if (slow < 0 || t > step_time(&run->steps[slow]))
      slow = i;
  }
  sw_check_perf_time(check, "time", total, &cfg->std.warn, &cfg->std.crit,
                     true);
  for (int i = 0; i < planned || i < run->n; i++) {
    char label[32];
    snprintf(label, sizeof label, "time_step%d", i + 1);
    sw_check_perf_time(check, label,
                       i < run->n ? step_time(&run->steps[i]) : -1, NULL, NULL,
                       false);
  }
  sw_http_perf_phases(check, slow >= 0 ? &run->steps[slow].resp.t : &none,
                      strncasecmp(cfg->url, "https:", 6) == 0);
  if (cfg->flow <= FLOW_PASSWORD) {
    sw_perf ttl = {.label = "token_ttl",
                   .measured = run->ttl > 0,
                   .value = (double)run->ttl,
                   .uom = "s",
                   .warn = &cfg->ttl_warn,
                   .crit = &cfg->ttl_crit,
                   .has_min = true,
                   .min = 0};
    sw_check_perf(check, &ttl);
  }
  sw_perf steps = {
      .label = "steps", .measured = true, .value = (double)run->n, .uom = ""};
  sw_check_perf(check, &steps);
  return total;
}

/* -v: one line per step made, with its answer and time. */
static void verbose_steps(const login_cfg *cfg, const login_run *run,
                          sw_check *check) {
  int planned = planned_steps(cfg);
  for (int i = 0; i < run->n; i++) {
    const login_step *st = &run->steps[i];
    const sw_http_resp *r = &st->resp;
    char t[32];
    double v = step_time(st);
    if (r->status > 0)
      sw_check_sub(check, SW_OK,
                   "step %d/%d %s: HTTP %ld%s%s, %s, %zu B, %ld redirect%s "
                   "in %s s",
                   i + 1, planned, st->what, r->status, r->reason[0] ? " " : "",
                   r->reason,
                   r->content_type[0] ? r->content_type : "no Content-Type",
                   r->body_len, r->redirects, r->redirects == 1 ? "" : "s",
                   sw_perf_secs(t, sizeof t, v));
    else
      sw_check_sub(check, SW_OK, "step %d/%d %s: no answer%s%s", i + 1, planned,
                   st->what, r->err[0] ? ": " : "", r->err);
  }
  if (run->n > 0) /* the first step's store: every step's is the same */
    sw_http_trust_sub(check, &cfg->base, cfg->url, &run->steps[0].resp);
}

/* The summary of a login that worked, and the time thresholds. */
static void ok_summary(const login_cfg *cfg, const login_run *run, double total,
                       sw_check *check) {
  char url[160], ttl[64] = "", slow[200] = "", t[32], said[128];
  char short_ttl[200] = "";
  sw_buf b;
  sw_state s = sw_range_state(&cfg->std.warn, &cfg->std.crit, total);
  login_url_show(cfg, cfg->url, url, sizeof url, 120);
  if (run->ttl > 0) {
    sw_buf_fixed(&b, ttl, sizeof ttl);
    sw_buf_addf(&b, ", token valid %lld s", run->ttl);
    /* a lifetime past --ttl-*: the first line says why (the sub-check
     * of login_judge_token holds the same words) */
    sw_state ts =
        sw_range_state(&cfg->ttl_warn, &cfg->ttl_crit, (double)run->ttl);
    if (ts != SW_OK) {
      sw_range_describe(said, sizeof said,
                        ts == SW_CRITICAL ? &cfg->ttl_crit : &cfg->ttl_warn,
                        "s");
      sw_buf_fixed(&b, short_ttl, sizeof short_ttl);
      sw_buf_addf(&b, "token valid %lld s (%s: %s); ", run->ttl,
                  ts == SW_CRITICAL ? "--ttl-critical" : "--ttl-warning", said);
      ttl[0] = '\0'; /* said once, first */
    }
  }
  if (s != SW_OK) {
    sw_range_describe(said, sizeof said,
                      s == SW_CRITICAL ? &cfg->std.crit : &cfg->std.warn, "s");
    sw_buf_fixed(&b, slow, sizeof slow);
    sw_buf_addf(&b, "slow login: took %s s (%s: %s); ",
                sw_perf_secs(t, sizeof t, total),
                s == SW_CRITICAL ? "-c" : "-w", said);
  }
  sw_check_raise(check, s);
  sw_check_summary(check, "%s%s%s as %s at %s in %s s%s", short_ttl, slow,
                   login_flow_name(cfg->flow), run->who ? run->who : "?", url,
                   sw_perf_secs(t, sizeof t, total), ttl);
}

/* A flow that ended without its verdict: something failed inside it (an
 * allocation), and the result is UNKNOWN with a summary, never OK. */
static void no_verdict(const login_cfg *cfg, const login_run *run,
                       sw_check *check) {
  sw_check_raise(check, SW_UNKNOWN);
  if (!check->summary)
    sw_check_summary(check,
                     "internal failure (out of memory?): the %s flow ended "
                     "without a result after %d of its steps",
                     login_flow_name(cfg->flow), run->n);
}

/* HTTP Basic's base64 of USER:PW (escaped first for RFC 6749 2.3.1), or
 * NULL when out of memory. */
static char *basic_b64(const char *user, const char *pw, bool escape) {
  char *u = escape ? curl_easy_escape(NULL, user, 0) : NULL;
  char *p = escape ? curl_easy_escape(NULL, pw, 0) : NULL, *out = NULL;
  sw_buf both;
  sw_buf_init(&both, strlen(u ? u : user) + strlen(p ? p : pw) + 1);
  if (!escape || (u && p)) {
    sw_buf_addf(&both, "%s:%s", escape ? u : user, escape ? p : pw);
    out = both.nomem ? NULL : sw_base64(sw_buf_str(&both), both.len);
  }
  if (both.p)
    memset(both.p, 0, both.len);
  sw_buf_free(&both);
  if (p)
    memset(p, 0, strlen(p));
  curl_free(u);
  curl_free(p);
  return out;
}

/* Adds the mask s and frees it, or fails when s is NULL (out of memory). */
static int masks_take(sw_strvec *m, char *s) {
  int rc = s ? sw_masks_add(m, s) : -1;
  sw_secret_free(s);
  return rc;
}

/* Adds the masks of s form-urlencoded as HTTP Basic carries it (RFC 6749
 * 2.3.1): its base64 inside the credential's is then masked at whatever
 * characters a server changes before it. */
static int masks_escaped(sw_strvec *m, const char *s) {
  char *e = curl_easy_escape(NULL, s, 0);
  int rc = e ? sw_masks_add(m, e) : -1;
  if (e)
    memset(e, 0, strlen(e));
  curl_free(e);
  return rc;
}

/* The run's secrets (sw_masks_add adds the forms a server echoes them
 * in), the base64 of HTTP Basic's ID:SECRET (RFC 6749 2.3.1 and the basic
 * flow, also when given as -u's userinfo), and credential headers (-k).
 * The trace and the printer mask every one of them. Returns 0 or -1 when
 * out of memory. */
static int masks_build(const login_cfg *cfg, sw_strvec *m) {
  const char *raw[] = {cfg->client_secret, cfg->password, cfg->refresh_token};
  for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
    if (sw_masks_add(m, raw[i]) < 0)
      return -1;
  if (cfg->client_id && cfg->client_secret &&
      (masks_take(m, basic_b64(cfg->client_id, cfg->client_secret, true)) < 0 ||
       masks_escaped(m, cfg->client_secret) < 0))
    return -1;
  if (cfg->username && cfg->password &&
      masks_take(m, basic_b64(cfg->username, cfg->password, false)) < 0)
    return -1;
  return sw_masks_http(m, NULL, &cfg->headers);
}

/* The flow and its verdict into check; returns the login's total time,
 * or -1 when nothing was sent. */
static double check_one(const login_cfg *cfg, const sw_deadline *d,
                        sw_check *check) {
  login_run r;
  memset(&r, 0, sizeof r);
  login_flow_run(cfg, d, &r, check);
  double total = add_perfdata(cfg, &r, check);
  if (cfg->std.verbose)
    verbose_steps(cfg, &r, check);
  if (!r.ok && (!check->summary || sw_check_state(check) == SW_OK))
    no_verdict(cfg, &r, check);
  else if (!check->summary)
    ok_summary(cfg, &r, total, check);
  for (int i = 0; i < r.n; i++)
    sw_http_resp_free(&r.steps[i].resp);
  sw_http_session_close(r.session);
  return total;
}

/* --all-addresses: the flow pinned to one edge (no -vv trace: the edges
 * run at once). */
static double edge_one(void *arg, const char *addr, const sw_deadline *d,
                       sw_check *check) {
  login_cfg own = *(const login_cfg *)arg;
  own.base.connect_to = addr;
  own.base.trace = NULL;
  return check_one(&own, d, check);
}

static int run(void *vcfg, const sw_deadline *d) {
  login_cfg *cfg = vcfg;
  sw_strvec trace = {0}, masks = {0};
  sw_check check;
  if (masks_build(cfg, &masks) < 0) {
    /* nothing is sent or shown without the masks; the one printer says
     * so, with a summary that holds no secret */
    sw_masks_free(&masks);
    return sw_check_print_unknown("LOGIN", "out of memory before the login",
                                  NULL, stdout);
  }
  sw_check_init(&check, "LOGIN");
  cfg->base.secrets = (const char *const *)masks.v;
  cfg->base.trace = sw_strvec_add_line;
  cfg->base.trace_arg = &trace;
  check.secrets = (const char *const *)masks.v;
  check.trace = &trace;
  if (cfg->edges.all) {
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    cfg->judge_lock = &lock;
    sw_edges_run(&cfg->edges, cfg->url, cfg->std.family, d, edge_one, cfg,
                 &check);
    cfg->judge_lock = NULL;
  } else
    check_one(cfg, d, &check);
  if (cfg->base.insecure && check.summary) /* said out loud, as check_api */
    sw_check_summary_append(&check, " [TLS verification off]");
  sw_state state = sw_check_print(&check, stdout);
  sw_strvec_free(&trace);
  sw_check_free(&check);
  sw_masks_free(&masks);
  return state;
}

static sw_std_result parse(int argc, char **argv, void *vcfg,
                           const sw_std_opts **std, sw_err *err) {
  login_cfg *cfg = vcfg;
  *std = &cfg->std;
  return login_parse(argc, argv, cfg, err);
}

static void free_cfg(void *cfg) {
  login_cfg_free(cfg);
}

int main(int argc, char **argv) {
  static const char *const secrets[] = {"client-secret", "password",
                                        "refresh-token", NULL};
  static const sw_plugin plugin = {.prog = "check_login",
                                   .service = "LOGIN",
                                   .secrets = secrets,
                                   .parse = parse,
                                   .help = login_help,
                                   .libs = sw_http_version,
                                   .run = run,
                                   .free_cfg = free_cfg};
  login_cfg cfg;
  return sw_plugin_main(&plugin, &cfg, argc, argv);
}
