/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loudness per EBU R128 (ITU-R BS.1770) through libebur128, loaded with
 * dlopen when decoding is asked for: the loudest momentary (400 ms) and
 * short-term (3 s) loudness of the sample, and its integrated (gated)
 * loudness, in LUFS. */
#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>

#include <ebur128.h>

#include "audio.h"

#define EBUR128_FNS(X)                                                         \
  X(ebur128_init)                                                              \
  X(ebur128_destroy)                                                           \
  X(ebur128_add_frames_float)                                                  \
  X(ebur128_loudness_momentary)                                                \
  X(ebur128_loudness_shortterm) X(ebur128_loudness_global)
#define FN_FIELD(f) __typeof__(&f) f;

enum { CHUNK = 4096, MAX_CHANNELS = 8 };

struct sa_loud {
  void *lib;
  struct {
    EBUR128_FNS(FN_FIELD)
  } f;
  ebur128_state *st;
  unsigned rate, channels;
  double fed, since_poll, since_short;     /* s: into this state, since polls */
  double momentary, shortterm, integrated; /* NAN: not measured */
  float buf[CHUNK * MAX_CHANNELS];         /* planar made interleaved */
};

int sa_loud_open(sa_loud **lp, sw_err *err) {
  sa_loud *l = calloc(1, sizeof *l);
  *lp = NULL;
  if (!l)
    return sw_fail(err, "out of memory");
  l->momentary = l->shortterm = l->integrated = NAN;
  if (!(l->lib = dlopen("libebur128.so.1", RTLD_NOW | RTLD_LOCAL))) {
    const char *why = dlerror();
    free(l);
    return sw_fail(err, "loudness needs libebur128.so.1 (%s)",
                   why ? why : "not found");
  }
#define FN_LOAD(fn)                                                            \
  if (!(*(void **)&l->f.fn = dlsym(l->lib, #fn))) {                            \
    sa_loud_close(l);                                                          \
    return sw_fail(err, "loudness needs libebur128.so.1: it has no %s", #fn);  \
  }
  EBUR128_FNS(FN_LOAD)
#undef FN_LOAD
  *lp = l;
  return 0;
}

/* v floored at the absolute gate: silence measures -70 LUFS, not -inf. */
static double floored(double v) {
  return isnan(v) ? v : v < SA_LUFS_FLOOR ? SA_LUFS_FLOOR : v;
}

static double loudest(double have, double v) {
  v = floored(v);
  return isnan(v) ? have : isnan(have) || v > have ? v : have;
}

/* The loudest momentary loudness so far (every 100 ms, the blocks' step),
 * and short-term (every second: each reading sums 3 s of audio, and
 * reading it at the momentary's rate doubled a run's CPU). */
static void poll(sa_loud *l, bool shortterm) {
  double v;
  if (l->fed >= 0.4 &&
      l->f.ebur128_loudness_momentary(l->st, &v) == EBUR128_SUCCESS)
    l->momentary = loudest(l->momentary, v);
  l->since_poll = 0;
  if (!shortterm)
    return;
  if (l->fed >= 3.0 &&
      l->f.ebur128_loudness_shortterm(l->st, &v) == EBUR128_SUCCESS)
    l->shortterm = loudest(l->shortterm, v);
  l->since_short = 0;
}

void sa_loud_feed(sa_loud *l, const float *interleaved, float *const *planar,
                  size_t frames, unsigned channels, unsigned rate) {
  if (!l || channels == 0 || channels > MAX_CHANNELS || rate == 0)
    return;
  if (!l->st || rate != l->rate || channels != l->channels) {
    if (l->st)
      l->f.ebur128_destroy(&l->st);
    l->st = l->f.ebur128_init(channels, rate, EBUR128_MODE_S | EBUR128_MODE_I);
    l->rate = rate, l->channels = channels;
    l->fed = l->since_poll = l->since_short = 0;
    if (!l->st)
      return;
  }
  for (size_t done = 0; done < frames;) {
    size_t n = frames - done < CHUNK ? frames - done : CHUNK;
    const float *x = interleaved ? interleaved + done * channels : l->buf;
    if (!interleaved)
      for (size_t i = 0; i < n; i++)
        for (unsigned c = 0; c < channels; c++)
          l->buf[i * channels + c] = planar[c][done + i];
    l->f.ebur128_add_frames_float(l->st, x, n);
    done += n;
    l->fed += (double)n / rate;
    l->since_poll += (double)n / rate;
    l->since_short += (double)n / rate;
    if (l->since_poll >= 0.1)
      poll(l, l->since_short >= 1.0);
  }
}

void sa_loud_result(sa_loud *l, double *momentary, double *shortterm,
                    double *integrated) {
  double v;
  if (l && l->st) {
    poll(l, true);
    if (l->fed >= 0.4 &&
        l->f.ebur128_loudness_global(l->st, &v) == EBUR128_SUCCESS)
      l->integrated = floored(v);
  }
  *momentary = l ? l->momentary : NAN;
  *shortterm = l ? l->shortterm : NAN;
  *integrated = l ? l->integrated : NAN;
}

void sa_loud_close(sa_loud *l) {
  if (!l)
    return;
  if (l->st)
    l->f.ebur128_destroy(&l->st);
  dlclose(l->lib);
  free(l);
}
