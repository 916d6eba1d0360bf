/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoders for the sample check_stream downloaded: MP3 (libmpg123), AAC
 * in ADTS (faad2), Vorbis (libvorbis) and Opus (libopus) in Ogg
 * (libogg). Each library is loaded with dlopen when a decoder is opened,
 * never at start-up: a run that does not decode maps none of them. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpg123.h>
#include <neaacdec.h>
#include <ogg/ogg.h>
#include <opus/opus.h>
#include <vorbis/codec.h>

#include "audio.h"
#include "audio_demux.h"

/* The functions taken from each library (dlsym by these names). */
#define MPG123_FNS(X)                                                          \
  X(mpg123_init)                                                               \
  X(mpg123_new)                                                                \
  X(mpg123_delete) X(mpg123_param) X(mpg123_open_feed) X(mpg123_feed)          \
      X(mpg123_read) X(mpg123_getformat) X(mpg123_plain_strerror)
#define FAAD_FNS(X)                                                            \
  X(NeAACDecOpen)                                                              \
  X(NeAACDecClose)                                                             \
  X(NeAACDecGetCurrentConfiguration) X(NeAACDecSetConfiguration)               \
      X(NeAACDecInit) X(NeAACDecDecode) X(NeAACDecGetErrorMessage)
#define OGG_FNS(X)                                                             \
  X(ogg_sync_init)                                                             \
  X(ogg_sync_clear)                                                            \
  X(ogg_sync_buffer) X(ogg_sync_wrote) X(ogg_sync_pageout) X(ogg_stream_init)  \
      X(ogg_stream_clear) X(ogg_stream_pagein) X(ogg_stream_packetout)         \
          X(ogg_page_bos) X(ogg_page_serialno)
#define VORBIS_FNS(X)                                                          \
  X(vorbis_info_init)                                                          \
  X(vorbis_info_clear)                                                         \
  X(vorbis_comment_init) X(vorbis_comment_clear) X(vorbis_synthesis_headerin)  \
      X(vorbis_synthesis_init) X(vorbis_block_init) X(vorbis_block_clear)      \
          X(vorbis_dsp_clear) X(vorbis_synthesis) X(vorbis_synthesis_blockin)  \
              X(vorbis_synthesis_pcmout) X(vorbis_synthesis_read)
#define OPUS_FNS(X)                                                            \
  X(opus_decoder_create)                                                       \
  X(opus_decoder_destroy) X(opus_decode_float) X(opus_strerror)

#define FN_FIELD(f) __typeof__(&f) f;
#define FN_LOAD(f)                                                             \
  if (!(*(void **)&t->f = dlsym(h, #f)))                                       \
    return missing_symbol(h, #f, what, soname, err);

typedef struct {
  MPG123_FNS(FN_FIELD)
} mpg123_fns;
typedef struct {
  FAAD_FNS(FN_FIELD)
} faad_fns;
typedef struct {
  OGG_FNS(FN_FIELD)
} ogg_fns;
typedef struct {
  VORBIS_FNS(FN_FIELD)
} vorbis_fns;
typedef struct {
  OPUS_FNS(FN_FIELD)
} opus_fns;

/* The longest ADTS frame (13-bit frame_length) and a second one. */
enum { ADTS_MAX = 8191, PCM_FRAMES = 5760 /* 120 ms at 48 kHz */ };

struct sa_decoder {
  sf_format format;
  void *lib, *lib2; /* dlopen handles */
  unsigned long errors;
  char error[128];
  /* segments: the demuxer, and the decoder of what it finds */
  sa_ts *ts;
  sa_mp4 *mp4;
  sa_decoder *inner;
  bool inner_failed;
  char deaf[160];
  sa_levels *lv; /* during sa_feed */
  union {
    struct {
      mpg123_fns f;
      mpg123_handle *mh;
      unsigned rate, channels;
      float pcm[PCM_FRAMES * 2];
    } mp3;
    struct {
      faad_fns f;
      NeAACDecHandle h;
      bool inited, synced;
      size_t have;
      unsigned char buf[2 * ADTS_MAX];
    } aac;
    struct {
      ogg_fns o;
      vorbis_fns v;
      opus_fns p;
      ogg_sync_state sync;
      ogg_stream_state stream;
      bool stream_on, dsp_on;
      int headers; /* codec header packets read */
      vorbis_info vi;
      vorbis_comment vc;
      vorbis_dsp_state vd;
      vorbis_block vb;
      OpusDecoder *opus;
      int opus_channels;
      float pcm[PCM_FRAMES * 2];
    } ogg;
  } u;
};

static int missing_symbol(void *h, const char *sym, const char *what,
                          const char *soname, sw_err *err) {
  dlclose(h);
  return sw_fail(err, "%s decoding needs %s: it has no %s", what, soname, sym);
}

static void *lib_open(const char *soname, const char *what, sw_err *err) {
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *why = dlerror();
    sw_fail(err, "%s decoding needs %s (%s)", what, soname,
            why ? why : "not found");
  }
  return h;
}

#define LIB_LOADER(name, FNS)                                                  \
  static int name(name##_t *t, void **hp, const char *soname,                  \
                  const char *what, sw_err *err) {                             \
    void *h = lib_open(soname, what, err);                                     \
    if (!h)                                                                    \
      return -1;                                                               \
    FNS(FN_LOAD)                                                               \
    *hp = h;                                                                   \
    return 0;                                                                  \
  }
typedef mpg123_fns load_mpg123_t;
typedef faad_fns load_faad_t;
typedef ogg_fns load_ogg_t;
typedef vorbis_fns load_vorbis_t;
typedef opus_fns load_opus_t;
LIB_LOADER(load_mpg123, MPG123_FNS)
LIB_LOADER(load_faad, FAAD_FNS)
LIB_LOADER(load_ogg, OGG_FNS)
LIB_LOADER(load_vorbis, VORBIS_FNS)
LIB_LOADER(load_opus, OPUS_FNS)

/* Counts a decode error, keeping the first one's words. */
static void dec_error(sa_decoder *d, const char *what) {
  if (d->errors++ == 0)
    snprintf(d->error, sizeof d->error, "%s", what);
}

/* ---------------------------------------------------------------- MP3 */
static int mp3_open(sa_decoder *d, sw_err *err) {
  int e = 0;
  if (load_mpg123(&d->u.mp3.f, &d->lib, "libmpg123.so.0", "MP3", err) < 0)
    return -1;
  mpg123_fns *f = &d->u.mp3.f;
  f->mpg123_init();
  d->u.mp3.mh = f->mpg123_new(NULL, &e);
  if (!d->u.mp3.mh)
    return sw_fail(err, "libmpg123: %s", f->mpg123_plain_strerror(e));
  /* float output, whatever the stream's rate; no messages on stderr */
  f->mpg123_param(d->u.mp3.mh, MPG123_ADD_FLAGS,
                  MPG123_FORCE_FLOAT | MPG123_QUIET, 0.0);
  if ((e = f->mpg123_open_feed(d->u.mp3.mh)) != MPG123_OK)
    return sw_fail(err, "libmpg123: %s", f->mpg123_plain_strerror(e));
  return 0;
}

static void mp3_feed(sa_decoder *d, const unsigned char *b, size_t n,
                     sa_levels *lv) {
  mpg123_fns *f = &d->u.mp3.f;
  mpg123_handle *mh = d->u.mp3.mh;
  if (f->mpg123_feed(mh, b, n) != MPG123_OK) {
    dec_error(d, "MP3 decoder refused the data");
    return;
  }
  for (;;) {
    size_t done = 0;
    int e =
        f->mpg123_read(mh, (void *)d->u.mp3.pcm, sizeof d->u.mp3.pcm, &done);
    if (e == MPG123_NEW_FORMAT) {
      long rate;
      int ch, enc;
      f->mpg123_getformat(mh, &rate, &ch, &enc);
      d->u.mp3.rate = rate > 0 ? (unsigned)rate : 0;
      d->u.mp3.channels = ch > 0 && ch <= 2 ? (unsigned)ch : 0;
      continue;
    }
    if (done && d->u.mp3.channels)
      sa_levels_feed(lv, d->u.mp3.pcm, NULL,
                     done / sizeof(float) / d->u.mp3.channels,
                     d->u.mp3.channels, d->u.mp3.rate);
    if (e == MPG123_OK)
      continue;
    if (e != MPG123_NEED_MORE && e != MPG123_DONE) {
      /* any other code ends this feed: a loop on it could not end */
      char what[100];
      snprintf(what, sizeof what, "MP3: %s", f->mpg123_plain_strerror(e));
      dec_error(d, what);
    }
    break;
  }
}

/* ---------------------------------------------------------------- AAC */
static int aac_open(sa_decoder *d, sw_err *err) {
  if (load_faad(&d->u.aac.f, &d->lib, "libfaad.so.2", "AAC", err) < 0)
    return -1;
  faad_fns *f = &d->u.aac.f;
  if (!(d->u.aac.h = f->NeAACDecOpen()))
    return sw_fail(err, "faad2: out of memory");
  NeAACDecConfigurationPtr c = f->NeAACDecGetCurrentConfiguration(d->u.aac.h);
  c->outputFormat = FAAD_FMT_FLOAT;
  f->NeAACDecSetConfiguration(d->u.aac.h, c);
  return 0;
}

/* The length of the ADTS frame at b (7 or more bytes), 0 when b holds no
 * ADTS header. */
static size_t adts_len(const unsigned char *b) {
  if (b[0] != 0xFF || (b[1] & 0xF6) != 0xF0)
    return 0;
  size_t len = ((size_t)(b[3] & 3) << 11) | ((size_t)b[4] << 3) | (b[5] >> 5);
  return len >= 7 ? len : 0;
}

static void aac_frame(sa_decoder *d, unsigned char *b, size_t len,
                      sa_levels *lv) {
  faad_fns *f = &d->u.aac.f;
  NeAACDecFrameInfo info;
  if (!d->u.aac.inited) {
    unsigned long rate;
    unsigned char ch;
    if (f->NeAACDecInit(d->u.aac.h, b, len, &rate, &ch) < 0) {
      dec_error(d, "AAC: the decoder refused the first ADTS header");
      return;
    }
    d->u.aac.inited = true;
  }
  memset(&info, 0, sizeof info);
  float *pcm = f->NeAACDecDecode(d->u.aac.h, &info, b, len);
  if (info.error) {
    char what[100];
    snprintf(what, sizeof what, "AAC: %s",
             f->NeAACDecGetErrorMessage(info.error));
    dec_error(d, what);
    return;
  }
  if (pcm && info.channels && info.samples)
    sa_levels_feed(lv, pcm, NULL, info.samples / info.channels, info.channels,
                   (unsigned)info.samplerate);
}

static void aac_feed(sa_decoder *d, const unsigned char *b, size_t n,
                     sa_levels *lv) {
  unsigned char *buf = d->u.aac.buf;
  while (n) {
    size_t take = sizeof d->u.aac.buf - d->u.aac.have;
    if (take > n)
      take = n;
    memcpy(buf + d->u.aac.have, b, take);
    d->u.aac.have += take, b += take, n -= take;
    size_t at = 0;
    while (d->u.aac.have - at >= 7) {
      size_t len = adts_len(buf + at);
      if (len == 0) { /* lost sync: skip to the next 0xFF */
        if (d->u.aac.synced)
          dec_error(d, "AAC: ADTS sync lost");
        d->u.aac.synced = false;
        at++;
        continue;
      }
      if (d->u.aac.have - at < len)
        break;
      d->u.aac.synced = true;
      aac_frame(d, buf + at, len, lv);
      at += len;
    }
    memmove(buf, buf + at, d->u.aac.have - at);
    d->u.aac.have -= at;
  }
}

/* ---------------------------------------------------------------- Ogg */
static int ogg_open(sa_decoder *d, sw_err *err) {
  const char *what = d->format == SF_OGG_OPUS ? "Opus" : "Vorbis";
  if (load_ogg(&d->u.ogg.o, &d->lib, "libogg.so.0", what, err) < 0)
    return -1;
  if (d->format == SF_OGG_OPUS
          ? load_opus(&d->u.ogg.p, &d->lib2, "libopus.so.0", what, err) < 0
          : load_vorbis(&d->u.ogg.v, &d->lib2, "libvorbis.so.0", what, err) < 0)
    return -1;
  d->u.ogg.o.ogg_sync_init(&d->u.ogg.sync);
  return 0;
}

/* Ends the logical stream being decoded (a chained stream starts a new
 * one with its own headers). */
static void ogg_codec_end(sa_decoder *d) {
  vorbis_fns *v = &d->u.ogg.v;
  if (d->u.ogg.dsp_on) {
    v->vorbis_block_clear(&d->u.ogg.vb);
    v->vorbis_dsp_clear(&d->u.ogg.vd);
    d->u.ogg.dsp_on = false;
  }
  if (d->format == SF_OGG_VORBIS && d->u.ogg.stream_on) {
    v->vorbis_comment_clear(&d->u.ogg.vc);
    v->vorbis_info_clear(&d->u.ogg.vi);
  }
  if (d->u.ogg.opus) {
    d->u.ogg.p.opus_decoder_destroy(d->u.ogg.opus);
    d->u.ogg.opus = NULL;
  }
  if (d->u.ogg.stream_on)
    d->u.ogg.o.ogg_stream_clear(&d->u.ogg.stream);
  d->u.ogg.stream_on = false;
  d->u.ogg.headers = 0;
}

static void vorbis_packet(sa_decoder *d, ogg_packet *op, sa_levels *lv) {
  vorbis_fns *v = &d->u.ogg.v;
  if (d->u.ogg.headers < 3) {
    if (v->vorbis_synthesis_headerin(&d->u.ogg.vi, &d->u.ogg.vc, op) != 0) {
      dec_error(d, "Vorbis: broken header packet");
      return;
    }
    if (++d->u.ogg.headers == 3) {
      if (v->vorbis_synthesis_init(&d->u.ogg.vd, &d->u.ogg.vi) != 0) {
        dec_error(d, "Vorbis: the decoder refused the headers");
        return;
      }
      v->vorbis_block_init(&d->u.ogg.vd, &d->u.ogg.vb);
      d->u.ogg.dsp_on = true;
    }
    return;
  }
  if (!d->u.ogg.dsp_on)
    return;
  if (v->vorbis_synthesis(&d->u.ogg.vb, op) != 0) {
    dec_error(d, "Vorbis: broken audio packet");
    return;
  }
  v->vorbis_synthesis_blockin(&d->u.ogg.vd, &d->u.ogg.vb);
  float **pcm;
  int frames;
  while ((frames = v->vorbis_synthesis_pcmout(&d->u.ogg.vd, &pcm)) > 0) {
    sa_levels_feed(lv, NULL, pcm, (size_t)frames,
                   (unsigned)d->u.ogg.vi.channels, (unsigned)d->u.ogg.vi.rate);
    v->vorbis_synthesis_read(&d->u.ogg.vd, frames);
  }
}

static void opus_packet(sa_decoder *d, ogg_packet *op, sa_levels *lv) {
  opus_fns *p = &d->u.ogg.p;
  if (d->u.ogg.headers == 0) { /* OpusHead, RFC 7845 section 5.1 */
    d->u.ogg.headers++;
    if (op->bytes < 19 || memcmp(op->packet, "OpusHead", 8) != 0) {
      dec_error(d, "Opus: no OpusHead");
      return;
    }
    int ch = op->packet[9], family = op->packet[18], e = 0;
    if (family != 0 || ch < 1 || ch > 2) {
      dec_error(d, "Opus: only mono and stereo (mapping family 0) are "
                   "decoded");
      return;
    }
    d->u.ogg.opus_channels = ch;
    d->u.ogg.opus = p->opus_decoder_create(48000, ch, &e);
    if (!d->u.ogg.opus) {
      char what[100];
      snprintf(what, sizeof what, "Opus: %s", p->opus_strerror(e));
      dec_error(d, what);
    }
    return;
  }
  if (d->u.ogg.headers == 1) { /* OpusTags */
    d->u.ogg.headers++;
    return;
  }
  if (!d->u.ogg.opus)
    return;
  int frames =
      p->opus_decode_float(d->u.ogg.opus, op->packet, (opus_int32)op->bytes,
                           d->u.ogg.pcm, PCM_FRAMES, 0);
  if (frames < 0) {
    char what[100];
    snprintf(what, sizeof what, "Opus: %s", p->opus_strerror(frames));
    dec_error(d, what);
    return;
  }
  sa_levels_feed(lv, d->u.ogg.pcm, NULL, (size_t)frames,
                 (unsigned)d->u.ogg.opus_channels, 48000);
}

static void ogg_page_in(sa_decoder *d, ogg_page *pg, sa_levels *lv) {
  ogg_fns *o = &d->u.ogg.o;
  if (o->ogg_page_bos(pg)) { /* a (new) logical stream: its headers follow */
    ogg_codec_end(d);
    o->ogg_stream_init(&d->u.ogg.stream, o->ogg_page_serialno(pg));
    d->u.ogg.stream_on = true;
    if (d->format == SF_OGG_VORBIS) {
      d->u.ogg.v.vorbis_info_init(&d->u.ogg.vi);
      d->u.ogg.v.vorbis_comment_init(&d->u.ogg.vc);
    }
  }
  if (!d->u.ogg.stream_on || o->ogg_stream_pagein(&d->u.ogg.stream, pg) != 0)
    return; /* joined mid-stream, or another logical stream */
  ogg_packet op;
  int r;
  while ((r = o->ogg_stream_packetout(&d->u.ogg.stream, &op)) != 0) {
    if (r < 0) {
      dec_error(d, "Ogg: packets missing");
      continue;
    }
    if (d->format == SF_OGG_OPUS)
      opus_packet(d, &op, lv);
    else
      vorbis_packet(d, &op, lv);
  }
}

static void ogg_feed(sa_decoder *d, const unsigned char *b, size_t n,
                     sa_levels *lv) {
  ogg_fns *o = &d->u.ogg.o;
  while (n) {
    size_t take = n > 65536 ? 65536 : n;
    char *buf = o->ogg_sync_buffer(&d->u.ogg.sync, (long)take);
    if (!buf) {
      dec_error(d, "Ogg: out of memory");
      return;
    }
    memcpy(buf, b, take);
    o->ogg_sync_wrote(&d->u.ogg.sync, (long)take);
    b += take, n -= take;
    ogg_page pg;
    int r;
    while ((r = o->ogg_sync_pageout(&d->u.ogg.sync, &pg)) != 0) {
      if (r > 0)
        ogg_page_in(d, &pg, lv);
      else if (d->u.ogg.stream_on)
        dec_error(d, "Ogg: page sync lost");
    }
  }
}

/* ---------------------------------------------------------- segments */
static int demux_open(sa_decoder *d, sw_err *err) {
  if (d->format == SF_TS && (d->ts = malloc(sizeof *d->ts)))
    sa_ts_init(d->ts);
  else if (d->format == SF_FMP4 && (d->mp4 = malloc(sizeof *d->mp4)))
    sa_mp4_init(d->mp4);
  else
    return sw_fail(err, "out of memory");
  return 0;
}

/* What the demuxer found: to the decoder of its codec, opened on the
 * first bytes (a codec library missing makes the decoder deaf). */
static void demux_out(void *arg, const unsigned char *b, size_t n) {
  sa_decoder *d = arg;
  sw_err err = {""};
  if (d->inner_failed)
    return;
  if (!d->inner) {
    sf_format codec = d->ts ? d->ts->codec : SF_AAC;
    if (sa_open(&d->inner, codec, &err) < 0) {
      d->inner_failed = true;
      snprintf(d->deaf, sizeof d->deaf, "%s", err.msg);
      return;
    }
  }
  sa_feed(d->inner, b, n, d->lv);
}

/* ---------------------------------------------------------------- API */
int sa_open(sa_decoder **dp, sf_format f, sw_err *err) {
  sa_decoder *d;
  int rc;
  *dp = NULL;
  if (f != SF_MP3 && f != SF_AAC && f != SF_OGG_VORBIS &&
      f != SF_OGG_OPUS && f != SF_TS && f != SF_FMP4)
    return sw_fail(err, "decoding %s audio is not supported",
                   sf_format_name(f));
  if (!(d = calloc(1, sizeof *d)))
    return sw_fail(err, "out of memory");
  d->format = f;
  if (f == SF_TS || f == SF_FMP4)
    rc = demux_open(d, err);
  else if (f == SF_MP3)
    rc = mp3_open(d, err);
  else
    rc = f == SF_AAC ? aac_open(d, err) : ogg_open(d, err);
  if (rc < 0) {
    sa_close(d);
    return -1;
  }
  *dp = d;
  return 0;
}

void sa_feed(sa_decoder *d, const unsigned char *b, size_t n, sa_levels *lv) {
  if (!d || !n)
    return;
  d->lv = lv;
  switch (d->format) {
  case SF_TS: sa_ts_feed(d->ts, b, n, demux_out, d); break;
  case SF_FMP4: sa_mp4_feed(d->mp4, b, n, demux_out, d); break;
  case SF_MP3: mp3_feed(d, b, n, lv); break;
  case SF_AAC: aac_feed(d, b, n, lv); break;
  default: ogg_feed(d, b, n, lv); break;
  }
}

unsigned long sa_errors(const sa_decoder *d) {
  if (!d)
    return 0;
  return d->errors + sa_errors(d->inner) + (d->ts ? d->ts->errors : 0) +
         (d->mp4 ? d->mp4->errors : 0);
}

const char *sa_error(const sa_decoder *d) {
  if (!d || d->error[0])
    return d ? d->error : "";
  if (d->ts && d->ts->error)
    return d->ts->error;
  if (d->mp4 && d->mp4->error)
    return d->mp4->error;
  return sa_error(d->inner);
}

const char *sa_deaf(const sa_decoder *d) {
  if (!d)
    return "";
  if (d->deaf[0])
    return d->deaf;
  if (d->ts && d->ts->audio_pid < 0)
    return "no audio stream in the MPEG-TS segments";
  if (d->mp4 && !d->mp4->have_config)
    return d->mp4->track ? "the fMP4 audio track is not AAC"
                         : "no audio track in the fMP4 segments";
  return "";
}

void sa_close(sa_decoder *d) {
  if (!d)
    return;
  sa_close(d->inner);
  free(d->ts);
  if (d->mp4)
    sa_mp4_free(d->mp4);
  free(d->mp4);
  if (d->format == SF_MP3 && d->lib && d->u.mp3.mh)
    d->u.mp3.f.mpg123_delete(d->u.mp3.mh);
  else if (d->format == SF_AAC && d->lib && d->u.aac.h)
    d->u.aac.f.NeAACDecClose(d->u.aac.h);
  else if ((d->format == SF_OGG_VORBIS || d->format == SF_OGG_OPUS) &&
           d->lib2) {
    ogg_codec_end(d);
    d->u.ogg.o.ogg_sync_clear(&d->u.ogg.sync);
  }
  if (d->lib2)
    dlclose(d->lib2);
  if (d->lib)
    dlclose(d->lib);
  free(d);
}
