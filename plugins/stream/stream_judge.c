/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's judgement of a sample, its summary and perfdata, and the
 * bounded fetch of playlists and segments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "playlist.h"
#include "stream.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"

/* A playlist or MPD as it arrives, kept up to max bytes. With sniff
 * (the URL the user gave, --type set) the first bytes are looked at: an
 * endless media stream ends the transfer at once instead of at -t. */
typedef struct {
  const stream_cfg *cfg;
  char *p;
  size_t len, cap, max;
  bool too_big, sniff, media;
  char ctype[96];
  stream_where where;
} collector;

static void collect_header(void *arg, const char *line, size_t len) {
  collector *c = arg;
  stream_where_header(&c->where, line, len);
  if (len > 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new response */
    c->len = 0;
    c->ctype[0] = '\0';
    return;
  }
  stream_header_ctype(c->cfg, line, len, c->ctype, sizeof c->ctype);
}

/* Whether b holds a byte no text has (NUL and the other C0 controls but
 * tab, CR, LF and form feed). */
static bool binary(const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' && b[i] != '\n' &&
         b[i] != '\f') ||
        b[i] == 0x7F)
      return true;
  return false;
}

static bool collect_data(void *arg, const unsigned char *data, size_t n,
                         double now) {
  collector *c = arg;
  const char *why;
  (void)now;
  if (n > c->max - c->len) {
    c->too_big = true;
    return false;
  }
  if (c->len + n + 1 > c->cap) {
    size_t cap = c->cap ? c->cap : 16384;
    while (cap < c->len + n + 1)
      cap *= 2;
    char *grown = realloc(c->p, cap);
    if (!grown)
      return false;
    c->p = grown;
    c->cap = cap;
  }
  memcpy(c->p + c->len, data, n);
  c->len += n;
  c->p[c->len] = '\0';
  /* A playlist or MPD is text: a control byte ends the transfer at once
   * (live audio is not read to -t as a playlist), and so do the first
   * SF_MAX_JUNK bytes when they hold media frames. */
  if (c->sniff && (binary(data, n) || c->len >= SF_MAX_JUNK)) {
    c->sniff = false;
    c->media = binary((unsigned char *)c->p, c->len) ||
               (sf_sniff((unsigned char *)c->p, c->len, c->ctype, &why) !=
                    SF_UNKNOWN &&
                !why);
    return !c->media;
  }
  return true;
}

int stream_fetch(const stream_cfg *cfg, const char *url, const char *what,
                 size_t max, bool first, const sw_deadline *d, stream_meas *m,
                 sw_http_resp *resp, sw_check *check) {
  return stream_fetch_at(cfg, url, what, max, first, d, m, resp, NULL, check);
}

int stream_fetch_at(const stream_cfg *cfg, const char *url, const char *what,
                    size_t max, bool first, const sw_deadline *d,
                    stream_meas *m, sw_http_resp *resp, char **final,
                    sw_check *check) {
  sw_http_req req;
  sw_err err = {""};
  collector c = {.cfg = cfg, .max = max, .sniff = first};
  stream_request(cfg, url, &req);
  req.on_data = collect_data;
  req.on_header = collect_header;
  req.stream_arg = &c;
  stream_where_init(&c.where, url);
  int rc = sw_http_perform(&req, d, resp, &err);
  resp->body = c.p; /* ours, freed by sw_http_resp_free as its own */
  resp->body_len = c.len;
  if (final)
    *final = strdup(stream_where_url(&c.where, url));
  stream_where_free(&c.where);
  stream_note_hop(cfg, url, what, resp, m);
  if (c.too_big) { /* check_stream's own bound, not a fault of the service */
    sw_check_sub(check, SW_UNKNOWN,
                 "%s: larger than %zu bytes, check_stream's limit for "
                 "it (see check_stream(1))",
                 what, max);
    return -1;
  }
  if (rc < 0 && !resp->stopped) {
    sw_check_sub(check, resp->timed_out ? cfg->std.timeout_state : SW_CRITICAL,
                 "%s: %s", what, err.msg[0] ? err.msg : resp->err);
    return -1;
  }
  if (resp->status < 200 || resp->status > 299) {
    stream_http_failed(cfg, url, what, resp, check);
    return -1;
  }
  if (first && stream_wrong_type(cfg, (unsigned char *)resp->body,
                                 resp->body_len, c.ctype, check))
    return -1;
  return 0;
}

/* Segment formats HLS or DASH allow that check_stream does not read:
 * packed AC-3/E-AC-3 audio (RFC 8216 3.4), WebM (DASH). Any other type
 * on a segment is not what a player plays. */
static bool segment_unread(const char *ctype) {
  static const char *const types[] = {"audio/ac3", "audio/eac3",
                                      "audio/vnd.dolby.", "video/webm",
                                      "audio/webm"};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strncasecmp(ctype, types[i], strlen(types[i])) == 0)
      return true;
  return false;
}

bool stream_unread_format(const char *ctype, const char *what, stream_meas *m,
                          sw_check *check) {
  if (what ? segment_unread(ctype)
           : strncasecmp(ctype, "audio/", 6) == 0 ||
                 strncasecmp(ctype, "video/", 6) == 0) {
    if (!m->unread[0]) {
      snprintf(m->unread, sizeof m->unread, "%.*s", (int)strcspn(ctype, "; "),
               ctype);
      sw_check_sub(check, SW_OK,
                   "%s: frames not checked (a format check_stream does not "
                   "read)",
                   m->unread);
    }
    return true;
  }
  sw_check_sub(check, SW_CRITICAL,
               "%s%snot %s: no MP3, AAC, Ogg, MPEG-TS or fMP4 frame "
               "(Content-Type %s)",
               what ? what : "", what ? ": " : "", what ? "media" : "audio",
               ctype[0] ? ctype : "none");
  return false;
}

void stream_parse_failed(const char *what, const char *why, sw_check *check) {
  /* the parsers' bounds (HLS_MAX_SEGMENTS, MPD_MAX_ITEMS, ...) end
   * their message in "(limit)" (older ones: "more than N", "larger than
   * N bytes") */
  if (strstr(why, "(limit)") || strstr(why, "more than ") ||
      strstr(why, "larger than ") || strstr(why, "too many "))
    sw_check_sub(check, SW_UNKNOWN,
                 "%s: %s: a limit of check_stream (see "
                 "check_stream(1)), not a fault of the service",
                 what, why);
  else
    sw_check_sub(check, SW_CRITICAL, "%s: %s", what, why);
}

bool stream_header_ctype(const stream_cfg *cfg, const char *line, size_t len,
                         char *buf, size_t n) {
  if (len <= 13 || strncasecmp(line, "content-type:", 13) != 0)
    return false;
  const char *s = line + 13;
  size_t l = len - 13;
  while (l && (*s == ' ' || *s == '\t'))
    s++, l--;
  while (l && (s[l - 1] == '\r' || s[l - 1] == '\n' || s[l - 1] == ' '))
    l--;
  sw_text_safe(buf, n, s, l, 80, cfg->base.secrets);
  return true;
}

/* What kind of URL the first bytes are: ST_HLS, ST_DASH, ST_PROGRESSIVE
 * (media, or a .m3u/.pls radio playlist), or ST_AUTO when they do not
 * tell (an error page, nothing). *name says what they are, *media
 * whether that is media ("MP3" media, "audio/flac" media). */
static stream_type arrived(const unsigned char *b, size_t n, const char *ct,
                           const char **name, bool *media) {
  const char *why = NULL;
  playlist_kind pk = playlist_detect((const char *)b, n);
  sf_format f = sf_sniff(b, n, ct, &why);
  *name = why;
  *media = false;
  if (pk == PL_HLS)
    return *name = "an HLS playlist", ST_HLS;
  if (pk != PL_UNKNOWN)
    return *name = "a .m3u/.pls radio playlist", ST_PROGRESSIVE;
  if (why && strcmp(why, "application/dash+xml") == 0)
    return *name = "a DASH MPD", ST_DASH;
  *media = true;
  if (!why && f != SF_UNKNOWN)
    return *name = sf_format_name(f), ST_PROGRESSIVE;
  /* binary bytes of a format check_stream does not read, under an audio
   * or video type (FLAC on Icecast): media all the same */
  if (!why && binary(b, n) && ct &&
      (strncasecmp(ct, "audio/", 6) == 0 || strncasecmp(ct, "video/", 6) == 0))
    return *name = ct, ST_PROGRESSIVE;
  return ST_AUTO;
}

bool stream_wrong_type(const stream_cfg *cfg, const unsigned char *body,
                       size_t n, const char *ctype, sw_check *check) {
  static const char *const names[] = {"auto", "progressive", "hls", "dash"};
  const char *name;
  bool media;
  if (cfg->type == ST_AUTO || !body || n == 0)
    return false;
  stream_type t = arrived(body, n, ctype, &name, &media);
  /* a progressive URL may be an HLS playlist: it is followed */
  if (t == ST_AUTO || t == cfg->type ||
      (cfg->type == ST_PROGRESSIVE && t == ST_HLS))
    return false;
  char shown[100];
  sw_buf b;
  sw_buf_fixed(&b, shown, sizeof shown);
  /* a Content-Type named without its parameters ("audio/flac") */
  sw_buf_addf(&b, "%.*s%s",
              (int)(name == ctype ? strcspn(name, "; ") : strlen(name)), name,
              media ? " media" : "");
  sw_check_sub(check, SW_UNKNOWN,
               "--type %s does not match what the URL serves: %s (use "
               "--type %s, or auto)",
               names[cfg->type], shown, names[t]);
  return true;
}

/* The rate against its ranges: the caller's, or the defaults for a
 * download (faster than real time is expected) or a live stream (paced
 * by its source at exactly real time). */
static void judge_rate(const stream_cfg *cfg, const stream_meas *m,
                       sw_check *check, sw_range *w, sw_range *c) {
  sw_err err;
  if (cfg->rate_warn.set)
    *w = cfg->rate_warn;
  else
    sw_range_parse(m->download ? "1.5:" : "0.95:", "rate", w, &err);
  if (cfg->rate_crit.set)
    *c = cfg->rate_crit;
  else
    sw_range_parse(m->download ? "1:" : "0.8:", "rate", c, &err);
  if (m->rate < 0)
    return;
  sw_state s = sw_range_state(w, c, m->rate);
  if (s != SW_OK) {
    char said[128];
    sw_range_threshold(said, sizeof said,
                       s == SW_CRITICAL ? "--rate-critical" : "--rate-warning",
                       s == SW_CRITICAL ? c : w, "x");
    sw_check_sub(check, s, "media arrives at %.2fx real time (%s)", m->rate,
                 said);
  }
}

/* The bitrate in b/s: the frames' (or ICY's) nominal one, else what
 * the playlist or MPD declares for the variant, else (a media playlist
 * of video, whose frames carry none) what the segments weigh per second
 * of media; 0 when none is known. */
static double bitrate_bps(const stream_meas *m) {
  if (m->bitrate_kbps)
    return m->bitrate_kbps * 1000.0;
  if (m->declared_bps)
    return (double)m->declared_bps;
  if (m->media_seconds > 0)
    return (double)(unsigned long long)((double)m->media_bytes * 8.0 /
                                            m->media_seconds +
                                        0.5);
  return 0;
}

static void add_perf(const stream_cfg *cfg, const stream_meas *m,
                     const sw_range *rw, const sw_range *rc, sw_check *check) {
  double bps = bitrate_bps(m);
  sw_perf p[] = {
      {.label = "ttfb",
       .measured = m->ttfb >= 0,
       .value = m->ttfb,
       .uom = "s",
       .warn = &cfg->std.warn,
       .crit = &cfg->std.crit,
       .has_min = true},
      {.label = "rate",
       .measured = m->rate >= 0,
       .value = m->rate,
       .uom = "",
       .warn = rw,
       .crit = rc,
       .has_min = true},
      {.label = "stalls",
       .measured = true,
       .value = m->stalls,
       .uom = "",
       .crit = &cfg->stall_crit,
       .has_min = true},
      {.label = "bytes",
       .measured = true,
       .value = (double)m->bytes,
       .uom = "B"},
      {.label = "frames",
       .measured = true,
       .value = (double)m->frames,
       .uom = ""},
      {.label = "bitrate", .measured = bps > 0, .value = bps, .uom = ""},
  };
  for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
    sw_check_perf(check, &p[i]);
  /* Every label in every run of one configuration (U when unmeasured):
   * graphs never gain or lose a series when a run fails early. The
   * playlist's labels belong to HLS and DASH (by --type or the URL, so
   * fixed by the configuration); a progressive stream has no playlist,
   * and a U for it would be a warning in Icinga's writers on every run. */
  stream_type t =
      cfg->type == ST_AUTO ? stream_guess_type(cfg->url) : cfg->type;
  if (t == ST_PROGRESSIVE)
    return;
  sw_perf age = {.label = "playlist_age",
                 .measured = m->playlist_age >= 0,
                 .value = m->playlist_age,
                 .uom = "s"};
  sw_check_perf(check, &age);
  sw_perf seg = {.label = "segments",
                 .measured = m->segments > 0,
                 .value = (double)m->segments,
                 .uom = ""};
  sw_check_perf(check, &seg);
}

/* "HLS live MPEG-TS (variant 1/3, ...), 2 segments, 140000 bytes at 14.2x
 * real time, ttfb 0.012 s", built with the capped builder. */
static void summarise(const stream_meas *m, sw_check *check) {
  char text[400];
  sw_buf b;
  sw_buf_fixed(&b, text, sizeof text);
  sw_buf_addf(&b, "%s %s%s", m->kind, m->live ? "live " : "",
              m->frames ? sf_format_name(m->format) : "no media");
  if (m->bitrate_kbps)
    sw_buf_addf(&b, " %u kb/s", m->bitrate_kbps);
  if (m->where[0])
    sw_buf_addf(&b, " %s", m->where);
  if (m->segments)
    sw_buf_addf(&b, ", %lu segment%s", m->segments,
                m->segments == 1 ? "" : "s");
  sw_buf_addf(&b, ", %llu bytes", m->bytes);
  if (m->rate >= 0)
    sw_buf_addf(&b, " at %.2fx real time", m->rate);
  /* as the perfdata says it: no first byte, no ttfb (perfdata U) */
  if (m->ttfb >= 0) {
    char t[32];
    sw_buf_addf(&b, ", ttfb %s s", sw_perf_secs(t, sizeof t, m->ttfb));
  }
  if (m->stalls)
    sw_buf_puts(&b, ", stalled");
  char levels[64];
  stream_audio_summary(m, levels, sizeof levels);
  sw_buf_puts(&b, levels);
  sw_check_summary(check, "%s", sw_buf_str(&b));
}

void stream_judge(const stream_cfg *cfg, const stream_meas *m,
                  sw_check *check) {
  sw_range rw = {0}, rc = {0};
  judge_rate(cfg, m, check, &rw, &rc);
  char said[128], t[32];
  sw_state s = sw_range_state(NULL, &cfg->stall_crit, m->stalls);
  sw_range_threshold(said, sizeof said, "--stall-critical", &cfg->stall_crit,
                     "");
  if (s != SW_OK)
    sw_check_sub(check, s, "stalled %u time%s, longest %.1f s (%s)", m->stalls,
                 m->stalls == 1 ? "" : "s", m->longest_stall, said);
  /* media arrived whose format is not the one expected, or none check_stream
   * reads (FLAC for --expect-format mp3): encrypted segments cannot tell */
  if (cfg->expect_format_set && !m->encrypted && (m->frames || m->unread[0]) &&
      (!m->frames || !sf_format_matches(cfg->expect_format, m->format)))
    sw_check_sub(check, SW_CRITICAL, "format is %s, expected %s",
                 m->frames ? sf_format_name(m->format) : m->unread,
                 sf_format_name(cfg->expect_format));
  double kbps_now = bitrate_bps(m) / 1000.0;
  if (cfg->min_bitrate > 0 && kbps_now > 0 && kbps_now < cfg->min_bitrate)
    sw_check_sub(check, SW_WARNING, "bitrate %.0f kb/s is below %g kb/s",
                 kbps_now, cfg->min_bitrate);
  if (m->ttfb >= 0) {
    sw_state st = sw_range_state(&cfg->std.warn, &cfg->std.crit, m->ttfb);
    sw_range_threshold(said, sizeof said, st == SW_CRITICAL ? "-c" : "-w",
                       st == SW_CRITICAL ? &cfg->std.crit : &cfg->std.warn,
                       "s");
    if (st != SW_OK)
      sw_check_sub(check, st, "first media byte after %s s (%s)",
                   sw_perf_secs(t, sizeof t, m->ttfb), said);
  }
  stream_audio_judge(cfg, m, check);
  summarise(m, check);
  add_perf(cfg, m, &rw, &rc, check);
  stream_audio_perf(cfg, m, check);
}
