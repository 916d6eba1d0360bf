/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a login page: the form, its action and its input fields, as a
 * pure function over the HTML bytes (unit-tested, fuzzed later). It is a
 * tag scanner, not an HTML parser: it finds <form> and <input> tags and
 * their attributes, which is all a login form needs. */
#ifndef STREAMWATCH_LOGIN_FORM_H
#define STREAMWATCH_LOGIN_FORM_H

#include <stdbool.h>
#include <stddef.h>

enum { FORM_MAX_INPUTS = 64 };

typedef struct {
  char name[128];
  char value[1024]; /* entities &amp; &lt; &gt; &quot; &#39; decoded */
  char type[32];    /* lowercased; "text" when absent */
  bool cut;         /* the name or value was longer than its array: the
                       caller refuses to post it (a cut value, a CSRF
                       token or ASP.NET's __VIEWSTATE, would be refused) */
} form_input;

typedef struct {
  char action[1024]; /* as written ("" means the page itself) */
  bool action_cut;   /* longer than action: not usable */
  char method[16];   /* lowercased; "get" when absent */
  form_input inputs[FORM_MAX_INPUTS];
  size_t n;
  bool too_many; /* more named inputs than FORM_MAX_INPUTS: not usable */
} html_form;

/* Finds the form that has an input named `field` (the password field),
 * or else the first form. Returns 0, or -1 when the page has no form. */
int form_find(const char *html, size_t len, const char *field, html_form *f);

/* The input named name, or NULL. */
const form_input *form_input_get(const html_form *f, const char *name);

#endif
