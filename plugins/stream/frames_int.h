/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the frame validators (frames*.c); not for
 * callers, who use frames.h. */
#ifndef STREAMWATCH_STREAM_FRAMES_INT_H
#define STREAMWATCH_STREAM_FRAMES_INT_H

#include "frames.h"

/* What a format's header check says about the bytes in priv.hdr (it is
 * called with priv.have == priv.want): */
enum {
  SF_NEED, /* more header bytes: priv.want was raised above priv.have */
  SF_UNIT, /* a frame/page/packet/box: priv.skip body bytes follow, and
              priv.u_sec, u_bytes, u_kbps describe it */
  SF_SKIP, /* a tag to skip (ID3): priv.skip bytes follow, not counted */
  SF_BAD   /* not a valid header here (priv.why may say why) */
};

/* priv.skip for an fMP4 box that runs to the end of the stream. */
#define SF_TO_END (~0ULL)

/* One MPEG audio (MP3) or ADTS header, decoded. */
typedef struct {
  unsigned frame_len;   /* bytes, header included */
  unsigned sample_rate; /* Hz */
  unsigned channels;    /* 0 for ADTS channel_configuration 0 (in a PCE) */
  unsigned kbps;        /* MP3 bitrate; 0 for ADTS */
  unsigned samples;     /* per frame */
  uint32_t key;         /* the fields that must stay the same */
} sf_mpa;

/* Decodes a 4-byte MPEG audio header (ISO/IEC 11172-3 section 2.4.2.3).
 * Returns 0, or -1 when any field is reserved/invalid or the bitrate is
 * "free format" (no frame length to check). */
int sf_mpa_parse(const unsigned char h[4], sf_mpa *m);

/* Decodes a 7-byte ADTS header (ISO/IEC 13818-7 section 6.2).
 * Returns 0, or -1 when invalid. */
int sf_adts_parse(const unsigned char h[7], sf_mpa *m);

/* The total size of the ID3v2 tag whose 10-byte header is h (header,
 * body and footer), or 0 when h is not one. */
unsigned long sf_id3_size(const unsigned char h[10]);

/* The format header checks, one per validator (see the enum above). */
int sf_check_mp3(sf_validator *v);
int sf_check_adts(sf_validator *v);
int sf_check_ogg(sf_validator *v);
int sf_check_ts(sf_validator *v);
int sf_check_fmp4(sf_validator *v);

/* Ogg page bodies go through the CRC; the page end checks it. */
void sf_ogg_body(sf_validator *v, const unsigned char *b, size_t n);
void sf_ogg_end(sf_validator *v);

/* RFC 3533 section 6 CRC-32 (poly 0x04C11DB7, MSB first, init 0, no
 * final xor), continued from crc over n bytes. */
uint32_t sf_ogg_crc(uint32_t crc, const unsigned char *b, size_t n);

/* Counts an error at stream offset at; the first one is kept in
 * v->error. */
void sf_error(sf_validator *v, unsigned long long at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Recomputes v->bitrate_kbps from priv's totals. */
void sf_update_bitrate(sf_validator *v);

#endif
