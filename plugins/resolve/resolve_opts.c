/* check_resolve's command line, help, and -a expectations. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "resolve.h"
#include "streamwatch/plugin.h"
#include "streamwatch/file.h"
#include "streamwatch/strparse.h"

enum {
  OPT_RESOLV_CONF = SW_OPT_PLUGIN,
  OPT_TCP,
  OPT_NO_RECURSION,
  OPT_FAIL_WARN,
  OPT_FAIL_CRIT,
  OPT_RETRIES
};

void resolve_help(FILE *out) {
  fputs(
      "check_resolve: DNS resolution of one or many names on one or many "
      "resolvers\n"
      "\n"
      "Usage: check_resolve -H NAME [-H NAME ...]\n"
      "         [-s SERVER[:PORT] ... | --resolv-conf FILE] [-q TYPE] [-a "
      "EXPECT ...]\n"
      "         [-L] [-n] [-C] [-A] [--tcp] [--no-recursion] [-w RANGE] [-c "
      "RANGE]\n"
      "         [--fail-warning RANGE] [--fail-critical RANGE] [--retries N]\n"
      "         [-t SECONDS[:STATE]] [-4|-6] [-v]\n"
      "\n"
      "Every name is asked of every resolver, all at once, through c-ares.\n"
      "\n"
      "Options:\n"
      " -H, --hostname=NAME       name to resolve; repeatable\n"
      " -s, --server=ADDR[:PORT]  resolver to ask; repeatable; IPv6: "
      "[2001:db8::1]:53\n"
      "                           (default: each nameserver of --resolv-conf)\n"
      "     --resolv-conf=FILE    where default resolvers come from "
      "(/etc/resolv.conf;\n"
      "                           a regular file of at most 1 MiB)\n"
      " -q, --querytype=TYPE      A (default), AAAA, CNAME, MX, NS, TXT, SRV, "
      "SOA,\n"
      "                           PTR or CAA\n"
      " -a, --expect=VALUE        expected answer: address, CIDR (10.0.0.0/8) "
      "or text\n"
      "                           (host.example. for CNAME/MX/NS/SRV "
      "targets);\n"
      "                           repeatable;\n"
      "                           OK when any answer matches any expectation\n"
      " -L, --expect-all          every answer must match some -a\n"
      " -n, --expect-nxdomain     NXDOMAIN is the OK outcome (the name must "
      "not exist)\n"
      " -C, --consistent          resolvers must give the same answers, else "
      "WARNING\n"
      " -A, --expect-authoritative  the AA flag must be set\n"
      "     --tcp                 query over TCP instead of UDP\n"
      "     --no-recursion        clear the RD flag (ask an authoritative "
      "server)\n"
      " -w, --warning=RANGE       slowest response time, seconds (e.g. 0.5)\n"
      " -c, --critical=RANGE      slowest response time, seconds (e.g. 1)\n"
      "     --fail-warning=RANGE  number of failed queries that warns\n"
      "     --fail-critical=RANGE number of failed queries that is critical "
      "(default 0)\n"
      "     --retries=N           c-ares tries per resolver, 1 to 5 (default "
      "1)\n"
      " -t, --timeout=SECONDS[:STATE]  deadline for the whole run (default "
      "10:critical)\n"
      " -4, --use-ipv4            only IPv4 resolvers from --resolv-conf\n"
      " -6, --use-ipv6            only IPv6 resolvers from --resolv-conf\n"
      "     --extra-opts=[SECTION][@FILE]  read options from an ini file\n"
      " -v, --verbose             more detail: -v the CNAME chain and AA flag, "
      "-vv the\n"
      "                           queries sent, -vvv a hex dump of every "
      "reply\n"
      " -h, --help                this help\n"
      " -V, --version             version and library versions\n"
      "\n"
      "Examples:\n"
      "  check_resolve -H api.example.com -s 10.0.0.1 -s 10.0.0.2 -a "
      "192.0.2.0/24\n"
      "  check_resolve -H api.example.com -H cdn.example.com -C -w 0.2 -c 1\n"
      "  check_resolve -H old.example.com -n -s 10.0.0.1\n"
      "  check_resolve -H example.com -q MX -a mx1.example. -L\n"
      "  check_resolve -H api.example.com --fail-warning 0 --fail-critical 1\n"
      "\n"
      "Ranges are [@]START:END as in the Monitoring Plugins guidelines: 10 "
      "alerts\n"
      "outside 0..10, 10: below 10, ~:10 above 10, @10:20 inside 10..20.\n"
      "Time is in seconds with fractions. A failed query is any that did not "
      "give\n"
      "the expected outcome: rcode, NODATA, timeout, refused, malformed, "
      "mismatch.\n",
      out);
}

static int parse_family_prefix(const char *text, resolve_expect *e) {
  char addr[64];
  const char *slash = strchr(text, '/');
  size_t al = slash ? (size_t)(slash - text) : strlen(text);
  if (al == 0 || al >= sizeof addr)
    return 0;
  memcpy(addr, text, al);
  addr[al] = '\0';
  if (inet_pton(AF_INET, addr, e->addr) == 1)
    e->family = AF_INET;
  else if (inet_pton(AF_INET6, addr, e->addr) == 1)
    e->family = AF_INET6;
  else
    return 0;
  unsigned long max = e->family == AF_INET ? 32 : 128, prefix = max;
  if (slash && sw_parse_ulong(slash + 1, 0, max, &prefix) < 0)
    return -1;
  e->prefix = (int)prefix;
  return 1;
}

int resolve_expect_parse(const char *text, resolve_expect *e, sw_err *err) {
  memset(e, 0, sizeof *e);
  size_t len = strlen(text);
  if (len == 0)
    return sw_fail(err, "-a: invalid expectation '%s'", text);
  e->text = text;
  int rc = parse_family_prefix(text, e);
  if (rc < 0)
    return sw_fail(err, "-a: invalid CIDR prefix in '%s'", text);
  /* "host.example." and "host.example" name the same target; the root
   * "." is the empty name */
  e->keylen = text[len - 1] == '.' ? len - 1 : len;
  return 0;
}

bool resolve_expect_match(const resolve_expect *e, const sw_dns_rr *rr) {
  if (e->family && rr->family) {
    if (rr->family != e->family)
      return false;
    int whole = e->prefix / 8, bits = e->prefix % 8;
    if (memcmp(e->addr, rr->addr, (size_t)whole) != 0)
      return false;
    unsigned char mask = (unsigned char)(0xff << (8 - bits));
    return bits == 0 || (e->addr[whole] & mask) == (rr->addr[whole] & mask);
  }
  if (rr->family) /* an A/AAAA answer against a text */
    return false;
  size_t kl;
  const char *k = sw_dns_rr_key(rr, &kl);
  if (rr->type == SW_DNS_TXT || rr->type == SW_DNS_CAA)
    return strlen(e->text) == kl && memcmp(e->text, k, kl) == 0;
  return e->keylen == kl && strncasecmp(e->text, k, kl) == 0;
}

/* FNV-1a (32 bits) of s: a stable short tag for a cut label. */
static unsigned long fnv1a(const char *s) {
  unsigned long h = 2166136261UL;
  for (; *s; s++)
    h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
  return h;
}

void resolve_time_label(const char *name, const char *server, char *out,
                        size_t n) {
  size_t nl = strlen(name), sl = strlen(server);
  if (5 + nl + 1 + sl < n) {
    snprintf(out, n, "time_%s@%s", name, server);
    return;
  }
  /* "time_" PREFIX "~" 8 hex "@" SERVER: server labels are < 64 bytes */
  size_t keep = n - 1 - 5 - 1 - 8 - 1 - sl;
  while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
    keep--; /* never half a UTF-8 character */
  snprintf(out, n, "time_%.*s~%08lx@%s", (int)keep, name, fnv1a(name), server);
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

/* One plugin option; returns 0 or -1 with err. */
static int resolve_option(void *vcfg, int c, const char *arg, sw_err *err) {
  resolve_cfg *cfg = vcfg;
  unsigned long n;
  switch (c) {
  case 'H':
    if (cfg->nnames == RESOLVE_MAX_NAMES)
      return sw_fail(err, "-H: at most %d names", RESOLVE_MAX_NAMES);
    if (check_name(arg) < 0)
      return sw_fail(err,
                     "-H: invalid name '%s' (at most 253 characters, labels "
                     "of 1 to 63 between dots)",
                     arg);
    cfg->names[cfg->nnames++] = arg;
    return 0;
  case 's':
    if (cfg->nservers == RESOLVE_MAX_SERVERS)
      return sw_fail(err, "-s: at most %d servers", RESOLVE_MAX_SERVERS);
    return sw_dns_server_parse(arg, &cfg->servers[cfg->nservers++], err);
  case 'q':
    if (sw_dns_qtype_parse(arg, &cfg->dns.qtype) < 0)
      return sw_fail(err,
                     "-q: unsupported query type '%s' (A, AAAA, CNAME, "
                     "MX, NS, TXT, SRV, SOA, PTR, CAA)",
                     arg);
    return 0;
  case 'a':
    if (cfg->nexpects == RESOLVE_MAX_EXPECT)
      return sw_fail(err, "-a: at most %d expectations", RESOLVE_MAX_EXPECT);
    return resolve_expect_parse(arg, &cfg->expects[cfg->nexpects++], err);
  case 'L': cfg->expect_all = true; return 0;
  case 'n': cfg->expect_nxdomain = true; return 0;
  case 'C': cfg->consistent = true; return 0;
  case 'A': cfg->expect_aa = true; return 0;
  case OPT_TCP: cfg->dns.tcp = true; return 0;
  case OPT_NO_RECURSION: cfg->dns.norecurse = true; return 0;
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
  default: return sw_fail(err, "unknown option (see --help)");
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
      if (strcmp(cfg->servers[i].addr, cfg->servers[j].addr) == 0 &&
          cfg->servers[i].port == cfg->servers[j].port)
        return sw_fail(err, "-s: %s given twice", cfg->servers[i].label);
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
  char quoted[2 * 160 + 3]; /* the label as perfdata prints it */
  size_t name;
} label_row;

static int cmp_label(const void *a, const void *b) {
  return strcmp(((const label_row *)a)->quoted, ((const label_row *)b)->quoted);
}

/* Every time label printed must differ (conventions: labels are unique):
 * labels are compared as the printer writes them, after '=', '|' and
 * control characters became '_'. Two -H that still clash are refused,
 * naming both. */
static int reject_label_clash(const resolve_cfg *cfg, sw_err *err) {
  size_t n = cfg->nnames * cfg->nservers, k = 0;
  label_row *rows = calloc(n ? n : 1, sizeof *rows);
  int rc = 0;
  if (!rows)
    return sw_fail(err, "out of memory");
  for (size_t i = 0; i < cfg->nnames; i++)
    for (size_t s = 0; s < cfg->nservers; s++, k++) {
      char label[160];
      resolve_time_label(cfg->names[i], cfg->servers[s].label, label,
                         sizeof label);
      sw_perf_label(rows[k].quoted, sizeof rows[k].quoted, label);
      rows[k].name = i;
    }
  qsort(rows, n, sizeof *rows, cmp_label);
  for (k = 1; k < n && rc == 0; k++)
    if (strcmp(rows[k].quoted, rows[k - 1].quoted) == 0)
      rc = sw_fail(err,
                   "-H: '%s' and '%s' give the same perfdata label %s; "
                   "check them separately",
                   cfg->names[rows[k - 1].name], cfg->names[rows[k].name],
                   rows[k].quoted);
  free(rows);
  return rc;
}

/* Checks the options that only make sense together. */
static int resolve_validate(resolve_cfg *cfg, sw_err *err) {
  if (cfg->nnames == 0)
    return sw_fail(err, "-H: at least one name to resolve is required");
  if (reject_duplicates(cfg, err) < 0)
    return -1;
  if (cfg->expect_all && cfg->nexpects == 0)
    return sw_fail(err, "-L: needs at least one -a");
  if (reject_impossible_expect(cfg, err) < 0)
    return -1;
  for (size_t i = 0; i < cfg->nservers; i++) {
    int fam = cfg->servers[i].family == AF_INET ? 4 : 6;
    if (cfg->std.family && cfg->std.family != fam)
      return sw_fail(err, "-s: %s is not an IPv%d address (-%d given)",
                     cfg->servers[i].label, cfg->std.family, cfg->std.family);
  }
  if (cfg->nservers == 0) {
    if (load_resolv_conf(cfg, err) < 0)
      return -1;
  } else if (cfg->resolv_conf) {
    return sw_fail(err, "--resolv-conf: not used together with -s");
  }
  return reject_label_clash(cfg, err);
}

sw_std_result resolve_parse(int argc, char **argv, resolve_cfg *cfg,
                            sw_err *err) {
  static const struct option longopts[] = {
      SW_STD_LONGOPTS,
      {"hostname", required_argument, NULL, 'H'},
      {"server", required_argument, NULL, 's'},
      {"querytype", required_argument, NULL, 'q'},
      {"expect", required_argument, NULL, 'a'},
      {"expect-all", no_argument, NULL, 'L'},
      {"expect-nxdomain", no_argument, NULL, 'n'},
      {"consistent", no_argument, NULL, 'C'},
      {"expect-authoritative", no_argument, NULL, 'A'},
      {"tcp", no_argument, NULL, OPT_TCP},
      {"no-recursion", no_argument, NULL, OPT_NO_RECURSION},
      {"resolv-conf", required_argument, NULL, OPT_RESOLV_CONF},
      {"fail-warning", required_argument, NULL, OPT_FAIL_WARN},
      {"fail-critical", required_argument, NULL, OPT_FAIL_CRIT},
      {"retries", required_argument, NULL, OPT_RETRIES},
      {NULL, 0, NULL, 0}};
  memset(cfg, 0, sizeof *cfg);
  sw_std_init(&cfg->std);
  cfg->dns.qtype = SW_DNS_A;
  cfg->dns.tries = 1;
  sw_range_parse("0", "--fail-critical", &cfg->fail_crit, err);
  sw_std_result r = sw_getopt_all(argc, argv, "H:s:q:a:LnCA", longopts,
                                  &cfg->std, resolve_option, cfg, err);
  if (r != SW_STD_DONE)
    return r;
  return resolve_validate(cfg, err) < 0 ? SW_STD_ERROR : SW_STD_DONE;
}
