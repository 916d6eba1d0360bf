/* check_login's flows: token requests (RFC 6749 4.4, 4.3, 6), HTTP Basic
 * or Digest with --verify-rejects, and HTML form logins. Each request is
 * a step, timed and named for the output. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "login.h"
#include "login_form.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"

/* Appends name=value to an application/x-www-form-urlencoded body. */
static int form_add(char **body, const char *name, const char *value) {
  char *n = curl_easy_escape(NULL, name, 0),
       *v = curl_easy_escape(NULL, value, 0);
  size_t old = *body ? strlen(*body) : 0;
  char *grown = n && v ? malloc(old + strlen(n) + strlen(v) + 3) : NULL;
  if (grown) {
    snprintf(grown, old + strlen(n) + strlen(v) + 3, "%s%s%s=%s",
             old ? *body : "", old ? "&" : "", n, v);
    sw_secret_free(*body); /* bodies carry secrets */
    *body = grown;
  }
  if (v)
    memset(v, 0, strlen(v));
  curl_free(n);
  curl_free(v);
  return grown ? 0 : -1;
}

/* "POST /token": the method and the URL's path, for messages. */
static void step_name(char *b, size_t n, const char *method, const char *url) {
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  char path[120];
  sw_sanitize(path, sizeof path, p ? p : "/", strlen(p ? p : "/"), 80);
  snprintf(b, n, "%s %s", method, path);
}

/* Runs one request as step run->n + 1 of total. Returns 0 when an answer
 * came; -1 after setting the check's state and summary. */
static int step(const login_cfg *cfg, const sw_deadline *d, login_run *run,
                int total, const char *method, const char *url,
                const char *body, bool auth, sw_check *check) {
  login_step *s = &run->steps[run->n++];
  sw_http_req r = cfg->base;
  sw_err err = {""};
  r.url = url;
  r.method = method;
  r.body = body;
  r.body_len = body ? strlen(body) : 0;
  r.session = run->session;
  r.follow = run->session != NULL;
  if (auth) {
    r.username = cfg->username;
    r.password = cfg->password;
    r.digest = cfg->digest;
  }
  step_name(s->what, sizeof s->what, method, url);
  if (sw_http_perform(&r, d, &s->resp, &err) == 0)
    return 0;
  s->failed = true;
  if (err.msg[0]) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "step %d/%d %s: %s", run->n, total, s->what,
                     err.msg);
  } else {
    sw_check_raise(check,
                   s->resp.timed_out ? cfg->std.timeout_state : SW_CRITICAL);
    sw_check_summary(check, "step %d/%d %s: %s", run->n, total, s->what,
                     s->resp.err);
  }
  return -1;
}

/* RFC 6749 4.4, 6 and 4.3: one POST to the token endpoint. */
static void token_flow(const login_cfg *cfg, const sw_deadline *d,
                       login_run *run, sw_check *check) {
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
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory");
  } else {
    /* RFC 6749 2.3.1: id and secret are form-urlencoded, then Basic. */
    login_cfg basic = *cfg;
    char *id = curl_easy_escape(NULL, cfg->client_id, 0);
    char *secret = curl_easy_escape(NULL, cfg->client_secret, 0);
    basic.username = id;
    basic.password = secret;
    basic.digest = false;
    if (id && secret &&
        step(&basic, d, run, 1, "POST", cfg->url, body, !cfg->client_auth_post,
             check) == 0)
      login_judge_token(cfg, run, check);
    if (secret)
      memset(secret, 0, strlen(secret));
    curl_free(id);
    curl_free(secret);
  }
  sw_secret_free(body);
  run->who = cfg->flow == FLOW_PASSWORD ? cfg->username : cfg->client_id;
}

/* GET a protected URL with credentials; with --verify-rejects also
 * without, which must be refused (else the check passes an open door). */
static void basic_flow(const login_cfg *cfg, const sw_deadline *d,
                       login_run *run, sw_check *check) {
  int total = cfg->verify_rejects ? 2 : 1;
  char url[160];
  sw_sanitize(url, sizeof url, cfg->url, strlen(cfg->url), 120);
  run->who = cfg->username;
  if (step(cfg, d, run, total, "GET", cfg->url, NULL, true, check) < 0)
    return;
  long status = run->steps[0].resp.status;
  if (status == 401 || status == 403) {
    sw_check_raise(check, cfg->rejected_state);
    sw_check_summary(check, "credentials rejected: HTTP %ld from %s", status,
                     url);
    return;
  }
  if (status == 429 || status < 200 || status > 299) {
    sw_check_raise(check, status == 429 ? SW_WARNING : SW_CRITICAL);
    sw_check_summary(check, "%s: HTTP %ld %s from %s",
                     status == 429 ? "rate limited" : "login service error",
                     status, run->steps[0].resp.reason, url);
    return;
  }
  if (!cfg->verify_rejects ||
      step(cfg, d, run, total, "GET", cfg->url, NULL, false, check) < 0)
    return;
  status = run->steps[1].resp.status;
  if (status == 401 || status == 403) {
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
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(eq - nv), nv);
    bad |= form_add(&body, name, eq + 1);
  }
  bad |= form_add(&body, cfg->user_field, cfg->username);
  bad |= form_add(&body, cfg->password_field, cfg->password);
  if (bad) {
    sw_secret_free(body);
    return NULL;
  }
  return body;
}

/* The CSRF token: --csrf-regex's first group, or --csrf-field's value.
 * Returns false (and says so) when the page no longer has it. */
static bool find_csrf(const login_cfg *cfg, const sw_http_resp *page,
                      const html_form *f, char *csrf, size_t n,
                      sw_check *check) {
  regmatch_t m[2];
  if (cfg->has_csrf_re) {
    if (regexec(&cfg->csrf_re, page->body ? page->body : "", 2, m, 0) == 0 &&
        m[1].rm_so >= 0) {
      snprintf(csrf, n, "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
               page->body + m[1].rm_so);
      return true;
    }
  } else {
    const form_input *in = form_input_get(f, cfg->csrf_field);
    if (in) {
      snprintf(csrf, n, "%s", in->value);
      return true;
    }
  }
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

/* The final page of a form login: rejected, logged in, or not. */
static void judge_form_page(const login_cfg *cfg, const login_run *run,
                            sw_check *check) {
  const sw_http_resp *r = &run->steps[run->n - 1].resp;
  const char *body = r->body ? r->body : "";
  char url[200], shown[120];
  sw_sanitize(url, sizeof url, sw_http_session_url(run->session),
              strlen(sw_http_session_url(run->session)), 120);
  if (cfg->failure_string && strstr(body, cfg->failure_string)) {
    sw_sanitize(shown, sizeof shown, cfg->failure_string,
                strlen(cfg->failure_string), 60);
    sw_check_raise(check, cfg->rejected_state);
    sw_check_summary(check, "credentials rejected: '%s' on %s", shown, url);
  } else if (r->status < 200 || r->status > 299) {
    sw_check_raise(check, r->status == 429 ? SW_WARNING : SW_CRITICAL);
    sw_check_summary(check, "login failed: HTTP %ld %s from %s", r->status,
                     r->reason, url);
  } else if ((cfg->success_string && !strstr(body, cfg->success_string)) ||
             (cfg->has_success_re &&
              regexec(&cfg->success_re, body, 0, NULL, 0) != 0)) {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check, "login failed: the success %s is not on %s",
                     cfg->success_string ? "string" : "regex", url);
  }
}

static void form_flow(const login_cfg *cfg, const sw_deadline *d,
                      login_run *run, sw_check *check) {
  int total = cfg->success_url ? 3 : 2;
  char csrf[1024], url[160];
  html_form *f = calloc(1, sizeof *f);
  char *action = NULL, *body = NULL;
  run->who = cfg->username;
  sw_sanitize(url, sizeof url, cfg->url, strlen(cfg->url), 120);
  if (!f || step(cfg, d, run, total, "GET", cfg->url, NULL, false, check) < 0)
    goto out;
  const sw_http_resp *page = &run->steps[0].resp;
  if (page->status < 200 || page->status > 299) {
    sw_check_raise(check, page->status == 429 ? SW_WARNING : SW_CRITICAL);
    sw_check_summary(check, "login service error: HTTP %ld %s from %s",
                     page->status, page->reason, url);
    goto out;
  }
  if (form_find(page->body ? page->body : "", page->body_len,
                cfg->password_field, f) < 0 ||
      !form_input_get(f, cfg->password_field)) {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check, "login page changed: no field %s",
                     cfg->password_field);
    goto out;
  }
  if (cfg->csrf_field && !find_csrf(cfg, page, f, csrf, sizeof csrf, check))
    goto out;
  action = resolve_action(sw_http_session_url(run->session), f->action);
  body = form_body(cfg, f, cfg->csrf_field ? csrf : NULL);
  if (!action || !body) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory, or a form action that is no URL");
    goto out;
  }
  if (step(cfg, d, run, total, "POST", action, body, false, check) < 0 ||
      (cfg->success_url && step(cfg, d, run, total, "GET", cfg->success_url,
                                NULL, false, check) < 0))
    goto out;
  judge_form_page(cfg, run, check);
out:
  memset(csrf, 0, sizeof csrf);
  sw_secret_free(body);
  free(action);
  free(f);
}

void login_flow_run(const login_cfg *cfg, const sw_deadline *d, login_run *run,
                    sw_check *check) {
  sw_err err;
  run->ttl = -1;
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
