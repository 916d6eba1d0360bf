/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MPEG transport stream packets (ISO/IEC 13818-1) and the fMP4 top-level
 * box walk (ISO/IEC 14496-12); see frames.h. */
#include <string.h>

#include "frames_int.h"

enum { TS_PACKET = 188, TS_NULL_PID = 0x1FFF };

/* 27 MHz PCR ticks in ten seconds: a bigger step between two PCRs is a
 * discontinuity, not media time. */
#define PCR_MAX_STEP (10ULL * 27000000ULL)
/* PCR values wrap at 2^33 * 300 (section 2.4.3.5). */
#define PCR_WRAP ((1ULL << 33) * 300ULL)

/* Section 2.4.3.3: continuity_counter "shall not be incremented when the
 * adaptation_field_control of the packet equals '00' or '10'"; it may be
 * sent twice in a row (a duplicate); it is free after a
 * discontinuity_indicator. Returns -1 on a continuity error. */
static int continuity(sf_validator *v, unsigned pid, unsigned cc, int payload,
                      int disc) {
  struct sf_priv *p = &v->priv;
  unsigned i;
  int r, st, last;

  for (i = 0; i < p->ts.npids && p->ts.pids[i].pid != pid; i++)
    ;
  if (i == p->ts.npids) {
    if (i == sizeof p->ts.pids / sizeof p->ts.pids[0])
      return 0; /* beyond the PIDs tracked */
    p->ts.npids++;
    p->ts.pids[i].pid = (uint16_t)pid;
    p->ts.pids[i].state = 0;
  }
  if (!payload) {
    if (disc)
      p->ts.pids[i].state = 0;
    return 0;
  }
  st = p->ts.pids[i].state;
  last = p->ts.pids[i].cc;
  if (st && !disc && cc == (unsigned)last) {
    r = st == 2 ? -1 : 0; /* one duplicate is allowed, not two */
    st = 2;
  } else {
    r = st && !disc && cc != ((unsigned)last + 1) % 16 ? -1 : 0;
    st = 1;
  }
  p->ts.pids[i].cc = (uint8_t)cc;
  p->ts.pids[i].state = (uint8_t)st;
  return r;
}

/* Section 2.4.3.5: program_clock_reference_base (33 bits, 90 kHz) * 300
 * + program_clock_reference_extension (9 bits, 27 MHz). */
static void pcr(sf_validator *v, unsigned pid, const unsigned char *a,
                int disc) {
  struct sf_priv *p = &v->priv;
  uint64_t base = (uint64_t)a[0] << 25 | (uint64_t)a[1] << 17 |
                  (uint64_t)a[2] << 9 | (uint64_t)a[3] << 1 | a[4] >> 7;
  uint64_t now = base * 300 + ((a[4] & 1u) << 8 | a[5]), step;

  if (p->ts.pcr_pid == -1)
    p->ts.pcr_pid = (int)pid;
  else if (p->ts.pcr_pid != (int)pid)
    return;
  step = (now + PCR_WRAP - p->ts.pcr) % PCR_WRAP;
  if (p->ts.pcr != UINT64_MAX && !disc && step <= PCR_MAX_STEP)
    v->media_seconds += (double)step / 27e6;
  p->ts.pcr = now;
}

/* Section 2.4.3.2 transport packet header, and the adaptation field up to
 * the PCR (section 2.4.3.4): sync_byte 0x47, transport_error_indicator,
 * PID, adaptation_field_control, continuity_counter. */
int sf_check_ts(sf_validator *v) {
  struct sf_priv *p = &v->priv;
  const unsigned char *h = p->hdr;
  unsigned pid, afc, aflen = 0, flags = 0;
  int payload;

  if (h[0] != 0x47)
    return SF_BAD;
  afc = p->have >= 4 ? (h[3] >> 4) & 3 : 0;
  if (p->have < 4 || ((afc & 2) && p->have < 5)) {
    p->want = p->have < 4 ? 4 : 5;
    return SF_NEED;
  }
  aflen = (afc & 2) ? h[4] : 0;
  if (aflen > 0 && p->have < 6) {
    p->want = 6;
    return SF_NEED;
  }
  flags = aflen > 0 ? h[5] : 0;
  if ((flags & 0x10) && aflen >= 7 && p->have < 12) {
    p->want = 12;
    return SF_NEED;
  }
  pid = (unsigned)(h[1] & 0x1F) << 8 | h[2];
  payload = (afc & 1) != 0;
  p->skip = TS_PACKET - p->have;
  p->u_sec = 0;
  p->u_bytes = TS_PACKET;
  p->u_kbps = 0;
  /* A lone candidate at the start may be junk that happens to hold 0x47:
   * judge its flags only once a packet follows it. */
  if ((h[1] & 0x80) && p->run > 0)
    sf_error(v, p->pos - p->have,
             "MPEG-TS transport error indicator on PID %u at byte %llu", pid,
             p->pos - p->have);
  if (pid == TS_NULL_PID)
    return SF_UNIT;
  if (continuity(v, pid, h[3] & 15, payload, (flags & 0x80) != 0) != 0)
    sf_error(v, p->pos - p->have,
             "MPEG-TS continuity error on PID %u at byte %llu", pid,
             p->pos - p->have);
  if ((flags & 0x10) && aflen >= 7)
    pcr(v, pid, h + 6, (flags & 0x80) != 0);
  return SF_UNIT;
}

static uint32_t be32(const unsigned char *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         b[3];
}

/* ISO/IEC 14496-12 section 4.2: size (32 bits, the whole box), type
 * (four characters), size 1 = a 64-bit largesize follows, size 0 = the
 * box runs to the end of the file. */
int sf_check_fmp4(sf_validator *v) {
  struct sf_priv *p = &v->priv;
  const unsigned char *h = p->hdr;
  unsigned long long size;
  size_t hlen;

  if (p->have < 8) {
    p->want = 8;
    return SF_NEED;
  }
  for (int i = 4; i < 8; i++)
    if (h[i] < 0x20 || h[i] > 0x7E) {
      p->why = "fMP4 box type is not text";
      return SF_BAD;
    }
  size = be32(h);
  hlen = size == 1 ? 16 : 8;
  if (p->have < hlen) {
    p->want = hlen;
    return SF_NEED;
  }
  if (size == 1)
    size = (unsigned long long)be32(h + 8) << 32 | be32(h + 12);
  if (size != 0 && size < hlen) {
    p->why = "fMP4 box size smaller than its header";
    return SF_BAD;
  }
  p->skip = size == 0 ? SF_TO_END : size - hlen;
  p->u_sec = 0;
  p->u_bytes = size;
  p->u_kbps = 0;
  if (memcmp(h + 4, "moof", 4) == 0)
    v->fmp4.moof++;
  else if (memcmp(h + 4, "mdat", 4) == 0)
    v->fmp4.mdat++;
  return SF_UNIT;
}
