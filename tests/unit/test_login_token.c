/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for check_login's reading of a token endpoint's answer
 * (plugins/login/login_token.c, login_token_read): expires_in is whole seconds
 * within 1..LOGIN_MAX_TTL, judged exactly whatever the number's size or
 * form, never clamped or overflowed (run under UBSan in the sanitizer
 * build: 1e300 and INT64_MAX once overflowed time() + ttl). */
#include <stdio.h>
#include <string.h>

#include "streamwatch/json.h"
#include "../../plugins/login/login.h"
#include "tap.h"

/* Reads {"access_token":"t","token_type":"Bearer","expires_in":V}. */
static const char *read_ttl(const char *v, long long *ttl) {
  char body[512], msg[128];
  snprintf(body, sizeof body,
           "{\"access_token\":\"t\",\"token_type\":\"Bearer\","
           "\"expires_in\":%s}",
           v);
  struct json_object *root =
      sw_json_parse(body, strlen(body), msg, sizeof msg);
  const char *problem = login_token_read(root, ttl);
  json_object_put(root);
  return problem;
}

static void good(const char *v, long long want) {
  long long ttl = 0;
  const char *p = read_ttl(v, &ttl);
  ok(p == NULL, "expires_in %s accepted (%s)", v, p ? p : "");
  is_int(ttl, want, "expires_in %s is %lld s", v, want);
}

static void bad(const char *v, const char *why) {
  long long ttl = 0;
  const char *p = read_ttl(v, &ttl);
  ok(p && strstr(p, why) && strstr(p, "expires_in"),
     "expires_in %s refused: '%s' (%s)", v, why, p ? p : "accepted");
  is_int(ttl, -1, "expires_in %s: no lifetime", v);
}

int main(void) {
  good("3600", 3600);
  good("1", 1);
  good("315360000", LOGIN_MAX_TTL);
  good("3600.0", 3600);
  good("1E3", 1000);
  good("36e2", 3600);
  good("\"3600\"", 3600); /* Azure AD v1 */
  good("\"000000000000000000003600\"", 3600);
  bad("315360001", "more than 10 years");
  bad("315360000.5", "more than 10 years");
  bad("3599.999", "whole number");
  bad("1e300", "more than 10 years");
  bad("1e400", "more than 10 years");
  bad("9223372036854775807", "more than 10 years");
  bad("9223372036854775808", "more than 10 years");
  bad("18446744073709551615", "more than 10 years");
  bad("100000000000000000000000000000", "more than 10 years");
  bad("\"99999999999999999999\"", "more than 10 years");
  bad("-9223372036854775808", "no positive");
  bad("-100000000000000000000000000000", "no positive");
  bad("-1e300", "no positive");
  bad("-1", "no positive");
  bad("0", "no positive");
  bad("-0", "no positive");
  bad("0.5", "no positive");
  bad("1.5", "whole number");
  bad("\"1.5\"", "not a number");
  bad("\"-1\"", "not a number");
  bad("\"\"", "not a number");
  bad("\" 3600\"", "not a number");
  bad("\"3600 \"", "not a number");
  bad("\"0x10\"", "not a number");
  bad("true", "not a number");
  bad("null", "no positive");
  bad("[3600]", "not a number");
  bad("{\"s\":3600}", "not a number");

  long long ttl = 0;
  static const char nott[] = "{\"access_token\":\"t\",\"token_type\":null,"
                             "\"expires_in\":3600}";
  char msg[128];
  struct json_object *root =
      sw_json_parse(nott, strlen(nott), msg, sizeof msg);
  ok(login_token_read(root, &ttl) != NULL,
     "token_type null: refused, no crash");
  json_object_put(root);
  static const char noexp[] =
      "{\"access_token\":\"t\",\"token_type\":\"bearer\"}";
  root = sw_json_parse(noexp, strlen(noexp), msg, sizeof msg);
  ok(login_token_read(root, &ttl) != NULL && ttl == -1,
     "no expires_in: refused (the spec asks for a lifetime)");
  json_object_put(root);
  return tap_done();
}
