/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading an MPD's XML within its memory budget: a pre-scan counts
 * elements, attributes and names before libxml2 allocates, then a SAX
 * parse keeps in libxml2's tree only what the model reads (mpd.c), and
 * S and SegmentURL elements in compact side stores. See mpd_read.h. */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpd.h"
#include "mpd_read.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strparse.h"

/* A limit's number as text, for messages built at compile time. */
#define MPD_STR_(x) #x
#define MPD_STR(x) MPD_STR_(x)

/* The pre-scan's count of one document (mpd_prescan). */
typedef struct {
  size_t elements, attrs;
  size_t wide_at; /* 1 + offset of an element with too many attributes */
  size_t names;   /* distinct element and attribute names */
  uint64_t seen[MPD_MAX_NAMES * 2]; /* their hashes (0: free slot) */
} mpd_count;

/* Skips from s[i] to just past the first occurrence of end (or to len). */
static size_t skip_past(const char *s, size_t len, size_t i, const char *end) {
  size_t n = strlen(end);

  for (; i + n <= len; i++)
    if (memcmp(s + i, end, n) == 0)
      return i + n;
  return len;
}

/* True for the bytes that end a name in a tag. */
static bool name_end(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '=' ||
         ch == '/' || ch == '>';
}

/* Counts the name s[0..n) once (FNV-1a into an open-addressing set);
 * past MPD_MAX_NAMES names only the count grows. */
static void count_name(const char *s, size_t n, mpd_count *c) {
  uint64_t h = 1469598103934665603ULL;
  size_t i, slots = sizeof c->seen / sizeof c->seen[0];

  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  h |= 1; /* 0 marks a free slot */
  if (c->names > MPD_MAX_NAMES)
    return;
  for (i = h % slots; c->seen[i]; i = (i + 1) % slots)
    if (c->seen[i] == h)
      return;
  c->seen[i] = h;
  c->names++;
}

/* Counts the attribute whose '=' is at s[eq], its name before it. */
static void count_attr(const char *s, size_t start, size_t eq, mpd_count *c) {
  size_t e = eq, b;

  while (e > start && name_end(s[e - 1]))
    e--;
  for (b = e; b > start && !name_end(s[b - 1]);)
    b--;
  count_name(s + b, e - b, c);
}

/* Counts the start tag at s[i] ('<' and a name) and returns its end. */
static size_t count_tag(const char *s, size_t len, size_t i, mpd_count *c) {
  size_t at = i, attrs = 0, n = 0;
  char q = 0;

  while (at + n < len && !name_end(s[at + n]))
    n++;
  count_name(s + at, n, c);
  c->elements++;
  for (; i < len; i++) {
    if (q) {
      q = s[i] == q ? 0 : q;
    } else if (s[i] == '"' || s[i] == '\'') {
      q = s[i];
    } else if (s[i] == '=') {
      attrs++;
      count_attr(s, at, i, c);
    } else if (s[i] == '>') {
      break;
    }
  }
  c->attrs += attrs;
  if (attrs > MPD_MAX_TAG_ATTRS && !c->wide_at)
    c->wide_at = at + 1;
  return i;
}

/* Refuses the counts past a limit, naming it. Returns 0 or -1. */
static int prescan_verdict(const mpd_count *c, sw_err *err) {
  if (c->wide_at)
    return sw_fail(err,
                   "MPD element at byte %zu has more than %d attributes "
                   "(limit)",
                   c->wide_at - 1, MPD_MAX_TAG_ATTRS);
  if (c->elements > MPD_MAX_ELEMENTS)
    return sw_fail(err,
                   "MPD has %zu elements, more than the %d this check "
                   "parses (limit)",
                   c->elements, MPD_MAX_ELEMENTS);
  if (c->attrs > MPD_MAX_ATTRS)
    return sw_fail(err,
                   "MPD has %zu attributes, more than the %d this check "
                   "parses (limit)",
                   c->attrs, MPD_MAX_ATTRS);
  if (c->names > MPD_MAX_NAMES)
    return sw_fail(err,
                   "MPD has more than %d distinct element and attribute "
                   "names (limit)",
                   MPD_MAX_NAMES);
  return 0;
}

/* Counts elements, attributes and names before libxml2 sees the text:
 * libxml2 interns every name (200000 distinct attribute names took 4 s
 * and 40 MB in its dictionary) and checks each attribute against all
 * others of its element, so these are refused here, whatever the parse
 * keeps. Comments, CDATA and processing
 * instructions are skipped; the text need not be well-formed (libxml2
 * judges that). Returns 0, or -1 with err naming the limit. */
static int prescan(const char *s, size_t len, sw_err *err) {
  mpd_count *c = calloc(1, sizeof *c);
  size_t i = 0;
  int rc;

  if (!c)
    return sw_fail(err, "out of memory");

  while (i < len) {
    const char *lt = memchr(s + i, '<', len - i);
    if (!lt)
      break;
    i = (size_t)(lt - s);
    if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
      i = skip_past(s, len, i + 4, "-->");
    else if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
      i = skip_past(s, len, i + 9, "]]>");
    else if (len - i >= 2 && s[i + 1] == '?')
      i = skip_past(s, len, i + 2, "?>");
    else if (len - i >= 2 && s[i + 1] != '/' && s[i + 1] != '!')
      i = count_tag(s, len, i + 1, c);
    else
      i++;
  }
  rc = prescan_verdict(c, err);
  free(c);
  return rc;
}

/* The state of one SAX parse: libxml2's own tree builder (base), called
 * only for what the model reads. */
typedef struct {
  xmlSAXHandler base;
  mpd_side *sides;
  size_t skip;    /* depth inside an element that is not kept */
  size_t nodes;   /* elements and attributes kept in the tree */
  size_t items;   /* S and SegmentURL read */
  size_t periods; /* Period elements seen (only the first is read) */
  char err[200];  /* why the parse was stopped, or "" */
} mpd_sax;

/* Elements the model reads, each with the parents it is read under (the
 * tree would keep anything anywhere; the model looks only here). */
static const struct {
  const char *name, *parents;
} KEPT[] = {
    {"MPD", ""},
    {"Period", " MPD "},
    {"AdaptationSet", " Period "},
    {"Representation", " AdaptationSet "},
    {"BaseURL", " MPD Period AdaptationSet Representation "},
    {"SegmentBase", " Period AdaptationSet Representation "},
    {"SegmentList", " Period AdaptationSet Representation "},
    {"SegmentTemplate", " Period AdaptationSet Representation "},
    {"Initialization", " SegmentBase SegmentList SegmentTemplate "},
    {"SegmentTimeline", " SegmentBase SegmentList SegmentTemplate "},
    {"S", " SegmentTimeline "},
    {"SegmentURL", " SegmentList "},
};

/* True when the element name under parent (NULL: the root) is read. */
static bool kept(const char *name, const xmlNode *parent) {
  char word[40];
  size_t i;

  for (i = 0; i < sizeof KEPT / sizeof KEPT[0]; i++) {
    if (strcmp(name, KEPT[i].name) != 0)
      continue;
    if (!parent)
      return !KEPT[i].parents[0];
    if (strlen((const char *)parent->name) + 3 > sizeof word)
      return false;
    snprintf(word, sizeof word, " %s ", (const char *)parent->name);
    return strstr(KEPT[i].parents, word) != NULL;
  }
  return false;
}

/* Stops the parse with why (the first reason wins). Returns -1. */
static int stop(xmlParserCtxt *p, mpd_sax *st, const char *why) {
  if (!st->err[0])
    snprintf(st->err, sizeof st->err, "%s", why);
  xmlStopParser(p);
  return -1;
}

/* The side store of node, made on first use. NULL when out of memory. */
static mpd_side *side_of(mpd_sax *st, xmlNode *node) {
  mpd_side *sd = node->_private;

  if (sd)
    return sd;
  if (!(sd = calloc(1, sizeof *sd)))
    return NULL;
  sd->next = st->sides;
  st->sides = sd;
  node->_private = sd;
  return sd;
}

/* Room for one more entry in sd. Returns 0, or -1 out of memory. */
static int side_grow(mpd_side *sd, bool urls) {
  size_t cap = sd->cap ? sd->cap * 2 : 16;
  void *p;

  if (sd->n < sd->cap)
    return 0;
  p = urls ? realloc(sd->urls, cap * sizeof *sd->urls)
           : realloc(sd->s, cap * sizeof *sd->s);
  if (!p)
    return -1;
  if (urls)
    sd->urls = p;
  else
    sd->s = p;
  sd->cap = cap;
  return 0;
}

/* The value of attribute name in libxml2's SAX2 attribute array (5
 * pointers each: local name, prefix, URI, value, end), as a malloc'd
 * string. libxml2 hands '&' over as "&#38;" (its tree builder decodes
 * it), so that is decoded here. *found says whether it was there. */
static char *attr_dup(const xmlChar **attrs, int n, const char *name,
                      bool *found) {
  int i;

  *found = false;
  for (i = 0; i < n; i++) {
    const char *v = (const char *)attrs[5 * i + 3];
    size_t len = (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]), o = 0, k;
    char *out;
    if (strcmp((const char *)attrs[5 * i], name) != 0)
      continue;
    *found = true;
    if (!(out = malloc(len + 1)))
      return NULL;
    for (k = 0; k < len; k++) {
      out[o++] = v[k];
      if (len - k >= 5 && memcmp(v + k, "&#38;", 5) == 0)
        k += 4;
    }
    out[o] = '\0';
    return out;
  }
  return NULL;
}

/* Reads xs:unsignedLong attribute name of S into *out (absent: left
 * alone). Returns 0, or -1 with why filled (as prop_ulong says it). */
static int s_ulong(const xmlChar **attrs, int n, const char *name,
                   unsigned long *out, bool *has, char *why, size_t wn) {
  char *v = attr_dup(attrs, n, name, has);
  int rc = 0;

  if (*has && (!v || sw_parse_ulong(v, 0, (unsigned long)-1, out))) {
    snprintf(why, wn, v ? "S@%s: bad number" : "out of memory", name);
    rc = -1;
  }
  free(v);
  return rc;
}

/* One S element (5.3.9.6) of the SegmentTimeline parent. Returns 0, or
 * -1 with the parse stopped. */
static int sax_s(xmlParserCtxt *p, mpd_sax *st, int n, const xmlChar **attrs) {
  mpd_side *sd = side_of(st, p->node);
  char why[80];
  mpd_s s;
  bool has_t, has_d, has_r;
  char *r;

  memset(&s, 0, sizeof s);
  if (!sd || side_grow(sd, false))
    return stop(p, st, "out of memory");
  if (s_ulong(attrs, n, "t", &s.t, &has_t, why, sizeof why) ||
      s_ulong(attrs, n, "d", &s.d, &has_d, why, sizeof why))
    return stop(p, st, why);
  s.has_t = has_t;
  if (s.d == 0)
    return stop(p, st, "S without d");
  r = attr_dup(attrs, n, "r", &has_r);
  s.r_open = r && strcmp(r, "-1") == 0;
  free(r);
  if (!s.r_open && s_ulong(attrs, n, "r", &s.r, &has_r, why, sizeof why))
    return stop(p, st, why);
  sd->s[sd->n++] = s;
  return 0;
}

/* One SegmentURL element (5.3.9.3.2) of the SegmentList parent. Returns
 * 0, or -1 with the parse stopped. */
static int sax_url(xmlParserCtxt *p, mpd_sax *st, int n,
                   const xmlChar **attrs) {
  mpd_side *sd = side_of(st, p->node);
  bool has;
  char *media;

  if (!sd || side_grow(sd, true))
    return stop(p, st, "out of memory");
  media = attr_dup(attrs, n, "media", &has);
  if (has && !media)
    return stop(p, st, "out of memory");
  sd->urls[sd->n++] = media;
  return 0;
}

/* startElementNs: an element is kept in the tree only when the model
 * reads it there (kept); S and SegmentURL go to the side stores; every
 * other element is skipped with all it holds. */
static void sax_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int nb_ns, const xmlChar **ns,
                      int nb_attrs, int nb_def, const xmlChar **attrs) {
  xmlParserCtxt *p = ctx;
  mpd_sax *st = p->_private;
  const char *nm = (const char *)name;
  bool is_s = strcmp(nm, "S") == 0, is_url = strcmp(nm, "SegmentURL") == 0;

  if (st->skip || !kept(nm, p->node) ||
      (strcmp(nm, "Period") == 0 && st->periods++ > 0)) {
    st->skip++;
    return;
  }
  if (is_s || is_url) {
    st->skip++; /* nothing inside them is read */
    if (++st->items > MPD_MAX_ITEMS)
      stop(p, st,
           "MPD has more than " MPD_STR(
               MPD_MAX_ITEMS) " S and SegmentURL elements (limit)");
    else
      (void)(is_s ? sax_s : sax_url)(p, st, nb_attrs, attrs);
    return;
  }
  st->nodes += 1 + (size_t)nb_attrs;
  if (st->nodes > MPD_MAX_NODES) {
    stop(p, st,
         "MPD has more than " MPD_STR(
             MPD_MAX_NODES) " elements and attributes besides S and SegmentURL "
                            "(limit)");
    return;
  }
  st->base.startElementNs(ctx, name, prefix, uri, nb_ns, ns, nb_attrs, nb_def,
                          attrs);
}

static void sax_end(void *ctx, const xmlChar *name, const xmlChar *prefix,
                    const xmlChar *uri) {
  xmlParserCtxt *p = ctx;
  mpd_sax *st = p->_private;

  if (st->skip) {
    st->skip--;
    return;
  }
  st->base.endElementNs(ctx, name, prefix, uri);
}

/* Text is read only from BaseURL (base_of); elsewhere it would only
 * grow the tree (whitespace between 100000 S elements included). */
static void sax_text(void *ctx, const xmlChar *ch, int len) {
  xmlParserCtxt *p = ctx;
  mpd_sax *st = p->_private;

  if (!st->skip && p->node &&
      strcmp((const char *)p->node->name, "BaseURL") == 0)
    st->base.characters(ctx, ch, len);
}

static void sax_cdata(void *ctx, const xmlChar *ch, int len) {
  xmlParserCtxt *p = ctx;
  mpd_sax *st = p->_private;

  if (!st->skip && p->node &&
      strcmp((const char *)p->node->name, "BaseURL") == 0)
    st->base.cdataBlock(ctx, ch, len);
}

/* Puts the filtering handlers in front of libxml2's tree builder. */
static void sax_wrap(xmlParserCtxt *p, mpd_sax *st) {
  st->base = *p->sax;
  p->sax->startElementNs = sax_start;
  p->sax->endElementNs = sax_end;
  p->sax->characters = sax_text;
  p->sax->ignorableWhitespace = sax_text;
  p->sax->cdataBlock = sax_cdata;
  p->sax->comment = NULL;
  p->sax->processingInstruction = NULL;
  p->_private = st;
}

void mpd_sides_free(mpd_side *sd) {
  while (sd) {
    mpd_side *next = sd->next;
    while (sd->urls && sd->n)
      free(sd->urls[--sd->n]);
    free(sd->urls);
    free(sd->s);
    free(sd);
    sd = next;
  }
}

/* True when text declares a DTD or entities: an MPD never needs one, and
 * refusing before libxml2 sees it rules out XXE and entity expansion. */
static int has_dtd(const char *text, size_t len) {
  static const char *const bad[] = {"<!DOCTYPE", "<!ENTITY"};
  size_t i, k;

  for (i = 0; i + 8 < len; i++)
    if (text[i] == '<' && text[i + 1] == '!')
      for (k = 0; k < 2; k++)
        if (len - i >= strlen(bad[k]) &&
            memcmp(text + i, bad[k], strlen(bad[k])) == 0)
          return 1;
  return 0;
}

/* libxml2's generic error handler while an MPD is read: silent. */
static void xml_quiet(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

/* Reads the XML with no network, no DTD loading, no entity substitution,
 * and libxml2's messages kept out of stderr (lib code never prints).
 * XML_PARSE_NOERROR does not cover the generic handler, through which
 * a failed encoding conversion ("encoding error : input conversion
 * failed", found by tests/fuzz/fuzz_mpd) went to stderr: it is silenced
 * for the parse and restored after. The tree holds only what the model
 * reads (sax_wrap); *sides gets the S and SegmentURL stores (mpd_sides_free
 * them after the tree is read). */
static xmlDoc *read_xml(const char *text, size_t len, mpd_side **sides,
                        sw_err *err) {
  xmlParserCtxt *ctx = xmlCreateMemoryParserCtxt(text, (int)len);
  xmlGenericErrorFunc saved = xmlGenericError;
  void *saved_ctx = xmlGenericErrorContext;
  xmlDoc *doc = NULL;
  const xmlError *e;
  mpd_sax st;

  *sides = NULL;
  if (!ctx) {
    sw_fail(err, "out of memory");
    return NULL;
  }
  memset(&st, 0, sizeof st);
  xmlCtxtUseOptions(ctx,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  sax_wrap(ctx, &st);
  xmlSetGenericErrorFunc(NULL, xml_quiet);
  xmlParseDocument(ctx);
  xmlSetGenericErrorFunc(saved_ctx, saved);
  doc = ctx->myDoc;
  ctx->myDoc = NULL;
  *sides = st.sides;
  if (st.err[0]) {
    sw_fail(err, "%s", st.err);
  } else if (!ctx->wellFormed || !doc) {
    char msg[200] = "";
    e = xmlCtxtGetLastError(ctx);
    if (e && e->message)
      sw_sanitize(msg, sizeof msg, e->message, strlen(e->message), 0);
    sw_fail(err, "not an MPD: XML error at line %d: %s", e ? e->line : 0, msg);
  } else if (doc->intSubset || doc->extSubset) {
    sw_fail(err, "MPD with a DTD refused");
  } else {
    xmlFreeParserCtxt(ctx);
    return doc;
  }
  xmlFreeDoc(doc);
  xmlFreeParserCtxt(ctx);
  mpd_sides_free(*sides);
  *sides = NULL;
  return NULL;
}

xmlDoc *mpd_read(const char *text, size_t len, mpd_side **sides, sw_err *err) {
  *sides = NULL;
  if (has_dtd(text, len)) {
    sw_fail(err, "MPD with a DOCTYPE or ENTITY declaration refused");
    return NULL;
  }
  if (prescan(text, len, err))
    return NULL;
  return read_xml(text, len, sides, err);
}
