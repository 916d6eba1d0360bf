/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The frame validator engine; see frames.h. Every format is a header
 * check (frames_mpa.c, frames_ogg.c, frames_ts.c) over the bytes
 * collected here: the engine gathers exactly as many header bytes as the
 * check asks for, skips (or, for Ogg, checksums) the body, and owns the
 * sync logic: junk at the start, confirmation by a second unit, resync
 * after a loss. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "frames_int.h"

enum { PH_HDR, PH_BODY, PH_DEAD };
enum { KIND_TAG, KIND_UNIT };

/* Per format: its name, its --expect-format word, what "no ... sync in
 * the first 4096 bytes" names, and what losing sync is called. */
static const struct {
  const char *name, *expect, *unit, *lost;
} formats[] = {
    [SF_UNKNOWN] = {"unknown", NULL, "media", "lost sync"},
    [SF_MP3] = {"MP3", "mp3", "MP3 frame", "MP3 frame header broken"},
    [SF_AAC] = {"AAC", "aac", "ADTS frame", "ADTS frame header broken"},
    [SF_OGG_VORBIS] = {"Ogg/Vorbis", "vorbis", "Ogg page",
                       "lost Ogg page sync"},
    [SF_OGG_OPUS] = {"Ogg/Opus", "opus", "Ogg page", "lost Ogg page sync"},
    [SF_OGG] = {"Ogg", "ogg", "Ogg page", "lost Ogg page sync"},
    [SF_TS] = {"MPEG-TS", "ts", "MPEG-TS", "lost MPEG-TS sync"},
    [SF_FMP4] = {"fMP4", "fmp4", "fMP4 box", "fMP4 box header broken"},
};

const char *sf_format_name(sf_format f) {
  if ((unsigned)f >= sizeof formats / sizeof formats[0])
    return "unknown";
  return formats[f].name;
}

int sf_format_parse(const char *name, sf_format *f) {
  for (size_t i = 1; name && i < sizeof formats / sizeof formats[0]; i++)
    if (strcasecmp(name, formats[i].expect) == 0) {
      *f = (sf_format)i;
      return 0;
    }
  return -1;
}

static int is_ogg(sf_format f) {
  return f == SF_OGG || f == SF_OGG_VORBIS || f == SF_OGG_OPUS;
}

int sf_format_matches(sf_format want, sf_format got) {
  if (want == SF_OGG)
    return is_ogg(got);
  return want == got && want != SF_UNKNOWN;
}

void sf_init(sf_validator *v, sf_format f) {
  memset(v, 0, sizeof *v);
  v->format = (unsigned)f < sizeof formats / sizeof formats[0] ? f : SF_UNKNOWN;
  v->first_error_at = -1;
  v->priv.phase = v->format == SF_UNKNOWN ? PH_DEAD : PH_HDR;
  v->priv.want = 1;
  v->priv.ts.pcr_pid = -1;
  v->priv.ts.pcr = UINT64_MAX;
  /* fMP4 has no sync pattern to find again: it must be right from the
   * first byte, so it counts as in sync from the start. */
  v->priv.confirmed = v->format == SF_FMP4;
}

void sf_error(sf_validator *v, unsigned long long at, const char *fmt, ...) {
  va_list ap;

  v->errors++;
  if (v->errors > 1)
    return;
  v->first_error_at = (long long)at;
  va_start(ap, fmt);
  vsnprintf(v->error, sizeof v->error, fmt, ap);
  va_end(ap);
}

void sf_update_bitrate(sf_validator *v) {
  const struct sf_priv *p = &v->priv;

  if (p->nominal_kbps)
    v->bitrate_kbps = p->nominal_kbps;
  else if (p->kbps_first && !p->kbps_mixed)
    v->bitrate_kbps = p->kbps_first;
  else if (p->sum_sec > 0)
    v->bitrate_kbps =
        (unsigned)((double)p->sum_bytes * 8.0 / p->sum_sec / 1000.0 + 0.5);
}

static int check(sf_validator *v) {
  switch (v->format) {
  case SF_MP3: return sf_check_mp3(v);
  case SF_AAC: return sf_check_adts(v);
  case SF_TS: return sf_check_ts(v);
  case SF_FMP4: return sf_check_fmp4(v);
  default: return sf_check_ogg(v);
  }
}

/* Counts the unit whose header was just accepted. */
static void count_unit(sf_validator *v) {
  struct sf_priv *p = &v->priv;

  v->frames++;
  if (++p->run >= 2)
    p->confirmed = p->synced = 1;
  v->media_seconds += p->u_sec;
  p->sum_sec += p->u_sec;
  p->sum_bytes += p->u_bytes;
  if (p->u_kbps && !p->kbps_first)
    p->kbps_first = p->u_kbps;
  else if (p->u_kbps && p->u_kbps != p->kbps_first)
    p->kbps_mixed = 1;
  if (v->format == SF_MP3 || v->format == SF_AAC)
    sf_update_bitrate(v);
}

/* Takes back the one unit found since a scan began: the header after it
 * was bad, so it was a false sync in the junk. */
static void rollback(sf_validator *v) {
  struct sf_priv *p = &v->priv;

  v->frames--;
  v->media_seconds -= p->u_sec;
  p->sum_sec -= p->u_sec;
  p->sum_bytes -= p->u_bytes;
  if (v->frames == 0) {
    v->media_seconds = p->sum_sec = 0;
    p->kbps_first = 0;
    p->kbps_mixed = 0;
    v->bitrate_kbps = v->sample_rate = v->channels = 0;
  }
}

/* A header check said SF_BAD at the start of priv.hdr. In sync, that is
 * an error; while scanning, the bytes after hdr[0] are scanned again. */
static void bad(sf_validator *v) {
  struct sf_priv *p = &v->priv;
  unsigned long long at = p->pos - p->have;

  if (p->confirmed) {
    sf_error(v, at, "%s at byte %llu",
             p->why ? p->why : formats[v->format].lost, at);
    if (v->format == SF_FMP4) {
      p->phase = PH_DEAD;
      return;
    }
  } else if (p->run == 1) {
    rollback(v);
  }
  p->confirmed = p->run = p->key_set = 0;
  p->ts.npids = 0;
  /* An Ogg stream joined mid-page reaches the next page within one page's
   * length (RFC 3533 section 6: at most 65307 bytes), not SF_MAX_JUNK. */
  unsigned long long junk = is_ogg(v->format) ? SF_OGG_MAX_PAGE : SF_MAX_JUNK;
  if (!p->synced && !p->junk_reported && at >= p->scan_from &&
      at + 1 - p->scan_from > junk) {
    p->junk_reported = 1;
    sf_error(v, p->scan_from, "no %s sync in the first %llu bytes",
             formats[v->format].unit, junk);
  }
  p->replay_pending = p->have > 1;
  if (!p->replay_pending)
    p->have = 0;
  p->want = 1;
}

/* Ends a unit's body: back to collecting the next header. */
static void end_unit(sf_validator *v) {
  struct sf_priv *p = &v->priv;

  if (p->kind == KIND_UNIT && is_ogg(v->format))
    sf_ogg_end(v);
  p->phase = PH_HDR;
  p->have = 0;
  p->want = 1;
}

/* The header is complete (have == want): judges it. */
static void judge(sf_validator *v) {
  struct sf_priv *p = &v->priv;
  int r;

  p->why = NULL;
  r = check(v);
  if (r == SF_NEED)
    return;
  if (r == SF_BAD) {
    bad(v);
    return;
  }
  p->kind = r == SF_UNIT ? KIND_UNIT : KIND_TAG;
  if (r == SF_UNIT)
    count_unit(v);
  else if (p->run == 0) /* junk is counted from after a leading tag */
    p->scan_from = p->pos + p->skip;
  p->phase = PH_BODY;
  if (p->skip == 0)
    end_unit(v);
}

static size_t take_header(sf_validator *v, const unsigned char *b, size_t n) {
  struct sf_priv *p = &v->priv;
  size_t k = p->want - p->have;

  if (k > n)
    k = n;
  memcpy(p->hdr + p->have, b, k);
  p->have += k;
  p->pos += k;
  if (p->have == p->want)
    judge(v);
  return k;
}

static size_t take_body(sf_validator *v, const unsigned char *b, size_t n) {
  struct sf_priv *p = &v->priv;
  size_t k = n;

  if (p->skip < k)
    k = (size_t)p->skip;
  if (p->kind == KIND_UNIT && is_ogg(v->format))
    sf_ogg_body(v, b, k);
  p->pos += k;
  if (p->skip == SF_TO_END)
    return k;
  p->skip -= k;
  if (p->skip == 0)
    end_unit(v);
  return k;
}

/* After a false sync, hdr[1..have) is scanned again, before whatever of
 * an earlier replay is left: at most sizeof rbuf bytes (see bad()). */
static void start_replay(sf_validator *v) {
  struct sf_priv *p = &v->priv;
  unsigned char tmp[sizeof p->rbuf];
  size_t k = p->have - 1, rest = p->rlen - p->roff;

  memcpy(tmp, p->hdr + 1, k);
  memcpy(tmp + k, p->rbuf + p->roff, rest);
  memcpy(p->rbuf, tmp, k + rest);
  p->rlen = k + rest;
  p->roff = 0;
  p->pos -= k;
  p->have = 0;
  p->replay_pending = 0;
}

void sf_start(sf_validator *v, sf_format f, const unsigned char *b, size_t n) {
  size_t at = sf_sync_at(b, n, f);

  sf_init(v, f);
  if (at > 0 && at < n) { /* junk before a sync the sniff confirmed */
    v->bytes = at;
    v->priv.pos = v->priv.scan_from = at;
    b += at;
    n -= at;
  }
  sf_feed(v, b, n);
}

int sf_feed(sf_validator *v, const unsigned char *b, size_t n) {
  struct sf_priv *p = &v->priv;

  v->bytes += n;
  while (n > 0 || p->roff < p->rlen) {
    int replaying = p->roff < p->rlen;
    const unsigned char *src = replaying ? p->rbuf + p->roff : b;
    size_t avail = replaying ? p->rlen - p->roff : n, used;

    if (p->phase == PH_DEAD) {
      used = avail;
      p->pos += used;
    } else if (p->phase == PH_BODY)
      used = take_body(v, src, avail);
    else
      used = take_header(v, src, avail);
    if (replaying) {
      p->roff += used;
    } else {
      b += used;
      n -= used;
    }
    if (p->replay_pending)
      start_replay(v);
  }
  return v->errors ? -1 : 0;
}
