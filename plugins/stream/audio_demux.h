/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audio elementary stream inside MPEG-TS and fMP4 segments, for
 * audio_dec.c (see audio_demux.c for the specs followed). Pure: no I/O,
 * fed in chunks of any size; out() receives ADTS or MP3 bytes. */
#ifndef STREAMWATCH_STREAM_AUDIO_DEMUX_H
#define STREAMWATCH_STREAM_AUDIO_DEMUX_H

#include <stdbool.h>
#include <stddef.h>
#include "frames.h"

typedef void (*sa_out_fn)(void *arg, const unsigned char *b, size_t n);

/* MPEG-TS. */
typedef struct {
  unsigned char pkt[188];
  size_t have;
  int pmt_pid, audio_pid; /* -1 until the PAT / PMT said */
  sf_format codec;        /* SF_AAC or SF_MP3 once the PMT said */
  bool pes_started;       /* a PES of the audio PID began */
  unsigned long errors;
  const char *error; /* the first, static; NULL none */
} sa_ts;

void sa_ts_init(sa_ts *t);
void sa_ts_feed(sa_ts *t, const unsigned char *b, size_t n, sa_out_fn out,
                void *arg);

/* fMP4: boxes other than mdat are read whole, up to this; the samples of
 * one trun, up to SA_MP4_SAMPLES; one sample, up to SA_MP4_SAMPLE_MAX. */
enum {
  SA_MP4_BOX_MAX = 1 << 20,
  SA_MP4_SAMPLES = 4096,
  SA_MP4_SAMPLE_MAX = 8191 - 7
};

typedef struct {
  unsigned char hdr[16];
  size_t hdr_have, hdr_len;
  unsigned long long box_left; /* bytes of the current box still to come */
  bool in_box, box_is_mdat, box_skipped;
  unsigned long long at; /* bytes fed so far */
  unsigned long long box_start;
  unsigned char *box; /* a box being read whole */
  size_t box_len;
  /* the audio track, from the init segment */
  unsigned track;
  bool have_config;
  unsigned char profile, sf_index, channels; /* for the ADTS header */
  /* the last moof's samples of the track */
  unsigned long long moof_start;
  long long data_offset; /* from the moof's start */
  size_t nsamples;
  unsigned sizes[SA_MP4_SAMPLES];
  /* streaming an mdat */
  unsigned long long mdat_payload; /* stream offset of its payload */
  size_t sample;                   /* the sample being collected */
  unsigned long long sample_at;    /* its stream offset */
  size_t sample_have;
  unsigned char frame[7 + SA_MP4_SAMPLE_MAX];
  unsigned long errors;
  const char *error; /* the first, static; NULL none */
} sa_mp4;

void sa_mp4_init(sa_mp4 *m);
void sa_mp4_feed(sa_mp4 *m, const unsigned char *b, size_t n, sa_out_fn out,
                 void *arg);
void sa_mp4_free(sa_mp4 *m);

#endif
