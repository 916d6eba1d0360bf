/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_api's body reader (lib/json.c): the input is a server's
 * response body, parsed as exactly one JSON document and judged by fixed
 * -j assertions and -M metrics of every kind.
 * Properties: a refused body has a printable reason; every assertion
 * evaluates to 0 or 1 with a message that cannot add an output line or
 * a '|' (the body's strings are hostile); a metric read is finite. */
#include <math.h>

#include "../../plugins/api/api_json.h"
#include "fuzz.h"

static const char *const asserts[] = {
    "~=.",
    "==1",
    "/status==ok",
    "/status!=degraded",
    "/title~=^Sine",
    "/n==3",
    "/a/0==[1,2]",
    "/o/a~1b",
    "/o/c~0d=={\"k\":1}",
    "/t==true",
    "/z==null",
    "/a/2/k~=v|w",
    "/deep/0/0/0/x/1!=2.5",
};

static const char *const metrics[] = {
    "n=/n",
    "lat=/latency_ms;100;500",
    "q=/a/0;~:10;@5:6",
    "doc=",
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *body = fuzz_bytes(d, n), msg[512] = "";
  struct json_object *root = sw_json_parse(body, n, msg, sizeof msg);
  sw_err err;
  size_t i;

  if (!root) {
    FUZZ_ASSERT(msg[0] != '\0' && fuzz_printable(msg));
    free(body);
    return 0;
  }
  for (i = 0; i < sizeof asserts / sizeof *asserts; i++) {
    api_assert a;
    FUZZ_ASSERT(api_assert_parse(asserts[i], &a, &err) == 0);
    msg[0] = '\0';
    int rc = api_assert_eval(&a, root, msg, sizeof msg);
    FUZZ_ASSERT(rc >= -1 && rc <= 1); /* -1: a regex too costly */
    FUZZ_ASSERT(msg[0] != '\0' && fuzz_printable(msg));
    api_assert_free(&a);
  }
  for (i = 0; i < sizeof metrics / sizeof *metrics; i++) {
    api_metric m;
    double v;
    FUZZ_ASSERT(api_metric_parse(metrics[i], &m, &err) == 0);
    msg[0] = '\0';
    if (api_metric_eval(&m, root, &v, msg, sizeof msg) == 0)
      FUZZ_ASSERT(isfinite(v));
    else
      FUZZ_ASSERT(msg[0] != '\0' && fuzz_printable(msg));
  }
  json_object_put(root);
  free(body);
  return 0;
}
