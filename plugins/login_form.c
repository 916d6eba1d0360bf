/* A tag scanner for login pages; see login_form.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "login_form.h"

/* Case-insensitive search for needle in [p, end). */
static const char *find_ci(const char *p, const char *end, const char *needle) {
  size_t nl = strlen(needle);
  for (; p + nl <= end; p++)
    if (strncasecmp(p, needle, nl) == 0)
      return p;
  return NULL;
}

/* Decodes the few entities that occur in attribute values. */
static void decode(char *dst, size_t n, const char *s, size_t len) {
  static const struct { const char *ent; char ch; } ents[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
      {"&#39;", '\''}, {"&#x27;", '\''}, {"&apos;", '\''}};
  size_t o = 0;
  for (size_t i = 0; i < len && o + 1 < n;) {
    size_t k = 0, m = sizeof ents / sizeof ents[0];
    for (; s[i] == '&' && k < m; k++) {
      size_t el = strlen(ents[k].ent);
      if (i + el <= len && strncasecmp(s + i, ents[k].ent, el) == 0)
        break;
    }
    if (s[i] == '&' && k < m) {
      dst[o++] = ents[k].ch;
      i += strlen(ents[k].ent);
    } else {
      dst[o++] = s[i++];
    }
  }
  dst[o] = '\0';
}

/* The value of attribute attr in the tag [p, end), decoded into dst.
 * Returns false when the tag has no such attribute. */
static bool attr(const char *p, const char *end, const char *attr_name,
                 char *dst, size_t n) {
  size_t al = strlen(attr_name);
  for (const char *a = p; (a = find_ci(a, end, attr_name)); a += al) {
    char before = a > p ? a[-1] : ' ';
    const char *q = a + al;
    if (!strchr(" \t\r\n/", before))
      continue;
    while (q < end && strchr(" \t\r\n", *q))
      q++;
    if (q >= end || *q != '=')
      continue;
    q++;
    while (q < end && strchr(" \t\r\n", *q))
      q++;
    const char *v = q, *ve;
    if (q < end && (*q == '"' || *q == '\'')) {
      v = q + 1;
      ve = memchr(v, *q, (size_t)(end - v));
      if (!ve)
        ve = end;
    } else {
      for (ve = v; ve < end && !strchr(" \t\r\n>", *ve); ve++)
        ;
    }
    decode(dst, n, v, (size_t)(ve - v));
    return true;
  }
  return false;
}

static void lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s + 32);
}

/* Collects the <input> tags of the form body [p, end). */
static void scan_inputs(const char *p, const char *end, html_form *f) {
  f->n = 0;
  while ((p = find_ci(p, end, "<input")) && f->n < FORM_MAX_INPUTS) {
    const char *close = memchr(p, '>', (size_t)(end - p));
    const char *te = close ? close : end;
    form_input *in = &f->inputs[f->n];
    memset(in, 0, sizeof *in);
    if (attr(p + 6, te, "name", in->name, sizeof in->name) && in->name[0]) {
      attr(p + 6, te, "value", in->value, sizeof in->value);
      if (!attr(p + 6, te, "type", in->type, sizeof in->type))
        snprintf(in->type, sizeof in->type, "text");
      lower(in->type);
      f->n++;
    }
    p = te;
  }
}

int form_find(const char *html, size_t len, const char *field, html_form *f) {
  const char *end = html + len, *p = html;
  bool any = false;
  html_form cand;
  while ((p = find_ci(p, end, "<form"))) {
    const char *close = memchr(p, '>', (size_t)(end - p));
    const char *te = close ? close : end;
    const char *fe = find_ci(te, end, "</form");
    memset(&cand, 0, sizeof cand);
    attr(p + 5, te, "action", cand.action, sizeof cand.action);
    if (!attr(p + 5, te, "method", cand.method, sizeof cand.method))
      snprintf(cand.method, sizeof cand.method, "get");
    lower(cand.method);
    scan_inputs(te, fe ? fe : end, &cand);
    if (!any || (field && form_input_get(&cand, field)))
      *f = cand;
    if (field && form_input_get(&cand, field))
      return 0;
    any = true;
    p = fe ? fe : end;
  }
  return any ? 0 : -1;
}

const form_input *form_input_get(const html_form *f, const char *name) {
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->inputs[i].name, name) == 0)
      return &f->inputs[i];
  return NULL;
}
