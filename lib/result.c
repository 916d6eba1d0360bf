/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The check / sub-check result tree and the one printer of plugin output. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/result.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/signals.h"

void sw_check_init(sw_check *c, const char *service) {
  memset(c, 0, sizeof *c);
  c->service = service;
  c->state = SW_OK;
}

void sw_check_free(sw_check *c) {
  for (size_t i = 0; i < c->nsubs; i++)
    free(c->subs[i].text);
  free(c->subs);
  free(c->summary);
  free(c->perf);
  memset(c, 0, sizeof *c);
}

void sw_check_raise(sw_check *c, sw_state s) {
  c->state = sw_state_worst(c->state, s);
}

/* vasprintf that remembers an allocation failure in the check. */
__attribute__((format(printf, 2, 0))) static char *
check_vformat(sw_check *c, const char *fmt, va_list ap) {
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0) {
    c->nomem = 1;
    return NULL;
  }
  return s;
}

int sw_check_summary(sw_check *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = check_vformat(c, fmt, ap);
  va_end(ap);
  if (!s)
    return -1;
  free(c->summary);
  c->summary = s;
  return 0;
}

int sw_check_summary_append(sw_check *c, const char *text) {
  char *old = c->summary;
  c->summary = NULL;
  int rc = sw_check_summary(c, "%s%s", old ? old : "", text);
  if (rc < 0)
    c->summary = old;
  else
    free(old);
  return rc;
}

int sw_check_sub(sw_check *c, sw_state s, const char *fmt, ...) {
  if (c->nsubs == c->capsubs) {
    size_t cap = c->capsubs ? c->capsubs * 2 : 8;
    sw_subcheck *subs = realloc(c->subs, cap * sizeof *subs);
    if (!subs) {
      c->nomem = 1;
      return -1;
    }
    c->subs = subs;
    c->capsubs = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  char *text = check_vformat(c, fmt, ap);
  va_end(ap);
  if (!text)
    return -1;
  c->subs[c->nsubs].state = s;
  c->subs[c->nsubs].text = text;
  c->nsubs++;
  return 0;
}

int sw_check_perf(sw_check *c, const sw_perf *p) {
  char item[1024]; /* a 160-byte label quoted plus five numbers fit */
  size_t len = 0;
  item[0] = '\0';
  if (sw_perf_format(item, sizeof item, &len, p) < 0) {
    c->nomem = 1;
    return -1;
  }
  size_t need = c->perflen + 1 + len + 1;
  if (need > c->perfcap) {
    size_t cap = need * 2 > 1024 ? need * 2 : 1024;
    char *perf = realloc(c->perf, cap);
    if (!perf) {
      c->nomem = 1;
      return -1;
    }
    c->perf = perf;
    c->perfcap = cap;
  }
  if (c->perflen > 0)
    c->perf[c->perflen++] = ' ';
  memcpy(c->perf + c->perflen, item, len + 1);
  c->perflen += len;
  return 0;
}

int sw_check_perf_time(sw_check *c, const char *label, double v,
                       const sw_range *warn, const sw_range *crit,
                       bool with_min) {
  sw_perf p = {.measured = v >= 0,
               .value = v,
               .uom = "s",
               .warn = warn,
               .crit = crit,
               .has_min = with_min,
               .min = 0};
  snprintf(p.label, sizeof p.label, "%s", label);
  return sw_check_perf(c, &p);
}

sw_state sw_check_state(const sw_check *c) {
  sw_state s = c->state;
  for (size_t i = 0; i < c->nsubs; i++)
    s = sw_state_worst(s, c->subs[i].state);
  if (c->nomem)
    s = sw_state_worst(s, SW_UNKNOWN);
  return s;
}

/* Prints text with the secrets masked and '|' and control characters
 * replaced, whatever put them there: the printer is the last guard of the
 * one-line format and of the secrets. */
static void print_safe(FILE *out, const char *text,
                       const char *const *secrets) {
  char buf[4096];
  sw_text_safe(buf, sizeof buf, text, strlen(text), 0, secrets);
  fputs(buf, out);
}

sw_state sw_check_print_unknown(const char *service, const char *text,
                                const char *const *secrets, FILE *out) {
  sw_check c;
  sw_check_init(&c, service);
  sw_check_raise(&c, SW_UNKNOWN);
  c.secrets = secrets;
  sw_check_summary(&c, "%s", text);
  sw_state s = sw_check_print(&c, out);
  sw_check_free(&c);
  return s;
}

sw_state sw_check_print(const sw_check *c, FILE *out) {
  sw_state state = sw_check_state(c);
  if (out == stdout)
    sw_signals_result(state); /* a signal now only exits with state */
  fprintf(out, "%s %s - ", c->service, sw_state_name(state));
  if (c->nomem)
    fputs("out of memory while building the result; ", out);
  print_safe(out, c->summary ? c->summary : "", c->secrets);
  if (c->perflen > 0)
    fprintf(out, " | %s", c->perf);
  fputc('\n', out);
  /* Worst first, in the order added within a state (a stable selection
   * over the four ranks). */
  for (int rank = 3; rank >= 0; rank--) {
    for (size_t i = 0; i < c->nsubs; i++) {
      if (sw_state_rank(c->subs[i].state) != rank)
        continue;
      fprintf(out, "\\_ [%s] ", sw_state_name(c->subs[i].state));
      print_safe(out, c->subs[i].text, c->secrets);
      fputc('\n', out);
    }
  }
  for (size_t i = 0; c->trace && i < c->trace->n; i++) {
    print_safe(out, c->trace->v[i], c->secrets);
    fputc('\n', out);
  }
  fflush(out);
  return state;
}
