/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's TLS facts: the version and cipher, a stapled OCSP response
 * (--ocsp-required), the chain's first certificate to expire against
 * --cert-warning/--cert-critical, --certificate-only's verdict; and the
 * options of where a connection comes from and goes to
 * (--source-address, --prefer-ipv4/-ipv6). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "streamwatch/sanitize.h"

/* "TLS 1.3" for 13. */
static const char *version_name(int v) {
  switch (v) {
  case 13: return "TLS 1.3";
  case 12: return "TLS 1.2";
  case 11: return "TLS 1.1";
  case 10: return "TLS 1.0";
  default: return "TLS (version unknown)";
  }
}

/* Appends "; text" (or text when first) to the problems summary. */
static void add_problem(sw_buf *b, const char *text) {
  if (b->len)
    sw_buf_puts(b, "; ");
  sw_buf_puts(b, text);
}

/* The days to judge: the chain's first certificate to expire, else the
 * leaf's (no chain read). false when neither is known. */
static bool chain_days(const sw_http_resp *r, double *days) {
  if (r->tls.chain_n > 0)
    *days = r->tls.chain_days;
  else if (r->have_cert)
    *days = r->cert_days;
  else
    return false;
  return true;
}

/* "expires in 12.5 days" / "expired 3.0 days ago" */
static void expiry_text(sw_buf *b, double days) {
  if (days < 0)
    sw_buf_addf(b, "expired %.1f days ago", -days);
  else
    sw_buf_addf(b, "expires in %.1f days", days);
}

static void judge_chain(const api_cfg *cfg, const sw_http_resp *r,
                        sw_check *check, sw_buf *problems) {
  char what[400], why[160] = "";
  double days;
  sw_buf b;
  if (!chain_days(r, &days))
    return;
  sw_state s = sw_range_state(&cfg->cert_warn, &cfg->cert_crit, days);
  if (s != SW_OK)
    sw_range_threshold(why, sizeof why,
                       s == SW_CRITICAL ? "--cert-critical" : "--cert-warning",
                       s == SW_CRITICAL ? &cfg->cert_crit : &cfg->cert_warn,
                       "days");
  sw_buf_fixed(&b, what, sizeof what);
  if (r->tls.chain_n > 1 && r->tls.weakest > 0)
    sw_buf_addf(&b, "certificate %d of %d in the chain (%s) ",
                r->tls.weakest + 1, r->tls.chain_n, r->tls.weakest_subject);
  else
    sw_buf_puts(&b, "certificate ");
  expiry_text(&b, days);
  if (r->tls.chain_n > 1)
    sw_buf_puts(&b, r->tls.weakest > 0 ? ", before the leaf"
                                       : ", before the rest of its chain");
  if (why[0])
    sw_buf_addf(&b, " (%s)", why);
  sw_check_sub(check, s, "%s", what);
  if (s != SW_OK)
    add_problem(problems, what);
}

void api_judge_tls(const api_cfg *cfg, const sw_http_resp *r, sw_check *check,
                   sw_buf *problems) {
  if (r->tls.known) {
    sw_check_sub(check, SW_OK, "%s, %s", version_name(r->tls.version),
                 r->tls.cipher);
    if (r->tls.ocsp_stapled) {
      sw_check_sub(check, SW_OK, "OCSP response stapled");
    } else if (r->tls.ocsp_asked) {
      /* WARNING, not CRITICAL: clients that get no staple ask the CA's
       * responder themselves (or soft-fail), so the service still
       * works; what broke is the server's stapling (its responder
       * unreachable, a reload without the file) */
      const char *what = "no OCSP response stapled";
      sw_state s = cfg->ocsp_required ? SW_WARNING : SW_OK;
      sw_check_sub(check, s, "%s%s", what,
                   cfg->ocsp_required ? " (--ocsp-required)" : "");
      if (s != SW_OK)
        add_problem(problems, "no OCSP response stapled (--ocsp-required)");
    }
  }
  judge_chain(cfg, r, check, problems);
}

/* The URL's host (and port, when not 443) as the output shows it. */
static void url_host(const api_cfg *cfg, const sw_check *check, char *buf,
                     size_t n) {
  char origin[300];
  const char *h = origin;
  buf[0] = '\0';
  if (sw_url_origin(cfg->req.url, origin, sizeof origin) < 0)
    return;
  if (strncmp(h, "https://", 8) == 0)
    h += 8;
  size_t len = strlen(h);
  if (len > 4 && strcmp(h + len - 4, ":443") == 0)
    len -= 4;
  sw_text_safe(buf, n, h, len, 120, check->secrets);
}

void api_judge_cert_only(const api_cfg *cfg, const sw_http_resp *r,
                         sw_check *check, sw_buf *problems) {
  char host[200], tail[300];
  double days;
  sw_buf b;
  url_host(cfg, check, host, sizeof host);
  sw_buf_fixed(&b, tail, sizeof tail);
  if (r->have_cert) {
    sw_buf_addf(&b, "certificate of %s ", host);
    expiry_text(&b, r->cert_days);
    if (r->tls.chain_n > 1 && r->tls.weakest > 0 && chain_days(r, &days)) {
      sw_buf_addf(&b, ", its chain's certificate %d ", r->tls.weakest + 1);
      expiry_text(&b, days);
    }
  } else {
    sw_buf_addf(&b, "certificate of %s not read", host);
  }
  if (r->tls.known)
    sw_buf_addf(&b, " (%s)", version_name(r->tls.version));
  if (problems->len)
    sw_check_summary(check, "%s (%s)%s", sw_buf_str(problems), tail,
                     cfg->req.insecure ? " [TLS verification off]" : "");
  else
    sw_check_summary(check, "%s%s", tail,
                     cfg->req.insecure ? " [TLS verification off]" : "");
}

void api_perf_tls(const api_cfg *cfg, const sw_http_resp *r, sw_check *check) {
  double days = 0;
  bool tls = r->tls.known && r->tls.version >= 10;
  sw_perf p = {.label = "cert_days",
               .measured = chain_days(r, &days),
               .value = days,
               .uom = "",
               .warn = &cfg->cert_warn,
               .crit = &cfg->cert_crit};
  sw_check_perf(check, &p);
  p = (sw_perf){.label = "tls_version",
                .measured = tls,
                .value = r->tls.version / 10.0,
                .uom = ""};
  sw_check_perf(check, &p);
  p = (sw_perf){.label = "ocsp_stapled",
                .measured = r->tls.known && r->tls.ocsp_asked,
                .value = r->tls.ocsp_stapled ? 1 : 0,
                .uom = "",
                .has_min = true,
                .has_max = true,
                .min = 0,
                .max = 1};
  sw_check_perf(check, &p);
}

int api_tls_option(api_cfg *cfg, int c, const char *arg, sw_err *err) {
  unsigned char bin[16];
  switch (c) {
  case OPT_OCSP_REQUIRED: cfg->ocsp_required = true; return 0;
  case OPT_CERT_ONLY: cfg->cert_only = true; return 0;
  case OPT_SOURCE_ADDRESS:
    if (inet_pton(AF_INET, arg, bin) != 1 && inet_pton(AF_INET6, arg, bin) != 1)
      return sw_fail(err,
                     "--source-address: '%s' is not a numeric IPv4 or IPv6 "
                     "address",
                     arg);
    cfg->req.source_addr = arg;
    return 0;
  case OPT_PREFER_IPV6:
  case OPT_PREFER_IPV4: {
    int want = c == OPT_PREFER_IPV6 ? 6 : 4;
    if (cfg->prefer && cfg->prefer != want)
      return sw_fail(err,
                     "--prefer-ipv%d: --prefer-ipv%d is given too: one "
                     "preference",
                     want, cfg->prefer);
    cfg->prefer = want;
    return 0;
  }
  default: return 1;
  }
}

/* --certificate-only: an option that judges a response, or NULL. */
static const char *judges_answer(const api_cfg *cfg) {
  return cfg->string                           ? "-s"
         : cfg->has_re                         ? (cfg->re_icase ? "-R" : "-r")
         : cfg->nasserts                       ? "-j"
         : cfg->nmetrics                       ? "-M"
         : strcmp(cfg->codes.text, "200-299")  ? "-e"
         : cfg->invert                         ? "--invert"
         : cfg->n_expect_hdr                   ? "--expect-header"
         : cfg->n_absent_hdr                   ? "--header-absent"
         : cfg->max_age.set                    ? "--max-age"
         : cfg->size.set                       ? "--size"
         : cfg->redirect_state_set             ? "-f"
         : cfg->max_redirects_set              ? "--max-redirects"
         : cfg->sticky                         ? "--sticky"
         : cfg->rate_limit_state != SW_WARNING ? "--rate-limit-state"
         : cfg->req.method                     ? "-X"
         : cfg->body                           ? "-d"
                                               : NULL;
}

int api_tls_validate(api_cfg *cfg, sw_err *err) {
  sw_http_req *r = &cfg->req;
  unsigned char bin[16];
  if (r->source_addr) {
    int fam = inet_pton(AF_INET, r->source_addr, bin) == 1 ? 4 : 6;
    int want = cfg->std.family ? cfg->std.family : cfg->prefer;
    if (want && want != fam)
      return sw_fail(err,
                     "--source-address: %s is an IPv%d address, and %s asks "
                     "for IPv%d",
                     r->source_addr, fam,
                     cfg->std.family == 4   ? "-4"
                     : cfg->std.family == 6 ? "-6"
                     : want == 4            ? "--prefer-ipv4"
                                            : "--prefer-ipv6",
                     want);
  }
  if (cfg->prefer) {
    const char *opt = cfg->prefer == 6 ? "--prefer-ipv6" : "--prefer-ipv4";
    if (cfg->std.family)
      return sw_fail(err, "%s: not with -%d (that family only)", opt,
                     cfg->std.family);
    if (r->connect_to)
      return sw_fail(err, "%s: not with --connect-to (it names the address)",
                     opt);
    if (cfg->edges.all)
      return sw_fail(err,
                     "%s: not with --all-addresses (that tests every "
                     "address)",
                     opt);
  }
  if (cfg->ocsp_required && !r->want_cert)
    return sw_fail(err, "--ocsp-required: needs an https:// URL");
  if (!cfg->cert_only)
    return 0;
  if (!r->want_cert)
    return sw_fail(err, "--certificate-only: needs an https:// URL (there is "
                        "no certificate on http://)");
  const char *judge = judges_answer(cfg);
  if (judge)
    return sw_fail(err,
                   "--certificate-only: not with %s (it judges an answer, "
                   "and no request is sent)",
                   judge);
  r->connect_only = true;
  r->follow = false;
  return 0;
}
