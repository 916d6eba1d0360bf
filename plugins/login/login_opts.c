/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login's command line and help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "login.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/plugin.h"
#include "streamwatch/regex.h"
#include "streamwatch/secret.h"
#include "streamwatch/strparse.h"

void login_help(FILE *out) {
  fputs("check_login: can a user or an application still log in\n"
        "\n"
        "Usage: check_login -u URL [--flow FLOW] [--client-id ID]\n"
        "         [--client-secret-file F | --client-secret-env VAR] "
        "[--username U]\n"
        "         [--password-file F | --password-env VAR] "
        "[--refresh-token-file F]\n"
        "         [--token-cache F] [--ttl-warning RANGE] [--ttl-critical "
        "RANGE]\n"
        "         [-w RANGE] [-c RANGE] [-t SECONDS[:STATE]] [-v]\n"
        "\n"
        "Flows (--flow):\n"
        "  client-credentials  RFC 6749 4.4 token request (default)\n"
        "  refresh-token       RFC 6749 6 refresh\n"
        "  password            RFC 6749 4.3 resource-owner password grant\n"
        "  basic               GET a protected URL with HTTP Basic (or "
        "--digest)\n"
        "  form                an HTML login form with its CSRF token and "
        "cookies\n"
        "\n"
        "Options:\n",
        out);
  sw_optab_help(&login_optab, out);
  fputs(
      "\n"
      "Examples:\n"
      "  check_login -u https://auth.example.com/token --client-id mon \\\n"
      "              --client-secret-file /etc/nagios/mon.secret --ttl-warning "
      "300\n"
      "  check_login --flow form -u https://example.com/login --username probe "
      "\\\n"
      "              --password-env PROBE_PW --csrf-field csrf_token \\\n"
      "              --success-string 'Welcome back'\n"
      "  check_login --flow basic -u https://example.com/admin --username "
      "probe \\\n"
      "              --password-file /etc/nagios/probe.pw --verify-rejects\n"
      "\n"
      "Ranges are [@]START:END as in the Monitoring Plugins guidelines: 10 "
      "alerts\n"
      "outside 0..10, 10: below 10, ~:10 above 10, @10:20 inside 10..20. The\n"
      "--ttl options count seconds left: a bare number is a floor, as "
      "check_http\n"
      "-C reads days (--ttl-warning 300 is 300:, WARNING below 300 s).\n"
      "Secrets are never printed, at any verbosity.\n",
      out);
}

const char *login_flow_name(login_flow f) {
  static const char *const names[] = {"client-credentials", "refresh-token",
                                      "password", "basic", "form"};
  return names[f];
}

static int parse_flow(const char *arg, login_flow *f, sw_err *err) {
  for (int i = FLOW_CLIENT; i <= FLOW_FORM; i++) {
    if (strcmp(arg, login_flow_name((login_flow)i)) == 0) {
      *f = (login_flow)i;
      return 0;
    }
  }
  return sw_fail(err,
                 "--flow: unknown flow '%s' (client-credentials, "
                 "refresh-token, password, basic or form)",
                 arg);
}

/* --client-secret / -file / -env and the same for password and refresh
 * token: one secret from one of three sources. */
static int secret_option(login_cfg *cfg, int c, const char *arg, sw_err *err) {
  static const char *const names[SEC_KINDS][SRC_KINDS] = {
      {"--client-secret", "--client-secret-file", "--client-secret-env"},
      {"--password", "--password-file", "--password-env"},
      {"--refresh-token", "--refresh-token-file", "--refresh-token-env"}};
  int kind = (c - OPT_SECRET) / SRC_KINDS, src = (c - OPT_SECRET) % SRC_KINDS;
  char **dst = kind == SEC_CLIENT     ? &cfg->client_secret
               : kind == SEC_PASSWORD ? &cfg->password
                                      : &cfg->refresh_token;
  const char *opt = names[kind][src];
  sw_secret_free(*dst);
  *dst = NULL;
  if (src == SRC_FILE)
    return sw_secret_file(arg, opt, dst, err);
  if (src == SRC_ENV)
    return sw_secret_env(arg, opt, dst, err);
  if (!arg[0])
    return sw_fail(err, "%s: empty", opt);
  return (*dst = strdup(arg)) ? 0 : sw_fail(err, "%s: out of memory", opt);
}

/* Options about the flow and its fields. */
static int flow_option(login_cfg *cfg, int c, const char *arg, sw_err *err) {
  switch (c) {
  case 'u': cfg->url = arg; return 0;
  case OPT_FLOW: return parse_flow(arg, &cfg->flow, err);
  case OPT_CLIENT_ID: cfg->client_id = arg; return 0;
  case OPT_CLIENT_AUTH:
    if (strcmp(arg, "basic") && strcmp(arg, "post"))
      return sw_fail(err, "--client-auth: '%s' is not basic or post", arg);
    cfg->client_auth_post = arg[0] == 'p';
    return 0;
  case OPT_USERNAME: cfg->username = arg; return 0;
  case OPT_SCOPE: cfg->scope = arg; return 0;
  case OPT_AUDIENCE: cfg->audience = arg; return 0;
  case OPT_DIGEST: cfg->digest = true; return 0;
  case OPT_VERIFY_REJECTS: cfg->verify_rejects = true; return 0;
  case OPT_FORM_FIELD:
    if (!strchr(arg, '=') || arg[0] == '=')
      return sw_fail(err, "--form-field: '%s' is not NAME=VALUE", arg);
    return sw_strvec_add(&cfg->form_fields, arg) < 0
               ? sw_fail(err, "--form-field: out of memory")
               : 0;
  case OPT_USER_FIELD: cfg->user_field = arg; return 0;
  case OPT_PASSWORD_FIELD: cfg->password_field = arg; return 0;
  case OPT_CSRF_FIELD: cfg->csrf_field = arg; return 0;
  case OPT_CSRF_REGEX:
    return sw_regex_compile(&cfg->csrf_re, &cfg->has_csrf_re, arg,
                            "--csrf-regex", 0, err);
  case OPT_SUCCESS_URL: cfg->success_url = arg; return 0;
  case OPT_SUCCESS_STRING: cfg->success_string = arg; return 0;
  case OPT_SUCCESS_REGEX:
    return sw_regex_compile(&cfg->success_re, &cfg->has_success_re, arg,
                            "--success-regex", REG_NOSUB, err);
  case OPT_FAILURE_STRING: cfg->failure_string = arg; return 0;
  case OPT_COOKIE_JAR: cfg->cookie_jar = arg; return 0;
  case OPT_FORM_ORIGIN: cfg->form_origin = arg; return 0;
  case OPT_TOKEN_CACHE: cfg->token_cache = arg; return 0;
  case OPT_SAVE_REFRESH: cfg->save_refresh = arg; return 0;
  case OPT_TTL_WARN:
    return sw_range_parse_floor(arg, "--ttl-warning", "number of seconds",
                                "300", &cfg->ttl_warn, err);
  case OPT_TTL_CRIT:
    return sw_range_parse_floor(arg, "--ttl-critical", "number of seconds",
                                "300", &cfg->ttl_crit, err);
  case OPT_REJECTED_STATE:
    return sw_state_parse(arg, &cfg->rejected_state) < 0
               ? sw_fail(err, "--rejected-state: invalid state '%s'", arg)
               : 0;
  default: return 1;
  }
}

/* The shared HTTP options, the secrets, then the flow's own. */
static int any_option(void *vcfg, int c, const char *arg, sw_err *err) {
  login_cfg *cfg = vcfg;
  int rc = sw_http_option(&cfg->base, &cfg->headers, c, arg, err);
  if (rc <= 0 || (rc = sw_edges_option(&cfg->edges, c, arg, err)) <= 0)
    return rc;
  if (c >= OPT_SECRET && c < SECRET_OPT(SEC_KINDS, 0))
    return secret_option(cfg, c, arg, err);
  rc = flow_option(cfg, c, arg, err);
  return rc > 0 ? sw_fail(err, "unknown option (see --help)") : rc;
}

/* --form-origin: an http or https URL whose origin the password may go
 * to besides -u's; never http when -u is https (clear text). */
static int form_origin_check(const login_cfg *cfg, sw_err *err) {
  char origin[300];
  const char *o = cfg->form_origin;
  if (!o)
    return 0;
  if ((strncasecmp(o, "http://", 7) && strncasecmp(o, "https://", 8)) ||
      sw_url_origin(o, origin, sizeof origin) < 0)
    return sw_fail(err, "--form-origin: not an http:// or https:// URL");
  if (strncasecmp(cfg->url, "https:", 6) == 0 &&
      strncasecmp(o, "https:", 6) != 0)
    return sw_fail(err,
                   "--form-origin: %s would send the password in clear "
                   "text (-u is https)",
                   origin);
  return 0;
}

/* -u's userinfo ("https://user:pw@host/..."), split off the URL by
 * sw_http_url_parse: HTTP Basic credentials, so the basic flow's only;
 * the other flows would send them nowhere or to the wrong place. */
static int url_userinfo(login_cfg *cfg, sw_err *err) {
  sw_http_url *u = &cfg->url_parts;
  if (sw_http_url_parse(u, cfg->url, "-u", err) < 0)
    return -1;
  cfg->url = u->url;
  if (!u->username && !u->password)
    return 0;
  if (cfg->flow != FLOW_BASIC)
    return sw_fail(err,
                   "-u: a user name or password in the URL is not used "
                   "by the %s flow (--username, --password-file)",
                   login_flow_name(cfg->flow));
  if (cfg->username || cfg->password)
    return sw_fail(err, "-u: credentials in the URL and --username or "
                        "--password: give them once");
  cfg->username = u->username;
  if (u->password && !(cfg->password = strdup(u->password)))
    return sw_fail(err, "-u: out of memory");
  return 0;
}

/* --success-url and --form-origin carry no credentials of their own. */
static int no_userinfo(const char *url, const char *opt, sw_err *err) {
  sw_http_url u = {0};
  if (!url)
    return 0;
  int rc = sw_http_url_parse(&u, url, opt, err);
  if (rc == 0 && (u.username || u.password))
    rc = sw_fail(err,
                 "%s: a user name or password in the URL is not used "
                 "(the form's --username and --password are)",
                 opt);
  sw_http_url_free(&u);
  return rc;
}

/* What each flow needs, given before anything is sent. */
/* --all-addresses runs the flow on every edge at once: a file that a run
 * writes would be written by each of them. */
static int edges_check(const login_cfg *cfg, sw_err *err) {
  const char *writes = cfg->token_cache    ? "--token-cache"
                       : cfg->save_refresh ? "--save-refresh"
                       : cfg->cookie_jar   ? "--cookie-jar"
                                           : NULL;
  if (cfg->edges.all && writes)
    return sw_fail(err,
                   "--all-addresses: not with %s (every edge would write "
                   "the file)",
                   writes);
  return sw_edges_opts_check(&cfg->edges, cfg->base.connect_to, err);
}

static int login_validate(login_cfg *cfg, sw_err *err) {
  login_flow f = cfg->flow;
  if (!cfg->url)
    return sw_fail(err, "-u: the URL is required");
  if (strncasecmp(cfg->url, "http://", 7) &&
      strncasecmp(cfg->url, "https://", 8))
    return sw_fail(err, "-u: '%s' is not an http:// or https:// URL", cfg->url);
  if (url_userinfo(cfg, err) < 0 ||
      no_userinfo(cfg->success_url, "--success-url", err) < 0 ||
      no_userinfo(cfg->form_origin, "--form-origin", err) < 0)
    return -1;
  if (f <= FLOW_PASSWORD && (!cfg->client_id || !cfg->client_secret))
    return sw_fail(err,
                   "--client-id and --client-secret(-file/-env) are "
                   "required by the %s flow",
                   login_flow_name(f));
  if ((f == FLOW_PASSWORD || f == FLOW_BASIC || f == FLOW_FORM) &&
      (!cfg->username || !cfg->password))
    return sw_fail(err,
                   "--username and --password(-file/-env) are required "
                   "by the %s flow",
                   login_flow_name(f));
  if (f == FLOW_REFRESH && !cfg->refresh_token)
    return sw_fail(err, "--refresh-token(-file/-env) is required by the "
                        "refresh-token flow");
  if (f == FLOW_FORM && !cfg->success_string && !cfg->has_success_re)
    return sw_fail(err, "--success-string or --success-regex is required by "
                        "the form flow (else any page would pass)");
  /* The form options mean nothing to the other flows: refused, rather
   * than a check that silently ignores what it was told to look for. */
  const struct {
    bool given;
    const char *name;
  } form_only[] = {
      {cfg->success_string != NULL, "--success-string"},
      {cfg->has_success_re, "--success-regex"},
      {cfg->failure_string != NULL, "--failure-string"},
      {cfg->success_url != NULL, "--success-url"},
      {cfg->csrf_field != NULL, "--csrf-field"},
      {cfg->has_csrf_re, "--csrf-regex"},
      {cfg->form_fields.n > 0, "--form-field"},
      {cfg->form_origin != NULL, "--form-origin"},
      {cfg->cookie_jar != NULL, "--cookie-jar"},
  };
  for (size_t i = 0; f != FLOW_FORM && i < sizeof form_only / sizeof *form_only;
       i++)
    if (form_only[i].given)
      return sw_fail(err,
                     "%s: only the form flow reads a login page (this "
                     "is the %s flow)",
                     form_only[i].name, login_flow_name(f));
  if (cfg->has_csrf_re && !cfg->csrf_field)
    return sw_fail(err, "--csrf-regex: needs --csrf-field (the name to "
                        "post the value as)");
  if (cfg->token_cache && f > FLOW_PASSWORD)
    return sw_fail(err, "--token-cache: the %s flow obtains no token",
                   login_flow_name(f));
  if (form_origin_check(cfg, err) < 0 || edges_check(cfg, err) < 0 ||
      (cfg->cookie_jar && login_jar_check(cfg->cookie_jar, err) < 0))
    return -1;
  cfg->base.headers = &cfg->headers;
  cfg->base.family = cfg->std.family;
  cfg->base.verbose = cfg->edges.verbose = cfg->std.verbose;
  cfg->base.max_size = 4u << 20;
  cfg->base.max_redirects = 10;
  cfg->base.user_agent = "check_login/" PACKAGE_VERSION " (streamwatch)";
  return 0;
}

void login_cfg_free(login_cfg *cfg) {
  sw_http_url_free(&cfg->url_parts);
  sw_strvec_free(&cfg->headers);
  sw_strvec_free(&cfg->form_fields);
  sw_secret_free(cfg->client_secret);
  sw_secret_free(cfg->password);
  sw_secret_free(cfg->refresh_token);
  cfg->client_secret = cfg->password = cfg->refresh_token = NULL;
  if (cfg->has_csrf_re)
    regfree(&cfg->csrf_re);
  if (cfg->has_success_re)
    regfree(&cfg->success_re);
  cfg->has_csrf_re = cfg->has_success_re = false;
}

sw_std_result login_parse(int argc, char **argv, login_cfg *cfg, sw_err *err) {
  memset(cfg, 0, sizeof *cfg);
  sw_std_init(&cfg->std);
  sw_edges_opts_init(&cfg->edges);
  cfg->user_field = "username";
  cfg->password_field = "password";
  cfg->rejected_state = SW_CRITICAL;
  sw_std_result r =
      sw_getopt_all(argc, argv, &login_optab, &cfg->std, any_option, cfg, err);
  if (r != SW_STD_DONE)
    return r;
  return login_validate(cfg, err) < 0 ? SW_STD_ERROR : SW_STD_DONE;
}
