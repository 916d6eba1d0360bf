/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login's flows: token requests (RFC 6749 4.4, 4.3, 6), HTTP Basic
 * or Digest with --verify-rejects, and HTML form logins. Each request is
 * a step, timed and named for the output. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "login.h"
#include "login_form.h"
#include "streamwatch/regex.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"

/* Appends name=value to an application/x-www-form-urlencoded body. The
 * body may hold a secret: every copy let go of is wiped. */
static int form_add(char **body, const char *name, const char *value) {
  char *n = curl_easy_escape(NULL, name, 0),
       *v = curl_easy_escape(NULL, value, 0), *grown = NULL;
  size_t old = *body ? strlen(*body) : 0;
  sw_buf b;
  sw_buf_init(&b, old + (n ? strlen(n) : 0) + (v ? strlen(v) : 0) + 2);
  if (n && v) {
    sw_buf_addf(&b, "%s%s%s=%s", old ? *body : "", old ? "&" : "", n, v);
    grown = b.nomem || b.cut ? NULL : sw_buf_take(&b);
  }
  if (b.p)
    memset(b.p, 0, b.len);
  sw_buf_free(&b);
  if (grown) {
    sw_secret_free(*body);
    *body = grown;
  }
  if (v)
    memset(v, 0, strlen(v));
  curl_free(n);
  curl_free(v);
  return grown ? 0 : -1;
}

/* "POST /token": the method and the URL's path, for messages (masked:
 * a query may hold a secret). */
static void step_name(const login_cfg *cfg, char *b, size_t n,
                      const char *method, const char *url) {
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  char path[120];
  sw_buf out;
  sw_text_safe(path, sizeof path, p ? p : "/", strlen(p ? p : "/"), 80,
               cfg->base.secrets);
  sw_buf_fixed(&out, b, n);
  sw_buf_addf(&out, "%s %s", method, path);
}

/* One request of a flow: what it sends, and to which origin its
 * credentials belong (sw_http_req.cred_origin, body_secret). */
typedef struct {
  const char *method, *url, *body;
  const char *cred_origin; /* NULL: url's own */
  bool auth;               /* HTTP Basic/Digest with cfg's user */
  bool no_creds;           /* not even the credential headers of -k */
  bool body_secret;        /* the body holds a password or secret */
} step_req;

/* The -k headers that are not credentials (sw_secret_header), for a
 * request that must go without any. Returns 0 or -1 (no memory). */
static int plain_headers(const sw_strvec *all, sw_strvec *out) {
  for (size_t i = 0; all && i < all->n; i++)
    if (!sw_secret_header(all->v[i], strlen(all->v[i])) &&
        sw_strvec_add(out, all->v[i]) < 0)
      return -1;
  return 0;
}

/* Runs one request as step run->n + 1 of total. Returns 0 when an answer
 * came; -1 after setting the check's state and summary. */
static int step(const login_cfg *cfg, const sw_deadline *d, login_run *run,
                int total, const step_req *q, sw_check *check) {
  login_step *s = &run->steps[run->n++];
  sw_http_req r = cfg->base;
  sw_err err = {""};
  r.url = q->url;
  r.method = q->method;
  r.body = q->body;
  r.body_len = q->body ? strlen(q->body) : 0;
  r.cred_origin = q->cred_origin;
  r.body_secret = q->body_secret;
  /* --connect-to pins -u's host (check_login(1)); the lib pins
   * cred_origin's, which for a --success-url or --form-origin is another
   * host that must resolve as usual */
  if (q->cred_origin && !sw_same_origin(q->cred_origin, cfg->url))
    r.connect_to = NULL;
  r.session = run->session;
  r.follow = run->session != NULL;
  if (q->auth) {
    r.username = cfg->username;
    r.password = cfg->password;
    r.digest = cfg->digest;
  }
  step_name(cfg, s->what, sizeof s->what, q->method, q->url);
  sw_strvec plain = {0};
  if (q->no_creds) {
    if (plain_headers(cfg->base.headers, &plain) < 0)
      sw_fail(&err, "out of memory");
    r.headers = &plain;
  }
  int rc = err.msg[0] ? -1 : sw_http_perform(&r, d, &s->resp, &err);
  sw_strvec_free(&plain);
  if (rc == 0)
    return 0;
  s->failed = true;
  if (err.msg[0]) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "step %d/%d %s: %s", run->n, total, s->what,
                     err.msg);
  } else {
    /* libcurl's CURLE_OUT_OF_MEMORY is ours, not the service's (a body
     * past 4 MiB is the service's: no login answer is that long) */
    bool nomem = strcasestr(s->resp.err, "out of memory") != NULL;
    sw_check_raise(check, nomem               ? SW_UNKNOWN
                          : s->resp.timed_out ? cfg->std.timeout_state
                                              : SW_CRITICAL);
    sw_check_summary(check, "step %d/%d %s: %s", run->n, total, s->what,
                     s->resp.err);
  }
  return -1;
}

/* Where a step's redirects went (sw_http_resp.hop): a hop down to http
 * is CRITICAL (returns -1, the flow stops); another origin that got no
 * credentials is named on a WARNING line (the login may still work). A
 * 307/308 that would re-post the password: repost_refused. */
static int judge_hop(const login_run *run, int total, bool password,
                     sw_check *check) {
  const login_step *s = &run->steps[run->n - 1];
  if (!s->resp.cred_withheld && !s->resp.downgraded)
    return 0;
  const char *hop = s->resp.hop[0] ? s->resp.hop : "(hop not recorded)";
  if (s->resp.downgraded) {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check,
                     "step %d/%d %s was redirected from https down to http "
                     "(clear text): %s%s",
                     run->n, total, s->what, hop,
                     password ? "; the password was not re-sent" : "");
    return -1;
  }
  sw_check_sub(check, SW_WARNING,
               "step %d/%d %s was redirected to another origin, which got "
               "no credentials: %s",
               run->n, total, s->what, hop);
  /* the first line says why the state is WARNING, unless a later
   * failure of the flow replaces it */
  if (!check->summary)
    sw_check_summary(check,
                     "step %d/%d %s was redirected to another origin, which "
                     "got no credentials: %s",
                     run->n, total, s->what, hop);
  return 0;
}

/* The token request's form body (RFC 6749 4.4.2, 6, 4.3.2), or NULL
 * when out of memory. */
static char *token_body(const login_cfg *cfg) {
  static const char *const grants[] = {"client_credentials", "refresh_token",
                                       "password"};
  char *body = NULL;
  int bad = form_add(&body, "grant_type", grants[cfg->flow]);
  if (cfg->flow == FLOW_REFRESH)
    bad |= form_add(&body, "refresh_token", cfg->refresh_token);
  if (cfg->flow == FLOW_PASSWORD) {
    bad |= form_add(&body, "username", cfg->username);
    bad |= form_add(&body, "password", cfg->password);
  }
  if (cfg->scope)
    bad |= form_add(&body, "scope", cfg->scope);
  if (cfg->audience)
    bad |= form_add(&body, "audience", cfg->audience);
  if (cfg->client_auth_post) {
    bad |= form_add(&body, "client_id", cfg->client_id);
    bad |= form_add(&body, "client_secret", cfg->client_secret);
  }
  if (bad) {
    sw_secret_free(body);
    return NULL;
  }
  return body;
}

/* RFC 6749 4.4, 6 and 4.3: one POST to the token endpoint. The
 * credentials belong to the token URL the user gave (-u), which may be
 * another origin than any login page: that is OAuth2's design. */
static void token_flow(const login_cfg *cfg, const sw_deadline *d,
                       login_run *run, sw_check *check) {
  char *body = token_body(cfg);
  /* RFC 6749 2.3.1: id and secret are form-urlencoded, then Basic. */
  login_cfg basic = *cfg;
  char *id = curl_easy_escape(NULL, cfg->client_id, 0);
  char *secret = curl_easy_escape(NULL, cfg->client_secret, 0);
  run->who = cfg->flow == FLOW_PASSWORD ? cfg->username : cfg->client_id;
  if (!body || !id || !secret) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory while building the token request");
  } else {
    basic.username = id;
    basic.password = secret;
    basic.digest = false;
    step_req q = {.method = "POST",
                  .url = cfg->url,
                  .body = body,
                  .cred_origin = cfg->url,
                  .auth = !cfg->client_auth_post,
                  .body_secret =
                      cfg->client_auth_post || cfg->flow != FLOW_CLIENT};
    if (step(&basic, d, run, 1, &q, check) == 0)
      login_judge_token(cfg, run, check);
  }
  if (secret)
    memset(secret, 0, strlen(secret));
  curl_free(id);
  curl_free(secret);
  sw_secret_free(body);
}

/* A non-2xx answer of the basic flow: rejected, rate limited or broken. */
static void basic_refused(const login_cfg *cfg, const sw_http_resp *r,
                          const char *url, sw_check *check) {
  char note[200];
  if (r->status == 401 || r->status == 403) {
    sw_check_raise(check, cfg->rejected_state);
    sw_check_summary(check, "credentials rejected: HTTP %ld from %s", r->status,
                     url);
    return;
  }
  login_redirect_note(cfg, r, note, sizeof note);
  sw_check_raise(check, r->status == 429 ? SW_WARNING : SW_CRITICAL);
  sw_check_summary(check, "%s: HTTP %ld %s from %s%s",
                   r->status == 429 ? "rate limited" : "login service error",
                   r->status, r->reason, url, note);
}

/* GET a protected URL with credentials; with --verify-rejects also
 * without, which must be refused (else the check passes an open door). */
static void basic_flow(const login_cfg *cfg, const sw_deadline *d,
                       login_run *run, sw_check *check) {
  int total = cfg->verify_rejects ? 2 : 1;
  char url[160];
  step_req q = {.method = "GET", .url = cfg->url, .auth = true};
  login_url_show(cfg, cfg->url, url, sizeof url, 120);
  run->who = cfg->username;
  if (step(cfg, d, run, total, &q, check) < 0)
    return;
  long status = run->steps[0].resp.status;
  if (status < 200 || status > 299) {
    basic_refused(cfg, &run->steps[0].resp, url, check);
    return;
  }
  q.auth = false;
  q.no_creds = true; /* a -k Authorization would open the door itself */
  if (!cfg->verify_rejects) {
    run->ok = true;
    return;
  }
  if (step(cfg, d, run, total, &q, check) < 0)
    return;
  status = run->steps[1].resp.status;
  if (status == 401 || status == 403) {
    run->ok = true;
    sw_check_sub(check, SW_OK, "refused without credentials (HTTP %ld)",
                 status);
    return;
  }
  sw_check_raise(check, SW_CRITICAL);
  sw_check_summary(check,
                   "open door: %s answers HTTP %ld without "
                   "credentials",
                   url, status);
}

/* The POST body of a login form: its hidden fields, the --form-field
 * ones, the CSRF value, the user and the password. */
static char *form_body(const login_cfg *cfg, const html_form *f,
                       const char *csrf) {
  char *body = NULL;
  int bad = 0;
  for (size_t i = 0; i < f->n; i++) {
    const form_input *in = &f->inputs[i];
    if (strcmp(in->type, "hidden") != 0 ||
        (cfg->csrf_field && strcmp(in->name, cfg->csrf_field) == 0))
      continue;
    bad |= form_add(&body, in->name, in->value);
  }
  if (csrf)
    bad |= form_add(&body, cfg->csrf_field, csrf);
  for (size_t i = 0; i < cfg->form_fields.n; i++) {
    const char *nv = cfg->form_fields.v[i], *eq = strchr(nv, '=');
    char *name = strndup(nv, (size_t)(eq - nv));
    bad |= name ? form_add(&body, name, eq + 1) : -1;
    free(name);
  }
  bad |= form_add(&body, cfg->user_field, cfg->username);
  bad |= form_add(&body, cfg->password_field, cfg->password);
  if (bad) {
    sw_secret_free(body);
    return NULL;
  }
  return body;
}

/* A field the form would post, or its action, longer than the tag
 * scanner keeps (login_form.h): our limit, named, UNKNOWN; posting a cut
 * value would make the service refuse a login that works. Returns
 * false after saying so. */
static bool form_fits(const login_cfg *cfg, const html_form *f,
                      sw_check *check) {
  const char *name = f->action_cut ? "the form's action" : NULL;
  for (size_t i = 0; !name && i < f->n; i++)
    if (f->inputs[i].cut &&
        (strcmp(f->inputs[i].type, "hidden") == 0 ||
         (cfg->csrf_field && strcmp(f->inputs[i].name, cfg->csrf_field) == 0)))
      name = f->inputs[i].name;
  if (f->too_many) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check,
                     "login page: the form has more than %d input fields, "
                     "the most check_login reads",
                     FORM_MAX_INPUTS);
    return false;
  }
  if (!name)
    return true;
  sw_check_raise(check, SW_UNKNOWN);
  sw_check_summary(check,
                   "login page: %s is longer than the %zu bytes check_login "
                   "keeps of a form field",
                   name, sizeof f->inputs[0].value - 1);
  return false;
}

/* The CSRF token: --csrf-regex's first group, or --csrf-field's value.
 * Returns false (and says so) when the page no longer has it. */
static bool find_csrf(const login_cfg *cfg, const sw_deadline *d,
                      const sw_http_resp *page, const html_form *f, char *csrf,
                      size_t n, sw_check *check) {
  regmatch_t m[2];
  sw_buf b;
  sw_err err = {""};
  sw_buf_fixed(&b, csrf, n);
  if (cfg->has_csrf_re) {
    int hit = sw_regex_search(&cfg->csrf_re, page->body ? page->body : "",
                              page->body ? page->body_len : 0, 2, m, d,
                              "--csrf-regex", &err);
    if (hit < 0) { /* too costly for this page: our limit */
      sw_check_raise(check, SW_UNKNOWN);
      sw_check_summary(check, "%s", err.msg);
      return false;
    }
    if (hit == 1 && m[1].rm_so >= 0)
      sw_buf_add(&b, page->body + m[1].rm_so,
                 (size_t)(m[1].rm_eo - m[1].rm_so));
    else
      goto missing;
  } else {
    const form_input *in = form_input_get(f, cfg->csrf_field);
    if (!in)
      goto missing;
    sw_buf_puts(&b, in->value);
  }
  if (!b.cut)
    return true;
  /* our limit, not the service's fault: a cut token would be refused */
  sw_check_raise(check, SW_UNKNOWN);
  sw_check_summary(check, "the CSRF value of %s is longer than %zu bytes",
                   cfg->csrf_field, n - 1);
  return false;
missing:
  sw_check_raise(check, SW_CRITICAL);
  sw_check_summary(check, "login page changed: no field %s", cfg->csrf_field);
  return false;
}

/* The form's action resolved against the page's URL (RFC 3986 5.2). */
static char *resolve_action(const char *page_url, const char *action) {
  CURLU *u = curl_url();
  char *out = NULL, *copy = NULL;
  if (u && curl_url_set(u, CURLUPART_URL, page_url, 0) == CURLUE_OK &&
      (!action[0] || curl_url_set(u, CURLUPART_URL, action, 0) == CURLUE_OK) &&
      curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
    copy = strdup(out);
  curl_free(out);
  curl_url_cleanup(u);
  return copy;
}

/* May the form post the password to action? Only to -u's origin (or
 * --form-origin's), and never in clear text when -u or the page is
 * https: else CRITICAL naming the action, before a byte is sent. */
static bool action_allowed(const login_cfg *cfg, const char *page,
                           const char *action, sw_check *check) {
  char shown[160];
  bool https = strncasecmp(cfg->url, "https:", 6) == 0 ||
               strncasecmp(page, "https:", 6) == 0;
  bool clear = strncasecmp(action, "https:", 6) != 0;
  bool ours = sw_same_origin(action, cfg->url) ||
              (cfg->form_origin && sw_same_origin(action, cfg->form_origin));
  if ((!https || !clear) && ours)
    return true;
  login_url_show(cfg, action, shown, sizeof shown, 120);
  sw_check_raise(check, SW_CRITICAL);
  if (https && clear)
    sw_check_summary(check,
                     "login page changed: form action %s would send the "
                     "password in clear text (not sent)",
                     shown);
  else
    sw_check_summary(check,
                     "login page changed: form action %s would send the "
                     "password to another origin (not sent; --form-origin "
                     "allows one)",
                     shown);
  return false;
}

/* After the POST: a 307/308 towards another origin would re-post the
 * password there. libcurl does not follow it (body_secret); this says
 * so whatever sw_http_resp's flags hold. Returns -1 when it did. */
static int repost_refused(const login_cfg *cfg, const login_run *run,
                          const char *action, int total, sw_check *check) {
  const sw_http_resp *r = &run->steps[run->n - 1].resp;
  char *to;
  char from[160], shown[160];
  if ((r->status != 307 && r->status != 308) || !r->location[0])
    return 0;
  to = resolve_action(action, r->location);
  if (to && sw_same_origin(to, action) &&
      !(strncasecmp(action, "https:", 6) == 0 &&
        strncasecmp(to, "https:", 6) != 0)) {
    free(to);
    return 0;
  }
  login_url_show(cfg, action, from, sizeof from, 80);
  login_url_show(cfg, to ? to : r->location, shown, sizeof shown, 80);
  free(to);
  sw_check_raise(check, SW_CRITICAL);
  sw_check_summary(check,
                   "step %d/%d %s: HTTP %ld would re-post the password to "
                   "another origin: %s -> %s (not followed)",
                   run->n, total, run->steps[run->n - 1].what, r->status, from,
                   shown);
  return -1;
}

/* The final page of a form login: rejected, logged in, or not. */
static void judge_form_page(const login_cfg *cfg, const sw_deadline *d,
                            login_run *run, sw_check *check) {
  const sw_http_resp *r = &run->steps[run->n - 1].resp;
  const char *body = r->body ? r->body : "";
  sw_err err = {""};
  int success =
      !cfg->has_success_re
          ? 1
          : sw_regex_search(&cfg->success_re, body, r->body ? r->body_len : 0,
                            0, NULL, d, "--success-regex", &err);
  char url[200], shown[120];
  login_url_show(cfg, sw_http_session_url(run->session), url, sizeof url, 120);
  if (cfg->failure_string && strstr(body, cfg->failure_string)) {
    sw_text_safe(shown, sizeof shown, cfg->failure_string,
                 strlen(cfg->failure_string), 60, cfg->base.secrets);
    sw_check_raise(check, cfg->rejected_state);
    sw_check_summary(check, "credentials rejected: '%s' on %s", shown, url);
  } else if (r->status < 200 || r->status > 299) {
    sw_check_raise(check, r->status == 429 ? SW_WARNING : SW_CRITICAL);
    sw_check_summary(check, "login failed: HTTP %ld %s from %s", r->status,
                     r->reason, url);
  } else if (success < 0) { /* too costly for this page: our limit */
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "%s", err.msg);
  } else if ((cfg->success_string && !strstr(body, cfg->success_string)) ||
             success == 0) {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check, "login failed: the success %s is not on %s",
                     cfg->success_string ? "string" : "regex", url);
  } else {
    run->ok = true;
  }
}

/* Step 1 of a form login: the page, its form and its CSRF token. Returns
 * the form (free it), or NULL after setting the check's summary. */
/* The form of a login page whose every echo of a secret (8 characters or
 * more, in any of the masks' forms) is masked first: the form's action
 * and values are shown in the output (the step names), and a page that
 * echoes the password inside markup would otherwise hand the printer a
 * piece of it cut at a quote, which no mask of the whole secret matches.
 * Shorter masks are left out so they cannot alter a CSRF value by
 * chance. Returns form_find's result, or -1 when out of memory. */
static int form_find_masked(const login_cfg *cfg, const sw_http_resp *page,
                            html_form *f) {
  const char *const *all = cfg->base.secrets;
  size_t n = 0, len = page->body ? page->body_len : 0;
  while (all && all[n])
    n++;
  const char **longs = calloc(n + 1, sizeof *longs);
  char *body = malloc(len + 1);
  int rc = -1;
  if (longs && body) {
    for (size_t i = 0, k = 0; i < n; i++)
      if (strlen(all[i]) >= 8)
        longs[k++] = all[i];
    memcpy(body, page->body ? page->body : "", len);
    body[len] = '\0';
    sw_secret_mask_n(body, len, longs);
    rc = form_find(body, len, cfg->password_field, f);
    memset(body, 0, len);
  }
  free(body);
  free(longs);
  return rc;
}

static html_form *form_page(const login_cfg *cfg, const sw_deadline *d,
                            login_run *run, int total, char *csrf, size_t n,
                            sw_check *check) {
  char url[160];
  step_req q = {.method = "GET", .url = cfg->url, .cred_origin = cfg->url};
  html_form *f = calloc(1, sizeof *f);
  if (!f) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory before the login page");
    return NULL;
  }
  if (step(cfg, d, run, total, &q, check) < 0 ||
      judge_hop(run, total, false, check) < 0)
    goto fail;
  const sw_http_resp *page = &run->steps[0].resp;
  if (page->status < 200 || page->status > 299) {
    login_url_show(cfg, cfg->url, url, sizeof url, 120);
    sw_check_raise(check, page->status == 429 ? SW_WARNING : SW_CRITICAL);
    sw_check_summary(check, "login service error: HTTP %ld %s from %s",
                     page->status, page->reason, url);
    goto fail;
  }
  if (form_find_masked(cfg, page, f) < 0 ||
      !form_input_get(f, cfg->password_field)) {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check, "login page changed: no field %s",
                     cfg->password_field);
    goto fail;
  }
  if (!form_fits(cfg, f, check) ||
      (cfg->csrf_field && !find_csrf(cfg, d, page, f, csrf, n, check)))
    goto fail;
  return f;
fail:
  free(f);
  return NULL;
}

/* Steps 2 and 3: the POST of the password to the form's action (checked
 * first), then --success-url. Returns 0, or -1 with the summary set. */
static int form_post(const login_cfg *cfg, const sw_deadline *d, login_run *run,
                     int total, const char *action, const char *body,
                     sw_check *check) {
  step_req post = {.method = "POST",
                   .url = action,
                   .body = body,
                   .cred_origin = action,
                   .body_secret = true};
  /* a --success-url the user gave is the origin its credentials are for */
  step_req done = {.method = "GET",
                   .url = cfg->success_url,
                   .cred_origin = cfg->success_url};
  if (!action_allowed(cfg, sw_http_session_url(run->session), action, check))
    return -1;
  if (step(cfg, d, run, total, &post, check) < 0 ||
      repost_refused(cfg, run, action, total, check) < 0 ||
      judge_hop(run, total, true, check) < 0)
    return -1;
  if (cfg->success_url && (step(cfg, d, run, total, &done, check) < 0 ||
                           judge_hop(run, total, false, check) < 0))
    return -1;
  return 0;
}

static void form_flow(const login_cfg *cfg, const sw_deadline *d,
                      login_run *run, sw_check *check) {
  int total = cfg->success_url ? 3 : 2;
  char csrf[1024] = "";
  char *action = NULL, *body = NULL;
  html_form *f;
  run->who = cfg->username;
  if (!(f = form_page(cfg, d, run, total, csrf, sizeof csrf, check)))
    return;
  action = resolve_action(sw_http_session_url(run->session), f->action);
  body = form_body(cfg, f, cfg->csrf_field ? csrf : NULL);
  if (!action || !body) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "%s",
                     !body ? "out of memory building the form"
                           : "the form's action is no URL");
  } else if (form_post(cfg, d, run, total, action, body, check) == 0) {
    judge_form_page(cfg, d, run, check);
  }
  memset(csrf, 0, sizeof csrf);
  sw_secret_free(body);
  free(action);
  free(f);
}

void login_flow_run(const login_cfg *cfg, const sw_deadline *d, login_run *run,
                    sw_check *check) {
  sw_err err;
  run->ttl = -1;
  run->ok = false;
  if (cfg->flow == FLOW_FORM &&
      sw_http_session_open(&run->session, cfg->cookie_jar, &err) < 0) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "%s", err.msg);
    return;
  }
  if (cfg->flow <= FLOW_PASSWORD)
    token_flow(cfg, d, run, check);
  else if (cfg->flow == FLOW_BASIC)
    basic_flow(cfg, d, run, check);
  else
    form_flow(cfg, d, run, check);
}
