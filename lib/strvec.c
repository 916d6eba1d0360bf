/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growable NULL-terminated vector of owned strings. */
#include <stdlib.h>
#include <string.h>

#include "streamwatch/strvec.h"

int sw_strvec_addn(sw_strvec *sv, const char *s, size_t len) {
  if (sv->n + 2 > sv->cap) {
    size_t cap = sv->cap ? sv->cap * 2 : 8;
    char **v = realloc(sv->v, cap * sizeof *v);
    if (!v)
      return -1;
    sv->v = v;
    sv->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy)
    return -1;
  memcpy(copy, s, len);
  copy[len] = '\0';
  sv->v[sv->n++] = copy;
  sv->v[sv->n] = NULL;
  return 0;
}

int sw_strvec_add(sw_strvec *sv, const char *s) {
  return sw_strvec_addn(sv, s, strlen(s));
}

void sw_strvec_free(sw_strvec *sv) {
  for (size_t i = 0; i < sv->n; i++)
    free(sv->v[i]);
  free(sv->v);
  sv->v = NULL;
  sv->n = sv->cap = 0;
}

void sw_strvec_add_line(void *sv, const char *line) {
  sw_strvec_add(sv, line);
}
