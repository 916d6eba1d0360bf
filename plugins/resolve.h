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

/* One -a: an address or CIDR block, or a text (a target name, TXT). */
typedef struct {
  char text[256]; /* as given, for messages */
  char key[256];  /* text form lowercased without trailing dot */
  int family;     /* AF_INET/AF_INET6 for addresses, 0 for text */
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

/* Does answer record rr match expectation e? */
bool resolve_expect_match(const resolve_expect *e, const sw_dns_rr *rr);

/* Judges every query and fills the check: sub-check lines, summary,
 * perfdata, state. q holds cfg->nnames x cfg->nservers queries. */
void resolve_judge(const resolve_cfg *cfg, const sw_dns_query *q, size_t nq,
                   sw_check *check);

#endif
