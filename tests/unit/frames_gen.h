/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stream builders and feeding helpers for tests/unit/test_frames.c:
 * MP3 and ADTS frames, Ogg pages with an independently computed CRC,
 * MPEG-TS packets and fMP4 boxes, written into one static buffer.
 * Header-only, like tap.h: included by that one test program. */
#ifndef STREAMWATCH_TEST_FRAMES_GEN_H
#define STREAMWATCH_TEST_FRAMES_GEN_H

#include <string.h>

#include "../../plugins/stream/frames.h"
#include "tap.h"

static unsigned char buf[1 << 20]; /* the stream being built */
static size_t len;

static void put(const void *b, size_t n) {
  memcpy(buf + len, b, n);
  len += n;
}

static void fill(int c, size_t n) {
  memset(buf + len, c, n);
  len += n;
}

/* ---------------------------------------------------------- generators */

/* MPEG-1 Layer III, 128 kb/s, 44100 Hz, stereo: 417 bytes, 418 padded. */
static void mp3_frame(int pad, unsigned char bri) {
  static const unsigned kbps[] = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160};
  unsigned char h[4] = {0xFF, 0xFB, (unsigned char)(bri << 4 | pad << 1), 0};
  put(h, 4);
  fill(0, 144 * kbps[bri] * 1000 / 44100 + (unsigned)pad - 4);
}

static void mp3_frames(int n) {
  for (int i = 0; i < n; i++)
    mp3_frame(i % 3 != 0, 9);
}

/* AAC-LC ADTS, 44100 Hz, stereo, no CRC, frame_length total bytes. */
static void adts_frame(unsigned flen) {
  unsigned char h[7] = {0xFF,
                        0xF1,
                        1 << 6 | 4 << 2,
                        (unsigned char)(2 << 6 | flen >> 11),
                        (unsigned char)(flen >> 3),
                        (unsigned char)((flen & 7) << 5 | 0x1F),
                        0xFC};
  put(h, 7);
  fill(0x21, flen - 7);
}

/* An independent bitwise RFC 3533 CRC-32 (poly 0x04C11DB7, MSB first). */
static unsigned long crc32_ogg(const unsigned char *b, size_t n) {
  unsigned long crc = 0;
  for (size_t i = 0; i < n; i++) {
    crc ^= (unsigned long)b[i] << 24;
    for (int k = 0; k < 8; k++)
      crc = (crc & 0x80000000UL) ? ((crc << 1) ^ 0x04C11DB7UL) & 0xFFFFFFFFUL
                                 : (crc << 1) & 0xFFFFFFFFUL;
  }
  return crc;
}

/* One Ogg page holding one packet (payload, n < 255 * 255). */
static void ogg_page(int type, long long granule, unsigned seq,
                     const unsigned char *payload, size_t n) {
  unsigned char *p = buf + len;
  size_t nseg = n / 255 + 1;
  unsigned long crc;

  memcpy(p, "OggS\0", 5);
  p[5] = (unsigned char)type;
  for (int i = 0; i < 8; i++)
    p[6 + i] = (unsigned char)((unsigned long long)granule >> (8 * i));
  memcpy(p + 14, "\x78\x56\x34\x12", 4); /* serial */
  for (int i = 0; i < 4; i++)
    p[18 + i] = (unsigned char)(seq >> (8 * i));
  memset(p + 22, 0, 4);
  p[26] = (unsigned char)nseg;
  for (size_t i = 0; i < nseg; i++)
    p[27 + i] = (unsigned char)(i + 1 < nseg ? 255 : n % 255);
  memcpy(p + 27 + nseg, payload, n);
  crc = crc32_ogg(p, 27 + nseg + n);
  for (int i = 0; i < 4; i++)
    p[22 + i] = (unsigned char)(crc >> (8 * i));
  len += 27 + nseg + n;
}

static const unsigned char vorbis_id[30] = {
    1, 'v', 'o', 'r',  'b',  'i',  's',  0, 0,
    0, 0,   2,   0x44, 0xAC, 0,    0, /* 44100 */
    0, 0,   0,   0,    0x00, 0xF4, 0x01, 0, /* nominal 128000 */ 0,
    0, 0,   0,   0xB8, 1};
static const unsigned char opus_id[19] = {'O', 'p', 'u', 's',  'H', 'e',  'a',
                                          'd', 1,   2,   0x38, 1,   0x80, 0xBB,
                                          0,   0,   0,   0,    0};

/* Vorbis: id + comment header pages, then n audio pages of 4096 samples. */
static void ogg_vorbis(int n, size_t body) {
  unsigned char data[3000];
  memset(data, 0x5A, sizeof data);
  ogg_page(2, 0, 0, vorbis_id, sizeof vorbis_id);
  ogg_page(0, 0, 1, (const unsigned char *)"\x03vorbis", 7);
  for (int i = 1; i <= n; i++)
    ogg_page(0, 4096LL * i, 1u + (unsigned)i, data, body);
}

/* A TS packet: afc 1 payload, 2 adaptation only, 3 both; flags is the
 * adaptation field's flags byte (0x80 discontinuity, 0x10 PCR). */
static void ts_packet(unsigned pid, unsigned cc, unsigned afc, unsigned flags,
                      unsigned long long pcr_base) {
  unsigned char *p = buf + len;
  memset(p, 0xFF, 188);
  p[0] = 0x47;
  p[1] = (unsigned char)(pid >> 8);
  p[2] = (unsigned char)pid;
  p[3] = (unsigned char)(afc << 4 | cc);
  if (afc & 2) {
    p[4] = afc == 2 ? 183 : 7;
    p[5] = (unsigned char)flags;
    p[6] = (unsigned char)(pcr_base >> 25);
    p[7] = (unsigned char)(pcr_base >> 17);
    p[8] = (unsigned char)(pcr_base >> 9);
    p[9] = (unsigned char)(pcr_base >> 1);
    p[10] = (unsigned char)((pcr_base & 1) << 7 | 0x7E);
    p[11] = 0;
  }
  len += 188;
}

static void box(const char *type, unsigned size) {
  unsigned char h[8] = {(unsigned char)(size >> 24),
                        (unsigned char)(size >> 16), (unsigned char)(size >> 8),
                        (unsigned char)size};
  memcpy(h + 4, type, 4);
  put(h, 8);
  fill(0, size >= 8 ? size - 8 : 0);
}

/* ------------------------------------------------------------ feeding */

static void feed(sf_format f, size_t chunk, sf_validator *v) {
  sf_init(v, f);
  for (size_t o = 0; o < len; o += chunk)
    sf_feed(v, buf + o, len - o < chunk ? len - o : chunk);
}

/* Feeds buf in one chunk into *v, and checks that 1-byte and 7-byte
 * chunks give exactly the same results. */
static void run(sf_format f, sf_validator *v, const char *what) {
  sf_validator c[2];
  size_t chunks[2] = {1, 7};

  feed(f, len ? len : 1, v);
  for (int i = 0; i < 2; i++) {
    feed(f, chunks[i], &c[i]);
    ok(c[i].format == v->format && c[i].frames == v->frames &&
           c[i].bytes == v->bytes && c[i].errors == v->errors &&
           c[i].first_error_at == v->first_error_at &&
           strcmp(c[i].error, v->error) == 0 &&
           c[i].bitrate_kbps == v->bitrate_kbps &&
           c[i].sample_rate == v->sample_rate && c[i].channels == v->channels &&
           c[i].media_seconds == v->media_seconds &&
           c[i].fmp4.moof == v->fmp4.moof,
       "%s: %zu-byte chunks give the same result", what, chunks[i]);
  }
}

static void expect_clean(const sf_validator *v, unsigned long frames,
                         const char *what) {
  is_int(v->frames, frames, "%s: frames", what);
  is_int(v->errors, 0, "%s: no errors", what);
  is_str(v->error, "", "%s: no error text", what);
  is_int(v->first_error_at, -1, "%s: no error offset", what);
}

static void expect_error(const sf_validator *v, const char *msg, long long at,
                         const char *what) {
  is_str(v->error, msg, "%s: error text", what);
  is_int(v->first_error_at, at, "%s: error offset", what);
  ok(v->errors >= 1, "%s: errors counted (%lu)", what, v->errors);
}

#endif
