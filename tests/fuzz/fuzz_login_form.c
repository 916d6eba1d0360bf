/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_login's form extractor (plugins/login/login_form.c): the input is a
 * login page as a server sends it; the plugin looks for the form with
 * the password field, its action, method and hidden inputs (the CSRF
 * token).
 * Properties: at most FORM_MAX_INPUTS inputs; every string is
 * terminated inside its array; method and type are lowercase; a lookup
 * by name finds an input of that name. */
#include "fuzz.h"
#include "../../plugins/login/login_form.h"

static int lowercase(const char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      return 0;
  return 1;
}

static void check_form(const char *html, size_t n, const char *field) {
  html_form *f = malloc(sizeof *f);
  if (!f)
    abort();
  if (form_find(html, n, field, f) == 0) {
    FUZZ_ASSERT(f->n <= FORM_MAX_INPUTS);
    FUZZ_ASSERT(memchr(f->action, '\0', sizeof f->action) != NULL);
    FUZZ_ASSERT(memchr(f->method, '\0', sizeof f->method) != NULL);
    FUZZ_ASSERT(lowercase(f->method));
    for (size_t i = 0; i < f->n; i++) {
      const form_input *in = &f->inputs[i];
      FUZZ_ASSERT(memchr(in->name, '\0', sizeof in->name) != NULL);
      FUZZ_ASSERT(memchr(in->value, '\0', sizeof in->value) != NULL);
      FUZZ_ASSERT(memchr(in->type, '\0', sizeof in->type) != NULL);
      FUZZ_ASSERT(lowercase(in->type));
      const form_input *got = form_input_get(f, in->name);
      FUZZ_ASSERT(got != NULL && strcmp(got->name, in->name) == 0);
    }
    (void)form_input_get(f, "csrf_token");
  }
  free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *html = fuzz_bytes(d, n);

  check_form(html, n, "password");
  check_form(html, n, NULL);
  free(html);
  return 0;
}
