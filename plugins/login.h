/* check_login's configuration, steps and flows. */
#ifndef STREAMWATCH_LOGIN_H
#define STREAMWATCH_LOGIN_H

#include <regex.h>
#include <stdbool.h>
#include "streamwatch/http.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"

typedef enum {
  FLOW_CLIENT,
  FLOW_REFRESH,
  FLOW_PASSWORD,
  FLOW_BASIC,
  FLOW_FORM
} login_flow;

enum { LOGIN_MAX_STEPS = 4 };

typedef struct {
  sw_std_opts std;
  login_flow flow;
  sw_http_req base;  /* TLS, proxy, headers: shared by steps */
  sw_strvec headers; /* -k */
  const char *url;
  const char *client_id, *username, *scope, *audience;
  char *client_secret, *password, *refresh_token; /* secrets, owned */
  bool client_auth_post, digest, verify_rejects;
  sw_strvec form_fields; /* --form-field name=value */
  const char *user_field, *password_field, *csrf_field;
  regex_t csrf_re, success_re;
  bool has_csrf_re, has_success_re;
  const char *success_url, *success_string, *failure_string;
  const char *cookie_jar, *token_cache, *save_refresh;
  sw_range ttl_warn, ttl_crit;
  sw_state rejected_state;
} login_cfg;

/* One HTTP request of the flow, and what came of it. */
typedef struct {
  char what[160]; /* "POST /token" */
  sw_http_resp resp;
  bool failed; /* transport failure: resp.phase/err */
} login_step;

typedef struct {
  login_step steps[LOGIN_MAX_STEPS];
  int n;
  sw_http_session *session;
  long long ttl;   /* token lifetime, -1 when none */
  const char *who; /* "client labclient", "alice" */
} login_run;

sw_std_result login_parse(int argc, char **argv, login_cfg *cfg, sw_err *err);
void login_cfg_free(login_cfg *cfg);
void login_help(FILE *out);

/* Runs the configured flow, filling run and check (sub-checks, summary,
 * state). Perfdata is added by the caller from run. */
void login_flow_run(const login_cfg *cfg, const sw_deadline *d, login_run *run,
                    sw_check *check);

/* Token endpoint answers (RFC 6749 5.1 and 5.2) into check. */
void login_judge_token(const login_cfg *cfg, login_run *run, sw_check *check);

/* The pure parts of reading a token endpoint's body (no I/O; fuzzed by
 * tests/fuzz/fuzz_login_token.c). */
struct json_object;
/* Checks an RFC 6749 5.1 answer parsed by api_json_parse (root may be
 * NULL: not JSON): a non-empty string access_token, token_type Bearer
 * and a positive expires_in, which goes to *ttl (-1 otherwise). Returns
 * NULL when all hold, else the problem as a static string. */
const char *login_token_read(struct json_object *root, long long *ttl);
/* The error code of an RFC 6749 5.2 answer body (len bytes), sanitised
 * and capped at 40 characters, into b (size n); "" when there is none. */
void login_oauth_error(const char *body, size_t len, char *b, size_t n);

/* "client-credentials" ... */
const char *login_flow_name(login_flow f);

#endif
