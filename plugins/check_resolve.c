/* check_resolve: DNS resolution of many names on many resolvers at once,
 * through c-ares, saying which resolver failed how.
 *
 *   options/ini -> resolve_cfg -> sw_dns_run (every name x every server
 *   concurrently) -> resolve_judge -> the one printer -> exit state
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "resolve.h"
#include "streamwatch/deadline.h"
#include "streamwatch/strvec.h"

/* -vvv trace lines are kept and printed after the result, so the first
 * line stays the status line. */
static void keep_trace(void *arg, const char *line) {
  sw_strvec_add(arg, line);
}

/* Bad command line: UNKNOWN naming the option, as every plugin does. */
static int usage_error(const sw_err *err) {
  printf("RESOLVE UNKNOWN - %s\n", err->msg);
  return SW_UNKNOWN;
}

static int run(const resolve_cfg *cfg, const sw_deadline *d) {
  size_t nq = cfg->nnames * cfg->nservers;
  sw_dns_query *q = calloc(nq, sizeof *q);
  sw_strvec trace = {0};
  sw_check check;
  sw_err err;
  sw_dns_opts dns = cfg->dns;
  dns.verbose = cfg->std.verbose;
  dns.trace = keep_trace;
  dns.trace_arg = &trace;
  sw_check_init(&check, "RESOLVE");
  if (!q) {
    printf("RESOLVE UNKNOWN - out of memory\n");
    return SW_UNKNOWN;
  }
  for (size_t n = 0; n < cfg->nnames; n++)
    for (size_t s = 0; s < cfg->nservers; s++)
      q[n * cfg->nservers + s] =
          (sw_dns_query){.name = cfg->names[n], .server = s};
  if (sw_dns_run(cfg->servers, cfg->nservers, q, nq, &dns, d, &err) < 0) {
    sw_check_raise(&check, SW_UNKNOWN);
    sw_check_summary(&check, "%s", err.msg);
  } else {
    resolve_judge(cfg, q, nq, &check);
  }
  sw_state state = sw_check_print(&check, stdout);
  for (size_t i = 0; i < trace.n; i++)
    printf("%s\n", trace.v[i]);
  for (size_t i = 0; i < nq; i++)
    sw_dns_reply_free(&q[i].reply);
  free(q);
  sw_strvec_free(&trace);
  sw_check_free(&check);
  return state;
}

int main(int argc, char **argv) {
  sw_deadline d;
  sw_strvec args;
  sw_err err;
  resolve_cfg cfg;
  char ver[64];
  signal(SIGPIPE, SIG_IGN);
  if (sw_args_build(argc, argv, "check_resolve", NULL, &args, &err) < 0)
    return usage_error(&err);
  sw_std_result r = resolve_parse((int)args.n, args.v, &cfg, &err);
  int state;
  switch (r) {
  case SW_STD_HELP:
    resolve_help(stdout);
    state = SW_UNKNOWN;
    break;
  case SW_STD_VERSION:
    sw_print_version(stdout, "check_resolve", sw_dns_version(ver, sizeof ver));
    state = SW_UNKNOWN;
    break;
  case SW_STD_DONE:
    sw_deadline_start(&d, cfg.std.timeout);
    state = run(&cfg, &d);
    break;
  default:
    state = usage_error(&err);
    break;
  }
  sw_strvec_free(&args);
  return state;
}
