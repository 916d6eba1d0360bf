/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plugin states, their names, and how they combine. */
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "streamwatch/state.h"

int sw_fail(sw_err *err, const char *fmt, ...) {
  va_list ap;
  if (err) {
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

const char *sw_state_name(sw_state s) {
  switch (s) {
  case SW_OK: return "OK";
  case SW_WARNING: return "WARNING";
  case SW_CRITICAL: return "CRITICAL";
  default: return "UNKNOWN";
  }
}

/* UNKNOWN ranks between OK and WARNING: a sub-check that could not be
 * measured must not hide one that measured a real problem. */
int sw_state_rank(sw_state s) {
  switch (s) {
  case SW_OK: return 0;
  case SW_UNKNOWN: return 1;
  case SW_WARNING: return 2;
  default: return 3;
  }
}

sw_state sw_state_worst(sw_state a, sw_state b) {
  return sw_state_rank(a) >= sw_state_rank(b) ? a : b;
}

int sw_state_parse(const char *s, sw_state *out) {
  static const struct {
    const char *name;
    sw_state state;
  } names[] = {{"ok", SW_OK},
               {"warning", SW_WARNING},
               {"critical", SW_CRITICAL},
               {"unknown", SW_UNKNOWN}};
  for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
    if (strcasecmp(s, names[i].name) == 0) {
      *out = names[i].state;
      return 0;
    }
  }
  return -1;
}
