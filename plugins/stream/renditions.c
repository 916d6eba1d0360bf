/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --all-variants: a player on a slow network picks another rendition
 * than the one a run samples, so every variant (HLS) or representation
 * (DASH) is tried: its playlist and one segment, all at once (one thread
 * each, at most RENDITION_THREADS together, every request under the
 * run's one deadline), validated, and heard when a level option asks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "segmented.h"
#include "streamwatch/fanout.h"
#include "streamwatch/strbuf.h"

enum { RENDITION_THREADS = 8 };

typedef struct {
  const stream_cfg *cfg; /* &own */
  stream_cfg own;        /* the run's, without its -vv trace (one per thread) */
  const sw_deadline *d;
  const hls_variant *var; /* HLS */
  const mpd *mp;          /* DASH */
  size_t rep;
  stream_meas m; /* this rendition's own */
  sw_check check;
  double took; /* playlist and segment, seconds */
} rendition;

/* The first init segment and segment of a DASH representation. */
static void dash_one(rendition *r, stream_ear *ear) {
  mpd_seglist list = {0};
  sw_err err = {""};
  if (mpd_segments(r->mp, r->rep, 1, (double)time(NULL), &list, &err) < 0 ||
      list.n == 0) {
    sw_check_sub(&r->check, SW_CRITICAL, "MPD: %s",
                 err.msg[0] ? err.msg : "no segment");
  } else if (!list.init ||
             stream_fetch_segment(r->cfg, list.init, "init segment", 0, false,
                                  r->d, ear, &r->m, &r->check) >= 0) {
    stream_fetch_segment(r->cfg, list.segs[0].url, "segment",
                         list.segs[0].duration, false, r->d, ear, &r->m,
                         &r->check);
  }
  mpd_seglist_free(&list);
}

/* An HLS variant's media playlist and one segment (where a player
 * joins a live one). */
static void hls_one(rendition *r, stream_ear *ear) {
  hls_playlist pl = {0};
  if (stream_load_playlist(r->cfg, r->var->uri, "media playlist", false, r->d,
                           &pl, &r->m, &r->check) < 0)
    return;
  if (pl.n_segments == 0) {
    sw_check_sub(&r->check, SW_CRITICAL, "media playlist has no segment");
  } else {
    size_t i = pl.endlist ? 0 : stream_live_start(&pl, 1);
    const char *map = hls_segment_map(&pl, i);
    const hls_segment *s = &pl.segments[i];
    if (!map || stream_fetch_segment(r->cfg, map, "init segment", 0, false,
                                     r->d, ear, &r->m, &r->check) >= 0)
      stream_fetch_segment(r->cfg, s->uri, "segment", s->duration, s->encrypted,
                           r->d, ear, &r->m, &r->check);
    if (r->cfg->decode && pl.encrypted)
      snprintf(r->m.audio.deaf, sizeof r->m.audio.deaf,
               "the segments are encrypted");
  }
  hls_free(&pl);
}

static void *rendition_run(void *arg) {
  rendition *r = arg;
  stream_ear ear = {0};
  double t0 = sw_now();
  if (r->var)
    hls_one(r, &ear);
  else
    dash_one(r, &ear);
  stream_ear_end(&ear, &r->m.audio);
  stream_audio_judge(r->cfg, &r->m, &r->check);
  r->took = sw_now() - t0;
  return NULL;
}

/* The text of r's worst sub-check ("segment 3.ts: HTTP 404 Not Found"). */
static const char *worst_text(const rendition *r) {
  const sw_subcheck *w = NULL;
  for (size_t i = 0; i < r->check.nsubs; i++)
    if (!w || r->check.subs[i].state > w->state)
      w = &r->check.subs[i];
  return w && w->state != SW_OK ? w->text : "failed";
}

/* One line and the perfdata of each rendition; name(i) its label's and
 * text's name. */
static void report(const stream_cfg *cfg, rendition *r, size_t n,
                   const char *const *names, const char *const *labels,
                   sw_check *check) {
  size_t failed = 0;
  for (size_t i = 0; i < n; i++)
    failed += sw_check_state(&r[i].check) != SW_OK;
  sw_state fs = sw_range_state(&cfg->variant_fail_warn, &cfg->variant_fail_crit,
                               (double)failed);
  char said[128];
  sw_range_threshold(
      said, sizeof said,
      fs == SW_WARNING ? "--variant-fail-warning" : "--variant-fail-critical",
      fs == SW_WARNING ? &cfg->variant_fail_warn : &cfg->variant_fail_crit, "");
  for (size_t i = 0; i < n; i++) {
    const stream_meas *m = &r[i].m;
    if (sw_check_state(&r[i].check) != SW_OK) {
      sw_check_sub(check, fs, "%s: %s%s%s%s", names[i], worst_text(&r[i]),
                   fs != SW_OK ? " (" : "", fs != SW_OK ? said : "",
                   fs != SW_OK ? ")" : "");
      continue;
    }
    char levels[64];
    stream_audio_summary(m, levels, sizeof levels);
    sw_check_sub(check, SW_OK, "%s: OK, %s %llu bytes in %.3f s%s", names[i],
                 m->frames ? sf_format_name(m->format) : "no media", m->bytes,
                 r[i].took, levels);
  }
  sw_perf total = {.label = "variants",
                   .measured = true,
                   .value = (double)n,
                   .uom = "",
                   .has_min = true};
  sw_check_perf(check, &total);
  sw_perf bad = {.label = "variants_failed",
                 .measured = true,
                 .value = (double)failed,
                 .uom = "",
                 .warn = &cfg->variant_fail_warn,
                 .crit = &cfg->variant_fail_crit,
                 .has_min = true};
  sw_check_perf(check, &bad);
  for (size_t i = 0; i < n; i++) {
    sw_perf p = {.measured = sw_check_state(&r[i].check) == SW_OK,
                 .value = r[i].took,
                 .uom = "s",
                 .has_min = true};
    snprintf(p.label, sizeof p.label, "%s_time", labels[i]);
    sw_check_perf(check, &p);
    if (!cfg->decode)
      continue;
    sw_perf lv = {.measured = r[i].m.audio.heard,
                  .value = r[i].m.audio.rms_db,
                  .uom = ""};
    snprintf(lv.label, sizeof lv.label, "%s_level_rms", labels[i]);
    sw_check_perf(check, &lv);
    sw_perf sl = {.measured = r[i].m.audio.heard,
                  .value = r[i].m.audio.silence_longest,
                  .uom = "s",
                  .has_min = true};
    snprintf(sl.label, sizeof sl.label, "%s_silence_longest", labels[i]);
    sw_check_perf(check, &sl);
  }
}

/* The renditions' own state, fresh for each. */
static rendition *renditions_new(const stream_cfg *cfg, const sw_deadline *d,
                                 size_t n, const sw_check *check) {
  rendition *r = calloc(n ? n : 1, sizeof *r);
  for (size_t i = 0; r && i < n; i++) {
    r[i].own = *cfg;
    r[i].own.base.trace = NULL; /* the trace is not shared across threads */
    r[i].cfg = &r[i].own;
    r[i].d = d;
    r[i].m = (stream_meas){.ttfb = -1, .rate = -1, .playlist_age = -1};
    stream_audio_init(&r[i].m.audio);
    sw_check_init(&r[i].check, check->service);
    r[i].check.secrets = check->secrets;
  }
  return r;
}

static void renditions_free(rendition *r, size_t n, char **names,
                            char **labels) {
  for (size_t i = 0; r && i < n; i++) {
    sw_check_free(&r[i].check);
    free(names[i]);
    free(labels[i]);
  }
  free(r);
  free(names);
  free(labels);
}

/* The requests of every rendition count in the run's (bytes, origins). */
static void add_up(stream_meas *m, const rendition *r, size_t n) {
  m->renditions = n;
  for (size_t i = 0; i < n; i++) {
    m->bytes += r[i].m.bytes;
    if (!m->origins.other_origin[0] && r[i].m.origins.other_origin[0])
      m->origins = r[i].m.origins;
  }
}

/* Runs and reports the renditions set up (ok: all of it could be), then
 * frees them. */
static void run_report(const stream_cfg *cfg, rendition *r, size_t n,
                       char **names, char **labels, bool ok, stream_meas *m,
                       sw_check *check) {
  if (!ok) {
    sw_check_sub(check, SW_UNKNOWN, "out of memory");
  } else {
    sw_fanout(r, n, sizeof *r, rendition_run, RENDITION_THREADS);
    report(cfg, r, n, (const char *const *)names, (const char *const *)labels,
           check);
    add_up(m, r, n);
  }
  renditions_free(r, n, names, labels);
}

void stream_hls_renditions(const stream_cfg *cfg, const hls_playlist *master,
                           const sw_deadline *d, stream_meas *m,
                           sw_check *check) {
  size_t n = master->n_variants;
  rendition *r = renditions_new(cfg, d, n, check);
  char **names = calloc(n ? n : 1, sizeof *names);
  char **labels = calloc(n ? n : 1, sizeof *labels);
  bool ok = r && names && labels;
  for (size_t i = 0; ok && i < n; i++) {
    char text[80];
    r[i].var = &master->variants[i];
    snprintf(text, sizeof text, "variant %zu/%zu (%lu kb/s)", i + 1, n,
             master->variants[i].bandwidth / 1000);
    names[i] = strdup(text);
    snprintf(text, sizeof text, "variant%zu", i + 1);
    labels[i] = strdup(text);
    ok = names[i] && labels[i];
  }
  run_report(cfg, r, n, names, labels, ok, m, check);
}

void stream_dash_renditions(const stream_cfg *cfg, const mpd *mp,
                            const sw_deadline *d, stream_meas *m,
                            sw_check *check) {
  size_t n = mp->n_reps;
  rendition *r = renditions_new(cfg, d, n, check);
  char **names = calloc(n ? n : 1, sizeof *names);
  char **labels = calloc(n ? n : 1, sizeof *labels);
  bool ok = r && names && labels;
  for (size_t i = 0; ok && i < n; i++) {
    char text[200], id[80];
    r[i].mp = mp;
    r[i].rep = i;
    sw_perf_label(id, sizeof id, mp->reps[i].id ? mp->reps[i].id : "");
    snprintf(text, sizeof text, "representation %zu/%zu id %s (%lu kb/s)",
             i + 1, n, id, mp->reps[i].bandwidth / 1000);
    names[i] = strdup(text);
    snprintf(text, sizeof text, "rep_%s", id);
    labels[i] = strdup(text);
    ok = names[i] && labels[i];
  }
  run_report(cfg, r, n, names, labels, ok, m, check);
}
