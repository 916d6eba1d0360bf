/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve's command line and help (-a: resolve_expect.c). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "resolve.h"
#include "streamwatch/plugin.h"
#include "streamwatch/file.h"
#include "streamwatch/http_opts.h"
#include "streamwatch/strparse.h"

void resolve_help(FILE *out) {
  fputs(
      "check_resolve: DNS resolution of one or many names on one or many "
      "resolvers\n"
      "\n"
      "Usage: check_resolve -H NAME [-H NAME ...]\n"
      "         [-s [NAME=]ADDR[:PORT] ... | --resolv-conf FILE] [-q TYPE]\n"
      "         [-a VALUE[,VALUE...] ...] [-L] [-n] [-C] [-A] [--tcp]\n"
      "         [--no-recursion] [--client-subnet ADDRESS/PREFIX] [--dnssec]\n"
      "         [-w RANGE] [-c RANGE] [--fail-warning RANGE]\n"
      "         [--fail-critical RANGE] [--retries N] [--ca-file F] "
      "[--insecure]\n"
      "         [-t SECONDS[:STATE]]\n"
      "         [-4|-6] [--extra-opts [SECTION][@FILE]] [-v]\n"
      "\n"
      "Every name is asked of every resolver, all at once, through c-ares\n"
      "(DNS over HTTPS and TLS through libcurl).\n"
      "\n"
      "Options:\n",
      out);
  sw_optab_help(&resolve_optab, out);
  fputs(
      "\n"
      "Examples:\n"
      "  check_resolve -H api.example.com -s ns1=10.0.0.1 -s ns2=10.0.0.2 \\\n"
      "                -a 192.0.2.0/24\n"
      "  check_resolve -H api.example.com -a 192.0.2.4,192.0.2.5\n"
      "  check_resolve -H api.example.com -H cdn.example.com -C -w 0.2 -c 1\n"
      "  check_resolve -H old.example.com -n -s 10.0.0.1\n"
      "  check_resolve -H example.com -q MX -a mx1.example. -L\n"
      "  check_resolve -H api.example.com --fail-warning 0 --fail-critical 1\n"
      "  check_resolve -H www.example.com --client-subnet 198.51.100.0/24 \\\n"
      "                -a 192.0.2.0/24 --dnssec\n"
      "  check_resolve -H api.example.com -s doh=https://dns.example/dns-query "
      "\\\n"
      "                -s dot=tls://dns.example -s udp=192.0.2.53\n"
      "\n"
      "Ranges are [@]START:END as in the Monitoring Plugins guidelines: 10 "
      "alerts\n"
      "outside 0..10, 10: below 10, ~:10 above 10, @10:20 inside 10..20.\n"
      "Time is in seconds with fractions. A failed query is any that did not "
      "give\n"
      "the expected outcome: rcode, NODATA, timeout, refused, malformed, "
      "mismatch.\n"
      "Perfdata: time (one name, one resolver) or time_NAME_RESOLVER per "
      "query,\n"
      "failed, answers, ttl_min; every label in every run, U when "
      "unmeasured.\n",
      out);
}

const char *resolve_server_name(const resolve_cfg *cfg, size_t s) {
  return cfg->snames[s][0] ? cfg->snames[s] : cfg->servers[s].label;
}

/* FNV-1a (32 bits) of s: a stable short tag for a cut label. */
static unsigned long fnv1a(const char *s) {
  unsigned long h = 2166136261UL;
  for (; *s; s++)
    h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
  return h;
}

/* The resolver part of a label: its name, or its address without
 * brackets and with "_PORT" only when a port was given, so the label
 * reads 127_0_0_53_5353 or 2001_db8__53_5353; an encrypted resolver's
 * "doh_" or "dot_", its host (40 characters at most) and "_PORT" when
 * given: doh_dns_example, dot_127_0_0_1_8853. */
static void server_part(const resolve_cfg *cfg, size_t s, char *out, size_t n) {
  const sw_dns_server *sv = &cfg->servers[s];
  if (cfg->snames[s][0])
    snprintf(out, n, "%s", cfg->snames[s]);
  else if (sv->transport != SW_DNS_PLAIN && sv->port_given)
    snprintf(out, n, "%s_%.40s_%u", /* doh_dns_example_8443 */
             sv->transport == SW_DNS_DOH ? "doh" : "dot", sv->host,
             (unsigned)sv->port);
  else if (sv->transport != SW_DNS_PLAIN)
    snprintf(out, n, "%s_%.40s", sv->transport == SW_DNS_DOH ? "doh" : "dot",
             sv->host);
  else if (strcmp(sv->label, sv->addr) == 0)
    snprintf(out, n, "%s", sv->addr);
  else
    snprintf(out, n, "%s_%u", sv->addr, (unsigned)sv->port);
}

void resolve_time_label(const resolve_cfg *cfg, const char *name, size_t s,
                        char *out, size_t n) {
  char server[80], raw[512];
  if (cfg->nnames == 1 && cfg->nservers == 1) {
    snprintf(out, n, "time");
    return;
  }
  server_part(cfg, s, server, sizeof server);
  size_t nl = strlen(name), sl = strlen(server);
  if (5 + nl + 1 + sl < n) {
    snprintf(raw, sizeof raw, "time_%s_%s", name, server);
  } else {
    /* "time_" PREFIX "_h" 8 hex "_" SERVER: server parts are < 64 bytes;
     * every byte of the prefix becomes '_' or stays, so a cut in the
     * middle of a UTF-8 character prints no half character */
    size_t keep = n - 1 - 5 - 2 - 8 - 1 - sl;
    snprintf(raw, sizeof raw, "time_%.*s_h%08lx_%s", (int)keep, name,
             fnv1a(name), server);
  }
  if (sw_perf_label(out, n, raw) < 0)
    snprintf(out, n, "time"); /* not reached: raw fits n by construction */
}

/* Reads the default resolvers, filtered by -4/-6: the whole file, up to
 * RESOLVE_MAX_RESOLV_CONF (refused beyond: a nameserver line past a cut
 * would be silently ignored). */
static int load_resolv_conf(resolve_cfg *cfg, sw_err *err) {
  const char *path = cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf";
  char *text = NULL;
  size_t len = 0, n = 0;
  sw_dns_server all[RESOLVE_MAX_SERVERS];
  if (sw_read_file(path, RESOLVE_MAX_RESOLV_CONF, "--resolv-conf", &text, &len,
                   err) < 0)
    return -1;
  int rc =
      sw_dns_resolv_conf_parse(text, len, all, RESOLVE_MAX_SERVERS, &n, err);
  free(text);
  if (rc < 0)
    return -1;
  for (size_t i = 0; i < n; i++) {
    int fam = all[i].family == AF_INET ? 4 : 6;
    bool seen = false;
    for (size_t j = 0; j < cfg->nservers && !seen; j++)
      seen = strcmp(cfg->servers[j].label, all[i].label) == 0;
    if (!seen && (!cfg->std.family || cfg->std.family == fam))
      cfg->servers[cfg->nservers++] = all[i];
  }
  if (cfg->nservers == 0)
    return sw_fail(err, "--resolv-conf: no %snameserver in %s; give -s",
                   cfg->std.family == 4   ? "IPv4 "
                   : cfg->std.family == 6 ? "IPv6 "
                                          : "",
                   path);
  return 0;
}

/* RFC 1035 2.3.4: a name of at most 253 characters (255 bytes on the
 * wire), labels of 1 to 63 bytes. c-ares refuses to build a query for
 * anything else, which would be a CRITICAL about a healthy resolver. */
static int check_name(const char *name) {
  size_t len = strlen(name), label = 0;
  if (strcmp(name, ".") == 0)
    return 0; /* the root */
  if (len == 0 || len > 253)
    return -1;
  for (size_t i = 0; i <= len; i++) {
    if (name[i] != '.' && name[i] != '\0') {
      if (++label > 63)
        return -1;
      continue;
    }
    if (label == 0 && !(name[i] == '\0' && i == len && i > 0))
      return -1; /* an empty label: "a..b", ".a" */
    label = 0;
  }
  return 0;
}

/* -s [NAME=]ADDR[:PORT]. NAME is what labels and output call the
 * resolver; a list ("10.0.0.1,10.0.0.2") is refused with the fix. */
static int server_option(resolve_cfg *cfg, const char *arg, sw_err *err) {
  const char *eq = strchr(arg, '=');
  const char *scheme = strstr(arg, "://");
  size_t k = cfg->nservers;
  if (eq && scheme && scheme < eq)
    eq = NULL; /* an '=' in a URL's path names nothing */
  if (k == RESOLVE_MAX_SERVERS)
    return sw_fail(err, "-s: at most %d servers", RESOLVE_MAX_SERVERS);
  if (strchr(arg, ','))
    return sw_fail(err,
                   "-s: '%s' is a list; give -s once per resolver (-s "
                   "10.0.0.1 -s 10.0.0.2)",
                   arg);
  if (eq) {
    size_t nl = (size_t)(eq - arg);
    if (nl == 0 || nl > RESOLVE_MAX_SNAME ||
        strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789_-") != nl)
      return sw_fail(err,
                     "-s: invalid resolver name in '%s' (NAME=ADDR, NAME of "
                     "1 to %d letters, digits, '_' or '-': -s "
                     "ns1=192.0.2.53)",
                     arg, RESOLVE_MAX_SNAME);
    memcpy(cfg->snames[k], arg, nl);
    cfg->snames[k][nl] = '\0';
    arg = eq + 1;
  }
  if (sw_dns_server_parse(arg, &cfg->servers[k], err) < 0)
    return -1;
  cfg->nservers++;
  return 0;
}

/* One plugin option; returns 0 or -1 with err. */
static int resolve_option(void *vcfg, int c, const char *arg, sw_err *err) {
  resolve_cfg *cfg = vcfg;
  unsigned long n;
  sw_err sub;
  switch (c) {
  case 'H':
    if (cfg->nnames == RESOLVE_MAX_NAMES)
      return sw_fail(err, "-H: at most %d names", RESOLVE_MAX_NAMES);
    if (strchr(arg, ','))
      return sw_fail(err,
                     "-H: '%s' is a list; give -H once per name (-H "
                     "a.example -H b.example)",
                     arg);
    if (check_name(arg) < 0)
      return sw_fail(err,
                     "-H: invalid name '%s' (at most 253 characters, labels "
                     "of 1 to 63 between dots)",
                     arg);
    cfg->names[cfg->nnames++] = arg;
    return 0;
  case 's': return server_option(cfg, arg, err);
  case 'q':
    if (strchr(arg, ','))
      return sw_fail(err,
                     "-q: one query type per run ('%s' given); run one "
                     "check per type",
                     arg);
    cfg->qtype_given = true;
    if (sw_dns_qtype_parse(arg, &cfg->dns.qtype) < 0)
      return sw_fail(err,
                     "-q: unsupported query type '%s' (A, AAAA, CNAME, "
                     "MX, NS, TXT, SRV, SOA, PTR, CAA)",
                     arg);
    return 0;
  case 'a':
    if (cfg->nexpect_args == RESOLVE_MAX_EXPECT)
      return sw_fail(err, "-a: at most %d expectations", RESOLVE_MAX_EXPECT);
    cfg->expect_args[cfg->nexpect_args++] = arg; /* parsed once -q is known */
    return 0;
  case 'L': cfg->expect_all = true; return 0;
  case 'n': cfg->expect_nxdomain = true; return 0;
  case 'C': cfg->consistent = true; return 0;
  case OPT_COMPARE_SERIAL: cfg->compare_serial = true; return 0;
  case 'A': cfg->expect_aa = true; return 0;
  case OPT_TCP: cfg->dns.tcp = true; return 0;
  case OPT_NO_RECURSION: cfg->dns.norecurse = true; return 0;
  case OPT_DNSSEC: cfg->dns.dnssec = true; return 0;
  case OPT_CLIENT_SUBNET:
    if (sw_dns_subnet_parse(arg, &cfg->dns.ecs, &sub) < 0)
      return sw_fail(err, "--client-subnet: %s", sub.msg);
    return 0;
  case OPT_RESOLV_CONF: cfg->resolv_conf = arg; return 0;
  case OPT_FAIL_WARN:
    return sw_range_parse(arg, "--fail-warning", &cfg->fail_warn, err);
  case OPT_FAIL_CRIT:
    return sw_range_parse(arg, "--fail-critical", &cfg->fail_crit, err);
  case OPT_RETRIES:
    if (sw_parse_ulong(arg, 1, 5, &n) < 0)
      return sw_fail(err, "--retries: invalid value '%s' (1 to 5)", arg);
    cfg->dns.tries = (int)n;
    return 0;
  default: {
    int r = sw_http_option(&cfg->tls, NULL, c, arg, err);
    return r <= 0 ? r : sw_fail(err, "unknown option (see --help)");
  }
  }
}

/* Every name and resolver once: perfdata labels must be unique, and
 * asking twice proves nothing. */
static int reject_duplicates(const resolve_cfg *cfg, sw_err *err) {
  for (size_t i = 0; i < cfg->nnames; i++)
    for (size_t j = 0; j < i; j++)
      if (strcasecmp(cfg->names[i], cfg->names[j]) == 0)
        return sw_fail(err, "-H: '%s' given twice", cfg->names[i]);
  for (size_t i = 0; i < cfg->nservers; i++)
    for (size_t j = 0; j < i; j++)
      if (cfg->servers[i].transport == cfg->servers[j].transport &&
          (cfg->servers[i].transport == SW_DNS_PLAIN
               ? strcmp(cfg->servers[i].addr, cfg->servers[j].addr) == 0 &&
                     cfg->servers[i].port == cfg->servers[j].port
               : strcasecmp(cfg->servers[i].url, cfg->servers[j].url) == 0))
        return sw_fail(err, "-s: %s given twice", cfg->servers[i].label);
      else if (cfg->snames[i][0] && strcmp(cfg->snames[i], cfg->snames[j]) == 0)
        return sw_fail(err,
                       "-s: name '%s' given to two resolvers (%s and %s); "
                       "give each its own name",
                       cfg->snames[i], cfg->servers[j].label,
                       cfg->servers[i].label);
  return 0;
}

/* An -a that can never match an answer of the asked type would page
 * about a healthy service: A and AAAA answers are matched only by
 * addresses of their family. */
static int reject_impossible_expect(const resolve_cfg *cfg, sw_err *err) {
  int qt = cfg->dns.qtype;
  if (qt != SW_DNS_A && qt != SW_DNS_AAAA)
    return 0;
  int fam = qt == SW_DNS_A ? AF_INET : AF_INET6;
  for (size_t i = 0; i < cfg->nexpects; i++)
    if (cfg->expects[i].family != fam)
      return sw_fail(err,
                     "-a: '%s' can never match an %s answer (give an IPv%d "
                     "address or CIDR block)",
                     cfg->expects[i].text, sw_dns_qtype_name(qt),
                     fam == AF_INET ? 4 : 6);
  return 0;
}

typedef struct {
  char label[160]; /* the label as printed */
  size_t name, server;
} label_row;

static int cmp_label(const void *a, const void *b) {
  return strcmp(((const label_row *)a)->label, ((const label_row *)b)->label);
}

/* Every time label printed must differ (conventions: labels are unique):
 * labels are compared as printed, after every byte outside
 * [A-Za-z0-9_-] became '_'. Two queries whose labels still clash
 * ("-H a.b -s c" and "-H a -s b_c=...") are refused, naming both. */
static int reject_label_clash(const resolve_cfg *cfg, sw_err *err) {
  size_t n = cfg->nnames * cfg->nservers, k = 0;
  label_row *rows = calloc(n ? n : 1, sizeof *rows);
  int rc = 0;
  if (!rows)
    return sw_fail(err, "out of memory");
  for (size_t i = 0; i < cfg->nnames; i++)
    for (size_t s = 0; s < cfg->nservers; s++, k++) {
      resolve_time_label(cfg, cfg->names[i], s, rows[k].label,
                         sizeof rows[k].label);
      rows[k].name = i;
      rows[k].server = s;
    }
  qsort(rows, n, sizeof *rows, cmp_label);
  for (k = 1; k < n && rc == 0; k++) {
    const label_row *a = &rows[k - 1], *b = &rows[k];
    if (strcmp(a->label, b->label) != 0)
      continue;
    rc = sw_fail(err,
                 "-H/-s: -H '%s' -s %s and -H '%s' -s %s give the same "
                 "perfdata label %s; name the resolvers (-s NAME=ADDR) or "
                 "check the names separately",
                 cfg->names[a->name], resolve_server_name(cfg, a->server),
                 cfg->names[b->name], resolve_server_name(cfg, b->server),
                 b->label);
  }
  free(rows);
  return rc;
}

/* The TLS options go to the encrypted resolvers, and need one. */
static int tls_options(resolve_cfg *cfg, sw_err *err) {
  const sw_http_req *t = &cfg->tls;
  const char *opt = t->ca_file       ? "--ca-file"
                    : t->ca_path     ? "--ca-path"
                    : t->client_cert ? "--client-cert"
                    : t->client_key  ? "--client-key"
                    : t->tls_min     ? "--tls-min"
                    : t->insecure    ? "--insecure"
                                     : NULL;
  bool encrypted = false;
  for (size_t i = 0; i < cfg->nservers; i++)
    encrypted |= cfg->servers[i].transport != SW_DNS_PLAIN;
  if (opt && !encrypted)
    return sw_fail(err,
                   "%s: only for encrypted resolvers (-s https://HOST/PATH "
                   "or tls://HOST); drop it or give one",
                   opt);
  cfg->dns.tls = &cfg->tls; /* cfg lives as long as the run */
  cfg->dns.family = cfg->std.family;
  return 0;
}

/* Checks the options that only make sense together. */
static int resolve_validate(resolve_cfg *cfg, sw_err *err) {
  if (cfg->nnames == 0)
    return sw_fail(err, "-H: at least one name to resolve is required");
  if (cfg->compare_serial && cfg->qtype_given && cfg->dns.qtype != SW_DNS_SOA)
    return sw_fail(err,
                   "--compare-serial: compares SOA answers; drop -q %s "
                   "(it asks SOA)",
                   sw_dns_qtype_name(cfg->dns.qtype));
  if (cfg->compare_serial)
    cfg->dns.qtype = SW_DNS_SOA;
  if (reject_duplicates(cfg, err) < 0)
    return -1;
  if (cfg->expect_all && cfg->nexpect_args == 0)
    return sw_fail(err, "-L: needs at least one -a");
  if (cfg->expect_nxdomain && cfg->nexpect_args > 0)
    return sw_fail(err, "-a: not used with -n (an NXDOMAIN answer has no "
                        "records to match); drop -a or -n");
  if (resolve_expect_groups(cfg, err) < 0 ||
      reject_impossible_expect(cfg, err) < 0)
    return -1;
  for (size_t i = 0; i < cfg->nservers; i++) {
    int fam = cfg->servers[i].family == AF_INET ? 4 : 6;
    if (cfg->std.family && cfg->servers[i].family && cfg->std.family != fam)
      return sw_fail(err, "-s: %s is not an IPv%d address (-%d given)",
                     cfg->servers[i].label, cfg->std.family, cfg->std.family);
  }
  if (cfg->nservers == 0) {
    if (load_resolv_conf(cfg, err) < 0)
      return -1;
  } else if (cfg->resolv_conf) {
    return sw_fail(err, "--resolv-conf: not used together with -s");
  }
  if (tls_options(cfg, err) < 0)
    return -1;
  if (cfg->compare_serial && cfg->nservers < 2)
    return sw_fail(err,
                   "--compare-serial: needs two or more servers to "
                   "compare (-s, once per server; %zu given)",
                   cfg->nservers);
  return reject_label_clash(cfg, err);
}

sw_std_result resolve_parse(int argc, char **argv, resolve_cfg *cfg,
                            sw_err *err) {
  memset(cfg, 0, sizeof *cfg);
  sw_std_init(&cfg->std);
  cfg->dns.qtype = SW_DNS_A;
  cfg->dns.tries = 1;
  sw_range_parse("0", "--fail-critical", &cfg->fail_crit, err);
  sw_std_result r = sw_getopt_all(argc, argv, &resolve_optab, &cfg->std,
                                  resolve_option, cfg, err);
  if (r != SW_STD_DONE)
    return r;
  return resolve_validate(cfg, err) < 0 ? SW_STD_ERROR : SW_STD_DONE;
}
