/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/decode_load.c: what it costs to make a decoder ready, for
 * bench/stream's scenario 4 (the choice of check_stream's decoders).
 *
 *   decode_load LOADER CODEC
 *     LOADER  none     nothing loaded (the floor: this program alone)
 *             small    check_stream's way (plugins/stream/audio_dec.c):
 *                      dlopen(RTLD_NOW | RTLD_LOCAL) of the codec's own
 *                      library, dlsym of the functions the plugin takes,
 *                      and a decoder opened: MP3 libmpg123 (mpg123_init,
 *                      mpg123_new, mpg123_open_feed), AAC faad2
 *                      (NeAACDecOpen), Vorbis libogg + libvorbis
 *                      (ogg_sync_init, vorbis_info_init), Opus libogg +
 *                      libopus (opus_decoder_create 48 kHz stereo)
 *             avcodec  Debian's libavcodec.so.59 the same way: dlopen,
 *                      avcodec_find_decoder, avcodec_alloc_context3 and
 *                      avcodec_open2 (Vorbis's open fails without its
 *                      header packets as extradata: the decoder is still
 *                      found and its context made, the loading cost is
 *                      all there)
 *     CODEC   mp3, aac, vorbis, opus, or all (the four one after another)
 *   Prints nothing (bench/stream counts the libraries loaded with
 *   LD_DEBUG=files, as for check_stream and ffmpeg). Exit 0, or 1 with a
 *   message when a library or symbol is missing or a decoder cannot be
 *   opened, 2 on a usage error.
 *
 * No libavcodec headers are needed (Debian's libavcodec-dev is not a
 * build dependency): the few functions are declared here with opaque
 * types, and the codec ids are libavcodec 59's AVCodecID values.
 *
 * Build (bench/stream does this in a temporary directory at run time; not
 * part of the Makefile):
 *   gcc -O2 -Wall -Wextra -o DIR/decode_load bench/decode_load.c -ldl */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <mpg123.h>
#include <neaacdec.h>
#include <ogg/ogg.h>
#include <opus/opus.h>
#include <vorbis/codec.h>

static const char *const codecs[] = {"mp3", "aac", "vorbis", "opus"};

static void *sym(void *h, const char *lib, const char *name) {
  void *p = dlsym(h, name);
  if (!p)
    fprintf(stderr, "decode_load: %s has no %s\n", lib, name);
  return p;
}

static void *lib(const char *soname) {
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h)
    fprintf(stderr, "decode_load: %s\n", dlerror());
  return h;
}

/* dlsym of every name in a NULL-terminated list (what the plugin does:
 * the cost of the lookups, not only of the load). */
static int syms(void *h, const char *soname, const char *const *names) {
  for (; *names; names++)
    if (!sym(h, soname, *names))
      return -1;
  return 0;
}

static const char *const mpg123_names[] = {
    "mpg123_init",           "mpg123_new",  "mpg123_delete", "mpg123_param",
    "mpg123_open_feed",      "mpg123_feed", "mpg123_read",   "mpg123_getformat",
    "mpg123_plain_strerror", NULL};
static const char *const faad_names[] = {"NeAACDecOpen",
                                         "NeAACDecClose",
                                         "NeAACDecGetCurrentConfiguration",
                                         "NeAACDecSetConfiguration",
                                         "NeAACDecInit",
                                         "NeAACDecDecode",
                                         "NeAACDecGetErrorMessage",
                                         NULL};
static const char *const ogg_names[] = {
    "ogg_sync_init",    "ogg_sync_clear",    "ogg_sync_buffer",
    "ogg_sync_wrote",   "ogg_sync_pageout",  "ogg_stream_init",
    "ogg_stream_clear", "ogg_stream_pagein", "ogg_stream_packetout",
    "ogg_page_bos",     "ogg_page_serialno", NULL};
static const char *const vorbis_names[] = {
    "vorbis_info_init",          "vorbis_info_clear",
    "vorbis_comment_init",       "vorbis_comment_clear",
    "vorbis_synthesis_headerin", "vorbis_synthesis_init",
    "vorbis_block_init",         "vorbis_block_clear",
    "vorbis_dsp_clear",          "vorbis_synthesis",
    "vorbis_synthesis_blockin",  "vorbis_synthesis_pcmout",
    "vorbis_synthesis_read",     NULL};
static const char *const opus_names[] = {
    "opus_decoder_create", "opus_decoder_destroy", "opus_decode_float",
    "opus_strerror", NULL};

static int small_mp3(void) {
  void *h = lib("libmpg123.so.0");
  if (!h || syms(h, "libmpg123", mpg123_names) < 0)
    return -1;
  int (*init)(void) = (int (*)(void))sym(h, "libmpg123", "mpg123_init");
  mpg123_handle *(*mk)(const char *, int *) =
      (mpg123_handle * (*)(const char *, int *))
          sym(h, "libmpg123", "mpg123_new");
  int (*feed)(mpg123_handle *) =
      (int (*)(mpg123_handle *))sym(h, "libmpg123", "mpg123_open_feed");
  int e = 0;
  init();
  mpg123_handle *mh = mk(NULL, &e);
  if (!mh || feed(mh) != MPG123_OK) {
    fprintf(stderr, "decode_load: libmpg123 would not open a decoder\n");
    return -1;
  }
  return 0;
}

static int small_aac(void) {
  void *h = lib("libfaad.so.2");
  if (!h || syms(h, "libfaad", faad_names) < 0)
    return -1;
  NeAACDecHandle (*open)(void) =
      (NeAACDecHandle(*)(void))sym(h, "libfaad", "NeAACDecOpen");
  if (!open()) {
    fprintf(stderr, "decode_load: faad2 would not open a decoder\n");
    return -1;
  }
  return 0;
}

static int small_ogg(int opus) {
  static ogg_sync_state sync;
  void *o = lib("libogg.so.0");
  if (!o || syms(o, "libogg", ogg_names) < 0)
    return -1;
  int (*sync_init)(ogg_sync_state *) =
      (int (*)(ogg_sync_state *))sym(o, "libogg", "ogg_sync_init");
  sync_init(&sync);
  if (opus) {
    void *h = lib("libopus.so.0");
    if (!h || syms(h, "libopus", opus_names) < 0)
      return -1;
    OpusDecoder *(*mk)(opus_int32, int, int *) =
        (OpusDecoder * (*)(opus_int32, int, int *))
            sym(h, "libopus", "opus_decoder_create");
    int e = 0;
    if (!mk(48000, 2, &e)) {
      fprintf(stderr, "decode_load: libopus would not open a decoder\n");
      return -1;
    }
    return 0;
  }
  static vorbis_info vi;
  void *h = lib("libvorbis.so.0");
  if (!h || syms(h, "libvorbis", vorbis_names) < 0)
    return -1;
  void (*vi_init)(vorbis_info *) =
      (void (*)(vorbis_info *))sym(h, "libvorbis", "vorbis_info_init");
  vi_init(&vi);
  return 0;
}

static int small(const char *codec) {
  if (!strcmp(codec, "mp3"))
    return small_mp3();
  if (!strcmp(codec, "aac"))
    return small_aac();
  return small_ogg(!strcmp(codec, "opus"));
}

/* libavcodec 59's AVCodecID values (libavcodec/codec_id.h). */
static int av_id(const char *codec) {
  if (!strcmp(codec, "mp3"))
    return 0x15001;
  if (!strcmp(codec, "aac"))
    return 0x15002;
  if (!strcmp(codec, "vorbis"))
    return 0x15005;
  return 0x1503c; /* opus */
}

static int avcodec(const char *codec) {
  static void *h;
  if (!h && !(h = lib("libavcodec.so.59")))
    return -1;
  const void *(*find)(int) =
      (const void *(*)(int))sym(h, "libavcodec", "avcodec_find_decoder");
  void *(*alloc)(const void *) =
      (void *(*)(const void *))sym(h, "libavcodec", "avcodec_alloc_context3");
  int (*open)(void *, const void *, void **) =
      (int (*)(void *, const void *, void **))sym(h, "libavcodec",
                                                  "avcodec_open2");
  if (!find || !alloc || !open)
    return -1;
  const void *c = find(av_id(codec));
  void *ctx = c ? alloc(c) : NULL;
  if (!ctx) {
    fprintf(stderr, "decode_load: libavcodec has no %s decoder\n", codec);
    return -1;
  }
  (void)open(ctx, c, NULL); /* Vorbis: fails without extradata (above) */
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: decode_load none|small|avcodec "
                    "mp3|aac|vorbis|opus|all\n");
    return 2;
  }
  const char *loader = argv[1], *codec = argv[2];
  int (*load)(const char *) = NULL;
  if (!strcmp(loader, "small"))
    load = small;
  else if (!strcmp(loader, "avcodec"))
    load = avcodec;
  else if (strcmp(loader, "none")) {
    fprintf(stderr, "decode_load: LOADER none, small or avcodec\n");
    return 2;
  }
  int known = !strcmp(codec, "all");
  for (size_t i = 0; i < sizeof codecs / sizeof *codecs; i++) {
    if (strcmp(codec, "all") && strcmp(codec, codecs[i]))
      continue;
    known = 1;
    if (load && load(codecs[i]) < 0)
      return 1;
  }
  if (!known) {
    fprintf(stderr, "decode_load: CODEC mp3, aac, vorbis, opus or all\n");
    return 2;
  }
  return 0;
}
