/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP phases as perfdata and the -v line of the CA store, the same
 * in every HTTP plugin. */
#include "streamwatch/http.h"
#include "streamwatch/result.h"

void sw_http_perf_phases(sw_check *check, const sw_http_times *t, bool https) {
  sw_check_perf_time(check, "time_dns", t->dns, NULL, NULL, false);
  sw_check_perf_time(check, "time_connect", t->connect, NULL, NULL, false);
  if (https)
    sw_check_perf_time(check, "time_tls", t->tls, NULL, NULL, false);
  sw_check_perf_time(check, "time_ttfb", t->ttfb, NULL, NULL, false);
  sw_check_perf_time(check, "time_transfer", t->transfer, NULL, NULL, false);
}

void sw_http_trust_sub(sw_check *check, const sw_http_req *req,
                       const char *url, const sw_http_resp *r) {
  if (req->verbose < 1 || req->insecure || !r->trust[0] || !url ||
      !sw_url_https(url))
    return;
  sw_check_sub(check, SW_OK, "TLS: verified with %s", r->trust);
}
