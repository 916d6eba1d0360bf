/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Judging a token endpoint's answer (RFC 6749 5.1 success, 5.2 error). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <math.h>
#include <time.h>

#include "streamwatch/json.h"
#include "login.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/token.h"

/* RFC 6749 5.2: see login.h. */
void login_oauth_error_masked(const char *body, size_t len, char *b, size_t n,
                              const char *const *secrets) {
  char msg[128];
  b[0] = '\0';
  struct json_object *root =
      sw_json_parse(body ? body : "", len, msg, sizeof msg);
  struct json_object *e;
  if (root && json_object_object_get_ex(root, "error", &e) &&
      json_object_is_type(e, json_type_string))
    sw_text_safe(b, n, json_object_get_string(e),
                 (size_t)json_object_get_string_len(e), 40, secrets);
  json_object_put(root);
}

void login_oauth_error(const char *body, size_t len, char *b, size_t n) {
  login_oauth_error_masked(body, len, b, n, NULL);
}

/* A non-2xx answer: rejected credentials, rate limit or service error. */
static void token_refused(const login_cfg *cfg, const sw_http_resp *r,
                          sw_check *check) {
  char code[64], url[160], note[200];
  login_oauth_error_masked(r->body, r->body_len, code, sizeof code,
                           cfg->base.secrets);
  login_url_show(cfg, cfg->url, url, sizeof url, 120);
  login_redirect_note(cfg, r, note, sizeof note);
  if (r->status == 429) {
    sw_check_raise(check, SW_WARNING);
    sw_check_summary(check, "rate limited (Retry-After %s%s) by %s",
                     r->retry_after[0] ? r->retry_after : "not given",
                     r->retry_after[0] ? " s" : "", url);
  } else if (strcmp(code, "invalid_client") == 0 ||
             strcmp(code, "invalid_grant") == 0 ||
             strcmp(code, "unauthorized_client") == 0 ||
             (!code[0] && r->status == 401)) {
    sw_check_raise(check, cfg->rejected_state);
    sw_check_summary(check, "credentials rejected: %s (HTTP %ld from %s)",
                     code[0] ? code : "HTTP 401", r->status, url);
  } else if (code[0]) {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check, "token request refused: %s (HTTP %ld from %s)",
                     code, r->status, url);
  } else {
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(check, "login service error: HTTP %ld%s%s (from %s)%s",
                     r->status, r->reason[0] ? " " : "", r->reason, url, note);
  }
}

/* Saves the token for check_api and a new refresh token if asked. */
static void save_tokens(const login_cfg *cfg, struct json_object *root,
                        const char *token, long long ttl, sw_check *check) {
  sw_err err;
  struct json_object *rt;
  if (cfg->token_cache) {
    sw_token t = {.access_token = (char *)token,
                  .expires_at = time(NULL) + ttl};
    snprintf(t.token_type, sizeof t.token_type, "Bearer");
    if (sw_token_save(cfg->token_cache, &t, "--token-cache", &err) < 0) {
      /* The first line says it: a summary of the login that worked would
       * hide why the state is UNKNOWN. */
      sw_check_raise(check, SW_UNKNOWN);
      sw_check_summary(check, "%s (the login itself worked)", err.msg);
    } else
      sw_check_sub(check, SW_OK, "token saved to %s", cfg->token_cache);
  }
  if (!json_object_object_get_ex(root, "refresh_token", &rt) ||
      !json_object_is_type(rt, json_type_string))
    return;
  if (cfg->save_refresh) {
    if (sw_secret_save(cfg->save_refresh, json_object_get_string(rt),
                       "--save-refresh-token", &err) < 0) {
      sw_check_raise(check, SW_UNKNOWN);
      sw_check_summary(check, "%s (the login itself worked)", err.msg);
    } else
      sw_check_sub(check, SW_OK, "new refresh token saved to %s",
                   cfg->save_refresh);
  } else if (cfg->std.verbose) {
    sw_check_sub(check, SW_OK,
                 "a new refresh token was issued (not shown, "
                 "not saved: --save-refresh-token F keeps it)");
  }
}

/* The lifetime a string of digits gives (Azure AD v1 sends "3599"),
 * judged exactly whatever its length. Returns NULL or the problem. */
static const char *ttl_digits(const char *s, size_t len, long long *ttl) {
  size_t i = 0;
  long long v = 0;
  if (len == 0 || strspn(s, "0123456789") != len)
    return "broken token response: expires_in is not a number";
  while (i + 1 < len && s[i] == '0')
    i++;
  if (len - i > 10) /* 10 digits hold any value up to LOGIN_MAX_TTL */
    return "broken token response: expires_in is more than 10 years";
  for (; i < len; i++)
    v = v * 10 + (s[i] - '0');
  *ttl = v;
  return NULL;
}

/* expires_in (RFC 6749 5.1): whole seconds, 1..LOGIN_MAX_TTL. json-c
 * clamps integers beyond int64 (and uint64) to their limits, which are
 * beyond the bound all the same, so the verdict is exact; a double is
 * compared as a double before any conversion. Returns NULL or why not. */
static const char *read_ttl(struct json_object *v, long long *ttl) {
  static const char *const big =
      "broken token response: expires_in is more than 10 years";
  long long t = 0;
  if (json_object_is_type(v, json_type_int)) {
    t = json_object_get_int64(v);
  } else if (json_object_is_type(v, json_type_double)) {
    double x = json_object_get_double(v);
    if (isnan(x))
      return "broken token response: expires_in is not a number";
    if (x > (double)LOGIN_MAX_TTL) /* an infinity too */
      return big;
    if (x < 1)
      return "no positive expires_in in response";
    t = (long long)x; /* within 1..LOGIN_MAX_TTL: the cast is defined */
    if ((double)t != x)
      return "broken token response: expires_in is not a whole number of "
             "seconds";
  } else if (json_object_is_type(v, json_type_string)) {
    const char *why = ttl_digits(json_object_get_string(v),
                                 (size_t)json_object_get_string_len(v), &t);
    if (why)
      return why;
  } else {
    return "broken token response: expires_in is not a number";
  }
  if (t <= 0)
    return "no positive expires_in in response";
  if (t > LOGIN_MAX_TTL)
    return big;
  *ttl = t;
  return NULL;
}

/* RFC 6749 5.1: see login.h. */
const char *login_token_read(struct json_object *root, long long *ttl) {
  struct json_object *v;
  *ttl = -1;
  if (!root)
    return "login service error: response is not JSON";
  if (!json_object_object_get_ex(root, "access_token", &v) ||
      !json_object_is_type(v, json_type_string) ||
      json_object_get_string_len(v) == 0)
    return "no access_token in response";
  if (!json_object_object_get_ex(root, "token_type", &v) ||
      !json_object_is_type(v, json_type_string) ||
      strcasecmp(json_object_get_string(v), "bearer") != 0)
    return "token_type is not Bearer";
  if (!json_object_object_get_ex(root, "expires_in", &v) || !v)
    return "no positive expires_in in response";
  return read_ttl(v, ttl);
}

/* A token response that is not the RFC 6749 5.1 answer it should be:
 * CRITICAL naming the problem (UNKNOWN when the parser ran out of
 * memory: an internal failure, not the service's). */
static void token_broken(const login_cfg *cfg, const sw_http_resp *r,
                         struct json_object *root, const char *problem,
                         const char *parse_msg, sw_check *check) {
  char shown[64] = "";
  struct json_object *v;
  if (!root && strstr(parse_msg, "memory")) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory reading the token response");
    return;
  }
  if (root && strncmp(problem, "broken", 6) == 0 &&
      json_object_object_get_ex(root, "expires_in", &v)) {
    /* the value as the server wrote it (json-c keeps a number's text) */
    const char *text =
        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
    if (text)
      sw_text_safe(shown, sizeof shown, text, strlen(text), 40,
                   cfg->base.secrets);
  }
  sw_check_raise(check, SW_CRITICAL);
  if (root)
    sw_check_summary(check, "%s%s%s%s", problem, shown[0] ? " (" : "", shown,
                     shown[0] ? ")" : "");
  else
    sw_check_summary(check, "%s (%s)", problem,
                     r->content_type[0] ? r->content_type : "no Content-Type");
}

static void judge_token(const login_cfg *cfg, login_run *run, sw_check *check) {
  const sw_http_resp *r = &run->steps[run->n - 1].resp;
  char msg[256] = "";
  struct json_object *root, *v;
  if (r->status < 200 || r->status > 299) {
    token_refused(cfg, r, check);
    return;
  }
  /* a body past the JSON budget is this check's limit, not a broken
   * token endpoint: UNKNOWN naming the limit */
  if (sw_json_load(r->body ? r->body : "", r->body_len, &root, msg,
                   sizeof msg) == SW_JSON_LIMIT) {
    run->ttl = -1;
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "token response not judged: %s", msg);
    return;
  }
  const char *problem = login_token_read(root, &run->ttl);
  if (problem) {
    run->ttl = -1;
    token_broken(cfg, r, root, problem, msg, check);
    json_object_put(root);
    return;
  }
  run->ok = true;
  json_object_object_get_ex(root, "access_token", &v);
  save_tokens(cfg, root, json_object_get_string(v), run->ttl, check);
  sw_state s = sw_range_state(&cfg->ttl_warn, &cfg->ttl_crit, (double)run->ttl);
  if (s != SW_OK) {
    /* what the range alerts on, in sw_range_describe's one wording: the
     * text cannot say the opposite of the range */
    char said[128];
    sw_range_describe(said, sizeof said,
                      s == SW_CRITICAL ? &cfg->ttl_crit : &cfg->ttl_warn, "s");
    sw_check_sub(check, s, "token valid %lld s (%s: %s)", run->ttl,
                 s == SW_CRITICAL ? "--ttl-critical" : "--ttl-warning", said);
  }
  json_object_put(root);
}

void login_url_show(const login_cfg *cfg, const char *url, char *buf, size_t n,
                    size_t max) {
  sw_url_display(buf, n, url ? url : "", max, cfg->base.secrets);
}

void login_redirect_note(const login_cfg *cfg, const sw_http_resp *r, char *b,
                         size_t n) {
  char loc[160];
  sw_buf out;
  sw_buf_fixed(&out, b, n);
  if (r->status < 300 || r->status > 399 || !r->location[0])
    return;
  login_url_show(cfg, r->location, loc, sizeof loc, 120);
  sw_buf_addf(&out, " (redirect to %s not followed)", loc);
}

void login_judge_token(const login_cfg *cfg, login_run *run, sw_check *check) {
  if (cfg->judge_lock)
    pthread_mutex_lock(cfg->judge_lock);
  judge_token(cfg, run, check);
  if (cfg->judge_lock)
    pthread_mutex_unlock(cfg->judge_lock);
}
