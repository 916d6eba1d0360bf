/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole-plugin fuzz oracle; the rules are in oracle.h. It is written
 * from the conventions, not from lib/result.c, so that it can catch the
 * printer too. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "oracle.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"

/* The oracle is the judge, not code under test: no coverage feedback
 * from its loops (they were two thirds of every run's time), while ASan
 * and UBSan still check it. */
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))),         \
                             apply_to = function)

/* Secret fragments this long (in characters) are a leak. */
#define FRAG_CHARS 8
#define MAX_FORMS 64

/* The output as given, for a violation's report. */
typedef struct {
  const char *out;
  size_t len;
} report;

__attribute__((noreturn, format(printf, 2, 3))) static void
violation(const report *r, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "fuzz oracle: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n--- plugin output (%zu bytes) ---\n", r->len);
  fwrite(r->out, 1, r->len, stderr);
  fprintf(stderr, "\n--- end ---\n");
  abort();
}

/* ------------------------------------------------------------ lines */

/* The state word at s (len bytes available) and its length, or -1. */
static int state_word(const char *s, size_t len, size_t *wlen) {
  for (int st = 0; st <= 3; st++) {
    const char *w = sw_state_name((sw_state)st);
    size_t n = strlen(w);
    if (len >= n && memcmp(s, w, n) == 0) {
      *wlen = n;
      return st;
    }
  }
  return -1;
}

/* Bytes: only '\n' among the controls, every line ended and non-empty,
 * UTF-8 without C1 controls. */
static void check_bytes(const report *r) {
  if (r->len == 0 || r->out[r->len - 1] != '\n')
    violation(r, "output is empty or its last line has no newline");
  for (size_t i = 0; i < r->len; i++) {
    unsigned char c = (unsigned char)r->out[i];
    if ((c < 0x20 && c != '\n') || c == 0x7F)
      violation(r, "control byte 0x%02x at offset %zu", c, i);
    if (c == '\n' && (i == 0 || r->out[i - 1] == '\n'))
      violation(r, "empty line at offset %zu", i);
  }
  if (!fuzz_utf8((const unsigned char *)r->out, r->len))
    violation(r, "invalid UTF-8 or a C1 control");
}

static void check_perf(const report *r, const char *perf, size_t len);

/* Line 1: "SERVICE STATE - summary[ | perfdata]". */
static void check_status(const report *r, const char *service, int state,
                         const char *line, size_t len) {
  size_t sl = strlen(service), wl = 0;
  if (len < sl + 1 || memcmp(line, service, sl) != 0 || line[sl] != ' ')
    violation(r, "line 1 does not start with '%s '", service);
  int st = state_word(line + sl + 1, len - sl - 1, &wl);
  if (st < 0)
    violation(r, "line 1 has no state word");
  if (st != state)
    violation(r, "line 1 says %s, the plugin returns %d", sw_state_name(st),
              state);
  const char *rest = line + sl + 1 + wl;
  size_t rl = len - sl - 1 - wl;
  if (rl < 3 || memcmp(rest, " - ", 3) != 0)
    violation(r, "line 1: no ' - ' after the state");
  const char *bar = memchr(rest, '|', rl);
  if (bar && memchr(bar + 1, '|', rl - (size_t)(bar + 1 - rest)))
    violation(r, "line 1 has more than one '|'");
  const char *end = bar ? bar : rest + rl;
  size_t summary = (size_t)(end - rest) - 3;
  if (bar && (summary == 0 || bar[-1] != ' '))
    violation(r, "line 1: '|' not after the summary and a blank");
  if (summary == 0 || (bar && summary == 1))
    violation(r, "line 1 has an empty summary");
  if (bar)
    check_perf(r, bar + 1, rl - (size_t)(bar + 1 - rest));
}

/* The other lines: "\_ [STATE] text", worst first, none worse than
 * line 1's state. */
static void check_subs(const report *r, int state, const char *p,
                       const char *end) {
  int prev_rank = 99;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)(nl - p), wl = 0;
    if (len < 4 || memcmp(p, "\\_ [", 4) != 0)
      violation(r, "a line after the first is not '\\_ [STATE] ...'");
    int st = state_word(p + 4, len - 4, &wl);
    if (st < 0 || len < 4 + wl + 2 || memcmp(p + 4 + wl, "] ", 2) != 0)
      violation(r, "a sub-check line has no '[STATE] '");
    if (memchr(p, '|', len))
      violation(r, "a sub-check line holds '|'");
    int rank = sw_state_rank((sw_state)st);
    if (rank > prev_rank)
      violation(r, "sub-check lines are not worst first");
    if (rank > sw_state_rank((sw_state)state))
      violation(r, "a %s sub-check under a %s result", sw_state_name(st),
                sw_state_name(state));
    prev_rank = rank;
    p = nl + 1;
  }
}

/* ---------------------------------------------------------- perfdata */

/* A C-locale decimal at s: -?[0-9]+(\.[0-9]+)?; its length or 0. */
static size_t num_len(const char *s, size_t n) {
  size_t i = 0, d;
  if (i < n && s[i] == '-')
    i++;
  for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
    ;
  if (i == d)
    return 0;
  if (i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      ;
  return i;
}

/* A threshold field: empty, or [@][~|num][:[num]] but not "@", ":" or
 * "@:", and start <= end when both are numbers. */
static bool range_ok(const char *s, size_t n) {
  size_t i = 0, a = 0, b = 0, a_at = 0, b_at = 0;
  bool tilde = false, colon = false;
  if (n == 0)
    return true;
  if (s[i] == '@')
    i++;
  if (i < n && s[i] == '~')
    i++, tilde = true;
  else
    a = num_len(s + i, n - i), a_at = i, i += a;
  if (i < n && s[i] == ':')
    i++, colon = true, b = num_len(s + i, n - i), b_at = i, i += b;
  if (i != n || (!tilde && a == 0 && b == 0))
    return false;
  if (!tilde && a && colon && b)
    return strtod(s + a_at, NULL) <= strtod(s + b_at, NULL);
  return true;
}

/* One "label=fields" token's fields (after '='). */
static void check_fields(const report *r, const char *t, size_t n) {
  static const char *const uoms[] = {"",   "s",  "%",  "B", "KB",
                                     "MB", "GB", "TB", "c"};
  const char *f[5];
  size_t fl[5], nf = 0, i = 0;
  while (nf < 5) {
    size_t k = i;
    while (k < n && t[k] != ';')
      k++;
    f[nf] = t + i, fl[nf++] = k - i;
    if (k == n)
      break;
    i = k + 1;
    if (nf == 5)
      violation(r, "perfdata '%.*s': more than 5 fields", (int)n, t);
  }
  size_t v = fl[0] && f[0][0] == 'U' ? 1 : num_len(f[0], fl[0]);
  if (v == 0)
    violation(r, "perfdata '%.*s': value is not U or a decimal", (int)n, t);
  bool uom = false;
  for (i = 0; i < sizeof uoms / sizeof uoms[0]; i++)
    uom |=
        fl[0] - v == strlen(uoms[i]) && !memcmp(f[0] + v, uoms[i], fl[0] - v);
  if (!uom)
    violation(r, "perfdata '%.*s': bad unit", (int)n, t);
  for (i = 1; i < nf && i <= 2; i++)
    if (!range_ok(f[i], fl[i]))
      violation(r, "perfdata '%.*s': bad range '%.*s'", (int)n, t, (int)fl[i],
                f[i]);
  for (i = 3; i < nf; i++)
    if (fl[i] && num_len(f[i], fl[i]) != fl[i])
      violation(r, "perfdata '%.*s': min/max not a decimal", (int)n, t);
}

/* The label at p (quoted '..' with '' inside, or plain chars up to '=')
 * unquoted into lab; returns the bytes read up to and including '='. */
static size_t read_label(const report *r, const char *p, const char *end,
                         char *lab, size_t cap, size_t *llen) {
  size_t i = 0, o = 0;
  if (p[0] == '\'') {
    for (i = 1;; i++) {
      if (p + i >= end)
        violation(r, "perfdata: unterminated quoted label");
      if (p[i] == '\'' && p + i + 1 < end && p[i + 1] == '\'')
        i++;
      else if (p[i] == '\'')
        break;
      if (o < cap)
        lab[o++] = p[i];
    }
    i++;
  } else {
    for (; p + i < end && p[i] != '=' && p[i] != ' '; i++) {
      if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789_.:@/-",
                  p[i]) ||
          p[i] == '\0')
        violation(r, "perfdata: unquoted label needs quotes");
      if (o < cap)
        lab[o++] = p[i];
    }
    if (i == 0)
      violation(r, "perfdata: empty label");
  }
  if (p + i >= end || p[i] != '=')
    violation(r, "perfdata: a token without label=value");
  *llen = o;
  return i + 1;
}

static void check_perf(const report *r, const char *perf, size_t len) {
  const char *p = perf, *end = perf + len;
  char(*labels)[256] = NULL;
  size_t *lens = NULL, n = 0;
  while (p < end) {
    if (*p == ' ') {
      p++;
      continue;
    }
    labels = realloc(labels, (n + 1) * sizeof *labels);
    lens = realloc(lens, (n + 1) * sizeof *lens);
    if (!labels || !lens)
      abort();
    p += read_label(r, p, end, labels[n], sizeof labels[n], &lens[n]);
    const char *t = p;
    while (p < end && *p != ' ')
      p++;
    check_fields(r, t, (size_t)(p - t));
    for (size_t i = 0; i < n; i++)
      if (lens[i] == lens[n] && !memcmp(labels[i], labels[n], lens[n]))
        violation(r, "perfdata label '%.*s' appears twice", (int)lens[n],
                  labels[n]);
    n++;
  }
  if (n == 0)
    violation(r, "'|' without perfdata");
  free(labels);
  free(lens);
}

/* ----------------------------------------------------------- secrets */

/* The forms a secret can take in output: owned strings. */
typedef struct {
  char *v[MAX_FORMS];
  size_t n;
  /* v[0..wire): what a secret is sent or echoed as, and masked as; the
   * rest (a sanitised form) only shows how printed text may carry one,
   * so a server sending it is sending something else */
  size_t wire;
} forms;

static void forms_add(forms *f, char *s) {
  if (!s)
    abort();
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->v[i], s) == 0) {
      free(s);
      return;
    }
  if (f->n == MAX_FORMS)
    abort();
  f->v[f->n++] = s;
}

/* RFC 3986 percent-encoding (curl_easy_escape's: unreserved kept). */
static char *url_form(const char *s) {
  char *o = malloc(3 * strlen(s) + 1), *p = o;
  for (; o && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~", c))
      *p++ = (char)c;
    else
      p += sprintf(p, "%%%02X", c);
  }
  if (o)
    *p = '\0';
  return o;
}

/* A JSON string's content as a server writes it, with "\/" for '/'. */
/* JSON string escaping as json-c writes it (with or without "\/"); n
 * bytes of s into out (room for 6 n), returns the length. */
static size_t json_escape(const unsigned char *s, size_t n, bool slash,
                          char *out) {
  static const char short_esc[] = "\"\"\\\\\bb\ff\nn\rr\tt";
  char *p = out;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    const char *e = c ? strchr(short_esc, c) : NULL;
    if (e && (e - short_esc) % 2 == 0)
      *p++ = '\\', *p++ = e[1];
    else if (c == '/' && slash)
      *p++ = '\\', *p++ = '/';
    else if (c < 0x20)
      p += sprintf(p, "\\u%04x", c);
    else
      *p++ = (char)c;
  }
  *p = '\0';
  return (size_t)(p - out);
}

/* A secret's JSON-escaped form (slash: with "\/"). */
static char *json_form(const char *s, bool slash) {
  char *o = malloc(6 * strlen(s) + 1);
  if (o)
    json_escape((const unsigned char *)s, strlen(s), slash, o);
  return o;
}

static char *sanitised_form(const char *s) {
  size_t n = 4 * strlen(s) + 4;
  char *o = malloc(n);
  if (o)
    sw_sanitize(o, n, s, strlen(s), 0);
  return o;
}

/* Longest first: blanking a short form inside a longer one would leave
 * the longer one's tail to pass as the server's own text. */
static void sort_longest_first(char **v, size_t n) {
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && strlen(v[j]) > strlen(v[j - 1]); j--) {
      char *t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
}

static void forms_build(const fuzz_oracle *o, forms *f) {
  f->n = 0;
  for (size_t i = 0; o->secrets && o->secrets[i]; i++) {
    const char *s = o->secrets[i];
    forms_add(f, strdup(s));
    forms_add(f, url_form(s));
    forms_add(f, sw_base64(s, strlen(s)));
    forms_add(f, json_form(s, true));
    forms_add(f, json_form(s, false));
  }
  for (size_t i = 0; o->forms && o->forms[i]; i++)
    forms_add(f, strdup(o->forms[i]));
  sort_longest_first(f->v, f->n);
  f->wire = f->n;
  for (size_t i = 0; o->secrets && o->secrets[i]; i++)
    forms_add(f, sanitised_form(o->secrets[i]));
}

static void forms_free(forms *f) {
  for (size_t i = 0; i < f->n; i++)
    free(f->v[i]);
  f->n = 0;
}

/* Bytes of the FRAG_CHARS UTF-8 characters at s, or 0 when fewer or
 * when s is inside a character (windows start on a character). */
static size_t window_len(const char *s) {
  size_t i = 0;
  if (((unsigned char)*s & 0xC0) == 0x80)
    return 0;
  for (int c = 0; c < FRAG_CHARS; c++) {
    if (!s[i])
      return 0;
    for (i++; s[i] && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
      ;
  }
  return i;
}

/* ---- what the server sent, as the plugin may have decoded it */

static int hexval(int c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Appends code point cp as UTF-8 at *p. */
static void put_utf8(unsigned char **p, unsigned long cp) {
  unsigned char *o = *p;
  if (cp < 0x80)
    *o++ = (unsigned char)cp;
  else if (cp < 0x800)
    *o++ = (unsigned char)(0xC0 | cp >> 6), *o++ = 0x80 | (cp & 0x3F);
  else if (cp < 0x10000)
    *o++ = (unsigned char)(0xE0 | cp >> 12),
    *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F)), *o++ = 0x80 | (cp & 0x3F);
  else if (cp <= 0x10FFFF)
    *o++ = (unsigned char)(0xF0 | cp >> 18),
    *o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F)),
    *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F)), *o++ = 0x80 | (cp & 0x3F);
  *p = o;
}

/* Hex digits at s (n of them), or -1. */
static long hexn(const unsigned char *s, size_t avail, size_t n) {
  long v = 0;
  if (avail < n)
    return -1;
  for (size_t i = 0; i < n; i++) {
    int h = hexval(s[i]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/* JSON string escapes decoded (json-c's reading; surrogate pairs
 * joined). The output is never longer than the input. */
static size_t json_unescape(const unsigned char *s, size_t n,
                            unsigned char *out) {
  unsigned char *o = out;
  for (size_t i = 0; i < n; i++) {
    const char *simple = "\"\"\\\\//b\bf\fn\nr\rt\t";
    const char *m =
        i + 1 < n && s[i] == '\\' && s[i + 1] ? strchr(simple, s[i + 1]) : NULL;
    long u = i + 1 < n && s[i] == '\\' && s[i + 1] == 'u'
                 ? hexn(s + i + 2, n - i - 2, 4)
                 : -1;
    if (m && (m - simple) % 2 == 0) {
      *o++ = (unsigned char)m[1], i++;
    } else if (u >= 0xD800 && u < 0xDC00 && i + 11 < n + 0 &&
               s[i + 6] == '\\' && s[i + 7] == 'u' &&
               hexn(s + i + 8, n - i - 8, 4) >= 0xDC00) {
      long lo = hexn(s + i + 8, n - i - 8, 4);
      put_utf8(&o, 0x10000 + (((unsigned long)u - 0xD800) << 10) +
                       ((unsigned long)lo - 0xDC00));
      i += 11;
    } else if (u >= 0) {
      put_utf8(&o, (unsigned long)u);
      i += 5;
    } else {
      *o++ = s[i];
    }
  }
  return (size_t)(o - out);
}

/* XML's predefined entities and character references (libxml2's). */
static size_t xml_unescape(const unsigned char *s, size_t n,
                           unsigned char *out) {
  static const char *const ent[] = {"&amp;", "&",      "&lt;", "<",      "&gt;",
                                    ">",     "&quot;", "\"",   "&apos;", "'"};
  unsigned char *o = out;
  for (size_t i = 0; i < n; i++) {
    size_t k, e;
    for (e = 0; e < 10; e += 2)
      if (n - i >= strlen(ent[e]) && !memcmp(s + i, ent[e], strlen(ent[e])))
        break;
    if (e < 10) {
      *o++ = (unsigned char)ent[e + 1][0], i += strlen(ent[e]) - 1;
      continue;
    }
    bool hex = i + 2 < n && s[i + 1] == '#' && (s[i + 2] | 0x20) == 'x';
    unsigned long cp = 0;
    for (k = i + 2 + hex;
         i + 1 < n && s[i] == '&' && s[i + 1] == '#' && k < n && k < i + 12 &&
         (hex ? hexval(s[k]) >= 0 : s[k] >= '0' && s[k] <= '9');
         k++)
      cp = cp * (hex ? 16 : 10) + (unsigned long)hexval(s[k]);
    if (k < n && s[k] == ';' && k > i + 2 + hex && cp <= 0x10FFFF) {
      put_utf8(&o, cp);
      i = k;
    } else {
      *o++ = s[i];
    }
  }
  return (size_t)(o - out);
}

/* %XX decoded (what URL parsers and form readers do). */
static size_t url_unescape(const unsigned char *s, size_t n,
                           unsigned char *out) {
  unsigned char *o = out;
  for (size_t i = 0; i < n; i++) {
    long v = s[i] == '%' ? hexn(s + i + 1, n - i - 1, 2) : -1;
    if (v >= 0)
      *o++ = (unsigned char)v, i += 2;
    else
      *o++ = s[i];
  }
  return (size_t)(o - out);
}

/* The server's bytes JSON-escaped, as a plugin that shows a JSON
 * string value in JSON syntax prints them ("\u0013" for a control
 * byte), without and with "\/". */
static size_t json_escaped(const unsigned char *s, size_t n,
                           unsigned char *out) {
  return json_escape(s, n, false, (char *)out);
}

static size_t json_escaped_sl(const unsigned char *s, size_t n,
                              unsigned char *out) {
  return json_escape(s, n, true, (char *)out);
}

/* The server's bytes as a URL parser writes them back (libcurl's
 * curl_url percent-encodes a space, '"', '|', controls and non-ASCII in
 * a URI a playlist names, and leaves reserved characters as they are). */
static size_t url_escaped(const unsigned char *s, size_t n,
                          unsigned char *out) {
  unsigned char *o = out;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c > 0x20 && c < 0x7F && !strchr("\"<>\\^`{|}", c))
      *o++ = c;
    else
      o += sprintf((char *)o, "%%%02X", c);
  }
  return (size_t)(o - out);
}

/* Blanks every whole form in buf[0..n) (longest first): those a plugin
 * must mask, so they are no excuse for a fragment. */
static void blank_forms(const forms *f, unsigned char *buf, size_t n) {
  for (size_t i = 0; i < f->wire; i++) {
    size_t fl = strlen(f->v[i]);
    unsigned char *p = buf;
    while ((p = memmem(p, n - (size_t)(p - buf), f->v[i], fl)))
      memset(p, 0, fl);
  }
}

/* What the server sent, in each of the ways the plugin may have read its
 * bytes (as sent, JSON-, XML- or URL-decoded, or escaped), each also
 * sanitised as the printer does (a raw "a|b" is shown as "a/b"), with
 * every whole secret form blanked: built once per run, at the first
 * window found in the output. */
#define N_DECODERS 7
typedef struct {
  unsigned char *buf[2 * N_DECODERS];
  size_t len[2 * N_DECODERS];
  bool built;
} server_views;

static void views_build(const fuzz_oracle *o, const forms *f,
                        server_views *sv) {
  typedef size_t (*decoder)(const unsigned char *, size_t, unsigned char *);
  static const decoder dec[N_DECODERS] = {
      NULL,         json_unescape,   xml_unescape, url_unescape,
      json_escaped, json_escaped_sl, url_escaped};
  for (size_t v = 0; v < N_DECODERS; v++) {
    unsigned char *buf = malloc(6 * o->server_len + 1);
    unsigned char *safe = malloc(6 * o->server_len + 1);
    if (!buf || !safe)
      abort();
    size_t n = o->server_len;
    if (dec[v])
      n = dec[v](o->server, o->server_len, buf);
    else if (n)
      memcpy(buf, o->server, n);
    blank_forms(f, buf, n);
    size_t sn = sw_sanitize((char *)safe, n + 1, (const char *)buf, n, 0);
    blank_forms(f, safe, sn);
    sv->buf[2 * v] = buf, sv->len[2 * v] = n;
    sv->buf[2 * v + 1] = safe, sv->len[2 * v + 1] = sn;
  }
  sv->built = true;
}

static void views_free(server_views *sv) {
  for (size_t i = 0; sv->built && i < 2 * N_DECODERS; i++)
    free(sv->buf[i]);
}

/* Did the server send the window w itself, apart from every whole
 * secret form, in one of the views above? */
static bool server_sent(const server_views *sv, const char *w, size_t wl) {
  for (size_t i = 0; i < 2 * N_DECODERS; i++)
    if (memmem(sv->buf[i], sv->len[i], w, wl))
      return true;
  return false;
}

/* The window, or all of it but its first or its last character: a
 * server's 7 characters of a secret next to one of the plugin's own (a
 * '/' URL parsing adds after a host name) are the server's. A whole
 * secret is blanked in what the server sent, so a cut of one is still
 * found. */
static bool server_sent_most(const fuzz_oracle *o, const forms *f,
                             server_views *sv, const char *w, size_t wl) {
  size_t first = 1, last = 1;
  while (first < wl && ((unsigned char)w[first] & 0xC0) == 0x80)
    first++;
  while (last < wl && ((unsigned char)w[wl - last] & 0xC0) == 0x80)
    last++;
  if (!sv->built)
    views_build(o, f, sv);
  return server_sent(sv, w, wl) || server_sent(sv, w + first, wl - first) ||
         server_sent(sv, w, wl - last);
}

/* One window of a form: FRAG_CHARS characters from s, len bytes. */
typedef struct {
  unsigned key; /* its first two bytes */
  const char *s, *form;
  size_t len;
} window;

static int window_cmp(const void *a, const void *b) {
  unsigned ka = ((const window *)a)->key, kb = ((const window *)b)->key;
  return ka < kb ? -1 : ka > kb;
}

static unsigned key_at(const char *s) {
  return (unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1];
}

/* Every window of every form, sorted by key; *n set. */
static window *windows_build(const forms *f, size_t *n) {
  size_t cap = 0;
  for (size_t i = 0; i < f->n; i++)
    cap += strlen(f->v[i]);
  window *w = malloc((cap + 1) * sizeof *w);
  if (!w)
    abort();
  *n = 0;
  for (size_t i = 0; i < f->n; i++)
    for (const char *s = f->v[i]; *s; s++) {
      size_t wl = window_len(s);
      if (wl)
        w[(*n)++] = (window){key_at(s), s, f->v[i], wl};
    }
  qsort(w, *n, sizeof *w, window_cmp);
  return w;
}

/* Every window of every form looked up in the output, through the
 * windows sorted by their first two bytes: one pass over the output. */
static void check_secrets(const report *r, const fuzz_oracle *o) {
  forms f;
  server_views sv = {.built = false};
  size_t nw;
  forms_build(o, &f);
  window *w = windows_build(&f, &nw);
  for (size_t at = 0; at + 1 < r->len; at++) {
    unsigned k = key_at(r->out + at);
    size_t lo = 0, hi = nw;
    while (lo < hi) { /* the first window whose key is >= k */
      size_t mid = lo + (hi - lo) / 2;
      if (w[mid].key < k)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t i = lo; i < nw && w[i].key == k; i++) {
      if (w[i].len > r->len - at ||
          memcmp(r->out + at, w[i].s, w[i].len) != 0 ||
          server_sent_most(o, &f, &sv, w[i].s, w[i].len))
        continue;
      violation(r, "secret fragment '%.*s' (of form '%s') at offset %zu",
                (int)w[i].len, w[i].s, w[i].form, at);
    }
  }
  free(w);
  views_free(&sv);
  forms_free(&f);
}

/* ------------------------------------------------------------ entry */

void fuzz_oracle_check(const fuzz_oracle *o, const char *out, size_t len,
                       int state) {
  report r = {out, len};
  if (getenv("FUZZ_SHOW")) /* to read what a seed makes the plugin say */
    fprintf(stderr, "--- exit %d ---\n%.*s", state, (int)len, out);
  if (state < 0 || state > 3)
    violation(&r, "exit state %d is not 0..3", state);
  check_bytes(&r);
  const char *nl = memchr(out, '\n', len);
  check_status(&r, o->service, state, out, (size_t)(nl - out));
  check_subs(&r, state, nl + 1, out + len);
  check_secrets(&r, o);
}

int fuzz_oracle_print(const fuzz_oracle *o, const sw_check *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    abort();
  int state = (int)sw_check_print(c, f);
  fclose(f);
  fuzz_oracle_check(o, buf, len, state);
  free(buf);
  return state;
}

int fuzz_oracle_perf(const char *out, size_t len, const char *label,
                     double *v) {
  const char *nl = memchr(out, '\n', len);
  const char *bar = nl ? memchr(out, '|', (size_t)(nl - out)) : NULL;
  size_t ll = strlen(label);
  /* labels the targets ask for are plain: " label=" after the '|' */
  for (const char *p = bar; p && p + ll + 2 < nl; p++) {
    if (p[0] != ' ' || memcmp(p + 1, label, ll) != 0 || p[ll + 1] != '=')
      continue;
    if (p[ll + 2] == 'U')
      return 0;
    *v = strtod(p + ll + 2, NULL);
    return 1;
  }
  return -1;
}

void fuzz_capture_begin(fuzz_capture *cap) {
  memset(cap, 0, sizeof *cap);
  fflush(stdout);
  cap->mem = open_memstream(&cap->buf, &cap->len);
  if (!cap->mem)
    abort();
  /* glibc's stdout is an assignable FILE *: printf and a plugin's
   * sw_check_print(..., stdout) then write into memory. */
  cap->saved = stdout;
  stdout = cap->mem;
}

void fuzz_capture_end(fuzz_capture *cap, char **out, size_t *len) {
  stdout = cap->saved;
  fclose(cap->mem);
  *out = cap->buf;
  *len = cap->len;
}

#pragma clang attribute pop
