/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MPEG audio (MP3) and ADTS (AAC) frame headers, and the ID3 tags found
 * around them; see frames.h. */
#include <string.h>

#include "frames_int.h"

/* ISO/IEC 11172-3 section 2.4.2.3 "bitrate_index" (kbit/s), for MPEG-1
 * Layers I, II, III, then ISO/IEC 13818-3 section 2.4.2.3 for MPEG-2 (and
 * 2.5) Layer I, and Layers II and III. Index 0 is "free format", 15 is
 * forbidden. */
static const unsigned short kbps_table[5][15] = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
};

/* "sampling_frequency" (Hz) for MPEG-1; MPEG-2 halves it, MPEG 2.5
 * quarters it. */
static const unsigned mpeg1_rates[3] = {44100, 48000, 32000};

/* ISO/IEC 13818-7 section 8.1.3.2 Table 35 "sampling_frequency_index". */
static const unsigned adts_rates[13] = {96000, 88200, 64000, 48000, 44100,
                                        32000, 24000, 22050, 16000, 12000,
                                        11025, 8000,  7350};

int sf_mpa_parse(const unsigned char h[4], sf_mpa *m) {
  unsigned ver =
      (h[1] >> 3) & 3; /* 0 MPEG 2.5, 1 reserved, 2 MPEG-2, 3 MPEG-1 */
  unsigned layer = 4 - ((h[1] >> 1) & 3); /* 4 means reserved (bits 00) */
  unsigned bri = h[2] >> 4, sri = (h[2] >> 2) & 3, pad = (h[2] >> 1) & 1;
  unsigned row, rate;

  if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0 || ver == 1 || layer == 4 ||
      bri == 0 || bri == 15 || sri == 3 || (h[3] & 3) == 2 /* emphasis */)
    return -1;
  row = ver == 3 ? layer - 1 : layer == 1 ? 3 : 4;
  rate = mpeg1_rates[sri] >> (ver == 3 ? 0 : ver == 2 ? 1 : 2);
  m->kbps = kbps_table[row][bri];
  m->sample_rate = rate;
  m->channels = (h[3] >> 6) == 3 ? 1 : 2;
  /* Slot arithmetic of section 2.4.3.1: Layer I has 4-byte slots. */
  if (layer == 1) {
    m->samples = 384;
    m->frame_len = (12 * m->kbps * 1000 / rate + pad) * 4;
  } else if (layer == 2 || ver == 3) {
    m->samples = 1152;
    m->frame_len = 144 * m->kbps * 1000 / rate + pad;
  } else { /* Layer III at the lower rates: 576 samples (13818-3) */
    m->samples = 576;
    m->frame_len = 72 * m->kbps * 1000 / rate + pad;
  }
  m->key = (uint32_t)(ver << 4 | layer << 2 | sri);
  return 0;
}

int sf_adts_parse(const unsigned char h[7], sf_mpa *m) {
  unsigned sfi = (h[2] >> 2) & 15, ch = (h[2] & 1) << 2 | h[3] >> 6;
  unsigned len = (unsigned)(h[3] & 3) << 11 | (unsigned)h[4] << 3 | h[5] >> 5;
  unsigned hlen = (h[1] & 1) ? 7 : 9; /* protection_absent */

  /* syncword 0xFFF and layer '00' (section 6.2.1) */
  if (h[0] != 0xFF || (h[1] & 0xF6) != 0xF0 || sfi > 12 || len < hlen)
    return -1;
  m->frame_len = len;
  m->sample_rate = adts_rates[sfi];
  m->channels = ch == 7 ? 8 : ch; /* Table 42: configuration 7 is 7.1 */
  m->kbps = 0;
  m->samples = 1024 * ((h[6] & 3) + 1u); /* number_of_raw_data_blocks + 1 */
  /* ID, profile and sampling_frequency_index stay for the whole stream */
  m->key = (uint32_t)((h[1] >> 3 & 1) << 8 | (h[2] >> 6) << 4 | sfi);
  return 0;
}

unsigned long sf_id3_size(const unsigned char h[10]) {
  unsigned long size = 0;

  /* id3.org ID3v2.4 structure section 3.1: "ID3", version 2..4 (and
   * revision) never 0xFF, a 28-bit syncsafe size, optional footer. */
  if (memcmp(h, "ID3", 3) != 0 || h[3] < 2 || h[3] > 4 || h[4] == 0xFF)
    return 0;
  for (int i = 6; i < 10; i++) {
    if (h[i] & 0x80)
      return 0;
    size = size << 7 | h[i];
  }
  return size + 10 + ((h[5] & 0x10) ? 10 : 0);
}

/* The tags met between MPEG audio frames: an ID3v2 tag (at the start of
 * a file, and in HLS packed audio segments), or an ID3v1 trailer ("TAG",
 * 128 bytes) when id3v1. Returns SF_NEED/SF_SKIP/SF_BAD, or -1 when
 * hdr[0] cannot start a tag. */
static int check_tag(sf_validator *v, int id3v1) {
  struct sf_priv *p = &v->priv;
  unsigned long size;

  if (p->hdr[0] != 'I' && p->hdr[0] != 'T')
    return -1;
  if (p->have < 3) {
    p->want = 3;
    return SF_NEED;
  }
  if (id3v1 && memcmp(p->hdr, "TAG", 3) == 0) {
    p->skip = 128 - 3;
    return SF_SKIP;
  }
  if (memcmp(p->hdr, "ID3", 3) != 0)
    return SF_BAD;
  if (p->have < 10) {
    p->want = 10;
    return SF_NEED;
  }
  size = sf_id3_size(p->hdr);
  if (size == 0)
    return SF_BAD;
  p->skip = size - 10;
  return SF_SKIP;
}

/* The shared part of the MP3 and ADTS checks, once hdr holds hlen bytes
 * decoded into m (or failed, r != 0). */
static int accept(sf_validator *v, int r, const sf_mpa *m, size_t hlen) {
  struct sf_priv *p = &v->priv;

  if (r != 0 || (p->key_set && m->key != p->key))
    return SF_BAD;
  p->key = m->key;
  p->key_set = 1;
  p->skip = m->frame_len - hlen;
  p->u_sec = (double)m->samples / m->sample_rate;
  p->u_bytes = m->frame_len;
  p->u_kbps = m->kbps;
  v->sample_rate = m->sample_rate;
  v->channels = m->channels;
  return SF_UNIT;
}

/* Collects the first hlen bytes of a frame header, rejecting as early as
 * the sync bits allow (mask on the second byte). Returns SF_NEED, SF_BAD
 * or -1 when all hlen bytes are there. */
static int collect(sf_validator *v, size_t hlen, unsigned char mask,
                   unsigned char want2) {
  struct sf_priv *p = &v->priv;

  if (p->hdr[0] != 0xFF || (p->have >= 2 && (p->hdr[1] & mask) != want2))
    return SF_BAD;
  if (p->have < hlen) {
    p->want = p->have < 2 ? 2 : hlen;
    return SF_NEED;
  }
  return -1;
}

int sf_check_mp3(sf_validator *v) {
  sf_mpa m;
  int r = check_tag(v, 1);

  if (r == -1)
    r = collect(v, 4, 0xE0, 0xE0);
  if (r != -1)
    return r;
  r = sf_mpa_parse(v->priv.hdr, &m);
  return accept(v, r, &m, 4);
}

int sf_check_adts(sf_validator *v) {
  sf_mpa m;
  int r = check_tag(v, 0);

  if (r == -1)
    r = collect(v, 7, 0xF6, 0xF0);
  if (r != -1)
    return r;
  r = sf_adts_parse(v->priv.hdr, &m);
  return accept(v, r, &m, 7);
}
