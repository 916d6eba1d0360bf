/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's judgement: transport failure, status, body content, JSON
 * assertions and metrics, time and certificate thresholds, perfdata. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/regex.h"
#include "streamwatch/strparse.h"

/* The problems that lead the summary, "a; b; c". */
enum { PROBLEMS_MAX = 1000 };

/* Writes printf-formatted text into b (size n) through the capped
 * builder: a cut is marked "...", never silent. */
static void put(char *b, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put(char *b, size_t n, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  sw_buf buf;
  va_start(ap, fmt);
  int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  sw_buf_fixed(&buf, b, n);
  /* tmp is larger than every caller's b: a long text is cut in b, marked */
  sw_buf_add(&buf, tmp,
             len < 0                        ? 0
             : (size_t)len < sizeof tmp - 1 ? (size_t)len
                                            : sizeof tmp - 1);
}

/* Appends "; text" (or text when first) to the problems summary. */
static void add_problem(sw_buf *b, const char *text) {
  if (b->len)
    sw_buf_puts(b, "; ");
  sw_buf_puts(b, text);
}

/* "HTTP 503 Service Unavailable" plus, for 5xx, the start of the body:
 * masked, then sanitised, then cut at 80 characters, so an error page
 * that echoes a token never shows its first part. */
static void status_text(const sw_http_resp *r, const sw_check *check, char *b,
                        size_t n) {
  char excerpt[400] = "";
  sw_buf text;
  if (r->status >= 500 && r->body_len)
    sw_text_safe(excerpt, sizeof excerpt, r->body, r->body_len, 80,
                 check->secrets);
  sw_buf_fixed(&text, b, n);
  sw_buf_addf(&text, "HTTP %ld%s%s%s%s", r->status, r->reason[0] ? " " : "",
              r->reason, excerpt[0] ? ": " : "", excerpt);
}

/* Judges the status line; returns true when the body is worth checking. */
static bool judge_status(const api_cfg *cfg, const sw_http_resp *r,
                         sw_check *check, sw_buf *problems) {
  char text[600], what[800];
  status_text(r, check, text, sizeof text);
  if (r->status == 429) {
    const char *ra = r->retry_after;
    unsigned long secs;
    if (sw_parse_ulong(ra, 0, 1UL << 31, &secs) == 0)
      put(what, sizeof what, "rate limited (Retry-After %lu s)", secs);
    else
      put(what, sizeof what, "rate limited%s%s%s",
          ra[0] ? " (Retry-After " : "", ra, ra[0] ? ")" : "");
    sw_check_sub(check, cfg->rate_limit_state, "%s", what);
    add_problem(problems, what);
    return false;
  }
  if (r->status >= 300 && r->status < 400 && cfg->redirect_state_set &&
      !api_codes_match(&cfg->codes, r->status)) {
    put(what, sizeof what, "%s to %s", text,
        r->location[0] ? r->location : "(no Location)");
    sw_check_sub(check, cfg->redirect_state, "%s", what);
    add_problem(problems, what);
    return false;
  }
  if (api_codes_match(&cfg->codes, r->status)) {
    sw_check_sub(check, SW_OK, "status %ld", r->status);
    return true;
  }
  put(what, sizeof what, "%s (expected %s)", text, cfg->codes.text);
  sw_check_sub(check, SW_CRITICAL, "%s", what);
  add_problem(problems, what);
  return false;
}

/* -s / -r, with --invert. */
static void judge_text(const api_cfg *cfg, const sw_http_resp *r,
                       const sw_deadline *d, sw_check *check,
                       sw_buf *problems) {
  const char *body = r->body ? r->body : "";
  char shown[160], what[300];
  if (cfg->string) {
    bool found = strstr(body, cfg->string) != NULL;
    sw_text_safe(shown, sizeof shown, cfg->string, strlen(cfg->string), 60,
                 check->secrets);
    put(what, sizeof what, "body %s '%s'",
        found ? "contains" : "does not contain", shown);
    sw_check_sub(check, found != cfg->invert ? SW_OK : SW_CRITICAL, "%s", what);
    if (found == cfg->invert)
      add_problem(problems, what);
  }
  if (cfg->has_re) {
    sw_err err = {""};
    int m = sw_regex_search(&cfg->re, body, r->body_len, 0, NULL, d,
                            cfg->re_icase ? "-R" : "-r", &err);
    if (m < 0) { /* too costly for this body: a limit, not the service */
      sw_check_sub(check, SW_UNKNOWN, "%s", err.msg);
      add_problem(problems, err.msg);
      return;
    }
    bool found = m == 1;
    sw_text_safe(shown, sizeof shown, cfg->re_text, strlen(cfg->re_text), 60,
                 check->secrets);
    put(what, sizeof what, "body %s /%s/%s",
        found ? "matches" : "does not match", shown, cfg->re_icase ? "i" : "");
    sw_check_sub(check, found != cfg->invert ? SW_OK : SW_CRITICAL, "%s", what);
    if (found == cfg->invert)
      add_problem(problems, what);
  }
}

/* What -M read: every -M label is in the perfdata of every run, U when
 * the number was not read (a failed request, a status not in -e, a body
 * that is not JSON, a value missing). */
typedef struct {
  bool measured;
  double value;
} metric_val;

/* -j and -M against the body parsed once; returns how many -j held and
 * fills vals (one per -M). */
static size_t judge_json(const api_cfg *cfg, const sw_http_resp *r,
                         metric_val *vals, sw_check *check, sw_buf *problems) {
  char msg[512];
  size_t held = 0;
  if (cfg->nasserts == 0 && cfg->nmetrics == 0)
    return 0;
  struct json_object *root = NULL;
  sw_json_status st =
      sw_json_load(r->body ? r->body : "", r->body_len, &root, msg, sizeof msg);
  if (st != SW_JSON_OK) {
    /* a limit of this check is not the service's fault: UNKNOWN */
    char what[700];
    sw_buf b;
    sw_buf_fixed(&b, what, sizeof what);
    if (st == SW_JSON_LIMIT)
      sw_buf_puts(&b, msg);
    else
      sw_buf_addf(&b, "response is not JSON (%s)%s%s",
                  r->content_type[0] ? r->content_type : "no Content-Type",
                  cfg->std.verbose ? ": " : "", cfg->std.verbose ? msg : "");
    sw_check_sub(check, st == SW_JSON_LIMIT ? SW_UNKNOWN : SW_CRITICAL, "%s",
                 what);
    add_problem(problems, what);
    return 0;
  }
  for (size_t i = 0; i < cfg->nasserts; i++) {
    int holds = api_assert_eval_masked(&cfg->asserts[i], root, check->secrets,
                                       msg, sizeof msg);
    sw_check_sub(check,
                 holds > 0   ? SW_OK
                 : holds < 0 ? SW_UNKNOWN /* our limit, not the service */
                             : SW_CRITICAL,
                 "%s", msg);
    if (holds > 0)
      held++;
    else
      add_problem(problems, msg);
  }
  for (size_t i = 0; i < cfg->nmetrics; i++) {
    const api_metric *m = &cfg->metrics[i];
    double v = 0;
    bool got = api_metric_eval_masked(m, root, check->secrets, &v, msg,
                                      sizeof msg) == 0;
    sw_state s = got ? sw_range_state(&m->warn, &m->crit, v) : SW_CRITICAL;
    if (got) {
      char num[64], ptr[160], why[200] = "";
      sw_perf_number(num, sizeof num, v, 6);
      sw_buf b;
      sw_text_safe(ptr, sizeof ptr, m->pointer, strlen(m->pointer), 100,
                   check->secrets);
      if (s != SW_OK)
        sw_range_threshold(why, sizeof why,
                           s == SW_WARNING ? "-M warning" : "-M critical",
                           s == SW_WARNING ? &m->warn : &m->crit, NULL);
      sw_buf_fixed(&b, msg, sizeof msg);
      sw_buf_addf(&b, "%s = %s (%s%s%s)", m->perf, num,
                  ptr[0] ? ptr : "document", why[0] ? "; " : "", why);
      vals[i].measured = true;
      vals[i].value = v;
    }
    sw_check_sub(check, s, "%s", msg);
    if (s != SW_OK)
      add_problem(problems, msg);
  }
  json_object_put(root);
  return held;
}

/* Every label in every run: time (U when no request was made), the
 * phases, size, status, cert_days, tls_version and ocsp_stapled (https),
 * then one per -M. */
static void add_perfdata(const api_cfg *cfg, const sw_http_resp *r, bool failed,
                         bool sent, const metric_val *vals, sw_check *check) {
  bool https = cfg->req.want_cert;
  sw_check_perf_time(check, "time", sent ? r->t.total : -1, &cfg->std.warn,
                     &cfg->std.crit, true);
  sw_http_perf_phases(check, &r->t, https);
  sw_perf size = {.label = "size",
                  .measured = sent && !failed && !cfg->cert_only,
                  .value = (double)r->body_len,
                  .uom = "B",
                  .crit = &cfg->size};
  sw_perf status = {.label = "status",
                    .measured = r->status > 0,
                    .value = (double)r->status,
                    .uom = ""};
  sw_check_perf(check, &size);
  sw_check_perf(check, &status);
  if (https)
    api_perf_tls(cfg, r, check);
  /* the age of the document asked for, not of an error page */
  api_perf_age(
      cfg,
      sent && !failed && api_codes_match(&cfg->codes, r->status) ? r : NULL,
      check);
  for (size_t i = 0; i < cfg->nmetrics; i++) {
    const api_metric *m = &cfg->metrics[i];
    sw_perf p = {.measured = vals && vals[i].measured,
                 .value = vals ? vals[i].value : 0,
                 .uom = "",
                 .warn = &m->warn,
                 .crit = &m->crit};
    snprintf(p.label, sizeof p.label, "%s", m->perf);
    sw_check_perf(check, &p);
  }
}

void api_perfdata_unsent(const api_cfg *cfg, sw_check *check) {
  sw_http_resp none;
  memset(&none, 0, sizeof none);
  none.t = (sw_http_times){-1, -1, -1, -1, -1, -1};
  add_perfdata(cfg, &none, true, false, NULL, check);
}

/* The total time against -w/-c. */
static void judge_time(const api_cfg *cfg, const sw_http_resp *r,
                       sw_check *check, sw_buf *problems) {
  sw_state s = sw_range_state(&cfg->std.warn, &cfg->std.crit, r->t.total);
  if (s == SW_OK)
    return;
  char what[300], t[32], why[160];
  sw_range_threshold(why, sizeof why, s == SW_CRITICAL ? "-c" : "-w",
                     s == SW_CRITICAL ? &cfg->std.crit : &cfg->std.warn, "s");
  put(what, sizeof what, "took %s s (%s)",
      sw_perf_secs(t, sizeof t, r->t.total), why);
  sw_check_raise(check, s);
  add_problem(problems, what);
}

/* Where the request went: a hop down to http is CRITICAL (an on-path
 * attacker could have written the answer the assertions then judged, as
 * with a certificate that does not verify); credentials held back from
 * another origin are WARNING (the check did not test what it was set up
 * for: point -u at the final URL); any other hop to another origin is
 * named on a line of its own. */
static void judge_origin(const sw_http_resp *r, sw_check *check,
                         sw_buf *problems) {
  char what[300];
  sw_buf b;
  sw_buf_fixed(&b, what, sizeof what);
  if (r->downgraded) {
    sw_buf_addf(&b, "clear-text hop %s", r->hop);
    sw_check_sub(check, SW_CRITICAL, "%s", what);
    add_problem(problems, what);
  } else if (r->hop[0]) {
    sw_check_sub(check, SW_OK, "redirected to another origin: %s", r->hop);
  }
  if (r->cred_withheld) {
    sw_buf_fixed(&b, what, sizeof what);
    sw_buf_addf(&b, "credentials not sent to %s (another origin)",
                r->withheld_at);
    sw_check_sub(check, SW_WARNING, "%s", what);
    add_problem(problems, what);
  }
}

/* "GET https://api/v1 200 in 0.081 s, 3 assertions hold" */
static void overview(const api_cfg *cfg, const sw_http_resp *r,
                     const char *method, const char *url, size_t held,
                     char *out, size_t n) {
  sw_buf b;
  sw_buf_fixed(&b, out, n);
  char t[32];
  sw_buf_addf(&b, "%s %s %ld in %s s", method, url, r->status,
              sw_perf_secs(t, sizeof t, r->t.total));
  if (cfg->nasserts && held == cfg->nasserts)
    sw_buf_addf(&b, ", %zu assertion%s", held, held == 1 ? " holds" : "s hold");
  else if (cfg->nasserts)
    sw_buf_addf(&b, ", %zu of %zu assertions hold", held, cfg->nasserts);
}

/* -v: one line with the answer and where the time went, phase by phase
 * (the perfdata's numbers, "-" for a phase not reached). */
static void verbose_line(const api_cfg *cfg, const sw_http_resp *r,
                         sw_check *check) {
  const struct {
    const char *name;
    double v;
  } ph[] = {{"DNS", r->t.dns},
            {"connect", r->t.connect},
            {"TLS", r->t.tls},
            {"first byte", r->t.ttfb},
            {"transfer", r->t.transfer}};
  char line[600], t[32];
  sw_buf b;
  sw_buf_fixed(&b, line, sizeof line);
  if (r->status > 0)
    sw_buf_addf(&b, "answer HTTP %ld%s%s, %s, %zu B, %ld redirect%s; ",
                r->status, r->reason[0] ? " " : "", r->reason,
                r->content_type[0] ? r->content_type : "no Content-Type",
                r->body_len, r->redirects, r->redirects == 1 ? "" : "s");
  else
    sw_buf_puts(&b, "no answer; ");
  sw_buf_puts(&b, "phases:");
  for (size_t i = 0; i < sizeof ph / sizeof *ph; i++) {
    if (i == 2 && !cfg->req.want_cert)
      continue;
    const char *sep = i ? ", " : " ";
    if (ph[i].v < 0)
      sw_buf_addf(&b, "%s%s -", sep, ph[i].name);
    else
      sw_buf_addf(&b, "%s%s %s s", sep, ph[i].name,
                  sw_perf_secs(t, sizeof t, ph[i].v));
  }
  sw_check_sub(check, SW_OK, "%s", line);
}

void api_judge(const api_cfg *cfg, const sw_http_resp *r, bool failed,
               const sw_deadline *d, sw_check *check) {
  char url[400], over[700];
  const char *method = cfg->cert_only    ? "connect to"
                       : cfg->req.method ? cfg->req.method
                                         : "GET";
  size_t held = 0;
  metric_val vals[API_MAX_METRIC] = {{0}};
  sw_buf problems;
  sw_buf_init(&problems, PROBLEMS_MAX);
  /* no userinfo, nothing of a secret, whatever -u holds */
  sw_url_display(url, sizeof url, cfg->req.url, 120, check->secrets);
  judge_origin(r, check, &problems);
  if (cfg->std.verbose) {
    verbose_line(cfg, r, check);
    sw_http_trust_sub(check, &cfg->req, cfg->req.url, r);
  }
  if (failed) {
    /* A transport failure: the phase says which layer broke. */
    sw_check_raise(check, r->timed_out ? cfg->std.timeout_state : SW_CRITICAL);
    if (r->timed_out)
      sw_check_summary(check, "%s %s%s%s", method, r->err,
                       problems.len ? "; " : "", sw_buf_str(&problems));
    else
      sw_check_summary(check, "%s %s: %s%s%s", method, url, r->err,
                       problems.len ? "; " : "", sw_buf_str(&problems));
    add_perfdata(cfg, r, failed, true, NULL, check);
    sw_buf_free(&problems);
    return;
  }
  if (cfg->cert_only) { /* no request: the handshake is the answer */
    api_judge_tls(cfg, r, check, &problems);
    judge_time(cfg, r, check, &problems);
    api_judge_cert_only(cfg, r, check, &problems);
    add_perfdata(cfg, r, failed, true, vals, check);
    sw_buf_free(&problems);
    return;
  }
  if (cfg->token_cache)
    sw_check_sub(check, SW_OK, "bearer token from %s, valid %lld s more",
                 cfg->token_cache, cfg->token_left);
  if (judge_status(cfg, r, check, &problems)) {
    judge_text(cfg, r, d, check, &problems);
    held = judge_json(cfg, r, vals, check, &problems);
    api_judge_headers(cfg, r, d, check, &problems);
  }
  api_judge_tls(cfg, r, check, &problems);
  judge_time(cfg, r, check, &problems);
  overview(cfg, r, method, url, held, over, sizeof over);
  sw_check_summary(check, "%s%s%s%s%s", sw_buf_str(&problems),
                   problems.len ? " (" : "", over, problems.len ? ")" : "",
                   cfg->req.insecure ? " [TLS verification off]" : "");
  add_perfdata(cfg, r, failed, true, vals, check);
  sw_buf_free(&problems);
}
