/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream hears the stream: the sample it downloaded is decoded
 * in-process (audio_dec.c) and its levels measured (audio_level.c): RMS
 * and peak in dBFS, samples at full scale, and the longest run of
 * silence, for dead air.
 *
 * The codec libraries (libmpg123, faad2, libvorbis with libogg, libopus)
 * are loaded with dlopen only when decoding is asked for, so a run
 * without a level option costs what it cost before (docs/performance.md
 * has the figures behind the choice of these libraries over
 * libavcodec). */
#ifndef STREAMWATCH_STREAM_AUDIO_H
#define STREAMWATCH_STREAM_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include "frames.h"
#include "streamwatch/state.h"

/* The lowest level reported: digital silence is -inf dBFS, which
 * perfdata cannot carry; 16-bit audio's own floor is about -96 dBFS. */
#define SA_FLOOR_DB (-120.0)

/* Silence is judged over windows of 10 ms: a window is silent when
 * every sample in it, on every channel, is below the silence level (as
 * ffmpeg's silencedetect judges samples). */
enum { SA_WINDOWS_PER_S = 100 };

/* Loudness (audio_loud.c), fed by the levels it is attached to; the
 * absolute gate of ITU-R BS.1770 is its floor: silence is -70 LUFS. */
#define SA_LUFS_FLOOR (-70.0)

typedef struct sa_loud sa_loud;

typedef struct {
  sa_loud *loud;      /* NULL, or where the PCM goes too */
  double silence_amp; /* linear: below it a sample is silent */
  unsigned rate;      /* Hz of the PCM being fed; 0 before any */
  double seconds;     /* audio measured */
  unsigned long long samples, clipped; /* values (every channel) */
  double sum_sq, peak;
  /* the window being filled */
  unsigned win_frames, win_len;
  double win_peak;
  double run, longest; /* silent seconds: the current run, the longest */
} sa_levels;

/* Starts a measurement; silence_db (dBFS, e.g. -60) is where silence
 * starts. Can't fail. */
void sa_levels_init(sa_levels *lv, double silence_db);

/* Feeds frames of PCM, floats of full scale 1.0, channels interleaved
 * (planar NULL) or in planar[channel] (interleaved NULL). */
void sa_levels_feed(sa_levels *lv, const float *interleaved,
                    float *const *planar, size_t frames, unsigned channels,
                    unsigned rate);

/* Ends the last window. Call once, after the last feed. */
void sa_levels_finish(sa_levels *lv);

/* RMS and peak of everything fed, dBFS, SA_FLOOR_DB at least; NAN when
 * nothing was fed. */
double sa_levels_rms_db(const sa_levels *lv);
double sa_levels_peak_db(const sa_levels *lv);

/* Opens a loudness meter (libebur128, dlopen'ed). Returns 0, or -1 with
 * err naming the missing library. */
int sa_loud_open(sa_loud **l, sw_err *err);
/* As sa_levels_feed (which calls it for the levels' lv->loud). */
void sa_loud_feed(sa_loud *l, const float *interleaved, float *const *planar,
                  size_t frames, unsigned channels, unsigned rate);
/* The loudest momentary and short-term loudness and the integrated
 * loudness, LUFS; NAN when not measured (under 0.4 s or 3 s of audio;
 * floored at SA_LUFS_FLOOR). */
void sa_loud_result(sa_loud *l, double *momentary, double *shortterm,
                    double *integrated);
void sa_loud_close(sa_loud *l);

/* One decoder, for one format. */
typedef struct sa_decoder sa_decoder;

/* Opens a decoder for f: SF_MP3, SF_AAC (ADTS), SF_OGG_VORBIS,
 * SF_OGG_OPUS, or the AAC or MP3 audio inside SF_TS and SF_FMP4 segments
 * (audio_demux.c; fed every segment, the init segment first). Returns
 * 0, or -1 with err naming what is missing: a format it cannot decode
 * ("decoding Ogg audio is not supported"), or a codec library that is
 * not installed ("MP3 decoding needs libmpg123.so.0 (...)"). */
int sa_open(sa_decoder **d, sf_format f, sw_err *err);

/* Decodes n more bytes of the stream (any chunking); what comes out is
 * fed to lv. Broken data is counted, not fatal: the decoder resyncs. */
void sa_feed(sa_decoder *d, const unsigned char *b, size_t n, sa_levels *lv);

/* Decode errors so far, and the first one ("" when none). */
unsigned long sa_errors(const sa_decoder *d);
const char *sa_error(const sa_decoder *d);

/* Why nothing could be decoded, known only once data came: no audio
 * stream in the segments, a codec that is not AAC, its library missing;
 * "" when none of these. */
const char *sa_deaf(const sa_decoder *d);

/* Frees d (NULL is fine). */
void sa_close(sa_decoder *d);

#endif
