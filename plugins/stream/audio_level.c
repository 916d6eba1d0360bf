/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Levels of decoded audio: RMS, peak, clipping, the longest silence. */
#include <math.h>

#include "audio.h"

/* A sample at or above this is at full scale (clipped): float decoders
 * give lossy codecs' overshoot above 1.0, 16-bit ones 32767/32768. */
#define FULL_SCALE 0.9999

void sa_levels_init(sa_levels *lv, double silence_db) {
  *lv = (sa_levels){0};
  lv->silence_amp = pow(10.0, silence_db / 20.0);
}

/* Closes the current window: silent ones lengthen the run. */
static void window_end(sa_levels *lv) {
  if (lv->win_frames == 0)
    return;
  if (lv->win_peak < lv->silence_amp) {
    lv->run += (double)lv->win_frames / lv->rate;
    if (lv->run > lv->longest)
      lv->longest = lv->run;
  } else {
    lv->run = 0;
  }
  lv->win_frames = 0;
  lv->win_peak = 0;
}

void sa_levels_feed(sa_levels *lv, const float *interleaved,
                    float *const *planar, size_t frames, unsigned channels,
                    unsigned rate) {
  if (rate == 0 || channels == 0)
    return;
  if (lv->loud)
    sa_loud_feed(lv->loud, interleaved, planar, frames, channels, rate);
  if (rate != lv->rate) {
    window_end(lv);
    lv->rate = rate;
    lv->win_len = rate / SA_WINDOWS_PER_S ? rate / SA_WINDOWS_PER_S : 1;
  }
  for (size_t i = 0; i < frames; i++) {
    double frame_peak = 0;
    for (unsigned c = 0; c < channels; c++) {
      double x = interleaved ? interleaved[i * channels + c] : planar[c][i];
      double a = fabs(x);
      if (isnan(x)) /* from a broken decoder: as full scale */
        a = 1.0, x = 1.0;
      lv->sum_sq += x * x;
      if (a > frame_peak)
        frame_peak = a;
      if (a >= FULL_SCALE)
        lv->clipped++;
    }
    lv->samples += channels;
    if (frame_peak > lv->peak)
      lv->peak = frame_peak;
    if (frame_peak > lv->win_peak)
      lv->win_peak = frame_peak;
    if (++lv->win_frames == lv->win_len)
      window_end(lv);
  }
  lv->seconds += (double)frames / rate;
}

void sa_levels_finish(sa_levels *lv) {
  window_end(lv);
}

static double to_db(double amp) {
  double db = amp > 0 ? 20.0 * log10(amp) : SA_FLOOR_DB;
  return db < SA_FLOOR_DB ? SA_FLOOR_DB : db;
}

double sa_levels_rms_db(const sa_levels *lv) {
  return lv->samples ? to_db(sqrt(lv->sum_sq / (double)lv->samples)) : NAN;
}

double sa_levels_peak_db(const sa_levels *lv) {
  return lv->samples ? to_db(lv->peak) : NAN;
}
