/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What check_curl and blackbox_exporter users reach for, on check_api:
 * response header assertions (--expect-header, --header-absent), the
 * document's age (--max-age), the body size range (--size), and the
 * request options that go with them (-R, --auth-file/--auth-env,
 * --user-agent, --max-redirects, --sticky). Header values are server
 * bytes: they reach the output only through sw_text_safe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api.h"
#include "streamwatch/regex.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strparse.h"

/* The longest --user-agent (a browser's is about 150 bytes). */
#define API_UA_MAX 512

/* --expect-header 'Name: REGEX' ('Name:' alone: present, any value) and
 * --header-absent NAME into rules[*n]. */
static int header_rule(api_header_rule *rules, size_t *n, const char *arg,
                       const char *opt, bool expect, sw_err *err) {
  const char *colon = expect ? strchr(arg, ':') : NULL;
  size_t nl = expect ? (colon ? (size_t)(colon - arg) : 0) : strlen(arg);
  if (*n == API_MAX_HEADERS)
    return sw_fail(err, "%s: at most %d", opt, API_MAX_HEADERS);
  if (expect && !colon)
    return sw_fail(err,
                   "%s: '%s' is not 'Name: REGEX' (e.g. 'Cache-Control: "
                   "max-age=[0-9]+')",
                   opt, arg);
  if (nl >= sizeof rules->name || !sw_http_token(arg, nl))
    return sw_fail(err,
                   "%s: invalid header name '%.*s' (a token: letters, digits "
                   "and -_.!#$%%&'*+^`~)",
                   opt, (int)(nl > 64 ? 64 : nl), arg);
  api_header_rule *h = &rules[*n];
  memset(h, 0, sizeof *h);
  memcpy(h->name, arg, nl);
  h->name[nl] = '\0';
  if (colon) {
    const char *re = colon + 1;
    while (*re == ' ' || *re == '\t')
      re++;
    if (*re &&
        sw_regex_compile(&h->re, &h->has_re, re, opt, REG_NOSUB, err) < 0)
      return -1;
    h->re_text = re;
  }
  (*n)++;
  return 0;
}

/* --max-age N[s|m|h|d] (check_curl -M) into cfg->max_age, in seconds. */
static int max_age_option(api_cfg *cfg, const char *arg, sw_err *err) {
  char num[32], text[48];
  size_t len = strlen(arg);
  unsigned long v, mult = 1;
  if (len && len < sizeof num) {
    switch (arg[len - 1]) {
    case 's': len--; break;
    case 'm': mult = 60, len--; break;
    case 'h': mult = 3600, len--; break;
    case 'd': mult = 86400, len--; break;
    default: break;
    }
  }
  if (len == 0 || len >= sizeof num)
    goto bad;
  memcpy(num, arg, len);
  num[len] = '\0';
  /* at most ten years: the product stays far inside a double's
   * integers and a range's int64 bound */
  if (sw_parse_ulong(num, 1, 3650UL * 86400 / mult, &v) < 0)
    goto bad;
  snprintf(text, sizeof text, "%lu", v * mult);
  snprintf(cfg->max_age_text, sizeof cfg->max_age_text, "%s", arg);
  return sw_range_parse(text, "--max-age", &cfg->max_age, err);
bad:
  return sw_fail(err,
                 "--max-age: invalid age '%s' (seconds, or with s, m, h or "
                 "d: 30s, 5m, 2h, 1d; at most 3650d)",
                 arg);
}

/* --auth-file F / --auth-env VAR: "user:password" for HTTP Basic. */
static int auth_option(api_cfg *cfg, int c, const char *arg, sw_err *err) {
  const char *opt = c == OPT_AUTH_FILE ? "--auth-file" : "--auth-env";
  char *s = NULL;
  api_more_free(cfg);
  if ((c == OPT_AUTH_FILE ? sw_secret_file(arg, opt, &s, err)
                          : sw_secret_env(arg, opt, &s, err)) < 0)
    return -1;
  const char *colon = strchr(s, ':');
  const char *why = !colon       ? "not user:password"
                    : colon == s ? "the user name is empty"
                                 : NULL;
  for (const char *p = s; !why && *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      why = "a control character (CR, LF...) inside";
  if (why) {
    sw_secret_free(s);
    return sw_fail(err, "%s: invalid credentials: %s (they are not shown)", opt,
                   why);
  }
  cfg->auth = s;
  if (!(cfg->auth_split = strdup(s))) {
    api_more_free(cfg);
    return sw_fail(err, "%s: out of memory", opt);
  }
  cfg->auth_split[colon - s] = '\0';
  return 0;
}

static int user_agent_option(api_cfg *cfg, const char *arg, sw_err *err) {
  size_t n = strlen(arg);
  if (n == 0 || n > API_UA_MAX)
    return sw_fail(err, "--user-agent: 1 to %d bytes", API_UA_MAX);
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f)
      return sw_fail(err, "--user-agent: a control character (CR, LF...) "
                          "would inject headers; refused");
  cfg->req.user_agent = arg;
  return 0;
}

int api_more_option(api_cfg *cfg, int c, const char *arg, sw_err *err) {
  unsigned long n;
  switch (c) {
  case 'R':
    if (sw_regex_compile(&cfg->re, &cfg->has_re, arg, "-R",
                         REG_NOSUB | REG_ICASE, err) < 0)
      return -1;
    cfg->re_text = arg;
    cfg->re_icase = true;
    return 0;
  case OPT_EXPECT_HEADER:
    return header_rule(cfg->expect_hdr, &cfg->n_expect_hdr, arg,
                       "--expect-header", true, err);
  case OPT_HEADER_ABSENT:
    return header_rule(cfg->absent_hdr, &cfg->n_absent_hdr, arg,
                       "--header-absent", false, err);
  case OPT_MAX_AGE: return max_age_option(cfg, arg, err);
  case OPT_SIZE:
    return sw_range_parse_floor(arg, "--size", "number of bytes", "100:2048",
                                &cfg->size, err);
  case OPT_AUTH_FILE:
  case OPT_AUTH_ENV: return auth_option(cfg, c, arg, err);
  case OPT_USER_AGENT: return user_agent_option(cfg, arg, err);
  case OPT_MAX_REDIRECTS:
    if (sw_parse_ulong(arg, 0, 50, &n) < 0)
      return sw_fail(err, "--max-redirects: invalid count '%s' (0 to 50)", arg);
    cfg->req.max_redirects = (long)n;
    cfg->max_redirects_set = true;
    return 0;
  case OPT_STICKY: cfg->sticky = true; return 0;
  default: return 1;
  }
}

int api_more_validate(api_cfg *cfg, sw_err *err) {
  sw_http_req *r = &cfg->req;
  if (cfg->max_redirects_set && !r->follow)
    return sw_fail(err, "--max-redirects: redirects are not followed with -f "
                        "ok|warning|critical (use -f follow)");
  if (cfg->sticky && !r->follow)
    return sw_fail(err, "--sticky: redirects are not followed with -f "
                        "ok|warning|critical (use -f follow)");
  if (cfg->sticky && !r->connect_to && !cfg->edges.all)
    return sw_fail(err, "--sticky: keeps --connect-to's or "
                        "--all-addresses' address: give one of them");
  if (cfg->size.set && !cfg->size.inside && !cfg->size.start_inf &&
      cfg->size.start > (double)r->max_size)
    return sw_fail(err,
                   "--size: at least %.0f bytes is more than --max-size "
                   "reads (%zu): raise --max-size",
                   cfg->size.start, r->max_size);
  if (cfg->auth) {
    if (r->username)
      return sw_fail(err, "--auth-file/--auth-env: -u holds user:password@ "
                          "too: give the credentials once");
    if (cfg->bearer || cfg->token_cache)
      return sw_fail(err, "--auth-file/--auth-env: a bearer token is given "
                          "too: one Authorization only");
    r->username = cfg->auth_split;
    r->password = cfg->auth_split + strlen(cfg->auth_split) + 1;
    r->digest = false;
  }
  r->pin_sticky = cfg->sticky;
  r->keep_headers = cfg->n_expect_hdr || cfg->n_absent_hdr || cfg->max_age.set;
  return 0;
}

void api_more_free(api_cfg *cfg) {
  if (cfg->req.username == cfg->auth_split)
    cfg->req.username = cfg->req.password = NULL;
  sw_secret_free(cfg->auth);
  sw_secret_free(cfg->auth_split);
  cfg->auth = cfg->auth_split = NULL;
}

/* A header's value as output may show it: a credential header's
 * (Set-Cookie...) is not shown; else masked, sanitised, cut at 60. */
static void shown_value(char *dst, size_t n, const char *name, const char *v,
                        size_t vl, const sw_check *check) {
  char line[160];
  snprintf(line, sizeof line, "%s: x", name);
  if (sw_secret_header(line, strlen(line))) {
    snprintf(dst, n, "%s", "(a credential, not shown)");
    return;
  }
  char text[200];
  sw_text_safe(text, sizeof text, v, vl, 60, check->secrets);
  snprintf(dst, n, "\"%s\"", text);
}

/* One sub-result, and the problem when not OK. */
static void verdict(sw_check *check, sw_buf *problems, sw_state s,
                    const char *what) {
  sw_check_sub(check, s, "%s", what);
  if (s == SW_OK)
    return;
  if (problems->len)
    sw_buf_puts(problems, "; ");
  sw_buf_puts(problems, what);
}

_Static_assert(SW_HTTP_HEADERS_MAX == 32768 && SW_HTTP_HEADERS_LINES == 128,
               "cut_note's text names the bounds");

/* The header lines kept are bounded: a header not found among them may
 * be past the bound, which is this check's limit, not the server's. */
static const char *cut_note(const sw_http_resp *r) {
  return r->headers_cut ? " among the header lines kept (limit: "
                          "32768 bytes, 128 lines)"
                        : "";
}

static void expect_one(const api_header_rule *h, const sw_http_resp *r,
                       const sw_deadline *d, sw_check *check,
                       sw_buf *problems) {
  char what[400], re[100] = "", seen[120] = "";
  sw_buf b;
  size_t vl;
  const char *v = NULL, *first = NULL;
  size_t first_len = 0;
  int m = h->has_re ? 0 : 1;
  sw_buf_fixed(&b, what, sizeof what);
  if (h->has_re)
    sw_text_safe(re, sizeof re, h->re_text, strlen(h->re_text), 60,
                 check->secrets);
  for (size_t i = 0; (v = sw_http_header(r, h->name, i, &vl)); i++) {
    sw_err err = {""};
    if (!first)
      first = v, first_len = vl;
    if (!h->has_re)
      break;
    /* the value is a copy: sw_regex_search wants it NUL-terminated */
    char *val = strndup(v, vl);
    m = val ? sw_regex_search(&h->re, val, vl, 0, NULL, d, "--expect-header",
                              &err)
            : -1;
    free(val);
    if (m < 0) {
      verdict(check, problems, SW_UNKNOWN,
              err.msg[0] ? err.msg : "--expect-header: out of memory");
      return;
    }
    if (m == 1)
      break;
  }
  if (!first) {
    sw_buf_addf(&b, "header %s missing%s%s%s%s", h->name, cut_note(r),
                re[0] ? " (expected /" : "", re, re[0] ? "/)" : "");
    verdict(check, problems, r->headers_cut ? SW_UNKNOWN : SW_CRITICAL, what);
    return;
  }
  shown_value(seen, sizeof seen, h->name, first, first_len, check);
  if (!h->has_re)
    sw_buf_addf(&b, "header %s present", h->name);
  else if (m == 1)
    sw_buf_addf(&b, "header %s matches /%s/", h->name, re);
  else
    sw_buf_addf(&b, "header %s is %s, expected /%s/", h->name, seen, re);
  verdict(check, problems, m == 1 ? SW_OK : SW_CRITICAL, what);
}

static void absent_one(const api_header_rule *h, const sw_http_resp *r,
                       sw_check *check, sw_buf *problems) {
  char what[400], seen[120];
  sw_buf b;
  size_t vl;
  const char *v = sw_http_header(r, h->name, 0, &vl);
  sw_buf_fixed(&b, what, sizeof what);
  if (v) {
    shown_value(seen, sizeof seen, h->name, v, vl, check);
    sw_buf_addf(&b, "header %s present: %s (expected absent)", h->name, seen);
    verdict(check, problems, SW_CRITICAL, what);
  } else {
    sw_buf_addf(&b, "header %s absent%s", h->name, cut_note(r));
    verdict(check, problems, r->headers_cut ? SW_UNKNOWN : SW_OK, what);
  }
}

/* The document's age in seconds from Last-Modified, else Date; *from
 * says which. Returns 0, -1 when neither is there, -2 when the one
 * there is not a date (shown in bad). */
static int doc_age(const sw_http_resp *r, double *age, const char **from,
                   char *bad, size_t n, const sw_check *check) {
  size_t vl;
  long long t;
  const char *v = sw_http_header(r, *from = "Last-Modified", 0, &vl);
  if (!v)
    v = sw_http_header(r, *from = "Date", 0, &vl);
  if (!v)
    return -1;
  if (sw_http_date(v, vl, &t) < 0) {
    sw_text_safe(bad, n, v, vl, 60, check->secrets);
    return -2;
  }
  /* a date ahead of this clock (skew) is a document 0 s old */
  double a = difftime(time(NULL), (time_t)t);
  *age = a > 0 ? a : 0;
  return 0;
}

/* "3.5 h", "2 d": an age the way an on-call person reads it. */
static void age_words(char *b, size_t n, double s) {
  if (s < 120)
    snprintf(b, n, "%.0f s", s);
  else if (s < 7200)
    snprintf(b, n, "%.1f min", s / 60);
  else if (s < 172800)
    snprintf(b, n, "%.1f h", s / 3600);
  else
    snprintf(b, n, "%.1f d", s / 86400);
}

static void judge_age(const api_cfg *cfg, const sw_http_resp *r,
                      sw_check *check, sw_buf *problems) {
  char what[400], bad[120], words[32];
  const char *from;
  double age = 0;
  sw_buf b;
  sw_buf_fixed(&b, what, sizeof what);
  int rc = doc_age(r, &age, &from, bad, sizeof bad, check);
  if (rc == -1) {
    sw_buf_puts(&b, "document age unknown: no Last-Modified or Date header");
    verdict(check, problems, SW_CRITICAL, what);
    return;
  }
  if (rc == -2) {
    sw_buf_addf(&b, "document age unknown: %s \"%s\" is not an HTTP date", from,
                bad);
    verdict(check, problems, SW_CRITICAL, what);
    return;
  }
  bool old = sw_range_alerts(&cfg->max_age, age);
  age_words(words, sizeof words, age);
  sw_buf_addf(&b, "document is %s old (%s)%s%s", words, from,
              old ? ", more than --max-age " : "",
              old ? cfg->max_age_text : "");
  verdict(check, problems, old ? SW_CRITICAL : SW_OK, what);
}

static void judge_size(const api_cfg *cfg, const sw_http_resp *r,
                       sw_check *check, sw_buf *problems) {
  char what[300], why[160];
  sw_buf b;
  bool bad = sw_range_alerts(&cfg->size, (double)r->body_len);
  sw_range_threshold(why, sizeof why, "--size", &cfg->size, "B");
  sw_buf_fixed(&b, what, sizeof what);
  sw_buf_addf(&b, "body is %zu B%s%s%s", r->body_len, bad ? " (" : "",
              bad ? why : "", bad ? ")" : "");
  verdict(check, problems, bad ? SW_CRITICAL : SW_OK, what);
}

void api_judge_headers(const api_cfg *cfg, const sw_http_resp *r,
                       const sw_deadline *d, sw_check *check,
                       sw_buf *problems) {
  for (size_t i = 0; i < cfg->n_expect_hdr; i++)
    expect_one(&cfg->expect_hdr[i], r, d, check, problems);
  for (size_t i = 0; i < cfg->n_absent_hdr; i++)
    absent_one(&cfg->absent_hdr[i], r, check, problems);
  if (cfg->max_age.set)
    judge_age(cfg, r, check, problems);
  if (cfg->size.set)
    judge_size(cfg, r, check, problems);
}

void api_perf_age(const api_cfg *cfg, const sw_http_resp *r, sw_check *check) {
  char bad[8];
  const char *from;
  sw_perf p = {.label = "age", .uom = "s", .crit = &cfg->max_age};
  if (!cfg->max_age.set)
    return;
  p.measured = r && doc_age(r, &p.value, &from, bad, sizeof bad, check) == 0;
  sw_check_perf(check, &p);
}
