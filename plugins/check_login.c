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

#include "login.h"
#include "streamwatch/plugin.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strvec.h"

/* time (total), time_stepN, the phases of the slowest step, token_ttl,
 * steps; and -w/-c on the total. Returns the total. */
static double add_perfdata(const login_cfg *cfg, const login_run *run,
                           sw_check *check) {
  double total = 0;
  int slow = 0;
  for (int i = 0; i < run->n; i++) {
    total += run->steps[i].resp.t.total;
    if (run->steps[i].resp.t.total > run->steps[slow].resp.t.total)
      slow = i;
  }
  sw_check_perf_time(check, "time", total, &cfg->std.warn, &cfg->std.crit,
                     true);
  for (int i = 0; i < run->n; i++) {
    char label[32];
    snprintf(label, sizeof label, "time_step%d", i + 1);
    sw_check_perf_time(check, label, run->steps[i].resp.t.total, NULL, NULL,
                       false);
  }
  if (run->n > 0) {
    sw_http_perf_phases(check, &run->steps[slow].resp.t,
                        strncasecmp(cfg->url, "https:", 6) == 0);
  }
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

/* The summary of a login that worked, and the time thresholds. */
static void ok_summary(const login_cfg *cfg, const login_run *run, double total,
                       sw_check *check) {
  char url[160], ttl[64] = "";
  sw_state s = sw_range_state(&cfg->std.warn, &cfg->std.crit, total);
  sw_sanitize(url, sizeof url, cfg->url, strlen(cfg->url), 120);
  if (run->ttl > 0)
    snprintf(ttl, sizeof ttl, ", token valid %lld s", run->ttl);
  sw_check_raise(check, s);
  sw_check_summary(
      check, "%s%s%s%s%s as %s at %s in %.3f s%s",
      s == SW_OK ? "" : "slow login: ",
      s == SW_OK ? "" : (s == SW_CRITICAL ? "-c " : "-w "),
      s == SW_OK ? ""
                 : (s == SW_CRITICAL ? cfg->std.crit.text : cfg->std.warn.text),
      s == SW_OK ? "" : "; ", login_flow_name(cfg->flow),
      run->who ? run->who : "?", url, total, ttl);
}

/* HTTP Basic's base64 of USER:PW (escaped first for RFC 6749 2.3.1), or
 * NULL when out of memory. */
static char *basic_b64(const char *user, const char *pw, bool escape) {
  char *u = escape ? curl_easy_escape(NULL, user, 0) : NULL;
  char *p = escape ? curl_easy_escape(NULL, pw, 0) : NULL, *both = NULL;
  char *out = NULL;
  if ((!escape || (u && p)) &&
      asprintf(&both, "%s:%s", escape ? u : user, escape ? p : pw) >= 0) {
    out = sw_base64(both, strlen(both));
    sw_secret_free(both);
  }
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

/* The run's secrets and the forms they take on the wire: form-urlencoded,
 * base64, and the base64 of HTTP Basic's ID:SECRET (RFC 6749 2.3.1 and the
 * basic flow); and credential headers (-k). The trace and the printer mask
 * every one of them. Returns 0 or -1 when out of memory. */
static int masks_build(const login_cfg *cfg, sw_strvec *m) {
  const char *raw[] = {cfg->client_secret, cfg->password, cfg->refresh_token};
  for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
    if (!raw[i] || !*raw[i])
      continue;
    char *e = curl_easy_escape(NULL, raw[i], 0);
    int rc = e ? sw_masks_add(m, raw[i]) : -1;
    if (rc == 0 && strcmp(e, raw[i]) != 0)
      rc = sw_masks_add(m, e);
    curl_free(e);
    if (rc < 0 || masks_take(m, sw_base64(raw[i], strlen(raw[i]))) < 0)
      return -1;
  }
  if (cfg->client_id && cfg->client_secret &&
      masks_take(m, basic_b64(cfg->client_id, cfg->client_secret, true)) < 0)
    return -1;
  if (cfg->username && cfg->password &&
      masks_take(m, basic_b64(cfg->username, cfg->password, false)) < 0)
    return -1;
  return sw_masks_http(m, NULL, &cfg->headers);
}

static int run(void *vcfg, const sw_deadline *d) {
  login_cfg *cfg = vcfg;
  login_run r;
  sw_strvec trace = {0}, masks = {0};
  sw_check check;
  if (masks_build(cfg, &masks) < 0) {
    sw_masks_free(&masks);
    printf("LOGIN UNKNOWN - out of memory\n");
    return SW_UNKNOWN;
  }
  memset(&r, 0, sizeof r);
  cfg->base.secrets = (const char *const *)masks.v;
  cfg->base.trace = sw_strvec_add_line;
  cfg->base.trace_arg = &trace;
  sw_check_init(&check, "LOGIN");
  check.secrets = (const char *const *)masks.v;
  login_flow_run(cfg, d, &r, &check);
  double total = add_perfdata(cfg, &r, &check);
  if (!check.summary)
    ok_summary(cfg, &r, total, &check);
  if (cfg->base.insecure && check.summary) /* said out loud, as check_api */
    sw_check_summary_append(&check, " [TLS verification off]");
  sw_state state = sw_check_print(&check, stdout);
  for (size_t i = 0; i < trace.n; i++)
    printf("%s\n", trace.v[i]);
  for (int i = 0; i < r.n; i++)
    sw_http_resp_free(&r.steps[i].resp);
  sw_http_session_close(r.session);
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
