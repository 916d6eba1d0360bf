/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/stream/audio_level.c: RMS, peak, clipping and
 * the longest silence of PCM fed in any chunking. */
#include <math.h>
#include <stdio.h>

#include "audio.h"
#include "tap.h"

enum { RATE = 48000 };

/* A stereo 440 Hz sine of amplitude amp for seconds, into lv, in chunks
 * of chunk frames (interleaved or planar). */
static void feed_sine(sa_levels *lv, double amp, double seconds, size_t chunk,
                      bool planar) {
  static float buf[2 * 4800], left[4800], right[4800];
  size_t total = (size_t)(seconds * RATE), done = 0;
  while (done < total) {
    size_t n = total - done < chunk ? total - done : chunk;
    for (size_t i = 0; i < n; i++) {
      float x =
          (float)(amp * sin(2 * M_PI * 440.0 * (double)(done + i) / RATE));
      buf[2 * i] = buf[2 * i + 1] = left[i] = right[i] = x;
    }
    float *const planes[2] = {left, right};
    sa_levels_feed(lv, planar ? NULL : buf, planar ? planes : NULL, n, 2, RATE);
    done += n;
  }
}

static void test_sine_levels(void) {
  sa_levels lv;
  sa_levels_init(&lv, -60);
  feed_sine(&lv, 0.125, 2.0, 4800, false);
  sa_levels_finish(&lv);
  /* a sine's RMS is its amplitude / sqrt(2): -18.06 - 3.01 dBFS */
  ok(fabs(sa_levels_rms_db(&lv) - -21.07) < 0.05,
     "RMS of a 1/8 sine is "
     "-21.07 dBFS (got %.3f)",
     sa_levels_rms_db(&lv));
  ok(fabs(sa_levels_peak_db(&lv) - -18.06) < 0.05,
     "peak of a 1/8 sine is -18.06 dBFS (got %.3f)", sa_levels_peak_db(&lv));
  ok(lv.longest == 0, "no silence in a tone (longest %.3f s)", lv.longest);
  ok(lv.clipped == 0, "no clipping in a tone");
  ok(fabs(lv.seconds - 2.0) < 1e-9, "2 s measured");
}

static void test_silence_runs(void) {
  sa_levels lv;
  static float zeros[2 * 4800];
  sa_levels_init(&lv, -60);
  feed_sine(&lv, 0.125, 1.0, 4800, true);
  for (int i = 0; i < 30; i++) /* 3 s of digital silence in 100 ms chunks */
    sa_levels_feed(&lv, zeros, NULL, 4800, 2, RATE);
  feed_sine(&lv, 0.125, 1.0, 333, false); /* odd chunks: windows span them */
  for (int i = 0; i < 10; i++)            /* 1 s more at the end */
    sa_levels_feed(&lv, zeros, NULL, 4800, 2, RATE);
  sa_levels_finish(&lv);
  ok(fabs(lv.longest - 3.0) <= 0.011,
     "the longest silence is 3 s, not the "
     "last 1 s (got %.3f)",
     lv.longest);
  ok(fabs(lv.seconds - 6.0) < 1e-9, "6 s measured");
  /* 2 s of tone in 6 s: 10*log10(2/6) below the tone's RMS */
  ok(fabs(sa_levels_rms_db(&lv) - (-21.07 + 10 * log10(2.0 / 6.0))) < 0.05,
     "RMS is the mean over tone and silence (got %.3f)", sa_levels_rms_db(&lv));
}

static void test_threshold_and_floor(void) {
  sa_levels lv;
  static float zeros[2 * 4800];
  sa_levels_init(&lv, -60);
  feed_sine(&lv, 0.0005, 1.0, 4800, false); /* peak -66 dBFS: silent */
  sa_levels_finish(&lv);
  ok(fabs(lv.longest - 1.0) < 1e-9, "a tone below --silence-level is silence");
  sa_levels_init(&lv, -70);
  feed_sine(&lv, 0.0005, 1.0, 4800, false); /* above -70 dBFS: not */
  sa_levels_finish(&lv);
  ok(lv.longest < 0.011, "the same tone above a lower level is not");
  sa_levels_init(&lv, -60);
  sa_levels_feed(&lv, zeros, NULL, 4800, 2, RATE);
  sa_levels_finish(&lv);
  ok(sa_levels_rms_db(&lv) == SA_FLOOR_DB &&
         sa_levels_peak_db(&lv) == SA_FLOOR_DB,
     "digital silence is reported at the floor, %g dBFS", SA_FLOOR_DB);
  sa_levels_init(&lv, -60);
  ok(isnan(sa_levels_rms_db(&lv)), "nothing fed: no level (NAN)");
}

static void test_clipping(void) {
  sa_levels lv;
  float loud[2 * 4] = {1.0f, -1.0f, 0.5f, 1.2f, 0.1f, 0.1f, -1.5f, 0.0f};
  float nan_frame[2] = {NAN, 0.0f};
  sa_levels_init(&lv, -60);
  sa_levels_feed(&lv, loud, NULL, 4, 2, RATE);
  ok(lv.clipped == 4, "4 samples at or above full scale (got %llu)",
     lv.clipped);
  sa_levels_feed(&lv, nan_frame, NULL, 1, 2, RATE);
  ok(lv.clipped == 5 && !isnan(sa_levels_rms_db(&lv)),
     "a NaN from a broken decoder counts as full scale, not as a NaN level");
}

int main(void) {
  test_sine_levels();
  test_silence_runs();
  test_threshold_and_floor();
  test_clipping();
  return tap_done();
}
