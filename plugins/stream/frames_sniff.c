/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Guessing the format from the first bytes and the Content-Type; see
 * sf_sniff() in frames.h. */
#include <string.h>
#include <strings.h>

#include "frames_int.h"

/* Top-level boxes a fragmented MP4 file or segment starts with
 * (ISO/IEC 14496-12 sections 4.3, 8.1, 8.8, 8.16). */
static const char *const mp4_boxes[] = {"ftyp", "styp", "moof", "moov", "sidx",
                                        "emsg", "free", "skip", "mdat", "prft"};

/* Case-insensitive prefix test on bytes. */
static int starts_ci(const unsigned char *b, size_t n, const char *s) {
  size_t k = strlen(s);
  return n >= k && strncasecmp((const char *)b, s, k) == 0;
}

/* Whether s occurs in the first n bytes of b (case-insensitive). */
static int has_ci(const unsigned char *b, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (starts_ci(b + i, n - i, s))
      return 1;
  return 0;
}

/* Decodes the MP3 (adts 0) or ADTS (adts 1) header at b[i], if n allows. */
static int header_at(const unsigned char *b, size_t n, size_t i, int adts,
                     sf_mpa *m) {
  if (i + (adts ? 7 : 4) > n)
    return -1;
  return adts ? sf_adts_parse(b + i, m) : sf_mpa_parse(b + i, m);
}

/* Where a frame of MP3 or ADTS (adts) starts within SF_MAX_JUNK bytes of
 * start: a valid header followed by a matching one, or (lone) one at
 * start whose successor lies beyond n (a sample shorter than two
 * frames). Returns its offset, or n. */
static size_t find_frames(const unsigned char *b, size_t n, size_t start,
                          int adts, int lone) {
  sf_mpa m, next;

  for (size_t i = start; i < n && i <= start + SF_MAX_JUNK; i++) {
    if (b[i] != 0xFF || header_at(b, n, i, adts, &m) != 0)
      continue;
    if (header_at(b, n, i + m.frame_len, adts, &next) == 0 && next.key == m.key)
      return i;
    if (lone && i == start && i + m.frame_len + (adts ? 7 : 4) > n)
      return i;
    if (lone)
      break;
  }
  return n;
}

/* MP3 or ADTS frames from start: a confirmed pair of either first (so a
 * false header at start claiming a long frame cannot hide the real
 * frames after it), then a lone one at start. SF_UNKNOWN when none. */
static sf_format find_mpa(const unsigned char *b, size_t n, size_t start,
                          size_t *at) {
  for (int lone = 0; lone < 2; lone++)
    for (int adts = 1; adts >= 0; adts--)
      if ((*at = find_frames(b, n, start, adts, lone)) < n)
        return adts ? SF_AAC : SF_MP3;
  *at = n;
  return SF_UNKNOWN;
}

/* Where an Ogg page starts in b (RFC 3533 section 6: capture pattern,
 * version 0, no unknown header_type bits), or n. A stream joined
 * mid-page finds the next page here. */
static size_t find_ogg(const unsigned char *b, size_t n) {
  for (size_t i = 0; i + 6 <= n; i++)
    if (b[i] == 'O' && memcmp(b + i, "OggS", 4) == 0 && b[i + 4] == 0 &&
        (b[i + 5] & ~7u) == 0)
      return i;
  return n;
}

/* Where three MPEG-TS packets in a row start (0x47 every 188 bytes)
 * within the first packet's length, or n: a stream joined mid-packet. */
static size_t find_ts(const unsigned char *b, size_t n) {
  for (size_t i = 0; i < 188 && i + 376 < n; i++)
    if (b[i] == 0x47 && b[i + 188] == 0x47 && b[i + 376] == 0x47)
      return i;
  return n;
}

/* The offset after the ID3v2 tags at the start of b, or n when they go
 * beyond it. */
static size_t skip_id3(const unsigned char *b, size_t n) {
  size_t o = 0;
  unsigned long size;

  while (o + 10 <= n && (size = sf_id3_size(b + o)) != 0)
    o = size > n - o ? n : o + size;
  return o;
}

static sf_format sniff_ogg(const unsigned char *b, size_t n) {
  size_t body = n > 26 ? 27 + (size_t)b[26] : n;

  if (body + 8 <= n && memcmp(b + body, "OpusHead", 8) == 0)
    return SF_OGG_OPUS;
  if (body + 7 <= n && memcmp(b + body, "\x01vorbis", 7) == 0)
    return SF_OGG_VORBIS;
  return SF_OGG;
}

static sf_format sniff_type(const char *ct, const char **why);

/* The format the bytes show, SF_UNKNOWN when none. */
static sf_format sniff_media(const unsigned char *b, size_t n, const char *ct) {
  const char *why;
  size_t o;

  if (n >= 4 && memcmp(b, "OggS", 4) == 0)
    return sniff_ogg(b, n);
  if (find_ogg(b, n) < n) /* joined mid-page */
    return SF_OGG;
  /* One 0x47 alone is too weak (it is also a 'G'): two packets at least. */
  if (n > 188 && b[0] == 0x47 && b[188] == 0x47 && (n <= 376 || b[376] == 0x47))
    return SF_TS;
  for (size_t i = 0; n >= 8 && i < sizeof mp4_boxes / sizeof *mp4_boxes; i++)
    if (memcmp(b + 4, mp4_boxes[i], 4) == 0 &&
        ((b[0] | b[1] | b[2]) != 0 || b[3] < 2 || b[3] >= 8)) /* not 2..7 */
      return SF_FMP4;
  o = skip_id3(b, n);
  if (o > 0 && o == n) { /* all ID3v2 so far: MP3, or HLS packed AAC */
    sf_format f = ct ? sniff_type(ct, &why) : SF_UNKNOWN;
    return f == SF_AAC ? SF_AAC : SF_MP3;
  }
  sf_format f = find_mpa(b, n, o, &o);
  if (f != SF_UNKNOWN)
    return f;
  if (find_ts(b, n) < n) /* joined mid-packet */
    return SF_TS;
  return SF_UNKNOWN;
}

/* Whether the first n bytes could be text: no control byte other than
 * tab, CR and LF. Compressed media fails this within a few hundred bytes;
 * an error page, a playlist or JSON passes. */
static int looks_text(const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') ||
        b[i] == 0x7F)
      return 0;
  return 1;
}

/* What text the bytes are, or NULL when they are not clearly text. One
 * character ('<', '{', '[') is weak evidence: a stream joined mid-frame
 * starts with it one time in ninety, so the rest must look like text. */
static const char *sniff_text(const unsigned char *b, size_t n) {
  size_t i = 0, look = n < 512 ? n : 512;

  if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
    i = 3; /* UTF-8 byte order mark */
  while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
    i++;
  b += i;
  n -= i;
  look = look > i ? look - i : 0;
  if (starts_ci(b, n, "<!doctype html") || starts_ci(b, n, "<html") ||
      (n > 0 && b[0] == '<' && has_ci(b, look, "<html")))
    return "text/html";
  if (n > 0 && b[0] == '<' && looks_text(b, look))
    return has_ci(b, look, "<MPD") ? "application/dash+xml" : "application/xml";
  if (starts_ci(b, n, "#EXTM3U"))
    return "application/vnd.apple.mpegurl";
  if (starts_ci(b, n, "[playlist]"))
    return "audio/x-scpls";
  if (n > 0 && (b[0] == '{' || b[0] == '[') && looks_text(b, look))
    return "application/json";
  if (starts_ci(b, n, "http://") || starts_ci(b, n, "https://") ||
      starts_ci(b, n, "#EXTINF"))
    return "audio/x-mpegurl";
  return look > 0 && looks_text(b, look) ? "text/plain" : NULL;
}

/* The Content-Type's verdict: a format, or a text reason in *why. */
static sf_format sniff_type(const char *ct, const char **why) {
  static const struct {
    const char *type, *why;
    sf_format f;
  } types[] = {
      {"audio/mpeg", NULL, SF_MP3},
      {"audio/mp3", NULL, SF_MP3},
      {"audio/aac", NULL, SF_AAC},
      {"audio/aacp", NULL, SF_AAC},
      {"audio/x-aac", NULL, SF_AAC},
      {"audio/ogg", NULL, SF_OGG},
      {"application/ogg", NULL, SF_OGG},
      {"audio/opus", NULL, SF_OGG_OPUS},
      {"audio/vorbis", NULL, SF_OGG_VORBIS},
      {"video/mp2t", NULL, SF_TS},
      {"video/mp4", NULL, SF_FMP4},
      {"audio/mp4", NULL, SF_FMP4},
      {"text/html", "text/html", SF_UNKNOWN},
      {"application/json", "application/json", SF_UNKNOWN},
      {"application/xml", "application/xml", SF_UNKNOWN},
      {"text/xml", "application/xml", SF_UNKNOWN},
      {"application/dash+xml", "application/dash+xml", SF_UNKNOWN},
      {"application/vnd.apple.mpegurl", "application/vnd.apple.mpegurl",
       SF_UNKNOWN},
      {"audio/x-mpegurl", "audio/x-mpegurl", SF_UNKNOWN},
      {"audio/x-scpls", "audio/x-scpls", SF_UNKNOWN},
      {"text/", "text/plain", SF_UNKNOWN}, /* any other text: prefix */
  };
  size_t len;

  while (*ct == ' ' || *ct == '\t')
    ct++;
  len = strcspn(ct, "; \t");
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t tl = strlen(types[i].type);
    int prefix = types[i].type[tl - 1] == '/';
    if ((prefix ? len >= tl : len == tl) &&
        strncasecmp(ct, types[i].type, tl) == 0) {
      *why = types[i].why;
      return types[i].f;
    }
  }
  return SF_UNKNOWN;
}

/* Whether b is valid UTF-8 (a sequence cut by the end of b is fine). */
static int utf8_valid(const unsigned char *b, size_t n) {
  size_t i = 0;

  while (i < n) {
    unsigned c = b[i], need;
    unsigned long cp, min;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      need = 1, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
      need = 2, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
      need = 3, min = 0x10000;
    else
      return 0; /* a continuation byte first, or never in UTF-8 */
    cp = c & (0x3Fu >> need);
    for (unsigned k = 1; k <= need; k++) {
      if (i + k >= n)
        return 1; /* cut by the end of the sample */
      if ((b[i + k] & 0xC0) != 0x80)
        return 0;
      cp = cp << 6 | (b[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0; /* overlong, beyond Unicode, or a surrogate */
    i += need + 1;
  }
  return 1;
}

/* Whether b is text throughout: no control byte but tab, CR, LF and form
 * feed anywhere, and valid UTF-8 or a legacy 8-bit text (at most one
 * byte in eight above 0x7F: a Latin-1 error page). Compressed media,
 * joined at any byte, fails this within a few dozen bytes (about one
 * byte in nine is a control byte, one in two is above 0x7F). */
static int text_throughout(const unsigned char *b, size_t n) {
  size_t high = 0;

  for (size_t i = 0; i < n; i++) {
    if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' && b[i] != '\n' &&
         b[i] != '\f') ||
        b[i] == 0x7F)
      return 0;
    high += b[i] >= 0x80;
  }
  return high <= n / 8 || utf8_valid(b, n);
}

/* Whether the Content-Type names media: a format check_stream reads, or
 * any other audio/ or video/ type (audio/flac) that is no playlist. */
static int media_type(const char *ct) {
  const char *why = NULL;

  if (!ct)
    return 0;
  if (sniff_type(ct, &why) != SF_UNKNOWN)
    return 1;
  while (*ct == ' ' || *ct == '\t')
    ct++;
  return !why && (strncasecmp(ct, "audio/", 6) == 0 ||
                  strncasecmp(ct, "video/", 6) == 0);
}

sf_format sf_sniff(const unsigned char *b, size_t n, const char *content_type,
                   const char **not_media_reason) {
  const char *why = NULL;
  sf_format f = n > 0 ? sniff_media(b, n, content_type) : SF_UNKNOWN;

  /* Under a media type the bytes are "not audio" only when they hold no
   * frame and are text throughout: a live stream joined at any byte
   * starts with '{', '[' or '<' now and then, and is judged on its
   * frames (the validator's), never on a first character. */
  if (f == SF_UNKNOWN && n > 0 &&
      (!media_type(content_type) || text_throughout(b, n)))
    why = sniff_text(b, n);
  if (f == SF_UNKNOWN && !why && content_type)
    f = sniff_type(content_type, &why);
  if (not_media_reason)
    *not_media_reason = why;
  return f;
}

size_t sf_sync_at(const unsigned char *b, size_t n, sf_format f) {
  size_t o;

  switch (f) {
  case SF_MP3:
  case SF_AAC:
    o = skip_id3(b, n);
    return o < n && find_mpa(b, n, o, &o) == f ? o : n;
  case SF_OGG:
  case SF_OGG_VORBIS:
  case SF_OGG_OPUS: return find_ogg(b, n);
  case SF_TS: return find_ts(b, n);
  default: return n;
  }
}
