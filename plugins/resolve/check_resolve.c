/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve: DNS resolution of many names on many resolvers at once,
 * through c-ares, saying which resolver failed how.
 *
 *   options/ini -> resolve_cfg -> sw_dns_run (every name x every server
 *   concurrently; DoH/DoT resolvers in threads through libcurl) ->
 *   resolve_judge -> the one printer -> exit state
 */
#include <stdio.h>
#include <stdlib.h>

#include "resolve.h"
#include "streamwatch/plugin.h"
#include "streamwatch/strvec.h"

/* -vv/-vvv trace lines are kept and printed after the result by the one
 * printer (masked and sanitised as every line), so the first line stays
 * the status line and no line bypasses it. */
static int run(void *vcfg, const sw_deadline *d) {
  const resolve_cfg *cfg = vcfg;
  size_t nq = cfg->nnames * cfg->nservers;
  sw_dns_query *q = calloc(nq, sizeof *q);
  sw_strvec trace = {0};
  sw_check check;
  sw_err err;
  sw_dns_opts dns = cfg->dns;
  dns.verbose = cfg->std.verbose;
  dns.trace = sw_strvec_add_line;
  dns.trace_arg = &trace;
  sw_check_init(&check, "RESOLVE");
  check.trace = &trace;
  if (!q) {
    sw_check_raise(&check, SW_UNKNOWN);
    sw_check_summary(&check, "out of memory");
  } else {
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
  }
  if (cfg->tls.insecure && check.summary) /* said out loud, as check_api */
    sw_check_summary_append(&check, " [TLS verification off]");
  sw_state state = sw_check_print(&check, stdout);
  for (size_t i = 0; q && i < nq; i++)
    sw_dns_reply_free(&q[i].reply);
  free(q);
  sw_strvec_free(&trace);
  sw_check_free(&check);
  return state;
}

static sw_std_result parse(int argc, char **argv, void *vcfg,
                           const sw_std_opts **std, sw_err *err) {
  resolve_cfg *cfg = vcfg;
  *std = &cfg->std;
  return resolve_parse(argc, argv, cfg, err);
}

int main(int argc, char **argv) {
  static const sw_plugin plugin = {.prog = "check_resolve",
                                   .service = "RESOLVE",
                                   .parse = parse,
                                   .help = resolve_help,
                                   .libs = sw_dns_version,
                                   .run = run};
  resolve_cfg cfg;
  return sw_plugin_main(&plugin, &cfg, argc, argv);
}
