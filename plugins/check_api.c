/* check_api: is an HTTP API answering correctly, down to JSON values,
 * with every phase timed.
 *
 *   options/ini -> api_cfg -> sw_http_perform (one libcurl transfer under
 *   the deadline) -> api_judge -> the one printer -> exit state
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "streamwatch/deadline.h"
#include "streamwatch/strvec.h"

/* Trace lines (-vv, -vvv) follow the result: the status line stays first. */
static void keep_trace(void *arg, const char *line) {
  sw_strvec_add(arg, line);
}

static int run(api_cfg *cfg, const sw_deadline *d) {
  sw_strvec trace = {0};
  sw_check check;
  sw_http_resp resp;
  sw_err err = {""};
  const char *secrets[] = {cfg->bearer, NULL};
  cfg->req.secrets = secrets;
  cfg->req.trace = keep_trace;
  cfg->req.trace_arg = &trace;
  sw_check_init(&check, "API");
  int rc = sw_http_perform(&cfg->req, d, &resp, &err);
  if (rc < 0 && err.msg[0]) {
    sw_check_raise(&check, SW_UNKNOWN);
    sw_check_summary(&check, "%s", err.msg);
  } else {
    api_judge(cfg, &resp, rc < 0, &check);
  }
  sw_state state = sw_check_print(&check, stdout);
  for (size_t i = 0; i < trace.n; i++)
    printf("%s\n", trace.v[i]);
  sw_http_resp_free(&resp);
  sw_strvec_free(&trace);
  sw_check_free(&check);
  return state;
}

int main(int argc, char **argv) {
  static const char *const secrets[] = {"bearer", NULL};
  sw_deadline d;
  sw_strvec args;
  sw_err err;
  api_cfg cfg;
  char ver[256];
  int state;
  signal(SIGPIPE, SIG_IGN);
  if (sw_args_build(argc, argv, "check_api", secrets, &args, &err) < 0) {
    printf("API UNKNOWN - %s\n", err.msg);
    return SW_UNKNOWN;
  }
  switch (api_parse((int)args.n, args.v, &cfg, &err)) {
  case SW_STD_HELP:
    api_help(stdout);
    state = SW_UNKNOWN;
    break;
  case SW_STD_VERSION:
    sw_print_version(stdout, "check_api", sw_http_version(ver, sizeof ver));
    state = SW_UNKNOWN;
    break;
  case SW_STD_DONE:
    sw_deadline_start(&d, cfg.std.timeout);
    state = run(&cfg, &d);
    break;
  default:
    printf("API UNKNOWN - %s\n", err.msg);
    state = SW_UNKNOWN;
    break;
  }
  api_cfg_free(&cfg);
  sw_strvec_free(&args);
  return state;
}
