/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's -j and -M expressions (plugins/api/api_json.c): the input is
 * the option's text, parsed and evaluated against a fixed document that
 * has every JSON type, escaped keys and an embedded NUL.
 * Properties: a refused expression has a printable message; an accepted
 * one evaluates to 0 or 1 with a message that cannot add an output line
 * or a '|'; a metric read is finite. */
#include <math.h>

#include "../../plugins/api/api_json.h"
#include "fuzz.h"

static const char doc_text[] =
    "{\"status\":\"ok\",\"n\":3,\"f\":2.5,\"neg\":-1,\"t\":true,\"z\":null,"
    "\"title\":\"Sine 440 | \\u001b[31mred\\n\",\"a\":[1,\"x\",{\"k\":\"v\"}],"
    "\"o\":{\"a~b\":1,\"c/d\":2,\"\":3,\"==\":4},\"big\":1e300,"
    "\"q\":\"12.5\",\"u\":\"\\u00e9\\u0000x\",\"e\":[],\"eo\":{},"
    "\"deep\":[[[[{\"x\":[0.1]}]]]]}";

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *s = fuzz_str(d, n), msg[512];
  struct json_object *doc =
      sw_json_parse(doc_text, sizeof doc_text - 1, msg, sizeof msg);
  api_assert a;
  api_metric m;
  sw_err err = {""};
  double v;

  FUZZ_ASSERT(doc != NULL);
  if (api_assert_parse(s, &a, &err) == 0) {
    msg[0] = '\0';
    int rc = api_assert_eval(&a, doc, msg, sizeof msg);
    FUZZ_ASSERT(rc >= -1 && rc <= 1); /* -1: a regex too costly */
    FUZZ_ASSERT(msg[0] != '\0' && fuzz_printable(msg));
    FUZZ_ASSERT(api_assert_eval(&a, NULL, msg, sizeof msg) >= -1);
    FUZZ_ASSERT(fuzz_printable(msg));
  } else {
    FUZZ_ASSERT(err.msg[0] != '\0' && fuzz_printable(err.msg));
  }
  api_assert_free(&a);
  api_assert_free(&a); /* documented as safe on a freed a */
  err.msg[0] = '\0';
  if (api_metric_parse(s, &m, &err) == 0) {
    msg[0] = '\0';
    if (api_metric_eval(&m, doc, &v, msg, sizeof msg) == 0)
      FUZZ_ASSERT(isfinite(v));
    else
      FUZZ_ASSERT(msg[0] != '\0' && fuzz_printable(msg));
    FUZZ_ASSERT(m.label[0] != '\0' && fuzz_printable(m.label));
  } else {
    FUZZ_ASSERT(err.msg[0] != '\0' && fuzz_printable(err.msg));
  }
  json_object_put(doc);
  free(s);
  return 0;
}
