/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's configuration and the steps its main runs. */
#ifndef STREAMWATCH_API_H
#define STREAMWATCH_API_H

#include <pthread.h>
#include <regex.h>
#include <stdbool.h>
#include "api_json.h"
#include "streamwatch/edges.h"
#include "streamwatch/http.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"
#include "streamwatch/optab.h"
#include "streamwatch/strbuf.h"

enum {
  API_MAX_CODES = 32,
  API_MAX_ASSERT = 32,
  API_MAX_METRIC = 32,
  API_MAX_HEADERS = 16
};

/* Did a request's TCP connection fail (--prefer-ipv6/-ipv4's fallback)?
 * why: the transport's message ("connect failed: Connection refused"). */
typedef struct {
  bool failed;
  char why[256];
} api_tcp_fail;

/* --expect-header 'Name: REGEX' (has_re false: present, any value) and
 * --header-absent NAME. */
typedef struct {
  char name[128];
  regex_t re;
  bool has_re;
  const char *re_text;
} api_header_rule;

/* -e: status codes as inclusive ranges ("200", "200,204", "200-299"). */
typedef struct {
  long lo[API_MAX_CODES], hi[API_MAX_CODES];
  size_t n;
  char text[128];
} api_codes;

typedef struct {
  sw_std_opts std;
  sw_http_req req;
  sw_http_url url;         /* -u split from its userinfo (owned) */
  sw_strvec headers;       /* -k */
  char *body;              /* -d / --data-file (owned) */
  char *bearer;            /* secret (owned, wiped on free) */
  const char *token_cache; /* --token-cache file, or NULL */
  long long token_left;    /* seconds the cached token is still valid */
  api_codes codes;
  const char *string; /* -s */
  regex_t re;         /* -r, or -R (re_icase) */
  bool has_re, invert, re_icase;
  const char *re_text;
  api_header_rule expect_hdr[API_MAX_HEADERS]; /* --expect-header */
  size_t n_expect_hdr;
  api_header_rule absent_hdr[API_MAX_HEADERS]; /* --header-absent */
  size_t n_absent_hdr;
  sw_range max_age; /* --max-age, seconds: "N" (0..N) when set */
  char max_age_text[32];
  sw_range size; /* --size: body bytes, a bare number a floor */
  char *auth;    /* --auth-file/--auth-env "user:password" (secret, owned;
                    req.username/password point into auth_split) */
  char *auth_split;
  bool max_redirects_set, sticky;
  api_assert asserts[API_MAX_ASSERT];
  size_t nasserts;
  api_metric metrics[API_MAX_METRIC];
  size_t nmetrics;
  /* days left on the certificate; a bare number N is read as the floor
   * "N:" (check_http -C), so the default "14:" warns below 14 days */
  sw_range cert_warn, cert_crit;
  bool redirect_state_set; /* -f ok|warning|critical: 3xx not followed */
  sw_state redirect_state;
  sw_state rate_limit_state; /* 429: WARNING unless --rate-limit-state */
  sw_edges_opts edges;       /* --all-addresses */
  bool ocsp_required;        /* --ocsp-required: none stapled is WARNING */
  bool cert_only;            /* --certificate-only: no request sent */
  int prefer;                /* --prefer-ipv4/-ipv6: 4 or 6, else 0 */
  api_tcp_fail *tcp_fail;    /* api_family.c's: whether the TCP connect
                                failed, and why */
  /* with --all-addresses: held while a body is judged, so that one JSON
   * tree at a time is within the budget (SW_JSON_MAX_COST) */
  pthread_mutex_t *judge_lock;
} api_cfg;

/* Parses the command line (expanded by sw_args_build) into cfg; reads
 * --data-file and the bearer token. Returns SW_STD_DONE, _HELP,
 * _VERSION or _ERROR with err naming the option. */
sw_std_result api_parse(int argc, char **argv, api_cfg *cfg, sw_err *err);

/* Frees what cfg owns, wiping the bearer token. */
void api_cfg_free(api_cfg *cfg);

void api_help(FILE *out);

/* Parses -e's list. Returns 0 or -1 with err naming -e. */
int api_codes_parse(const char *text, api_codes *c, sw_err *err);
bool api_codes_match(const api_codes *c, long status);

/* Judges a response (or a transport failure when failed) into check. */
void api_judge(const api_cfg *cfg, const sw_http_resp *resp, bool failed,
               const sw_deadline *d, sw_check *check);

/* api_headers.c: --expect-header, --header-absent, --max-age and --size
 * against an answer whose status was accepted (problems gets "; what"
 * for each that fails). */
void api_judge_headers(const api_cfg *cfg, const sw_http_resp *r,
                       const sw_deadline *d, sw_check *check, sw_buf *problems);

/* api_headers.c: the perfdata "age" (with --max-age; U when age is not
 * known) of r, NULL for no answer. */
void api_perf_age(const api_cfg *cfg, const sw_http_resp *r, sw_check *check);

/* api_headers.c: parses one of the options above (and -R, --auth-*,
 * --user-agent, --max-redirects, --sticky) into cfg. Returns 0, 1 when
 * c is none of them, or -1 with err naming the option. */
int api_more_option(api_cfg *cfg, int c, const char *arg, sw_err *err);

/* api_headers.c: what those options need of each other and of the rest
 * (at the end of parsing); sets req.keep_headers and the credentials.
 * Returns 0 or -1 with err naming the option. */
int api_more_validate(api_cfg *cfg, sw_err *err);

/* api_headers.c: frees what those options hold (the secret wiped). */
void api_more_free(api_cfg *cfg);

/* The perfdata of a run that sent no request (an error before it, named
 * in the summary): every label, each U. */
void api_perfdata_unsent(const api_cfg *cfg, sw_check *check);

/* api_tls.c: the TLS facts of an https answer (version and cipher, the
 * stapled OCSP response, the chain's first certificate to expire against
 * --cert-warning/--cert-critical) as sub-results; problems gets "; what"
 * for each that fails. */
void api_judge_tls(const api_cfg *cfg, const sw_http_resp *r, sw_check *check,
                   sw_buf *problems);

/* api_tls.c: --certificate-only's summary after a handshake that worked
 * (problems: what api_judge_tls and the time found). */
void api_judge_cert_only(const api_cfg *cfg, const sw_http_resp *r,
                         sw_check *check, sw_buf *problems);

/* api_tls.c: the https perfdata: cert_days (the chain's minimum),
 * tls_version (1.2, 1.3), ocsp_stapled (0/1); U when not known. */
void api_perf_tls(const api_cfg *cfg, const sw_http_resp *r, sw_check *check);

/* api_tls.c: parses --ocsp-required, --certificate-only,
 * --source-address, --prefer-ipv4/-ipv6 into cfg. Returns 0, 1 when c is
 * none of them, or -1 with err naming the option. */
int api_tls_option(api_cfg *cfg, int c, const char *arg, sw_err *err);

/* api_tls.c: what those options need of the rest (at the end of
 * parsing). Returns 0 or -1 with err naming the option. */
int api_tls_validate(api_cfg *cfg, sw_err *err);

/* One check of cfg into check (check_api.c's); the request's time or -1. */
typedef double (*api_one_fn)(const api_cfg *cfg, const sw_deadline *d,
                             sw_check *check);

/* api_family.c: --prefer-ipv6/--prefer-ipv4: resolves the URL's host,
 * runs one on an address of the preferred family (half the time left to
 * connect) and, when it has none or the connection fails, on one of the
 * other; a line says which family was used and why. */
void api_prefer_run(const api_cfg *cfg, const sw_deadline *d, sw_check *check,
                    api_one_fn one);

/* check_api's own long options without a short letter. */
enum {
  OPT_DATA_FILE = SW_OPT_PLUGIN,
  OPT_INVERT,
  OPT_MAX_SIZE,
  OPT_CERT_WARN,
  OPT_CERT_CRIT,
  OPT_RATE_LIMIT_STATE,
  OPT_TOKEN_CACHE,
  OPT_EXPECT_HEADER,
  OPT_HEADER_ABSENT,
  OPT_MAX_AGE,
  OPT_SIZE,
  OPT_AUTH_FILE,
  OPT_AUTH_ENV,
  OPT_USER_AGENT,
  OPT_MAX_REDIRECTS,
  OPT_STICKY,
  OPT_OCSP_REQUIRED,
  OPT_CERT_ONLY,
  OPT_SOURCE_ADDRESS,
  OPT_PREFER_IPV6,
  OPT_PREFER_IPV4
};

/* check_api's options (api_optab.c). */
extern const sw_optab api_optab;

#endif
