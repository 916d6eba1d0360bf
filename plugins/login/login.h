/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login's configuration, steps and flows. */
#ifndef STREAMWATCH_LOGIN_H
#define STREAMWATCH_LOGIN_H

#include <pthread.h>
#include <regex.h>
#include <stdbool.h>
#include "streamwatch/edges.h"
#include "streamwatch/http.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"
#include "streamwatch/optab.h"

typedef enum {
  FLOW_CLIENT,
  FLOW_REFRESH,
  FLOW_PASSWORD,
  FLOW_BASIC,
  FLOW_FORM
} login_flow;

enum { LOGIN_MAX_STEPS = 4 };

/* The longest token lifetime believed: an expires_in beyond 10 years is a
 * broken token response (a sentinel such as INT64_MAX, or 1e300), refused
 * rather than clamped into a verdict or an expiry date. */
#define LOGIN_MAX_TTL 315360000LL

typedef struct {
  sw_std_opts std;
  login_flow flow;
  sw_http_req base;      /* TLS, proxy, headers: shared by steps */
  sw_strvec headers;     /* -k */
  const char *url;       /* -u without its userinfo (url_parts.url) */
  sw_http_url url_parts; /* -u split: the basic flow's credentials */
  const char *client_id, *username, *scope, *audience;
  char *client_secret, *password, *refresh_token; /* secrets, owned */
  bool client_auth_post, digest, verify_rejects;
  sw_strvec form_fields; /* --form-field name=value */
  const char *user_field, *password_field, *csrf_field;
  regex_t csrf_re, success_re;
  bool has_csrf_re, has_success_re;
  const char *success_url, *success_string, *failure_string;
  const char *cookie_jar, *token_cache, *save_refresh;
  const char *form_origin; /* --form-origin: one more origin the form may
                              post the password to; NULL: -u's only */
  sw_range ttl_warn, ttl_crit;
  sw_state rejected_state;
  sw_edges_opts edges; /* --all-addresses */
  /* with --all-addresses: held while a token response is judged, so that
   * one JSON tree at a time is within the budget (SW_JSON_MAX_COST) */
  pthread_mutex_t *judge_lock;
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
  bool ok;         /* the flow's verdict: logged in. A flow that ends
                      without it and without a summary failed inside
                      (out of memory): UNKNOWN, never OK */
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
/* Checks an RFC 6749 5.1 answer parsed by sw_json_parse (root may be
 * NULL: not JSON): a non-empty string access_token, token_type Bearer
 * and an expires_in of 1..LOGIN_MAX_TTL whole seconds (a JSON number, or
 * a string of digits as Azure AD v1 sends), which goes to *ttl (-1
 * otherwise). A number beyond int64 is judged exactly (beyond the bound),
 * never clamped. Returns NULL when all hold, else the problem as a static
 * string naming the field. */
const char *login_token_read(struct json_object *root, long long *ttl);
/* The error code of an RFC 6749 5.2 answer body (len bytes), masked
 * (secrets: the run's masks, may be NULL), sanitised and capped at 40
 * characters, into b (size n); "" when there is none. */
void login_oauth_error(const char *body, size_t len, char *b, size_t n);
void login_oauth_error_masked(const char *body, size_t len, char *b, size_t n,
                              const char *const *secrets);

/* url as the output shows it: without userinfo, the run's secrets
 * (cfg->base.secrets) masked, sanitised, cut at max characters, into buf
 * (size n); sw_url_display with the run's masks. */
void login_url_show(const login_cfg *cfg, const char *url, char *buf, size_t n,
                    size_t max);

/* " (redirect to LOCATION not followed)" for a 3xx answer with a
 * Location (shown as login_url_show does), "" otherwise, into b (size n,
 * at least 4). The token and basic flows follow no redirect. */
void login_redirect_note(const login_cfg *cfg, const sw_http_resp *r, char *b,
                         size_t n);

/* Checks --cookie-jar's path before anything is sent: a symbolic link, a
 * hard link or anything but a regular file is refused (libcurl would
 * truncate the target); a missing jar is created, mode 0600, and an
 * existing one made owner-only. Returns 0, or -1 with err naming the
 * option. */
int login_jar_check(const char *path, sw_err *err);

/* "client-credentials" ... */
const char *login_flow_name(login_flow f);

/* check_login's own long options without a short letter. */
enum {
  OPT_FLOW = SW_OPT_PLUGIN,
  OPT_CLIENT_ID,
  OPT_CLIENT_AUTH,
  OPT_USERNAME,
  OPT_SCOPE,
  OPT_AUDIENCE,
  OPT_FORM_FIELD,
  OPT_USER_FIELD,
  OPT_PASSWORD_FIELD,
  OPT_CSRF_FIELD,
  OPT_CSRF_REGEX,
  OPT_SUCCESS_URL,
  OPT_SUCCESS_STRING,
  OPT_SUCCESS_REGEX,
  OPT_FAILURE_STRING,
  OPT_COOKIE_JAR,
  OPT_TOKEN_CACHE,
  OPT_SAVE_REFRESH,
  OPT_TTL_WARN,
  OPT_TTL_CRIT,
  OPT_REJECTED_STATE,
  OPT_DIGEST,
  OPT_VERIFY_REJECTS,
  OPT_FORM_ORIGIN,
  /* secrets: literal (wiped from argv), -file, -env for each */
  OPT_SECRET = 0x1200
};
enum { SEC_CLIENT, SEC_PASSWORD, SEC_REFRESH, SEC_KINDS };
enum { SRC_ARG, SRC_FILE, SRC_ENV, SRC_KINDS };
#define SECRET_OPT(kind, src) (OPT_SECRET + (kind)*SRC_KINDS + (src))

/* check_login's options (login_optab.c). */
extern const sw_optab login_optab;

#endif
