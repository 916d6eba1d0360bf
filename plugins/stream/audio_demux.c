/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audio inside HLS and DASH segments, as bytes the ADTS and MP3
 * decoders read:
 *  - MPEG-TS (ISO/IEC 13818-1): the PAT (section 2.4.4.3) names the PMT,
 *    the PMT (2.4.4.8) the first audio elementary stream: stream_type
 *    0x0F (AAC in ADTS) or 0x03/0x04 (MPEG audio); its PES payloads
 *    (2.4.3.6) are concatenated, ADTS and MP3 being self-framing.
 *  - fMP4 (ISO/IEC 14496-12 and -14): the init segment's 'soun' track
 *    (hdlr, tkhd) and its AudioSpecificConfig (esds: ISO/IEC 14496-1
 *    section 7.2.6, 14496-3 section 1.6.2.1); each moof's tfhd and trun
 *    give that track's sample sizes and where they start in the mdat
 *    that follows (streamed, never held whole); every raw AAC frame gets
 *    the ADTS header (ISO/IEC 13818-7 section 6.2) its config implies.
 * PSI sections are read from one packet (as every muxer writes them). */
#include <stdlib.h>
#include <string.h>

#include "audio_demux.h"

static void ts_error(sa_ts *t, const char *why) {
  if (t->errors++ == 0)
    t->error = why;
}

void sa_ts_init(sa_ts *t) {
  *t = (sa_ts){.pmt_pid = -1, .audio_pid = -1, .codec = SF_UNKNOWN};
}

static unsigned u16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

static unsigned long u32(const unsigned char *p) {
  return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
         (unsigned long)p[2] << 8 | p[3];
}

/* A PSI section at p (n bytes from the pointer_field): its body between
 * the 8-byte header... and the CRC, or NULL. */
static const unsigned char *psi_section(const unsigned char *p, size_t n,
                                        unsigned table, size_t *len) {
  if (n < 1 || (size_t)p[0] + 1 >= n)
    return NULL;
  n -= 1 + (size_t)p[0];
  p += 1 + p[0];
  if (n < 12 || p[0] != table)
    return NULL;
  size_t sl = u16(p + 1) & 0x0FFF;
  if (sl < 9 || sl + 3 > n)
    return NULL;
  *len = sl + 3 - 4 - 8; /* without the header and the CRC_32 */
  return p + 8;
}

static void ts_pat(sa_ts *t, const unsigned char *p, size_t n) {
  size_t len;
  const unsigned char *s = psi_section(p, n, 0x00, &len);
  for (size_t i = 0; s && i + 4 <= len; i += 4)
    if (u16(s + i) != 0) { /* program 0 is the network PID */
      t->pmt_pid = (int)(u16(s + i + 2) & 0x1FFF);
      return;
    }
}

static void ts_pmt(sa_ts *t, const unsigned char *p, size_t n) {
  size_t len;
  const unsigned char *s = psi_section(p, n, 0x02, &len);
  if (!s || len < 4)
    return;
  size_t i = 4 + (u16(s + 2) & 0x0FFF); /* PCR_PID, program_info */
  for (; i + 5 <= len; i += 5 + (u16(s + i + 3) & 0x0FFF)) {
    unsigned type = s[i];
    if (type == 0x0F || type == 0x03 || type == 0x04) {
      t->audio_pid = (int)(u16(s + i + 1) & 0x1FFF);
      t->codec = type == 0x0F ? SF_AAC : SF_MP3;
      return;
    }
  }
}

/* One audio PES packet's piece: the header skipped where one starts. */
static void ts_pes(sa_ts *t, const unsigned char *p, size_t n, bool start,
                   sa_out_fn out, void *arg) {
  if (start) {
    if (n < 9 || p[0] || p[1] || p[2] != 1) {
      ts_error(t, "MPEG-TS: broken PES header");
      t->pes_started = false;
      return;
    }
    size_t skip = 9 + (size_t)p[8];
    if (skip > n) {
      ts_error(t, "MPEG-TS: PES header longer than its packet");
      t->pes_started = false;
      return;
    }
    p += skip, n -= skip;
    t->pes_started = true;
  }
  if (t->pes_started && n)
    out(arg, p, n);
}

static void ts_packet(sa_ts *t, const unsigned char *pk, sa_out_fn out,
                      void *arg) {
  int pid = (int)(u16(pk + 1) & 0x1FFF);
  bool start = pk[1] & 0x40;
  unsigned afc = (pk[3] >> 4) & 3;
  size_t at = 4;
  if (!(afc & 1)) /* no payload */
    return;
  if (afc == 3)
    at += 1 + (size_t)pk[4];
  if (at >= 188)
    return;
  if (pid == 0 && start)
    ts_pat(t, pk + at, 188 - at);
  else if (pid == t->pmt_pid && start)
    ts_pmt(t, pk + at, 188 - at);
  else if (pid == t->audio_pid)
    ts_pes(t, pk + at, 188 - at, start, out, arg);
}

void sa_ts_feed(sa_ts *t, const unsigned char *b, size_t n, sa_out_fn out,
                void *arg) {
  while (n) {
    if (t->have == 0 && *b != 0x47) { /* out of sync: to the next 0x47 */
      const unsigned char *s = memchr(b, 0x47, n);
      ts_error(t, "MPEG-TS: sync byte missing");
      if (!s)
        return;
      n -= (size_t)(s - b);
      b = s;
    }
    size_t take = 188 - t->have < n ? 188 - t->have : n;
    memcpy(t->pkt + t->have, b, take);
    t->have += take, b += take, n -= take;
    if (t->have == 188) {
      ts_packet(t, t->pkt, out, arg);
      t->have = 0;
    }
  }
}

/* ---------------------------------------------------------------- fMP4 */
static void mp4_error(sa_mp4 *m, const char *why) {
  if (m->errors++ == 0)
    m->error = why;
}

void sa_mp4_init(sa_mp4 *m) {
  memset(m, 0, sizeof *m);
}

void sa_mp4_free(sa_mp4 *m) {
  free(m->box);
  m->box = NULL;
}

/* The payload of the first child box of type in [p, p+n), or NULL. */
static const unsigned char *child(const unsigned char *p, size_t n,
                                  const char *type, size_t *len) {
  while (n >= 8) {
    size_t size = u32(p);
    if (size < 8 || size > n)
      return NULL;
    if (memcmp(p + 4, type, 4) == 0) {
      *len = size - 8;
      return p + 8;
    }
    p += size, n -= size;
  }
  return NULL;
}

/* A descriptor's tag and length (ISO/IEC 14496-1 section 8.3.3). */
static const unsigned char *descriptor(const unsigned char *p, size_t n,
                                       unsigned *tag, size_t *len) {
  size_t l = 0, i = 1;
  if (n < 2)
    return NULL;
  *tag = p[0];
  do {
    if (i >= n || i > 4)
      return NULL;
    l = l << 7 | (p[i] & 0x7F);
  } while (p[i++] & 0x80);
  if (l > n - i)
    return NULL;
  *len = l;
  return p + i;
}

/* esds -> ES_Descriptor -> DecoderConfigDescriptor -> the ASC. */
static bool esds_config(sa_mp4 *m, const unsigned char *p, size_t n) {
  unsigned tag;
  size_t len;
  if (n < 4 || !(p = descriptor(p + 4, n - 4, &tag, &len)) || tag != 3 ||
      len < 3)
    return false;
  size_t skip = 3 + (p[2] & 0x80 ? 2 : 0) + (p[2] & 0x20 ? 2 : 0);
  if (p[2] & 0x40)
    skip += len > 3 ? 1 + (size_t)p[3] : len;
  if (skip >= len || !(p = descriptor(p + skip, len - skip, &tag, &len)) ||
      tag != 4 || len < 13 || p[0] != 0x40) /* 0x40: MPEG-4 audio */
    return false;
  if (!(p = descriptor(p + 13, len - 13, &tag, &len)) || tag != 5 || len < 2)
    return false;
  unsigned aot = p[0] >> 3, sfi = (p[0] & 7) << 1 | p[1] >> 7;
  unsigned ch = (p[1] >> 3) & 0x0F;
  if (aot == 5 || aot == 29) /* HE-AAC: the core is AAC LC at this rate */
    aot = 2;
  if (aot < 1 || aot > 4 || sfi > 12 || ch < 1 || ch > 7)
    return false;
  m->profile = (unsigned char)(aot - 1);
  m->sf_index = (unsigned char)sfi;
  m->channels = (unsigned char)ch;
  return true;
}

static void mp4_moov(sa_mp4 *m, const unsigned char *p, size_t n) {
  size_t len, l2;
  while (n >= 8) { /* every trak, for the first 'soun' one */
    size_t size = u32(p);
    if (size < 8 || size > n)
      break;
    const unsigned char *trak = p + 8, *mdia, *hdlr, *tkhd, *s;
    size_t tl = size - 8;
    p += size, n -= size;
    if (memcmp(trak - 4, "trak", 4) != 0 ||
        !(mdia = child(trak, tl, "mdia", &len)) ||
        !(hdlr = child(mdia, len, "hdlr", &l2)) || l2 < 12 ||
        memcmp(hdlr + 8, "soun", 4) != 0 ||
        !(tkhd = child(trak, tl, "tkhd", &l2)) || l2 < 24)
      continue;
    m->track = (unsigned)u32(tkhd + (tkhd[0] == 1 ? 20 : 12));
    if ((s = child(mdia, len, "minf", &len)) &&
        (s = child(s, len, "stbl", &len)) &&
        (s = child(s, len, "stsd", &len)) && len > 8 &&
        (s = child(s + 8, len - 8, "mp4a", &len)) && len > 28 &&
        (s = child(s + 28, len - 28, "esds", &len)) && esds_config(m, s, len))
      m->have_config = true;
    else
      mp4_error(m, "fMP4: the audio track is not AAC (no usable esds)");
    return;
  }
}

static void mp4_moof(sa_mp4 *m, const unsigned char *p, size_t n) {
  m->nsamples = 0;
  while (n >= 8) {
    size_t size = u32(p);
    if (size < 8 || size > n)
      return;
    const unsigned char *traf = p + 8, *tfhd, *trun;
    size_t tl = size - 8, hl, rl;
    p += size, n -= size;
    if (memcmp(traf - 4, "traf", 4) != 0 ||
        !(tfhd = child(traf, tl, "tfhd", &hl)) || hl < 8 ||
        u32(tfhd + 4) != m->track || !(trun = child(traf, tl, "trun", &rl)) ||
        rl < 8)
      continue;
    unsigned long tf = u32(tfhd) & 0xFFFFFF, rf = u32(trun) & 0xFFFFFF;
    size_t o =
        8 + (tf & 0x01 ? 8 : 0) + (tf & 0x02 ? 4 : 0) + (tf & 0x08 ? 4 : 0);
    unsigned def_size = tf & 0x10 && o + 4 <= hl ? (unsigned)u32(tfhd + o) : 0;
    unsigned long count = u32(trun + 4);
    size_t at = 8;
    m->data_offset = 0;
    if (rf & 0x01) {
      if (at + 4 > rl)
        return;
      m->data_offset = (long long)(int32_t)u32(trun + at);
      at += 4;
    }
    if (rf & 0x04)
      at += 4;
    size_t per = (rf & 0x100 ? 4 : 0) + (rf & 0x200 ? 4 : 0) +
                 (rf & 0x400 ? 4 : 0) + (rf & 0x800 ? 4 : 0);
    if (count > SA_MP4_SAMPLES || (per && count > (rl - at) / per)) {
      mp4_error(m, "fMP4: trun longer than its box or than "
                   "check_stream reads");
      return;
    }
    for (unsigned long i = 0; i < count; i++, at += per) {
      size_t so = at + (rf & 0x100 ? 4 : 0);
      m->sizes[i] = rf & 0x200 ? (unsigned)u32(trun + so) : def_size;
    }
    m->nsamples = count;
    return;
  }
}

/* The ADTS header of a raw frame of len bytes (13818-7 6.2). */
static void adts_header(const sa_mp4 *m, unsigned char *h, size_t len) {
  size_t fl = len + 7;
  h[0] = 0xFF;
  h[1] = 0xF1; /* MPEG-4, no CRC */
  h[2] = (unsigned char)(m->profile << 6 | m->sf_index << 2 | m->channels >> 2);
  h[3] = (unsigned char)((m->channels & 3) << 6 | (fl >> 11 & 3));
  h[4] = (unsigned char)(fl >> 3 & 0xFF);
  h[5] = (unsigned char)((fl & 7) << 5 | 0x1F);
  h[6] = 0xFC;
}

/* mdat bytes at stream offset pos: the track's samples cut out. */
static void mp4_mdat(sa_mp4 *m, const unsigned char *b, size_t n,
                     unsigned long long pos, sa_out_fn out, void *arg) {
  while (n && m->have_config && m->sample < m->nsamples) {
    unsigned size = m->sizes[m->sample];
    if (m->sample_have == 0 && pos < m->sample_at) { /* before the sample */
      unsigned long long gap = m->sample_at - pos;
      if (gap >= n)
        return;
      b += gap, n -= (size_t)gap, pos += gap;
    }
    size_t take = size - m->sample_have < n ? size - m->sample_have : n;
    if (size <= SA_MP4_SAMPLE_MAX)
      memcpy(m->frame + 7 + m->sample_have, b, take);
    m->sample_have += take, b += take, n -= take, pos += take;
    if (m->sample_have < size)
      return;
    if (size > SA_MP4_SAMPLE_MAX || size == 0) {
      mp4_error(m, "fMP4: an AAC sample larger than an ADTS frame holds");
    } else {
      adts_header(m, m->frame, size);
      out(arg, m->frame, size + 7);
    }
    m->sample_at += size;
    m->sample++;
    m->sample_have = 0;
  }
}

/* A box read whole: moov or moof; the rest is skipped. */
static void mp4_box(sa_mp4 *m, const unsigned char *type) {
  if (memcmp(type, "moov", 4) == 0)
    mp4_moov(m, m->box, m->box_len);
  else if (memcmp(type, "moof", 4) == 0) {
    m->moof_start = m->box_start;
    mp4_moof(m, m->box, m->box_len);
  }
}

/* The 8 (or 16) header bytes of a top-level box were read. */
static void mp4_box_start(sa_mp4 *m) {
  unsigned long long size = u32(m->hdr);
  if (size == 1)
    size = (unsigned long long)u32(m->hdr + 8) << 32 | u32(m->hdr + 12);
  m->in_box = true;
  m->box_is_mdat = memcmp(m->hdr + 4, "mdat", 4) == 0;
  m->box_skipped = false;
  m->box_len = 0;
  if (size == 0) /* to the end of the file */
    m->box_left = ~0ULL;
  else if (size < m->hdr_len) {
    mp4_error(m, "fMP4: a box shorter than its header");
    m->in_box = false;
    return;
  } else
    m->box_left = size - m->hdr_len;
  if (m->box_is_mdat) {
    m->mdat_payload = m->at;
    m->sample = 0;
    m->sample_have = 0;
    m->sample_at = m->moof_start + (unsigned long long)m->data_offset;
    if (m->nsamples && (m->data_offset <= 0 || m->sample_at < m->at)) {
      mp4_error(m, "fMP4: trun data offset outside the mdat");
      m->nsamples = 0;
    }
    return;
  }
  bool wanted =
      memcmp(m->hdr + 4, "moov", 4) == 0 || memcmp(m->hdr + 4, "moof", 4) == 0;
  if (!wanted || m->box_left > SA_MP4_BOX_MAX) {
    if (wanted)
      mp4_error(m, "fMP4: a moov or moof larger than check_stream reads");
    m->box_skipped = true;
    return;
  }
  unsigned char *grown = realloc(m->box, m->box_left ? m->box_left : 1);
  if (!grown) {
    mp4_error(m, "fMP4: out of memory");
    m->box_skipped = true;
    return;
  }
  m->box = grown;
}

void sa_mp4_feed(sa_mp4 *m, const unsigned char *b, size_t n, sa_out_fn out,
                 void *arg) {
  while (n) {
    if (!m->in_box) { /* a box header */
      if (m->hdr_have == 0)
        m->box_start = m->at;
      size_t want = m->hdr_have >= 8 && u32(m->hdr) == 1 ? 16 : 8;
      size_t take = want - m->hdr_have < n ? want - m->hdr_have : n;
      memcpy(m->hdr + m->hdr_have, b, take);
      m->hdr_have += take, m->at += take, b += take, n -= take;
      if (m->hdr_have < want || (want == 8 && u32(m->hdr) == 1))
        continue; /* more header to come (a largesize follows size 1) */
      m->hdr_len = m->hdr_have;
      m->hdr_have = 0;
      mp4_box_start(m);
      continue;
    }
    size_t take = m->box_left < n ? (size_t)m->box_left : n;
    if (m->box_is_mdat)
      mp4_mdat(m, b, take, m->at, out, arg);
    else if (!m->box_skipped) {
      memcpy(m->box + m->box_len, b, take);
      m->box_len += take;
    }
    m->at += take, b += take, n -= take;
    if (m->box_left != ~0ULL)
      m->box_left -= take;
    if (m->box_left == 0) {
      m->in_box = false;
      if (!m->box_is_mdat && !m->box_skipped)
        mp4_box(m, m->hdr + 4);
    }
  }
}
