/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Segment URLs of one DASH Representation (ISO/IEC 23009-1 section
 * 5.3.9); see mpd.h. Pure arithmetic over the model mpd.c built. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpd.h"
#include "streamwatch/strparse.h"
#include "sttext.h"

/* What a template may refer to for one segment. */
typedef struct {
  const mpd_rep *rep;
  unsigned long number, time;
  int has_number, has_time;
} tmpl_vars;

/* A run of segments of equal duration: the expansion of one S element,
 * or the whole of a duration-based template. */
typedef struct {
  unsigned long t0, d; /* start time and duration, timescale units */
  unsigned long count; /* segments in the run */
} seg_run;

/* The value of one $Identifier[%0Nd]$ (5.3.9.4.4, Table 16) into out. */
static int identifier(const char *id, size_t n, const tmpl_vars *v, char *out,
                      size_t size, sw_err *err) {
  const char *pct = memchr(id, '%', n);
  size_t name = pct ? (size_t)(pct - id) : n;
  unsigned long width = 1, val;

  if (pct && (n - name < 4 || pct[1] != '0' || id[n - 1] != 'd' ||
              st_ulong_n(pct + 2, n - name - 3, 32, &width)))
    return sw_fail(err, "template: bad format tag in $%.*s$", (int)n, id);
  if (name == 16 && memcmp(id, "RepresentationID", 16) == 0 && !pct) {
    snprintf(out, size, "%s", v->rep->id);
    return 0;
  }
  if (name == 6 && memcmp(id, "Number", 6) == 0 && v->has_number)
    val = v->number;
  else if (name == 9 && memcmp(id, "Bandwidth", 9) == 0)
    val = v->rep->bandwidth;
  else if (name == 4 && memcmp(id, "Time", 4) == 0 && v->has_time)
    val = v->time;
  else
    return sw_fail(err, "template: $%.*s$ not allowed here", (int)n, id);
  snprintf(out, size, "%0*lu", (int)width, val);
  return 0;
}

/* Expands the template t and resolves it against the Representation's
 * base. Returns a malloc'd URL, or NULL with err filled. */
static char *expand(const char *t, const tmpl_vars *v, sw_err *err) {
  char out[ST_URL_MAX + 1], val[ST_URL_MAX + 1];
  size_t o = 0, vl;

  while (*t) {
    const char *end = *t == '$' ? strchr(t + 1, '$') : NULL;
    if (*t == '$' && !end) {
      sw_fail(err, "template: unbalanced $");
      return NULL;
    }
    if (!end) {
      val[0] = *t++;
      val[1] = '\0';
    } else if (end == t + 1) {
      snprintf(val, sizeof val, "$"); /* "$$" is a literal '$' */
      t = end + 1;
    } else {
      if (identifier(t + 1, (size_t)(end - t - 1), v, val, sizeof val, err))
        return NULL;
      t = end + 1;
    }
    if ((vl = strlen(val)) > ST_URL_MAX - o) {
      sw_fail(err, "template: URL too long");
      return NULL;
    }
    memcpy(out + o, val, vl);
    o += vl;
  }
  out[o] = '\0';
  return st_resolve(v->rep->base_url, out, err);
}

/* Seconds into the Period up to which segments exist: the Period's end
 * for static, the live edge for dynamic (-1: unknown). */
static double horizon(const mpd *m, double now) {
  if (m->dynamic) {
    double live = now - m->availability_start - m->period_start;
    if (m->period_duration >= 0 && m->period_duration < live)
      return m->period_duration;
    return live;
  }
  return m->period_duration;
}

/* Segments of run r within the horizon (in ticks, pto applied): static
 * keeps those that start before it, dynamic those that end by it. */
static unsigned long clip(const seg_run *r, int dynamic, double limit) {
  double t0 = (double)r->t0, d = (double)r->d, fit;

  if (limit < 0)
    return r->count;
  fit = dynamic ? floor((limit - t0) / d) : ceil((limit - t0) / d);
  if (fit <= 0)
    return 0;
  return fit < (double)r->count ? (unsigned long)fit : r->count;
}

/* The runs of a SegmentTimeline (5.3.9.6), clipped to the horizon. */
static int timeline_runs(const mpd *m, const mpd_seginfo *si, double limit,
                         seg_run *runs, size_t *nr, sw_err *err) {
  unsigned long next = 0;
  size_t i;

  for (i = *nr = 0; i < si->n_timeline; i++) {
    const mpd_s *s = &si->timeline[i];
    seg_run *r = &runs[(*nr)++];
    r->t0 = s->has_t ? s->t : next;
    r->d = s->d;
    if (s->r_open && i + 1 < si->n_timeline && si->timeline[i + 1].has_t) {
      if (si->timeline[i + 1].t < r->t0)
        return sw_fail(err, "SegmentTimeline goes back in time");
      r->count = (si->timeline[i + 1].t - r->t0) / r->d;
    } else if (s->r_open) {
      if (limit < 0)
        return sw_fail(err, "S@r=-1 with no end known");
      r->count = (unsigned long)-1;
    } else if (s->r == (unsigned long)-1) {
      return sw_fail(err, "S@r too large");
    } else {
      r->count = s->r + 1;
    }
    r->count = clip(r, m->dynamic, limit);
    if (r->count && r->d > ((unsigned long)-1 - r->t0) / r->count)
      return sw_fail(err, "SegmentTimeline time overflows");
    next = r->t0 + r->d * r->count;
    if (r->count == 0 || next < r->t0) {
      (*nr)--;
      break;
    }
  }
  return 0;
}

/* Fills out->segs with n segments from index first of the runs. */
static int emit(const mpd_seginfo *si, const seg_run *runs, size_t nr,
                unsigned long first, size_t n, tmpl_vars *v, mpd_seglist *out,
                sw_err *err) {
  size_t ri = 0;
  unsigned long base = 0; /* index of runs[ri]'s first segment */

  if (!(out->segs = calloc(n ? n : 1, sizeof *out->segs)))
    return sw_fail(err, "out of memory");
  while (out->n < n && ri < nr) {
    unsigned long k = first + out->n;
    mpd_segment *s = &out->segs[out->n];
    if (k - base >= runs[ri].count) {
      base += runs[ri++].count;
      continue;
    }
    if (si->start_number > (unsigned long)-1 - k)
      return sw_fail(err, "$Number$ overflows");
    v->number = si->start_number + k;
    v->time = runs[ri].t0 + (k - base) * runs[ri].d;
    s->number = v->number;
    s->duration = (double)runs[ri].d / (double)si->timescale;
    s->start = ((double)v->time - (double)si->pto) / (double)si->timescale;
    if (!(s->url = expand(si->media, v, err)))
      return -1;
    out->n++;
  }
  return 0;
}

/* Picks the first n (static) or the last n (dynamic) of the runs. */
static int select_runs(const mpd *m, const mpd_seginfo *si, seg_run *runs,
                       size_t nr, size_t n, tmpl_vars *v, mpd_seglist *out,
                       sw_err *err) {
  unsigned long total = 0, first = 0;
  size_t i;

  for (i = 0; i < nr; i++) {
    if (runs[i].count > (unsigned long)-1 - total)
      return sw_fail(err, "segment count overflows");
    total += runs[i].count;
  }
  if (total == 0)
    return sw_fail(err, "no segment available yet");
  if (m->dynamic && total > n)
    first = total - n;
  if (total - first < n)
    n = total - first;
  return emit(si, runs, nr, first, n, v, out, err);
}

/* SegmentTemplate: with a SegmentTimeline, or @duration (5.3.9.5.3:
 * $Number$ of the segment at the live edge from availabilityStartTime). */
static int template_segs(const mpd *m, const mpd_rep *rep, size_t n, double now,
                         mpd_seglist *out, sw_err *err) {
  const mpd_seginfo *si = &rep->seg;
  tmpl_vars v = {rep, 0, 0, 1, 0};
  double h = horizon(m, now), limit;
  seg_run one, *runs = &one;
  size_t nr = 1;
  int rc;

  if (!si->media)
    return sw_fail(err, "SegmentTemplate without media");
  if (m->dynamic && h <= 0)
    return sw_fail(err,
                   "no segment available yet (%.3f s before the "
                   "live edge's start)",
                   -h);
  limit = h < 0 ? -1 : h * (double)si->timescale + (double)si->pto;
  if (si->n_timeline) {
    v.has_time = 1;
    if (!(runs = calloc(si->n_timeline, sizeof *runs)))
      return sw_fail(err, "out of memory");
    rc = timeline_runs(m, si, limit, runs, &nr, err);
  } else if (si->duration) {
    if (m->dynamic && h > 1e15 * si->duration / si->timescale)
      return sw_fail(err, "live edge too far from availabilityStartTime");
    one.t0 = si->pto;
    one.d = si->duration;
    one.count = (unsigned long)-1;
    one.count = h < 0 ? n : clip(&one, m->dynamic, limit);
    if (one.count && one.d > ((unsigned long)-1 - one.t0) / one.count)
      return sw_fail(err, "segment time overflows");
    rc = 0;
  } else {
    return sw_fail(err, "SegmentTemplate without duration or timeline");
  }
  if (rc == 0)
    rc = select_runs(m, si, runs, nr, n, &v, out, err);
  if (runs != &one)
    free(runs);
  return rc;
}

/* SegmentList (5.3.9.3): first or last n SegmentURLs, resolved here
 * against the Representation's BaseURL (only these n: see mpd.h). */
static int list_segs(const mpd *m, const mpd_rep *rep, size_t n,
                     mpd_seglist *out, sw_err *err) {
  const mpd_seginfo *si = &rep->seg;
  size_t first = 0, i;

  if (si->n_list == 0)
    return sw_fail(err, "SegmentList without SegmentURL");
  if (m->dynamic && si->n_list > n)
    first = si->n_list - n;
  if (si->n_list - first < n)
    n = si->n_list - first;
  if (!(out->segs = calloc(n, sizeof *out->segs)))
    return sw_fail(err, "out of memory");
  for (i = 0; i < n; i++, out->n++) {
    mpd_segment *s = &out->segs[i];
    s->number = si->start_number + first + i;
    s->duration = (double)si->duration / (double)si->timescale;
    s->start = s->duration * (double)(first + i);
    const char *media = si->list[first + i];
    if (!(s->url = st_resolve(rep->base_url, media ? media : "", err)))
      return -1;
  }
  return 0;
}

/* SegmentBase or a bare BaseURL (5.3.9.2): the whole file. */
static int base_seg(const mpd *m, const mpd_rep *rep, mpd_seglist *out,
                    sw_err *err) {
  if (!rep->base_url || !*rep->base_url)
    return sw_fail(err, "Representation without BaseURL or segments");
  if (!(out->segs = calloc(1, sizeof *out->segs)) ||
      !(out->segs[0].url = strdup(rep->base_url)))
    return sw_fail(err, "out of memory");
  out->n = 1;
  out->segs[0].duration = m->period_duration > 0 ? m->period_duration : 0;
  out->segs[0].number = rep->seg.start_number;
  snprintf(out->index_range, sizeof out->index_range, "%s",
           rep->seg.index_range);
  return 0;
}

static int init_url(const mpd_rep *rep, mpd_seglist *out, sw_err *err) {
  tmpl_vars v = {rep, 0, 0, 0, 0};

  if (!rep->seg.init)
    return 0;
  if (rep->seg.kind == MPD_SEG_TEMPLATE)
    out->init = expand(rep->seg.init, &v, err);
  else
    out->init = st_resolve(rep->base_url, rep->seg.init, err);
  return out->init ? 0 : -1;
}

int mpd_segments(const mpd *m, size_t rep, size_t n, double now,
                 mpd_seglist *out, sw_err *err) {
  const mpd_rep *r;
  int rc;

  if (!out)
    return sw_fail(err, "no output");
  memset(out, 0, sizeof *out);
  if (!m || rep >= m->n_reps)
    return sw_fail(err, "no such Representation");
  if (n == 0 || n > MPD_MAX_SEGMENTS)
    return sw_fail(err, "segment count must be 1..%d", MPD_MAX_SEGMENTS);
  if (m->dynamic && !m->has_ast)
    return sw_fail(err, "dynamic MPD without availabilityStartTime");
  r = &m->reps[rep];
  rc = init_url(r, out, err);
  if (rc == 0 && r->seg.kind == MPD_SEG_TEMPLATE)
    rc = template_segs(m, r, n, now, out, err);
  else if (rc == 0 && r->seg.kind == MPD_SEG_LIST)
    rc = list_segs(m, r, n, out, err);
  else if (rc == 0)
    rc = base_seg(m, r, out, err);
  if (rc)
    mpd_seglist_free(out);
  return rc;
}

void mpd_seglist_free(mpd_seglist *l) {
  size_t i;

  if (!l)
    return;
  for (i = 0; i < l->n; i++)
    free(l->segs[i].url);
  free(l->segs);
  free(l->init);
  memset(l, 0, sizeof *l);
}
