/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login's token readers (plugins/login/login_token.c, lib/token.c): the
 * input is a token endpoint's body, read as an RFC 6749 5.1 answer
 * (login_token_read over sw_json_parse), as a 5.2 error answer
 * (login_oauth_error), and as a token cache file (sw_token_parse), the
 * file check_api reads.
 * Properties: a token accepted has a positive lifetime; a refusal names
 * its problem; the error code shown is printable and capped; a parsed
 * token cache has a token. */
#include "streamwatch/json.h"
#include "fuzz.h"
#include "../../plugins/login/login.h"
#include "streamwatch/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *body = fuzz_bytes(d, n), msg[256], code[64];
  struct json_object *root = sw_json_parse(body, n, msg, sizeof msg);
  long long ttl = 0;
  const char *problem = login_token_read(root, &ttl);
  sw_token t;
  sw_err err = {""};

  if (problem) {
    FUZZ_ASSERT(problem[0] != '\0' && ttl <= 0);
  } else {
    FUZZ_ASSERT(root != NULL && ttl > 0);
  }
  json_object_put(root);
  login_oauth_error(body, n, code, sizeof code);
  FUZZ_ASSERT(fuzz_printable(code));
  FUZZ_ASSERT(strlen(code) <= 40 * 4);
  if (sw_token_parse(body, n, &t, &err) == 0) {
    FUZZ_ASSERT(t.access_token != NULL);
    FUZZ_ASSERT(memchr(t.token_type, '\0', sizeof t.token_type) != NULL);
  } else {
    FUZZ_ASSERT(err.msg[0] != '\0');
  }
  sw_token_free(&t);
  free(body);
  return 0;
}
