/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's ear: the sample decoded as it arrives (audio_dec.c),
 * its levels (audio_level.c), and what they mean: dead air, a stream far
 * too quiet, clipping, decode errors. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stream.h"
#include "streamwatch/strbuf.h"

void stream_ear_start(const stream_cfg *cfg, stream_ear *e, sf_format f) {
  sw_err err = {""};
  *e = (stream_ear){.started = true, .on = cfg->decode};
  if (!e->on)
    return;
  sa_levels_init(&e->lv, cfg->silence_db);
  if (cfg->loudness && sa_loud_open(&e->loud, &err) < 0)
    snprintf(e->loud_deaf, sizeof e->loud_deaf, "%s", err.msg);
  e->lv.loud = e->loud;
  if (f == SF_OGG) /* the codec's headers were not in the sample */
    snprintf(e->deaf, sizeof e->deaf,
             "Ogg stream joined without its codec headers");
  else if (sa_open(&e->dec, f, &err) < 0)
    snprintf(e->deaf, sizeof e->deaf, "%s", err.msg);
}

void stream_ear_feed(stream_ear *e, const unsigned char *b, size_t n) {
  if (e->on && e->dec)
    sa_feed(e->dec, b, n, &e->lv);
}

void stream_audio_init(stream_audio *a) {
  *a = (stream_audio){.seconds = NAN,
                      .rms_db = NAN,
                      .peak_db = NAN,
                      .silence_longest = NAN,
                      .loud_momentary = NAN,
                      .loud_shortterm = NAN,
                      .loud_integrated = NAN};
}

void stream_ear_end(stream_ear *e, stream_audio *a) {
  if (!e->on)
    return;
  sa_levels_finish(&e->lv);
  snprintf(a->deaf, sizeof a->deaf, "%s",
           e->deaf[0] ? e->deaf : sa_deaf(e->dec));
  a->errors = sa_errors(e->dec);
  snprintf(a->error, sizeof a->error, "%s", sa_error(e->dec));
  if (e->lv.samples) {
    a->heard = true;
    a->seconds = e->lv.seconds;
    a->rms_db = sa_levels_rms_db(&e->lv);
    a->peak_db = sa_levels_peak_db(&e->lv);
    a->silence_longest = e->lv.longest;
    a->clipped = e->lv.clipped;
  }
  sa_loud_result(e->loud, &a->loud_momentary, &a->loud_shortterm,
                 &a->loud_integrated);
  snprintf(a->loud_deaf, sizeof a->loud_deaf, "%s", e->loud_deaf);
  stream_ear_free(e);
}

void stream_ear_free(stream_ear *e) {
  sa_close(e->dec);
  sa_loud_close(e->loud);
  e->dec = NULL;
  e->loud = NULL;
  e->lv.loud = NULL;
}

/* The state of x against --NAME-warning/--NAME-critical and, when not
 * OK, the crossed one in sw_range_threshold's words into said. */
static sw_state crossed(const char *name, const sw_range *w, const sw_range *c,
                        double x, const char *unit, char *said, size_t n,
                        const sw_range **which) {
  char opt[40];
  sw_state s = sw_range_state(w, c, x);
  *which = s == SW_CRITICAL ? c : w;
  snprintf(opt, sizeof opt, "--%s-%s", name,
           s == SW_CRITICAL ? "critical" : "warning");
  if (s != SW_OK)
    sw_range_threshold(said, n, opt, *which, unit);
  return s;
}

/* "dead air" when the longest silence crosses its thresholds. */
static void judge_silence(const stream_cfg *cfg, const stream_audio *a,
                          sw_check *check) {
  char said[128];
  const sw_range *r;
  sw_state s = crossed("silence", &cfg->silence_warn, &cfg->silence_crit,
                       a->silence_longest, "s", said, sizeof said, &r);
  if (s != SW_OK)
    sw_check_sub(check, s,
                 "dead air: %.1f s of silence below %g dBFS in a %.1f s "
                 "sample (%s)",
                 a->silence_longest, cfg->silence_db, a->seconds, said);
}

/* "too quiet" (or "too loud") when the RMS level crosses its thresholds. */
static void judge_level(const stream_cfg *cfg, const stream_audio *a,
                        sw_check *check) {
  char said[128];
  const sw_range *r;
  sw_state s = crossed("level", &cfg->level_warn, &cfg->level_crit, a->rms_db,
                       "dBFS", said, sizeof said, &r);
  bool low = !r->inside && !r->start_inf && a->rms_db < r->start;
  if (s != SW_OK)
    sw_check_sub(check, s, "too %s: RMS %.1f dBFS (%s)", low ? "quiet" : "loud",
                 a->rms_db, said);
}

/* The integrated loudness against its thresholds (EBU R128's target is
 * -23 LUFS; streaming services aim at -14 to -16). */
static void judge_loudness(const stream_cfg *cfg, const stream_audio *a,
                           sw_check *check) {
  char said[128];
  const sw_range *r;
  if (!cfg->loud_warn.set && !cfg->loud_crit.set)
    return;
  if (isnan(a->loud_integrated)) {
    sw_check_sub(check, SW_UNKNOWN, "loudness not measured: %s",
                 a->loud_deaf[0] ? a->loud_deaf : "under 0.4 s of audio");
    return;
  }
  sw_state s = crossed("loudness", &cfg->loud_warn, &cfg->loud_crit,
                       a->loud_integrated, "LUFS", said, sizeof said, &r);
  if (s != SW_OK)
    sw_check_sub(check, s, "loudness %.1f LUFS integrated (%s)",
                 a->loud_integrated, said);
}

void stream_audio_judge(const stream_cfg *cfg, const stream_meas *m,
                        sw_check *check) {
  const stream_audio *a = &m->audio;
  if (!cfg->decode)
    return;
  if (a->deaf[0]) {
    sw_check_sub(check, SW_UNKNOWN, "levels not measured: %s", a->deaf);
    return;
  }
  if (!a->heard) {
    if (m->frames) /* frames arrived, yet nothing decoded */
      sw_check_sub(check, SW_CRITICAL, "no audio decoded from %lu frames%s%s",
                   m->frames, a->error[0] ? ": " : "", a->error);
    return;
  }
  judge_silence(cfg, a, check);
  judge_level(cfg, a, check);
  judge_loudness(cfg, a, check);
  if (a->errors) /* counted and named; the frame checks judge the bytes */
    sw_check_sub(check, SW_OK, "%lu decode error%s, the first: %s", a->errors,
                 a->errors == 1 ? "" : "s", a->error);
  if (cfg->std.verbose)
    sw_check_sub(check, SW_OK,
                 "audio: %.2f s decoded, RMS %.1f dBFS, peak %.1f dBFS, "
                 "longest silence %.2f s (below %g dBFS), %llu samples "
                 "clipped",
                 a->seconds, a->rms_db, a->peak_db, a->silence_longest,
                 cfg->silence_db, a->clipped);
  if (cfg->std.verbose && cfg->loudness)
    sw_check_sub(check, SW_OK,
                 "loudness: %.1f LUFS integrated, %.1f momentary and %.1f "
                 "short-term at most%s%s%s",
                 a->loud_integrated, a->loud_momentary, a->loud_shortterm,
                 a->loud_deaf[0] ? " (" : "", a->loud_deaf,
                 a->loud_deaf[0] ? ")" : "");
}

void stream_audio_perf(const stream_cfg *cfg, const stream_meas *m,
                       sw_check *check) {
  const stream_audio *a = &m->audio;
  if (!cfg->decode)
    return;
  sw_perf p[] = {
      {.label = "level_rms",
       .measured = a->heard,
       .value = a->rms_db,
       .uom = "",
       .warn = &cfg->level_warn,
       .crit = &cfg->level_crit},
      {.label = "level_peak", .measured = a->heard, .value = a->peak_db},
      {.label = "silence_longest",
       .measured = a->heard,
       .value = a->silence_longest,
       .uom = "s",
       .warn = &cfg->silence_warn,
       .crit = &cfg->silence_crit,
       .has_min = true},
      {.label = "clipped",
       .measured = a->heard,
       .value = (double)a->clipped,
       .uom = "",
       .has_min = true},
      {.label = "decode_errors",
       .measured = a->heard || a->errors,
       .value = (double)a->errors,
       .uom = "",
       .has_min = true},
  };
  sw_perf loud[] = {
      {.label = "loudness_momentary",
       .measured = !isnan(a->loud_momentary),
       .value = a->loud_momentary},
      {.label = "loudness_shortterm",
       .measured = !isnan(a->loud_shortterm),
       .value = a->loud_shortterm},
      {.label = "loudness_integrated",
       .measured = !isnan(a->loud_integrated),
       .value = a->loud_integrated,
       .warn = &cfg->loud_warn,
       .crit = &cfg->loud_crit},
  };
  for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
    if (!p[i].uom)
      p[i].uom = "";
    sw_check_perf(check, &p[i]);
  }
  for (size_t i = 0; cfg->loudness && i < sizeof loud / sizeof *loud; i++) {
    loud[i].uom = "";
    sw_check_perf(check, &loud[i]);
  }
}

void stream_audio_summary(const stream_meas *m, char *buf, size_t n) {
  sw_buf b;
  sw_buf_fixed(&b, buf, n);
  if (m->audio.heard)
    sw_buf_addf(&b, ", RMS %.1f dBFS, peak %.1f dBFS", m->audio.rms_db,
                m->audio.peak_db);
  if (!isnan(m->audio.loud_integrated))
    sw_buf_addf(&b, ", %.1f LUFS", m->audio.loud_integrated);
}
