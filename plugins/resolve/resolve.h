/* check_resolve's configuration and the steps main runs. */
#ifndef STREAMWATCH_RESOLVE_H
#define STREAMWATCH_RESOLVE_H

#include <stdbool.h>
#include "streamwatch/dns.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"

enum {
  RESOLVE_MAX_NAMES = 64,
  RESOLVE_MAX_SERVERS = 32,
  RESOLVE_MAX_EXPECT = 32
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
  int prefix; /* CIDR prefix length (32/128 for one address) */
} resolve_expect;

typedef struct {
  sw_std_opts std;
  const char *names[RESOLVE_MAX_NAMES];
  size_t nnames;
  sw_dns_server servers[RESOLVE_MAX_SERVERS];
  size_t nservers;
  const char *resolv_conf;
  resolve_expect expects[RESOLVE_MAX_EXPECT];
  size_t nexpects;
  bool expect_all, expect_nxdomain, consistent, expect_aa;
  sw_range fail_warn, fail_crit;
  sw_dns_opts dns;
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

/* The perfdata label of the time of name on server (its label):
 * "time_NAME@SERVER", or, when that would not fit n bytes (n >= 96),
 * NAME cut with "~" and 8 hex digits of a hash of the whole NAME, so two
 * long names keep distinct, stable labels. Can't fail. */
void resolve_time_label(const char *name, const char *server, char *out,
                        size_t n);

/* Judges every query and fills the check: sub-check lines, summary,
 * perfdata, state. q holds cfg->nnames x cfg->nservers queries. */
void resolve_judge(const resolve_cfg *cfg, const sw_dns_query *q, size_t nq,
                   sw_check *check);

#endif
