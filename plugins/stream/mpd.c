/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DASH MPD parser (ISO/IEC 23009-1) over libxml2; see mpd.h. This file
 * builds the model from the tree mpd_read.c reads; mpd_seg.c computes
 * segment URLs from it. */
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
#include "sttext.h"

typedef struct {
  mpd *m;
  sw_err *err;
} mpd_ctx;

static int is(const xmlNode *n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0;
}

/* The first child element called name, or NULL. */
static xmlNode *child(const xmlNode *n, const char *name) {
  xmlNode *k;

  for (k = n ? n->children : NULL; k; k = k->next)
    if (is(k, name))
      return k;
  return NULL;
}

/* Attribute name as a malloc'd string (NULL when absent or no memory). */
static char *prop_dup(xmlNode *n, const char *name) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  char *copy = v ? strdup((const char *)v) : NULL;

  xmlFree(v);
  return copy;
}

/* Attribute name sanitised into buf. Returns 1 present, 0 absent. */
static int prop_buf(xmlNode *n, const char *name, char *buf, size_t size) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

  if (v)
    sw_sanitize(buf, size, (const char *)v, strlen((const char *)v), 0);
  xmlFree(v);
  return v != NULL;
}

/* An xs:unsignedLong attribute; absent leaves *out alone. */
static int prop_ulong(mpd_ctx *c, xmlNode *n, const char *name,
                      unsigned long *out) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  int rc = 0;

  if (v && sw_parse_ulong((const char *)v, 0, (unsigned long)-1, out))
    rc = sw_fail(c->err, "%s@%s: bad number", n->name, name);
  xmlFree(v);
  return rc;
}

/* An xs:duration attribute in seconds; absent leaves *out alone. */
static int prop_duration(mpd_ctx *c, xmlNode *n, const char *name,
                         double *out) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  int rc = 0;

  if (v && st_duration((const char *)v, strlen((const char *)v), out))
    rc = sw_fail(c->err, "%s@%s: bad duration", n->name, name);
  xmlFree(v);
  return rc;
}

/* The BaseURL child of n resolved against parent (5.6.4), or a copy of
 * parent when n has none. NULL with err filled on failure. */
static char *base_of(mpd_ctx *c, xmlNode *n, const char *parent) {
  xmlNode *b = child(n, "BaseURL");
  xmlChar *v;
  char *out;
  size_t s = 0, e;

  if (!b) {
    if (!(out = strdup(parent ? parent : "")))
      sw_fail(c->err, "out of memory");
    return out;
  }
  v = xmlNodeGetContent(b);
  e = v ? strlen((const char *)v) : 0;
  while (s < e && strchr(" \t\r\n", v[s]))
    s++;
  while (e > s && strchr(" \t\r\n", v[e - 1]))
    e--;
  if (v)
    v[e] = '\0';
  out = st_resolve(parent, v ? (const char *)v + s : "", c->err);
  xmlFree(v);
  return out;
}

/* SegmentTimeline (5.3.9.6): replaces any inherited one. Its S elements
 * were read during the parse into the side store on tl (sax_s), which
 * the model keeps (mpd->store): every Representation under an
 * AdaptationSet's timeline points at the one array instead of a copy
 * (20 Representations of a 50000-S timeline were 40 MB of copies). */
static int timeline(mpd_ctx *c, xmlNode *tl, mpd_seginfo *si) {
  const mpd_side *sd = tl->_private;

  if (!sd || sd->n == 0)
    return sw_fail(c->err, "SegmentTimeline without S");
  si->timeline = sd->s;
  si->n_timeline = sd->n;
  return 0;
}

/* SegmentList's SegmentURL@media (5.3.9.3), as written: they were read
 * during the parse into the side store on sl (sax_url), which the model
 * keeps, and are resolved only for the segments asked for (list_segs):
 * 100000 short SegmentURLs resolved against a 4 KiB BaseURL were 400 MB,
 * and copied to every Representation that inherits them. */
static int seg_list(xmlNode *sl, mpd_seginfo *si) {
  const mpd_side *sd = sl->_private;

  if (!sd || sd->n == 0)
    return 0;
  si->list = sd->urls;
  si->n_list = sd->n;
  return 0;
}

/* The attributes all three Segment* elements share (5.3.9.2.2). */
static int seg_common(mpd_ctx *c, xmlNode *s, mpd_seginfo *si) {
  xmlNode *init = child(s, "Initialization");
  char *v;

  if (prop_ulong(c, s, "timescale", &si->timescale) ||
      prop_ulong(c, s, "presentationTimeOffset", &si->pto) ||
      prop_ulong(c, s, "duration", &si->duration) ||
      prop_ulong(c, s, "startNumber", &si->start_number))
    return -1;
  if (si->timescale == 0)
    return sw_fail(c->err, "%s@timescale is 0", s->name);
  prop_buf(s, "indexRange", si->index_range, sizeof si->index_range);
  if (init) {
    prop_buf(init, "range", si->init_range, sizeof si->init_range);
    if ((v = prop_dup(init, "sourceURL"))) {
      free(si->init);
      si->init = v;
    }
  }
  return 0;
}

/* Applies the Segment* children of one level to si (5.3.9.1). */
static int seg_apply(mpd_ctx *c, xmlNode *level, mpd_seginfo *si) {
  static const char *const names[] = {"SegmentBase", "SegmentList",
                                      "SegmentTemplate"};
  static const mpd_seg_kind kinds[] = {MPD_SEG_BASE, MPD_SEG_LIST,
                                       MPD_SEG_TEMPLATE};
  size_t i;

  for (i = 0; i < 3; i++) {
    xmlNode *s = child(level, names[i]), *tl;
    char *v;
    if (!s)
      continue;
    si->kind = kinds[i];
    if (seg_common(c, s, si))
      return -1;
    if (kinds[i] == MPD_SEG_LIST && seg_list(s, si))
      return -1;
    if (kinds[i] == MPD_SEG_TEMPLATE && (v = prop_dup(s, "media"))) {
      free(si->media);
      si->media = v;
    }
    if (kinds[i] == MPD_SEG_TEMPLATE && (v = prop_dup(s, "initialization"))) {
      free(si->init);
      si->init = v;
    }
    if ((tl = child(s, "SegmentTimeline")) && timeline(c, tl, si))
      return -1;
  }
  return 0;
}

static void seginfo_free(mpd_seginfo *si) {
  free(si->media);
  free(si->init);
}

/* One Representation of AdaptationSet as (index ai) in Period p. */
static int representation(mpd_ctx *c, xmlNode *p, xmlNode *as, xmlNode *r,
                          size_t ai, const char *as_base) {
  mpd *m = c->m;
  mpd_rep *rep, *reps;

  if (m->n_reps >= MPD_MAX_REPS)
    return sw_fail(c->err, "more than %d Representations", MPD_MAX_REPS);
  if (!(reps = realloc(m->reps, (m->n_reps + 1) * sizeof *reps)))
    return sw_fail(c->err, "out of memory");
  m->reps = reps;
  rep = &reps[m->n_reps++];
  memset(rep, 0, sizeof *rep);
  rep->adaptation = ai;
  rep->seg.timescale = rep->seg.start_number = 1;
  if (!xmlHasProp(r, (const xmlChar *)"bandwidth"))
    return sw_fail(c->err, "Representation without bandwidth");
  if (prop_ulong(c, r, "bandwidth", &rep->bandwidth) ||
      prop_ulong(c, r, "width", &rep->width) ||
      prop_ulong(c, r, "height", &rep->height))
    return -1;
  if (!(rep->id = prop_dup(r, "id")) && !(rep->id = strdup("")))
    return sw_fail(c->err, "out of memory");
  if (!prop_buf(r, "mimeType", rep->mime_type, sizeof rep->mime_type))
    prop_buf(as, "mimeType", rep->mime_type, sizeof rep->mime_type);
  if (!prop_buf(r, "codecs", rep->codecs, sizeof rep->codecs))
    prop_buf(as, "codecs", rep->codecs, sizeof rep->codecs);
  if (!(rep->base_url = base_of(c, r, as_base)))
    return -1;
  if (seg_apply(c, p, &rep->seg) || seg_apply(c, as, &rep->seg) ||
      seg_apply(c, r, &rep->seg))
    return -1;
  return 0;
}

/* The first Period (5.3.2): its timing, AdaptationSets, Representations. */
static int period(mpd_ctx *c, xmlNode *root, const char *mpd_base) {
  xmlNode *p = child(root, "Period"), *as, *r;
  char *p_base, *as_base;
  int rc = 0;

  if (!p)
    return sw_fail(c->err, "MPD without Period");
  if (prop_duration(c, p, "start", &c->m->period_start) ||
      prop_duration(c, p, "duration", &c->m->period_duration))
    return -1;
  if (c->m->period_duration < 0 && c->m->duration >= 0)
    c->m->period_duration = c->m->duration - c->m->period_start;
  if (!(p_base = base_of(c, p, mpd_base)))
    return -1;
  for (as = p->children; as && rc == 0; as = as->next) {
    if (!is(as, "AdaptationSet"))
      continue;
    if (!(as_base = base_of(c, as, p_base))) {
      rc = -1;
      break;
    }
    for (r = as->children; r && rc == 0; r = r->next)
      if (is(r, "Representation"))
        rc = representation(c, p, as, r, c->m->n_adaptations, as_base);
    c->m->n_adaptations++;
    free(as_base);
  }
  free(p_base);
  if (rc == 0 && c->m->n_reps == 0)
    rc = sw_fail(c->err, "Period without Representation");
  return rc;
}

/* The MPD element's attributes (5.3.1.2), then its first Period. */
static int root_element(mpd_ctx *c, xmlNode *root, const char *url) {
  mpd *m = c->m;
  xmlChar *v;
  char *base;
  int rc;

  if (!is(root, "MPD"))
    return sw_fail(c->err, "not an MPD: root element is not MPD");
  v = xmlGetProp(root, (const xmlChar *)"type");
  m->dynamic = v && strcmp((const char *)v, "dynamic") == 0;
  rc = v && !m->dynamic && strcmp((const char *)v, "static") != 0;
  xmlFree(v);
  if (rc)
    return sw_fail(c->err, "MPD@type is neither static nor dynamic");
  if (prop_duration(c, root, "minimumUpdatePeriod", &m->min_update_period) ||
      prop_duration(c, root, "mediaPresentationDuration", &m->duration) ||
      prop_duration(c, root, "timeShiftBufferDepth", &m->time_shift_buffer))
    return -1;
  if ((v = xmlGetProp(root, (const xmlChar *)"availabilityStartTime"))) {
    m->has_ast = 1;
    rc = st_datetime((const char *)v, strlen((const char *)v),
                     &m->availability_start);
    xmlFree(v);
    if (rc)
      return sw_fail(c->err, "MPD@availabilityStartTime: bad date-time");
  }
  if (!(base = base_of(c, root, url)))
    return -1;
  rc = period(c, root, base);
  free(base);
  return rc;
}

int mpd_parse(const char *text, size_t len, const char *mpd_url, mpd *out,
              sw_err *err) {
  mpd_ctx c = {out, err};
  mpd_side *sides;
  xmlDoc *doc;
  int rc;

  if (!out)
    return sw_fail(err, "no output");
  memset(out, 0, sizeof *out);
  out->min_update_period = out->duration = out->time_shift_buffer = -1;
  out->period_duration = -1;
  if (!text || len == 0 || len > MPD_MAX_BYTES)
    return sw_fail(err, "MPD empty or larger than %lu bytes", MPD_MAX_BYTES);
  if (!(doc = mpd_read(text, len, &sides, err)))
    return -1;
  out->store = sides; /* the timelines point into it */
  rc = root_element(&c, xmlDocGetRootElement(doc), mpd_url);
  xmlFreeDoc(doc);
  if (rc)
    mpd_free(out);
  return rc;
}

void mpd_free(mpd *m) {
  size_t i;

  if (!m)
    return;
  for (i = 0; i < m->n_reps; i++) {
    free(m->reps[i].id);
    free(m->reps[i].base_url);
    seginfo_free(&m->reps[i].seg);
  }
  free(m->reps);
  mpd_sides_free(m->store);
  memset(m, 0, sizeof *m);
}

long mpd_pick(const mpd *m, const char *how) {
  unsigned long cap = 0;
  long best = -1, low = -1;
  int video = 0;
  size_t i;

  if (!m || !how || m->n_reps == 0)
    return -1;
  if (strcmp(how, "lowest") != 0 && strcmp(how, "highest") != 0 &&
      sw_parse_ulong(how, 0, (unsigned long)-1, &cap))
    return -1;
  for (i = 0; i < m->n_reps; i++)
    video |= strncmp(m->reps[i].mime_type, "video/", 6) == 0;
  for (i = 0; i < m->n_reps; i++) {
    unsigned long bw = m->reps[i].bandwidth;
    if (video && strncmp(m->reps[i].mime_type, "video/", 6) != 0)
      continue;
    if (low < 0 || bw < m->reps[low].bandwidth)
      low = (long)i;
    if (how[0] == 'l' || (how[0] != 'h' && bw > cap))
      continue;
    if (best < 0 || bw > m->reps[best].bandwidth)
      best = (long)i;
  }
  return best >= 0 ? best : low;
}
