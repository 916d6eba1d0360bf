/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Progressive streams (Icecast, SHOUTcast, plain media files) sampled as
 * they arrive: ICY metadata stripped, frames validated, stalls timed
 * between chunks, and the rate measured after the connect burst. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "icy.h"
#include "playlist.h"
#include "stream.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/strparse.h"

/* The first bytes decide what arrived: enough for SF_MAX_JUNK bytes of
 * a stream joined mid-frame and two of the longest MP3 frames after it
 * (sf_sniff's contract), so a frame sync is found, not guessed at. */
enum { SNIFF_BYTES = SF_MAX_JUNK + 4096, TEXT_MAX = PLAYLIST_MAX_BYTES };

typedef struct {
  const stream_cfg *cfg;
  stream_meas *m;
  double start, first, last, end_at;
  char ctype[96];
  long long length; /* Content-Length, -1 when absent */
  icy_headers ih;
  icy_state icy;
  bool icy_on, decided, text;
  const char *not_media;
  unsigned char sniff[SNIFF_BYTES];
  size_t sniffed;
  unsigned char *media; /* a chunk with metadata removed */
  size_t media_cap;
  char *body; /* a playlist's text */
  size_t body_len;
  sf_validator v;
  stream_ear ear; /* decoding, when a level option asks for it */
  double rate_t0, rate_m0; /* where the rate measurement starts */
  stream_where where;      /* the URL after redirects: a playlist's base */
} prog;

static void on_header(void *arg, const char *line, size_t len) {
  prog *p = arg;
  sw_err err;
  double v;
  stream_where_header(&p->where, line, len);
  if (len > 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new response */
    icy_headers_init(&p->ih);
    p->ih.secrets = p->cfg->base.secrets;
    p->ctype[0] = '\0';
    p->length = -1;
    return;
  }
  icy_header_line(&p->ih, line, len, &err);
  if (stream_header_ctype(p->cfg, line, len, p->ctype, sizeof p->ctype))
    return;
  if (len > 15 && strncasecmp(line, "content-length:", 15) == 0) {
    const char *s = line + 15;
    size_t l = len - 15;
    while (l && *s == ' ')
      s++, l--;
    while (l && (s[l - 1] == '\r' || s[l - 1] == '\n' || s[l - 1] == ' '))
      l--;
    if (sw_parse_double_n(s, l, &v) == 0 && v >= 0)
      p->length = (long long)v;
  }
}

/* Media seconds so far: from the frames, else from the nominal bitrate. */
static double media_seconds(const prog *p) {
  unsigned kbps = p->v.bitrate_kbps ? p->v.bitrate_kbps : (unsigned)p->ih.br;
  if (p->v.media_seconds > 0)
    return p->v.media_seconds;
  return kbps ? (double)p->v.bytes * 8.0 / (kbps * 1000.0) : 0;
}

/* The first bytes say what this is: media, a playlist's text, or not
 * media at all (an HTML error page with status 200). */
static bool decide(prog *p) {
  const char *why = NULL;
  playlist_kind pk = playlist_detect((const char *)p->sniff, p->sniffed);
  sf_format f = sf_sniff(p->sniff, p->sniffed, p->ctype, &why);
  p->decided = true;
  if (pk != PL_UNKNOWN) {
    p->text = true;
    return true;
  }
  if (why) {
    p->not_media = why;
    return false;
  }
  sf_start(&p->v, f, p->sniff, p->sniffed);
  stream_ear_start(p->cfg, &p->ear, p->v.format);
  stream_ear_feed(&p->ear, p->sniff, p->sniffed);
  return true;
}

/* Keeps a playlist's text (bounded). */
static bool keep_text(prog *p, const unsigned char *b, size_t n) {
  if (p->body_len + n > TEXT_MAX)
    return false;
  char *grown = realloc(p->body, p->body_len + n + 1);
  if (!grown)
    return false;
  p->body = grown;
  memcpy(p->body + p->body_len, b, n);
  p->body_len += n;
  p->body[p->body_len] = '\0';
  return true;
}

/* Removes ICY metadata (every icy-metaint bytes, when announced). */
static const unsigned char *strip_icy(prog *p, const unsigned char *data,
                                      size_t *n) {
  if (!p->icy_on) {
    icy_init(&p->icy, p->ih.has_metaint ? p->ih.metaint : 0);
    p->icy.secrets = p->cfg->base.secrets;
    p->icy_on = true;
  }
  if (!p->icy.metaint)
    return data;
  if (*n > p->media_cap) {
    unsigned char *grown = realloc(p->media, *n);
    if (!grown)
      return NULL;
    p->media = grown;
    p->media_cap = *n;
  }
  *n = icy_feed(&p->icy, data, *n, p->media);
  return p->media;
}

/* Every chunk as it arrives: timing, stalls, then the media itself. */
static bool on_data(void *arg, const unsigned char *data, size_t n,
                    double now) {
  prog *p = arg;
  if (p->first == 0) {
    p->first = now;
    p->end_at = now + p->cfg->duration;
    p->m->ttfb = now - p->start;
  } else if (now - p->last > p->cfg->stall) {
    p->m->stalls++;
    if (now - p->last > p->m->longest_stall)
      p->m->longest_stall = now - p->last;
  }
  p->last = now;
  const unsigned char *media = strip_icy(p, data, &n);
  if (!media)
    return false;
  if (p->text)
    return keep_text(p, media, n);
  if (!p->decided) {
    size_t take = n < SNIFF_BYTES - p->sniffed ? n : SNIFF_BYTES - p->sniffed;
    memcpy(p->sniff + p->sniffed, media, take);
    p->sniffed += take;
    media += take;
    n -= take;
    if (p->sniffed < SNIFF_BYTES || !decide(p))
      return p->sniffed < SNIFF_BYTES;
    if (p->text)
      return keep_text(p, (const unsigned char *)p->sniff, p->sniffed) &&
             keep_text(p, media, n);
  }
  sf_feed(&p->v, media, n);
  stream_ear_feed(&p->ear, media, n);
  /* The rate is measured from a point past the connect burst (Icecast
   * sends its buffer at once): a third of the sample, at most 1 s. */
  double skip = p->cfg->duration / 3 < 1.0 ? p->cfg->duration / 3 : 1.0;
  if (p->rate_t0 == 0 && now - p->first >= skip) {
    p->rate_t0 = now;
    p->rate_m0 = media_seconds(p);
  }
  return now < p->end_at;
}

static bool on_tick(void *arg, double now) {
  prog *p = arg;
  return p->first == 0 || now < p->end_at;
}

/* After the sample: what the bytes were, and what went wrong. */
static void conclude(prog *p, const sw_http_resp *r, double end,
                     sw_check *check) {
  stream_meas *m = p->m;
  m->bytes = r->body_len;
  m->live = p->length < 0;
  m->download = !m->live;
  if (p->icy.has_title && p->cfg->std.verbose)
    sw_check_sub(check, SW_OK, "now playing: %s (%lu metadata blocks)",
                 p->icy.title, p->icy.blocks);
  if (p->ih.name[0]) {
    sw_buf b;
    sw_buf_fixed(&b, m->where, sizeof m->where);
    sw_buf_addf(&b, "\"%s\"", p->ih.name);
  }
  if (p->last > 0 && end - p->last > p->cfg->stall) { /* silent at the end */
    m->stalls++;
    if (end - p->last > m->longest_stall)
      m->longest_stall = end - p->last;
  }
  if (p->not_media) {
    if (!stream_wrong_type(p->cfg, p->sniff, p->sniffed, p->ctype, check))
      sw_check_sub(check, SW_CRITICAL, "not audio: %s", p->not_media);
    return;
  }
  if (p->v.format == SF_UNKNOWN && r->body_len > 0 &&
      !stream_unread_format(p->ctype, NULL, m, check))
    return;
  m->format = p->v.format;
  m->frames = p->v.frames;
  m->bitrate_kbps = p->v.bitrate_kbps ? p->v.bitrate_kbps : (unsigned)p->ih.br;
  m->media_seconds = media_seconds(p);
  stream_ear_end(&p->ear, &m->audio);
  if (p->v.error[0])
    sw_check_sub(check, SW_CRITICAL, "%s", p->v.error);
  else if (p->v.format != SF_UNKNOWN && p->v.frames == 0 && m->bytes > 0)
    /* too short for the junk limit to speak: still no frame at all */
    sw_check_sub(check, SW_CRITICAL, "no %s frame in %llu bytes",
                 sf_format_name(p->v.format), m->bytes);
  if (m->media_seconds <= 0 && p->v.format == SF_UNKNOWN)
    ; /* neither frames nor a nominal bitrate: the rate is unknown */
  else if (m->live && p->rate_t0 > 0 && p->last > p->rate_t0)
    m->rate = (m->media_seconds - p->rate_m0) / (p->last - p->rate_t0);
  else if (m->download && p->last > p->start)
    m->rate = m->media_seconds / (p->last - p->start);
  if (m->live && !r->stopped && p->first > 0)
    sw_check_sub(check, SW_CRITICAL,
                 "stream ended after %.1f s and %llu "
                 "bytes (source gone?)",
                 p->last - p->first, m->bytes);
  if (p->first == 0)
    sw_check_sub(check, SW_CRITICAL, "no media byte arrived");
}

static void progressive_at(const stream_cfg *cfg, const char *url,
                           const sw_deadline *d, stream_meas *m,
                           sw_check *check, int depth);

/* -v: one line with what the sample was: the answer, what the frames
 * say, and where the time went (the perfdata's numbers). */
static void verbose_line(const prog *p, const char *url, const sw_http_resp *r,
                         sw_check *check) {
  char line[600], shown[160];
  sw_buf b;
  stream_url_shown(p->cfg, url, shown, sizeof shown, 100);
  sw_buf_fixed(&b, line, sizeof line);
  sw_buf_addf(&b, "GET %s: ", shown);
  if (r->status > 0)
    sw_buf_addf(&b, "HTTP %ld, %s, ", r->status,
                p->ctype[0] ? p->ctype : "no Content-Type");
  else
    sw_buf_puts(&b, "no answer, ");
  if (p->length >= 0)
    sw_buf_addf(&b, "Content-Length %lld, ", p->length);
  if (p->ih.br > 0)
    sw_buf_addf(&b, "icy-br %lu, ", p->ih.br);
  if (p->v.sample_rate)
    sw_buf_addf(&b, "%u Hz %u ch, ", p->v.sample_rate, p->v.channels);
  sw_buf_addf(&b, "%zu B in %.2f s (%.2f s of media, %lu frames)", r->body_len,
              p->first > 0 ? p->last - p->first : 0.0, media_seconds(p),
              p->v.frames);
  sw_buf_addf(&b, "; connect %.3f s, first byte %.3f s, sample ended %s",
              r->t.connect > 0 ? r->t.connect : 0.0,
              p->first > 0 ? p->first - p->start : 0.0,
              r->stopped ? "by check_stream" : "by the server");
  sw_check_sub(check, SW_OK, "%s", line);
}

/* A .m3u/.pls playlist: its first stream (once: no playlist chains). */
static void follow_playlist(const stream_cfg *cfg, prog *p, const char *url,
                            const sw_deadline *d, stream_meas *m,
                            sw_check *check, int depth) {
  playlist_entry e;
  sw_err err;
  if (playlist_detect(p->body, p->body_len) == PL_HLS) {
    stream_hls(cfg, url, d, m, check);
    return;
  }
  if (depth > 0 ||
      playlist_parse(p->body, p->body_len, stream_where_url(&p->where, url), &e,
                     &err) < 0) {
    sw_check_sub(check, SW_CRITICAL, "playlist %s",
                 depth > 0 ? "points to another playlist" : err.msg);
    return;
  }
  char shown[160];
  stream_url_shown(cfg, e.url, shown, sizeof shown, 120);
  sw_check_sub(check, SW_OK, "playlist: first of %zu entries is %s", e.entries,
               shown);
  progressive_at(cfg, e.url, d, m, check, depth + 1);
  playlist_free(&e);
}

static void progressive_at(const stream_cfg *cfg, const char *url,
                           const sw_deadline *d, stream_meas *m,
                           sw_check *check, int depth) {
  prog *p = calloc(1, sizeof *p);
  sw_http_resp r;
  sw_err err = {""};
  if (!p) {
    sw_check_sub(check, SW_UNKNOWN, "out of memory");
    return;
  }
  sw_http_req req;
  snprintf(m->kind, sizeof m->kind, "progressive");
  p->cfg = cfg;
  p->m = m;
  p->length = -1;
  icy_headers_init(&p->ih);
  p->ih.secrets = cfg->base.secrets;
  stream_where_init(&p->where, url);
  stream_request(cfg, url, &req);
  req.on_data = on_data;
  req.on_tick = on_tick;
  req.on_header = on_header;
  req.stream_arg = p;
  p->start = sw_now();
  int rc = sw_http_perform(&req, d, &r, &err);
  double end = sw_now();
  stream_note_hop(cfg, url, depth ? "playlist entry" : "stream", &r, m);
  if (!p->decided && p->sniffed && decide(p) && p->text) /* a short body */
    keep_text(p, p->sniff, p->sniffed);
  if (rc < 0) {
    sw_check_sub(check, r.timed_out ? cfg->std.timeout_state : SW_CRITICAL,
                 "%s", err.msg[0] ? err.msg : r.err);
  } else if (r.status < 200 || r.status > 299) {
    stream_http_failed(cfg, url, NULL, &r, check);
  } else if (p->text) {
    follow_playlist(cfg, p, url, d, m, check, depth);
  }
  if (rc == 0 && r.status >= 200 && r.status <= 299 && !p->text)
    conclude(p, &r, end, check);
  else if (rc < 0 && p->first > 0 && !p->text)
    conclude(p, &r, end, check);
  if (cfg->std.verbose && !p->text) {
    verbose_line(p, url, &r, check);
    sw_http_trust_sub(check, &cfg->base, url, &r);
  }
  stream_where_free(&p->where);
  stream_ear_free(&p->ear);
  free(p->media);
  free(p->body);
  free(p);
  sw_http_resp_free(&r);
}

void stream_progressive(const stream_cfg *cfg, const char *url,
                        const sw_deadline *d, stream_meas *m, sw_check *check) {
  progressive_at(cfg, url, d, m, check, 0);
}
