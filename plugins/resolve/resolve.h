/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve's configuration and the steps main runs. */
#ifndef STREAMWATCH_RESOLVE_H
#define STREAMWATCH_RESOLVE_H

#include <stdbool.h>
#include "streamwatch/dns.h"
#include "streamwatch/http.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/optab.h"

enum {
  RESOLVE_MAX_NAMES = 64,
  RESOLVE_MAX_SERVERS = 32,
  RESOLVE_MAX_EXPECT = 32,
  RESOLVE_MAX_SNAME = 32, /* -s NAME=ADDR: NAME's length */
  RESOLVE_MAX_PIECE = 256 /* one value of an -a comma list */
};

/* --resolv-conf files larger than this are refused (real ones are a
 * few hundred bytes; glibc reads only 3 nameservers of them). */
#define RESOLVE_MAX_RESOLV_CONF ((size_t)1 << 20)

/* One -a: an address or CIDR block, or a text (a target name, TXT). No
 * length limit: a DKIM key's TXT is 400+ characters. */
typedef struct {
  const char *text; /* as given (not owned: argv lives as long), for
                       messages and as the text to match */
  size_t keylen;    /* how much of text a name is compared on: all but a
                       trailing dot ("." for the root: 0) */
  int family;       /* AF_INET/AF_INET6 for addresses, 0 for text */
  unsigned char addr[16];
  int prefix;   /* CIDR prefix length (32/128 for one address) */
  size_t group; /* which -a it came from: an -a of one value is met by
                   any answer matching it; a comma list (check_dns's
                   "-a 10.0.0.1,10.0.0.2") only by exactly that set */
} resolve_expect;

/* One -a as given: its values are expects[first .. first + n - 1]. */
typedef struct {
  const char *text; /* as given, for messages */
  size_t first, n;
  bool set; /* a comma list of two or more values */
} resolve_group;

typedef struct {
  sw_std_opts std;
  const char *names[RESOLVE_MAX_NAMES];
  size_t nnames;
  sw_dns_server servers[RESOLVE_MAX_SERVERS];
  /* -s NAME=ADDR: NAME, else "" (the address names the resolver) */
  char snames[RESOLVE_MAX_SERVERS][RESOLVE_MAX_SNAME + 1];
  size_t nservers;
  const char *resolv_conf;
  const char *expect_args[RESOLVE_MAX_EXPECT]; /* -a as given, parsed
                                                  once -q is known */
  size_t nexpect_args;
  resolve_expect expects[RESOLVE_MAX_EXPECT];
  size_t nexpects;
  resolve_group groups[RESOLVE_MAX_EXPECT];
  size_t ngroups;
  char pieces[RESOLVE_MAX_EXPECT][RESOLVE_MAX_PIECE]; /* comma-list values */
  bool expect_all, expect_nxdomain, consistent, expect_aa;
  bool compare_serial; /* --compare-serial: SOA serials must agree */
  bool qtype_given;    /* -q was given */
  sw_range fail_warn, fail_crit;
  sw_dns_opts dns;
  /* --ca-file, --insecure...: parsed by the HTTP plugins' parser into
   * this request, then given to dns (for -s https:// and tls://) */
  sw_http_req tls;
} resolve_cfg;

/* Parses the command line (already expanded by sw_args_build) into cfg.
 * Returns SW_STD_DONE, SW_STD_HELP, SW_STD_VERSION, or SW_STD_ERROR with
 * err naming the option. Reads --resolv-conf when no -s is given. */
sw_std_result resolve_parse(int argc, char **argv, resolve_cfg *cfg,
                            sw_err *err);

/* Prints --help. */
void resolve_help(FILE *out);

/* Parses one -a value. Returns 0, or -1 with err naming -a. */
int resolve_expect_parse(const char *text, resolve_expect *e, sw_err *err);

/* Does answer record rr match expectation e? Addresses by CIDR; names
 * (CNAME, NS, PTR, MX, SRV targets, SOA primary) exactly but for case
 * (RFC 4343) and a trailing dot; TXT and CAA texts exactly, whole. */
bool resolve_expect_match(const resolve_expect *e, const sw_dns_rr *rr);

/* Parses every -a of cfg->expect_args (split at commas into a set,
 * except for TXT and CAA, whose texts may hold commas) into expects and
 * groups. Returns 0, or -1 with err naming -a. */
int resolve_expect_groups(resolve_cfg *cfg, sw_err *err);

/* How output text names resolver s: its -s NAME, else its address
 * ("10.0.0.1", "10.0.0.1:5353", "[::1]:5353"). Can't fail. */
const char *resolve_server_name(const resolve_cfg *cfg, size_t s);

/* The perfdata label of the time of name on resolver s, as printed
 * (only [A-Za-z0-9_-]): "time" for one name on one resolver, else
 * "time_NAME_RESOLVER", RESOLVER being the -s NAME or else the address
 * (brackets dropped, "_PORT" only when a port was given), every other
 * byte '_'. Stable while the configuration is. When it would not fit n
 * bytes (n >= 96), NAME is cut and followed by "_h" and 8 hex digits of
 * a hash of the whole NAME, so long names keep distinct, stable labels.
 * Can't fail. */
void resolve_time_label(const resolve_cfg *cfg, const char *name, size_t s,
                        char *out, size_t n);

/* Judges every query and fills the check: sub-check lines, summary,
 * perfdata, state. q holds cfg->nnames x cfg->nservers queries. */
/* --compare-serial: for each name, the SOA serials its resolvers gave
 * must agree; a WARNING sub-check per name where they do not, naming
 * every resolver's serial, the first of them written into first. *most
 * is the largest number of distinct serials of a name (1: they agree, 0:
 * none answered). Returns how many names differ. */
size_t resolve_compare_serials(const resolve_cfg *cfg, const sw_dns_query *q,
                               sw_check *check, sw_buf *first, size_t *most);

void resolve_judge(const resolve_cfg *cfg, const sw_dns_query *q, size_t nq,
                   sw_check *check);

/* --client-subnet and --dnssec (resolve_trust.c). What they add to the
 * line of a reply judged OK: ", scope /16" or ", validated" inside the
 * answer's parentheses (in), and "; ECS ignored (...)", "; not validated
 * (no AD bit)", "; EDE 3 Stale Answer" after them (out). Returns the
 * state this gives: WARNING for an answer --dnssec expected validated
 * (the name resolves; the protection asked for is missing), else OK; a
 * one-line reason for the summary in why. */
sw_state resolve_trust_note(const resolve_cfg *cfg, const sw_dns_reply *r,
                            sw_buf *in, sw_buf *out, sw_buf *why);

/* A reply whose ECS option is malformed or echoes another subnet than
 * the one asked (RFC 7871 7.3: such a reply must be discarded). Returns
 * true with the reason in w: a broken server, counted as failed. */
bool resolve_trust_broken(const resolve_cfg *cfg, const sw_dns_reply *r,
                          sw_buf *w);

/* After an rcode's name: the Extended DNS Error when one came (" (EDE 6
 * DNSSEC Bogus: text)"), and a SERVFAIL named as the DNSSEC failure it is
 * (by a DNSSEC EDE) or may be (--dnssec, no EDE). */
void resolve_trust_rcode(const resolve_cfg *cfg, const sw_dns_reply *r,
                         sw_buf *w);

/* Perfdata: ecs_scope (the smallest scope answered; 0 when ignored) with
 * --client-subnet, validated (answers with AD, of nq) with --dnssec. */
void resolve_trust_perf(const resolve_cfg *cfg, const sw_dns_query *q,
                        size_t nq, sw_check *check);

/* check_resolve's own long options without a short letter. */
enum {
  OPT_RESOLV_CONF = SW_OPT_PLUGIN,
  OPT_TCP,
  OPT_NO_RECURSION,
  OPT_FAIL_WARN,
  OPT_FAIL_CRIT,
  OPT_RETRIES,
  OPT_COMPARE_SERIAL,
  OPT_CLIENT_SUBNET,
  OPT_DNSSEC
};

/* check_resolve's options (resolve_optab.c). */
extern const sw_optab resolve_optab;

#endif
