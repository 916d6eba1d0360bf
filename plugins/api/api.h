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

enum { API_MAX_CODES = 32, API_MAX_ASSERT = 32, API_MAX_METRIC = 32 };

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
  regex_t re;         /* -r */
  bool has_re, invert;
  const char *re_text;
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

/* The perfdata of a run that sent no request (an error before it, named
 * in the summary): every label, each U. */
void api_perfdata_unsent(const api_cfg *cfg, sw_check *check);

/* check_api's own long options without a short letter. */
enum {
  OPT_DATA_FILE = SW_OPT_PLUGIN,
  OPT_INVERT,
  OPT_MAX_SIZE,
  OPT_CERT_WARN,
  OPT_CERT_CRIT,
  OPT_RATE_LIMIT_STATE,
  OPT_TOKEN_CACHE
};

/* check_api's options (api_optab.c). */
extern const sw_optab api_optab;

#endif
