/* Judging a token endpoint's answer (RFC 6749 5.1 success, 5.2 error). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api_json.h"
#include "login.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/token.h"

/* RFC 6749 5.2: see login.h. */
void login_oauth_error(const char *body, size_t len, char *b, size_t n) {
  char msg[128];
  b[0] = '\0';
  struct json_object *root =
      api_json_parse(body ? body : "", len, msg, sizeof msg);
  struct json_object *e;
  if (root && json_object_object_get_ex(root, "error", &e) &&
      json_object_is_type(e, json_type_string))
    sw_sanitize(b, n, json_object_get_string(e),
                (size_t)json_object_get_string_len(e), 40);
  json_object_put(root);
}

/* A non-2xx answer: rejected credentials, rate limit or service error. */
static void token_refused(const login_cfg *cfg, const sw_http_resp *r,
                          sw_check *check) {
  char code[64], url[160];
  login_oauth_error(r->body, r->body_len, code, sizeof code);
  sw_sanitize(url, sizeof url, cfg->url, strlen(cfg->url), 120);
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
    sw_check_summary(check, "login service error: HTTP %ld%s%s (from %s)",
                     r->status, r->reason[0] ? " " : "", r->reason, url);
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
      strcasecmp(json_object_get_string(v), "bearer") != 0)
    return "token_type is not Bearer";
  if (!json_object_object_get_ex(root, "expires_in", &v) ||
      (*ttl = json_object_get_int64(v)) <= 0)
    return "no positive expires_in in response";
  return NULL;
}

void login_judge_token(const login_cfg *cfg, login_run *run, sw_check *check) {
  const sw_http_resp *r = &run->steps[run->n - 1].resp;
  char msg[256];
  struct json_object *root, *v;
  if (r->status < 200 || r->status > 299) {
    token_refused(cfg, r, check);
    return;
  }
  root = api_json_parse(r->body ? r->body : "", r->body_len, msg, sizeof msg);
  const char *problem = login_token_read(root, &run->ttl);
  if (problem) {
    run->ttl = -1;
    sw_check_raise(check, SW_CRITICAL);
    sw_check_summary(
        check, "%s%s%s%s", problem, root ? "" : " (",
        root ? "" : (r->content_type[0] ? r->content_type : "no Content-Type"),
        root ? "" : ")");
    json_object_put(root);
    return;
  }
  json_object_object_get_ex(root, "access_token", &v);
  save_tokens(cfg, root, json_object_get_string(v), run->ttl, check);
  sw_state s = sw_range_state(&cfg->ttl_warn, &cfg->ttl_crit, (double)run->ttl);
  if (s != SW_OK)
    sw_check_sub(check, s, "token valid only %lld s (%s %s)", run->ttl,
                 s == SW_CRITICAL ? "--ttl-critical" : "--ttl-warning",
                 s == SW_CRITICAL ? cfg->ttl_crit.text : cfg->ttl_warn.text);
  json_object_put(root);
}
