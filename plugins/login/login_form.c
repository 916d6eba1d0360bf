/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* Decodes the few entities that occur in attribute values. Returns
 * false when the value did not fit in dst (it is then cut). */
static bool decode(char *dst, size_t n, const char *s, size_t len) {
  static const struct {
    const char *ent;
    char ch;
  } ents[] = {{"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},
              {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''},
              {"&apos;", '\''}};
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
    if (o + 1 >= n && i < len) {
      dst[o] = '\0';
      return false;
    }
  }
  dst[o] = '\0';
  return true;
}

static bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* One attribute of a tag: its name [n, ne) and value [v, ve), v NULL when
 * the attribute has no '='. */
typedef struct {
  const char *n, *ne, *v, *ve;
} tag_attr;

/* Reads the next attribute from *pp, as HTML tokenizes a tag: NAME,
 * NAME=VALUE, NAME='VALUE' or NAME="VALUE", separated by blanks or '/'.
 * A quoted value runs to its closing quote, '>' included. Returns false
 * at the tag's '>' or at end, with *pp there. Words inside a value are
 * never taken for attribute names. */
static bool next_attr(const char **pp, const char *end, tag_attr *t) {
  const char *p = *pp;
  while (p < end && (blank(*p) || *p == '/'))
    p++;
  if (p >= end || *p == '>') {
    *pp = p;
    return false;
  }
  t->n = p++; /* the first byte is part of the name, even a '=' */
  while (p < end && !blank(*p) && *p != '/' && *p != '>' && *p != '=')
    p++;
  t->ne = p;
  t->v = t->ve = NULL;
  const char *q = p;
  while (q < end && blank(*q))
    q++;
  if (q < end && *q == '=') {
    q++;
    while (q < end && blank(*q))
      q++;
    if (q < end && (*q == '"' || *q == '\'')) {
      const char *c = memchr(q + 1, *q, (size_t)(end - q - 1));
      t->v = q + 1;
      t->ve = c ? c : end;
      p = c ? c + 1 : end;
    } else {
      for (t->v = q; q < end && !blank(*q) && *q != '>'; q++)
        ;
      t->ve = p = q;
    }
  }
  *pp = p;
  return true;
}

/* The end of the tag whose attributes start at p: its '>', or end. */
static const char *tag_end(const char *p, const char *end) {
  tag_attr t;
  while (next_attr(&p, end, &t))
    ;
  return p;
}

/* The value of attribute attr_name (any case) in the tag attributes
 * [p, end), decoded into dst; "" for an attribute without '='. Returns
 * false when the tag has no such attribute; *cut (may be NULL) is set
 * when the value did not fit. */
static bool attr(const char *p, const char *end, const char *attr_name,
                 char *dst, size_t n, bool *cut) {
  size_t al = strlen(attr_name);
  tag_attr t;
  while (next_attr(&p, end, &t)) {
    if ((size_t)(t.ne - t.n) != al || strncasecmp(t.n, attr_name, al) != 0)
      continue;
    if (!decode(dst, n, t.v ? t.v : "", t.v ? (size_t)(t.ve - t.v) : 0) && cut)
      *cut = true;
    return true;
  }
  return false;
}

/* The next tag named tag ("<input", "</form") in [p, end): the name must
 * end there, so "<formula" or "<form-row" is not "<form". */
static const char *find_tag(const char *p, const char *end, const char *tag) {
  size_t tl = strlen(tag);
  for (; (p = find_ci(p, end, tag)); p += tl)
    if (p + tl == end || blank(p[tl]) || p[tl] == '/' || p[tl] == '>')
      return p;
  return NULL;
}

static void lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s + 32);
}

/* Is the <input> tag whose attributes are [p, te) a named one? */
static bool named(const char *p, const char *te) {
  char name[2];
  return attr(p, te, "name", name, sizeof name, NULL) && name[0];
}

/* Collects the named <input> tags of the form body [p, end); one more
 * than FORM_MAX_INPUTS sets too_many. */
static void scan_inputs(const char *p, const char *end, html_form *f) {
  f->n = 0;
  while ((p = find_tag(p, end, "<input"))) {
    const char *te = tag_end(p + 6, end);
    form_input *in = &f->inputs[f->n < FORM_MAX_INPUTS ? f->n : 0];
    if (f->n == FORM_MAX_INPUTS) {
      if (named(p + 6, te)) {
        f->too_many = true;
        return;
      }
    } else if (named(p + 6, te)) {
      memset(in, 0, sizeof *in);
      attr(p + 6, te, "name", in->name, sizeof in->name, &in->cut);
      attr(p + 6, te, "value", in->value, sizeof in->value, &in->cut);
      if (!attr(p + 6, te, "type", in->type, sizeof in->type, NULL))
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
  while ((p = find_tag(p, end, "<form"))) {
    const char *te = tag_end(p + 5, end);
    const char *fe = find_tag(te, end, "</form");
    memset(&cand, 0, sizeof cand);
    attr(p + 5, te, "action", cand.action, sizeof cand.action,
         &cand.action_cut);
    if (!attr(p + 5, te, "method", cand.method, sizeof cand.method, NULL))
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
