/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's command line and help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <time.h>

#include "api.h"
#include "streamwatch/secret.h"
#include "streamwatch/token.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/plugin.h"
#include "streamwatch/regex.h"
#include "streamwatch/strparse.h"

void api_help(FILE *out) {
  fputs(
      "check_api: is an HTTP API answering correctly, down to JSON values\n"
      "\n"
      "Usage: check_api -u URL [-X METHOD] [-k 'Name: value' ...]\n"
      "         [-d BODY | --data-file F] [--bearer-file F | --bearer-env "
      "VAR]\n"
      "         [--auth-file F | --auth-env VAR] [--user-agent STRING]\n"
      "         [-e CODES] [-s STRING] [-r|-R REGEX] [--invert] [-j ASSERTION "
      "...]\n"
      "         [--expect-header 'Name: REGEX' ...] [--header-absent NAME "
      "...]\n"
      "         [--max-age SECONDS] [--size MIN[:MAX]]\n"
      "         [-M METRIC ...] [-w RANGE] [-c RANGE] [--max-size BYTES]\n"
      "         [--connect-to ADDR] [--cert-warning DAYS] [--cert-critical "
      "DAYS]\n"
      "         [--ca-file F] [--insecure] [--proxy URL] [--http-version "
      "1.1|2]\n"
      "         [-f follow|ok|warning|critical] [--max-redirects N] "
      "[--sticky]\n"
      "         [-4|-6] [-t SECONDS[:STATE]] [-v]\n"
      "\n"
      "Options:\n",
      out);
  sw_optab_help(&api_optab, out);
  fputs(
      "\n"
      "Examples:\n"
      "  check_api -u https://api.example.com/v1/health -j '/status==ok'\n"
      "  check_api -u https://api.example.com/v1/tracks -j /items/0/id \\\n"
      "            -M 'tracks=/total;1:;1:' -w 0.5 -c 2\n"
      "  check_api -u https://api.example.com/ --connect-to 192.0.2.7\n"
      "  check_api -u https://cdn.example.com/live.m3u8 --max-age 30s \\\n"
      "            --expect-header 'Cache-Control: max-age=[0-9]+' \\\n"
      "            --header-absent X-Debug\n"
      "  check_api -u https://api.example.com/v1/me --bearer-file "
      "/etc/nagios/tok\n"
      "\n"
      "Ranges are [@]START:END as in the Monitoring Plugins guidelines: 10 "
      "alerts\n"
      "outside 0..10, 10: below 10, ~:10 above 10, @10:20 inside 10..20. The\n"
      "certificate options count days left: a bare number is a floor, as\n"
      "check_http -C reads it (--cert-warning 14 is 14:, WARNING below 14 "
      "days).\n"
      "-M labels: letters, digits, '_', '-' and '.' ('.' is '_' in "
      "perfdata).\n",
      out);
}

int api_codes_parse(const char *text, api_codes *c, sw_err *err) {
  const char *p = text;
  memset(c, 0, sizeof *c);
  snprintf(c->text, sizeof c->text, "%s", text);
  while (*p) {
    size_t len = strcspn(p, ",");
    const char *dash = memchr(p, '-', len);
    unsigned long lo, hi;
    char item[32];
    if (c->n == API_MAX_CODES || len == 0 || len >= sizeof item)
      goto bad;
    memcpy(item, p, len);
    item[len] = '\0';
    if (dash) {
      item[dash - p] = '\0';
      if (sw_parse_ulong(item, 100, 599, &lo) < 0 ||
          sw_parse_ulong(item + (dash - p) + 1, 100, 599, &hi) < 0 || hi < lo)
        goto bad;
    } else if (sw_parse_ulong(item, 100, 599, &lo) < 0) {
      goto bad;
    } else {
      hi = lo;
    }
    c->lo[c->n] = (long)lo;
    c->hi[c->n++] = (long)hi;
    p += len;
    if (*p == ',' && *++p == '\0')
      goto bad;
  }
  if (c->n)
    return 0;
bad:
  return sw_fail(err,
                 "-e: invalid status codes '%s' (e.g. 200, 200,204 or "
                 "200-299)",
                 text);
}

bool api_codes_match(const api_codes *c, long status) {
  for (size_t i = 0; i < c->n; i++)
    if (status >= c->lo[i] && status <= c->hi[i])
      return true;
  return false;
}

/* -s/-r/--invert/-e and the other options about the answer. */
static int answer_option(api_cfg *cfg, int c, const char *arg, sw_err *err) {
  switch (c) {
  case 'e': return api_codes_parse(arg, &cfg->codes, err);
  case 's': cfg->string = arg; return 0;
  case 'r':
    if (cfg->re_icase)
      return sw_fail(err, "-r: -R is given too: one regular expression");
    if (sw_regex_compile(&cfg->re, &cfg->has_re, arg, "-r", REG_NOSUB, err) < 0)
      return -1;
    cfg->re_text = arg;
    return 0;
  case OPT_INVERT: cfg->invert = true; return 0;
  case 'j':
    if (cfg->nasserts == API_MAX_ASSERT)
      return sw_fail(err, "-j: at most %d assertions", API_MAX_ASSERT);
    if (api_assert_parse(arg, &cfg->asserts[cfg->nasserts], err) < 0)
      return -1;
    cfg->nasserts++;
    return 0;
  case 'M':
    if (cfg->nmetrics == API_MAX_METRIC)
      return sw_fail(err, "-M: at most %d metrics", API_MAX_METRIC);
    return api_metric_parse(arg, &cfg->metrics[cfg->nmetrics++], err);
  case OPT_RATE_LIMIT_STATE:
    if (sw_state_parse(arg, &cfg->rate_limit_state) < 0)
      return sw_fail(err, "--rate-limit-state: invalid state '%s'", arg);
    return 0;
  case 'f':
    if (strcasecmp(arg, "follow") == 0) {
      cfg->req.follow = true;
      cfg->redirect_state_set = false;
      return 0;
    }
    if (sw_state_parse(arg, &cfg->redirect_state) < 0)
      return sw_fail(err,
                     "-f: invalid value '%s' (follow, ok, warning or "
                     "critical)",
                     arg);
    cfg->req.follow = false;
    cfg->redirect_state_set = true;
    return 0;
  default: return 1;
  }
}

/* The request: URL, method, body, size, certificate expiry; the shared
 * HTTP and bearer options. */
static int request_option(void *vcfg, int c, const char *arg, sw_err *err) {
  api_cfg *cfg = vcfg;
  sw_http_req *r = &cfg->req;
  unsigned long n;
  size_t len;
  int rc;
  switch (c) {
  case 'u': return sw_http_url_option(r, &cfg->url, arg, "-u", err);
  case 'X': r->method = arg; return 0;
  case 'd':
    free(cfg->body);
    return (cfg->body = strdup(arg)) ? 0 : sw_fail(err, "-d: out of memory");
  case OPT_DATA_FILE:
    free(cfg->body);
    cfg->body = NULL;
    return sw_read_file(arg, 16u << 20, "--data-file", &cfg->body, &len, err);
  case OPT_TOKEN_CACHE: cfg->token_cache = arg; return 0;
  case OPT_MAX_SIZE:
    if (sw_parse_ulong(arg, 1, 1UL << 30, &n) < 0)
      return sw_fail(err,
                     "--max-size: invalid size '%s' (1 to 1073741824 "
                     "bytes)",
                     arg);
    r->max_size = n;
    return 0;
  case OPT_CERT_WARN:
    return sw_range_parse_floor(arg, "--cert-warning", "number of days", "14",
                                &cfg->cert_warn, err);
  case OPT_CERT_CRIT:
    return sw_range_parse_floor(arg, "--cert-critical", "number of days", "14",
                                &cfg->cert_crit, err);
  default:
    if ((rc = sw_http_option(r, &cfg->headers, c, arg, err)) <= 0 ||
        (rc = sw_bearer_option(&cfg->bearer, c, arg, err)) <= 0 ||
        (rc = sw_edges_option(&cfg->edges, c, arg, err)) <= 0)
      return rc;
    if ((rc = answer_option(cfg, c, arg, err)) <= 0)
      return rc;
    if (c == 'R' && cfg->has_re && !cfg->re_icase)
      return sw_fail(err, "-R: -r is given too: one regular expression");
    if ((rc = api_more_option(cfg, c, arg, err)) > 0)
      rc = api_tls_option(cfg, c, arg, err);
    return rc > 0 ? sw_fail(err, "unknown option (see --help)") : rc;
  }
}

/* True when r is "N:" (alert below N) and nothing else. */
static bool floor_only(const sw_range *r) {
  return r->set && !r->inside && !r->start_inf && r->end_inf;
}

/* -M's perfdata labels: each unique, and none of check_api's own, so no
 * graph series holds two metrics (conventions.md, Performance data). */
static int metric_labels_check(const api_cfg *cfg, sw_err *err) {
  static const char *const own[] = {"time",     "time_dns",    "time_connect",
                                    "time_tls", "time_ttfb",   "time_transfer",
                                    "size",     "status",      "cert_days",
                                    "age",      "tls_version", "ocsp_stapled"};
  for (size_t i = 0; i < cfg->nmetrics; i++) {
    const api_metric *m = &cfg->metrics[i];
    for (size_t k = 0; k < sizeof own / sizeof *own; k++)
      if (strcmp(m->perf, own[k]) == 0)
        return sw_fail(err,
                       "-M: label '%s' is check_api's own perfdata '%s': "
                       "choose another label",
                       m->label, own[k]);
    for (size_t j = 0; j < i; j++) {
      const api_metric *o = &cfg->metrics[j];
      if (strcmp(m->perf, o->perf) != 0)
        continue;
      if (strcmp(m->label, o->label) == 0)
        return sw_fail(err,
                       "-M: label '%s' is given twice: each -M needs a "
                       "label of its own",
                       m->label);
      return sw_fail(err,
                     "-M: labels '%s' and '%s' are both perfdata label "
                     "'%s' ('.' is '_' there): rename one",
                     o->label, m->label, m->perf);
    }
  }
  return 0;
}

/* Checks what only makes sense together, and sets the request's derived
 * fields. */
static int api_validate(api_cfg *cfg, sw_err *err) {
  sw_http_req *r = &cfg->req;
  if (!r->url)
    return sw_fail(err, "-u: a URL is required");
  if (strncasecmp(r->url, "http://", 7) && strncasecmp(r->url, "https://", 8))
    return sw_fail(err, "-u: '%s' is not an http:// or https:// URL", r->url);
  if (cfg->invert && !cfg->string && !cfg->has_re)
    return sw_fail(err, "--invert: needs -s, -r or -R");
  if (floor_only(&cfg->cert_crit) && floor_only(&cfg->cert_warn) &&
      cfg->cert_crit.start > cfg->cert_warn.start)
    return sw_fail(err,
                   "--cert-critical: %s days is more than "
                   "--cert-warning's %s (CRITICAL would come first)",
                   cfg->cert_crit.text, cfg->cert_warn.text);
  sw_edges_opts eo = cfg->edges;
  if (cfg->prefer) /* --prefer-ipv4/-ipv6 resolve through --resolver too */
    eo.resolver = NULL;
  if (metric_labels_check(cfg, err) < 0 ||
      sw_edges_opts_check(&eo, r->connect_to, err) < 0)
    return -1;
  if (cfg->token_cache && sw_bearer_from_cache(&cfg->bearer, cfg->token_cache,
                                               &cfg->token_left, err) < 0)
    return -1;
  r->headers = &cfg->headers;
  r->body = cfg->body;
  r->body_len = cfg->body ? strlen(cfg->body) : 0;
  if (cfg->body && !r->method)
    r->method = "POST";
  r->bearer = cfg->bearer;
  r->family = cfg->std.family;
  r->verbose = cfg->edges.verbose = cfg->std.verbose;
  r->want_cert = strncasecmp(r->url, "https://", 8) == 0;
  return api_more_validate(cfg, err) < 0 ? -1 : api_tls_validate(cfg, err);
}

void api_cfg_free(api_cfg *cfg) {
  for (size_t i = 0; i < cfg->nasserts; i++)
    api_assert_free(&cfg->asserts[i]);
  if (cfg->has_re)
    regfree(&cfg->re);
  for (size_t i = 0; i < cfg->n_expect_hdr; i++)
    if (cfg->expect_hdr[i].has_re)
      regfree(&cfg->expect_hdr[i].re);
  api_more_free(cfg);
  sw_strvec_free(&cfg->headers);
  free(cfg->body);
  sw_secret_free(cfg->bearer);
  cfg->body = cfg->bearer = NULL;
  sw_http_url_free(&cfg->url);
}

sw_std_result api_parse(int argc, char **argv, api_cfg *cfg, sw_err *err) {
  memset(cfg, 0, sizeof *cfg);
  sw_std_init(&cfg->std);
  sw_edges_opts_init(&cfg->edges);
  api_codes_parse("200-299", &cfg->codes, err);
  sw_range_parse("14:", "--cert-warning", &cfg->cert_warn, err);
  sw_range_parse("7:", "--cert-critical", &cfg->cert_crit, err);
  cfg->rate_limit_state = SW_WARNING;
  cfg->req.follow = true;
  cfg->req.max_redirects = 10;
  cfg->req.max_size = 4u << 20;
  cfg->req.user_agent = "check_api/" PACKAGE_VERSION " (streamwatch)";
  sw_std_result r = sw_getopt_all(argc, argv, &api_optab, &cfg->std,
                                  request_option, cfg, err);
  if (r != SW_STD_DONE)
    return r;
  return api_validate(cfg, err) < 0 ? SW_STD_ERROR : SW_STD_DONE;
}
