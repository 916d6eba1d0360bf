/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The --extra-opts ini reader (lib/ini.c) through its in-memory entry
 * point, sw_ini_section(), which sw_ini_load() calls on a file's bytes.
 * Properties: every option produced is "--key" or "--key=value" with a
 * non-empty key; a refusal has a message; the section is found when any
 * option came from it. */
#include <stdbool.h>

#include "fuzz.h"
#include "streamwatch/ini.h"

static void section(const char *text, size_t n, const char *name) {
  sw_strvec out = {0};
  sw_err err = {""};
  bool found = true;

  if (sw_ini_section(text, n, name, &out, &found, &err) == 0) {
    FUZZ_ASSERT(found || out.n == 0);
    for (size_t i = 0; i < out.n; i++) {
      const char *o = out.v[i];
      FUZZ_ASSERT(o != NULL && strncmp(o, "--", 2) == 0);
      FUZZ_ASSERT(o[2] != '\0' && o[2] != '=');
      FUZZ_ASSERT(strchr(o, '\n') == NULL);
    }
    FUZZ_ASSERT(out.n == 0 || out.v[out.n] == NULL);
  } else {
    FUZZ_ASSERT(err.msg[0] != '\0');
  }
  sw_strvec_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *text = fuzz_bytes(d, n); /* not NUL-terminated, as from a file */

  section(text, n, "check_api");
  section(text, n, "");
  free(text);
  return 0;
}
