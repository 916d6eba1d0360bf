/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A plugin's option table made into getopt's tables, --help's option
 * list, the man page's option heads and Icinga 2's arguments. */
#include <string.h>

#include "streamwatch/optab.h"

int sw_optab_getopt(const sw_optab *t, struct option *longs, char *shorts,
                    sw_err *err) {
  size_t k = 0;
  if (t->n > SW_OPTAB_MAX)
    return sw_fail(err, "%s: %zu options, at most %d", t->prog, t->n,
                   (int)SW_OPTAB_MAX);
  shorts[k++] = ':';
  for (size_t i = 0; i < t->n; i++) {
    const sw_optdef *o = &t->v[i];
    bool value = o->kind == SW_ARG_ONE || o->kind == SW_ARG_MANY;
    longs[i] = (struct option){o->name,
                               value                        ? required_argument
                               : o->kind == SW_ARG_OPTIONAL ? optional_argument
                                                            : no_argument,
                               NULL, o->val};
    if (o->val > 0xff)
      continue;
    shorts[k++] = (char)o->val;
    if (value)
      shorts[k++] = ':';
    else if (o->kind == SW_ARG_OPTIONAL)
      shorts[k++] = ':', shorts[k++] = ':';
  }
  shorts[k] = '\0';
  longs[t->n] = (struct option){NULL, 0, NULL, 0};
  return 0;
}

/* " -u, --url=URL" or "     --data-file=F" into buf (n >= 128); returns
 * its length. */
static size_t help_head(const sw_optdef *o, char *buf, size_t n) {
  const char *eq = o->arg ? "=" : "", *arg = o->arg ? o->arg : "";
  int len = o->val <= 0xff
                ? snprintf(buf, n, " -%c, --%s%s%s", o->val, o->name, eq, arg)
                : snprintf(buf, n, "     --%s%s%s", o->name, eq, arg);
  return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

enum { HELP_COLUMN = 27 }; /* where descriptions start, counted from 0 */

void sw_optab_help(const sw_optab *t, FILE *out) {
  for (size_t i = 0; i < t->n; i++) {
    const sw_optdef *o = &t->v[i];
    char head[160];
    size_t len = help_head(o, head, sizeof head);
    const char *line = o->help;
    fputs(head, out);
    if (len < HELP_COLUMN)
      fprintf(out, "%*s", (int)(HELP_COLUMN - len), "");
    else
      fprintf(out, "\n%*s", HELP_COLUMN, "");
    for (;;) {
      size_t l = strcspn(line, "\n");
      fprintf(out, "%.*s\n", (int)l, line);
      if (!line[l])
        break;
      line += l + 1;
      fprintf(out, "%*s", HELP_COLUMN, "");
    }
  }
}

/* n bytes of s, '-' as roff's "\-" and ' ' as its unbreakable "\ ". */
static void man_text(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '-' || s[i] == ' ')
      fputc('\\', out);
    fputc(s[i], out);
  }
}

/* A value's name: upper-case words (URL, SECONDS) in italics, a choice of
 * lower-case words (1.1|2, basic|post) in bold, punctuation roman; a
 * quoted example ('Name: value') in italics whole. */
static void man_arg(FILE *out, const char *a) {
  if (*a == '\'') {
    fputs("\\fI", out);
    man_text(out, a, strlen(a));
    fputs("\\fR", out);
    return;
  }
  while (*a) {
    size_t word = strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    if (word && (*a < '0' || *a > '9')) { /* URL, SECONDS */
      fputs("\\fI", out);
      man_text(out, a, word);
      fputs("\\fR", out);
      a += word;
      continue;
    }
    word = strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789.");
    if (word && *a != '.') { /* 1.1|2, basic|post */
      fputs("\\fB", out);
      man_text(out, a, word);
      fputs("\\fR", out);
      a += word;
      continue;
    }
    man_text(out, a, 1);
    a++;
  }
}

void sw_optab_man(const sw_optab *t, FILE *out) {
  for (size_t i = 0; i < t->n; i++) {
    const sw_optdef *o = &t->v[i];
    fputs(o->val <= 0xff || o->arg ? ".BR " : ".B ", out);
    if (o->val <= 0xff)
      fprintf(out, "\\-%c \", \" ", o->val);
    fputs("\\-\\-", out);
    man_text(out, o->name, strlen(o->name));
    if (o->arg) {
      fputs(" =", out);
      man_arg(out, o->arg);
    }
    fputs("\n", out);
  }
}

/* An Icinga string's body: '"' and '\' escaped, "@_" as "prefix_". */
static void icinga_text(FILE *out, const char *prefix, const char *s) {
  for (; *s; s++) {
    if (s[0] == '@' && s[1] == '_')
      fprintf(out, "%s", prefix), s++, fputc('_', out);
    else if (*s == '"' || *s == '\\')
      fprintf(out, "\\%c", *s);
    else
      fputc(*s, out);
  }
}

/* The variable: prefix_var, or prefix_ and the long name, '-' as '_'. */
static void icinga_var(FILE *out, const char *prefix, const sw_optdef *o) {
  fprintf(out, "%s_", prefix);
  for (const char *s = o->var ? o->var : o->name; *s; s++)
    fputc(*s == '-' ? '_' : *s, out);
}

static void icinga_key(FILE *out, const sw_optdef *o) {
  if (o->val <= 0xff)
    fprintf(out, "    \"-%c\" = {\n", o->val);
  else
    fprintf(out, "    \"--%s\" = {\n", o->name);
}

static void icinga_desc(FILE *out, const char *prefix, const char *desc) {
  fputs("      description = \"", out);
  icinga_text(out, prefix, desc);
  fputs("\"\n    }\n", out);
}

static void icinga_verbose(FILE *out, const char *prefix, const sw_optdef *o) {
  fputs("    \"-v\" = {\n      set_if = {{ string(macro(\"$", out);
  icinga_var(out, prefix, o);
  fputs("$\")) in [ \"true\", \"1\" ] }}\n", out);
  icinga_desc(out, prefix, o->icinga);
  for (int level = 2; level <= 3; level++) {
    fprintf(out, "    \"-%.*s\" = {\n", level, "vvv");
    fputs("      set_if = {{ string(macro(\"$", out);
    icinga_var(out, prefix, o);
    fprintf(out, "$\")) == \"%d\" }}\n", level);
    fputs("      description = \"", out);
    icinga_var(out, prefix, o);
    fprintf(out, " = %d\"\n    }\n", level);
  }
}

void sw_optab_icinga(const sw_optab *t, FILE *out) {
  fputs("  arguments = {\n", out);
  for (size_t i = 0; i < t->n; i++) {
    const sw_optdef *o = &t->v[i];
    if (o->kind == SW_ARG_INFO)
      continue;
    if (o->kind == SW_ARG_COUNT) {
      icinga_verbose(out, t->prefix, o);
      continue;
    }
    icinga_key(out, o);
    if (o->kind == SW_ARG_NONE) {
      fputs("      set_if = \"$", out);
      icinga_var(out, t->prefix, o);
      fputs("$\"\n", out);
      icinga_desc(out, t->prefix, o->icinga);
      continue;
    }
    fputs("      value = \"$", out);
    icinga_var(out, t->prefix, o);
    fputs("$\"\n", out);
    if (o->kind == SW_ARG_MANY)
      fputs("      repeat_key = true\n", out);
    fputs("      set_if = {{ var v = macro(\"$", out);
    icinga_var(out, t->prefix, o);
    fputs("$\"); return typeof(v) != Boolean && string(v) != \"\" }}\n", out);
    icinga_desc(out, t->prefix, o->icinga);
  }
  fputs("  }\n", out);
}
