/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HLS (RFC 8216) and DASH (ISO/IEC 23009-1): the playlist or MPD, the
 * variant, then segments fetched whole and judged like a player would:
 * arrival, size, frames, and download time against their duration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "segmented.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"

/* The last path element of a URL, for messages ("1234.ts"). The whole
 * URL is masked first and cut after: a secret holding a '/' (or spanning
 * the query) would otherwise leave its tail in the name, unmasked. */
static void seg_name(const stream_cfg *cfg, const char *url, char *b,
                     size_t n) {
  char *copy = strdup(url);
  if (!copy) {
    sw_sanitize(b, n, "(out of memory)", 15, 0);
    return;
  }
  stream_mask_ci(copy, cfg->base.secrets);
  size_t len = strcspn(copy, "?#");
  const char *slash = copy + len;
  while (slash > copy && slash[-1] != '/')
    slash--;
  sw_sanitize(b, n, slash, (size_t)(copy + len - slash), 60);
  memset(copy, 0, strlen(copy));
  free(copy);
}

enum { SEG_SNIFF = 8192 };

/* One segment as it arrives: never kept whole (a 4K segment may pass
 * any sensible memory bound), only sniffed and fed to the validator. */
typedef struct {
  const stream_cfg *cfg;
  bool encrypted, decided;
  char ctype[96];
  const char *why; /* not media: what it is */
  sf_validator v;
  stream_ear *ear; /* the run's, across its segments */
  unsigned char sniff[SEG_SNIFF];
  size_t sniffed;
} seg_reader;

static void seg_header(void *arg, const char *line, size_t len) {
  seg_reader *s = arg;
  if (len > 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new response */
    s->ctype[0] = '\0';
    s->sniffed = 0;
    s->decided = false;
    s->why = NULL;
    return;
  }
  stream_header_ctype(s->cfg, line, len, s->ctype, sizeof s->ctype);
}

static void seg_decide(seg_reader *s) {
  s->decided = true;
  sf_format f = sf_sniff(s->sniff, s->sniffed, s->ctype, &s->why);
  if (s->why) {
    sf_init(&s->v, f);
    return;
  }
  sf_start(&s->v, f, s->sniff, s->sniffed);
  if (!s->ear->started)
    stream_ear_start(s->cfg, s->ear, s->v.format);
  stream_ear_feed(s->ear, s->sniff, s->sniffed);
}

static bool seg_data(void *arg, const unsigned char *data, size_t n,
                     double now) {
  seg_reader *s = arg;
  (void)now;
  if (s->encrypted) /* not media until decrypted: counted only */
    return true;
  if (!s->decided) {
    size_t take = n < SEG_SNIFF - s->sniffed ? n : SEG_SNIFF - s->sniffed;
    memcpy(s->sniff + s->sniffed, data, take);
    s->sniffed += take;
    data += take;
    n -= take;
    if (s->sniffed < SEG_SNIFF)
      return true;
    seg_decide(s);
  }
  if (!s->why && n) {
    sf_feed(&s->v, data, n);
    stream_ear_feed(s->ear, data, n);
  }
  return true;
}

/* Requests one segment, streaming it through a seg_reader. Returns 0 for
 * a 2xx answer, else -1 after a sub-check. */
static int get_segment(const stream_cfg *cfg, const char *url, const char *what,
                       seg_reader *s, const sw_deadline *d, sw_http_resp *r,
                       stream_meas *m, sw_check *check) {
  sw_http_req req;
  sw_err err = {""};
  stream_request(cfg, url, &req);
  req.on_data = seg_data;
  req.on_header = seg_header;
  req.stream_arg = s;
  int rc = sw_http_perform(&req, d, r, &err);
  stream_note_hop(cfg, url, what, r, m);
  if (rc < 0 && !r->stopped) {
    sw_check_sub(check, r->timed_out ? cfg->std.timeout_state : SW_CRITICAL,
                 "%s: %s", what, err.msg[0] ? err.msg : r->err);
    return -1;
  }
  if (r->status < 200 || r->status > 299) {
    stream_http_failed(cfg, url, what, r, check);
    return -1;
  }
  if (!s->decided && s->sniffed)
    seg_decide(s);
  return 0;
}

/* Fetches one segment: see segmented.h. */
double stream_fetch_segment(const stream_cfg *cfg, const char *url,
                            const char *kind, double duration, bool encrypted,
                            const sw_deadline *d, stream_ear *ear,
                            stream_meas *m, sw_check *check) {
  sw_http_resp r;
  char name[80], what[100];
  seg_reader *s = calloc(1, sizeof *s);
  if (!s) {
    sw_check_sub(check, SW_UNKNOWN, "out of memory");
    return -1;
  }
  s->cfg = cfg;
  s->encrypted = encrypted;
  s->ear = ear;
  seg_name(cfg, url, name, sizeof name);
  snprintf(what, sizeof what, "%s %s", kind, name);
  double t0 = sw_now();
  int rc = get_segment(cfg, url, what, s, d, &r, m, check);
  double took = sw_now() - t0;
  if (rc == 0 && r.body_len == 0) {
    sw_check_sub(check, SW_CRITICAL, "%s: empty", what);
    rc = -1;
  }
  if (rc == 0 && !encrypted) {
    if (s->why) {
      sw_check_sub(check, SW_CRITICAL, "%s: not media: %s", what, s->why);
      rc = -1;
    } else if (s->v.format == SF_UNKNOWN &&
               !stream_unread_format(s->ctype, what, m, check)) {
      rc = -1;
    } else {
      if (s->v.error[0])
        sw_check_sub(check, SW_CRITICAL, "%s: %s", what, s->v.error);
      else if (s->v.format != SF_UNKNOWN && s->v.frames == 0)
        /* too short for the junk limit to speak: still no frame at all */
        sw_check_sub(check, SW_CRITICAL, "%s: no %s frame in %zu bytes", what,
                     sf_format_name(s->v.format), r.body_len);
      m->format = s->v.format;
      m->frames += s->v.frames;
      if (s->v.bitrate_kbps)
        m->bitrate_kbps = s->v.bitrate_kbps;
    }
  }
  if (m->segments == 0 && rc == 0)
    m->ttfb = r.t.total - r.t.transfer;
  if (cfg->std.verbose) { /* for the -v line */
    sw_buf b;
    size_t at = strlen(m->fetched);
    sw_buf_fixed(&b, m->fetched + at, sizeof m->fetched - at);
    sw_buf_addf(&b, "%s%s %zu B in %.3f s", at ? ", " : "", name, r.body_len,
                took);
  }
  m->bytes += r.body_len;
  m->segments++;
  if (rc == 0) {
    m->media_seconds += duration;
    m->media_bytes += r.body_len;
  }
  sw_http_resp_free(&r);
  free(s);
  return rc == 0 ? took : -1;
}

/* The wall clock in seconds with fractions: ages against a playlist's
 * program date-times or an MPD's availabilityStartTime (a whole-second
 * clock made a fresh playlist look up to 1 s younger, often below 0). */
static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits (bounded by the deadline) and reports whether it could. */
static bool wait_for(double seconds, const sw_deadline *d) {
  double left = sw_deadline_remaining_ms(d) / 1000.0 - 0.5;
  if (seconds > left)
    return false;
  struct timespec ts = {(time_t)seconds,
                        (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (nanosleep(&ts, &ts) != 0)
    ;
  return true;
}

/* Takes (on) or gives back cfg->parse_lock, when there is one. */
static void parse_lock(const stream_cfg *cfg, bool on) {
  if (cfg->parse_lock && on)
    pthread_mutex_lock(cfg->parse_lock);
  else if (cfg->parse_lock)
    pthread_mutex_unlock(cfg->parse_lock);
}

/* Fetches and parses a playlist: see segmented.h. */
int stream_load_playlist(const stream_cfg *cfg, const char *url,
                         const char *what, bool first, const sw_deadline *d,
                         hls_playlist *pl, stream_meas *m, sw_check *check) {
  sw_http_resp r;
  sw_err err;
  char *at = NULL; /* after redirects: the base of relative URIs */
  int rc = stream_fetch_at(cfg, url, what, HLS_MAX_BYTES, first, d, m, &r, &at,
                           check);
  if (rc == 0) {
    parse_lock(cfg, true);
    rc = hls_parse(r.body ? r.body : "", r.body_len, at ? at : url, pl, &err);
    parse_lock(cfg, false);
    if (rc < 0)
      stream_parse_failed(what, err.msg, check);
  }
  free(at);
  sw_http_resp_free(&r);
  return rc;
}

/* The playlist moved between two fetches: how (a restart of the
 * packager resets the media sequence; that is alive too). */
static void moved(const hls_playlist *a, const hls_playlist *b, double age,
                  double max_age, sw_check *check) {
  unsigned long before = a->media_sequence + a->n_segments;
  unsigned long after = b->media_sequence + b->n_segments;
  if (age > max_age)
    sw_check_sub(check, SW_CRITICAL,
                 "live playlist moved %.1f s ago, longer than --max-age %g s",
                 age, max_age);
  else if (after < before)
    sw_check_sub(check, SW_OK,
                 "playlist restarted (media sequence %lu, then %lu)",
                 a->media_sequence, b->media_sequence);
  else
    sw_check_sub(check, SW_OK, "playlist moving (%lu new segment%s)",
                 after - before, after - before == 1 ? "" : "s");
}

/* A live media playlist must move: fetch it again a target duration
 * later and compare the media sequence (RFC 8216 6.2.1: the server must
 * add segments at least every target duration). */
static void check_moving(const stream_cfg *cfg, const char *url,
                         const hls_playlist *pl, double loaded_at,
                         const sw_deadline *d, stream_meas *m,
                         sw_check *check) {
  double wait = pl->target_duration + 0.5;
  hls_playlist again;
  if (pl->has_last_pdt && pl->n_segments) {
    /* when it arrived, the newest segment had ended this long ago; a
     * packager's clock ahead of ours is no younger than 0 */
    double end = pl->last_pdt + pl->segments[pl->n_segments - 1].duration;
    m->playlist_age = loaded_at - end > 0 ? loaded_at - end : 0;
  }
  if (!wait_for(wait, d)) {
    sw_check_sub(check, SW_OK,
                 "no time left to see the playlist move "
                 "(target duration %lu s)",
                 pl->target_duration);
    return;
  }
  if (stream_load_playlist(cfg, url, "media playlist (again)", false, d, &again,
                           m, check) < 0)
    return;
  unsigned long before = pl->media_sequence + pl->n_segments;
  unsigned long after = again.media_sequence + again.n_segments;
  double max_age = cfg->max_age > 0 ? cfg->max_age : 3.0 * pl->target_duration;
  if (after == before) {
    if (m->playlist_age < wait)
      m->playlist_age = wait;
    sw_check_sub(check, SW_CRITICAL,
                 "live playlist stuck: no new segment "
                 "in %.1f s (media sequence %lu, target duration %lu s)",
                 m->playlist_age, again.media_sequence, pl->target_duration);
  } else {
    /* Seen moving within wait: that is when it last moved, whatever the
     * program date-times say (a packager's clock behind ours, or a
     * delayed channel keeping its original times, is not a stuck one). */
    if (m->playlist_age > wait)
      m->playlist_age = wait;
    moved(pl, &again, m->playlist_age, max_age, check);
  }
  hls_free(&again);
}

/* Where a player starts a live playlist: the segment that begins at
 * least three target durations from its end (RFC 8216 6.3.3), since the
 * newest segments may not have reached every edge of a CDN yet; count
 * segments from there, or the last count when fewer follow. */
size_t stream_live_start(const hls_playlist *pl, size_t count) {
  double from_end = 0;
  size_t i = pl->n_segments;
  while (i > 0 && from_end < 3.0 * (double)pl->target_duration)
    from_end += pl->segments[--i].duration;
  return i + count > pl->n_segments ? pl->n_segments - count : i;
}

void stream_hls(const stream_cfg *cfg, const char *url, const sw_deadline *d,
                stream_meas *m, sw_check *check) {
  hls_playlist master = {0}, media = {0};
  stream_ear ear = {0};
  const char *media_url = url;
  snprintf(m->kind, sizeof m->kind, "HLS");
  m->download = true;
  if (stream_load_playlist(cfg, url, "playlist", true, d, &master, m, check) <
      0)
    return;
  if (master.kind == HLS_MASTER) {
    long v = hls_pick_variant(&master, cfg->variant);
    if (v < 0) {
      sw_check_sub(check, SW_CRITICAL, "master playlist has no variant");
      goto out;
    }
    snprintf(m->where, sizeof m->where, "(variant %ld/%zu, %lu b/s)", v + 1,
             master.n_variants, master.variants[v].bandwidth);
    m->declared_bps = master.variants[v].bandwidth;
    media_url = master.variants[v].uri;
    if (stream_load_playlist(cfg, media_url, "media playlist", false, d, &media,
                             m, check) < 0)
      goto out;
  } else {
    media = master;
    memset(&master, 0, sizeof master);
  }
  double loaded_at = wall_now();
  m->live = !media.endlist;
  size_t n =
      media.n_segments < cfg->segments ? media.n_segments : cfg->segments;
  size_t first = m->live ? stream_live_start(&media, n) : 0;
  double took = 0, dur = 0;
  m->encrypted = media.encrypted;
  if (media.encrypted)
    sw_check_sub(check, SW_OK,
                 "encrypted (%s): segments checked for "
                 "arrival and size only",
                 media.key_method);
  const char *map = n ? hls_segment_map(&media, first) : NULL;
  if (map && stream_fetch_segment(cfg, map, "init segment", 0, false, d, &ear,
                                  m, check) < 0)
    goto out;
  for (size_t i = first; i < first + n; i++) {
    const hls_segment *s = &media.segments[i];
    double t = stream_fetch_segment(cfg, s->uri, "segment", s->duration,
                                    s->encrypted, d, &ear, m, check);
    if (t < 0)
      break;
    took += t;
    dur += s->duration;
  }
  if (took > 0)
    m->rate = dur / took;
  if (cfg->std.verbose)
    sw_check_sub(check, SW_OK,
                 "media playlist: %s, target duration %lu s, media sequence "
                 "%lu, %zu segments listed%s; fetched: %s",
                 m->live ? "live" : "VOD", media.target_duration,
                 media.media_sequence, media.n_segments,
                 media.has_last_pdt ? ", program date-time" : "",
                 m->fetched[0] ? m->fetched : "none");
  if (n == 0)
    sw_check_sub(check, SW_CRITICAL, "media playlist has no segment");
  else if (m->live)
    check_moving(cfg, media_url, &media, loaded_at, d, m, check);
  if (cfg->all_variants && master.kind == HLS_MASTER) {
    stream_hls_renditions(cfg, &master, d, m, check);
  } else if (cfg->all_variants) { /* a media playlist: the one rendition */
    m->renditions = 1;
    sw_check_sub(check, SW_OK,
                 "--all-variants: a media playlist, one "
                 "rendition (sampled above)");
  }
out:
  stream_ear_end(&ear, &m->audio);
  if (cfg->decode && media.encrypted)
    snprintf(m->audio.deaf, sizeof m->audio.deaf, "the segments are encrypted");
  hls_free(&master);
  hls_free(&media);
}

/* Fetches and parses an MPD (BaseURLs resolve against where it ended
 * up after redirects); -1 after saying why. */
static int load_mpd(const stream_cfg *cfg, const char *url, const char *what,
                    bool first, const sw_deadline *d, mpd *mp, stream_meas *m,
                    sw_check *check) {
  sw_http_resp r;
  sw_err err;
  char *at = NULL;
  int rc = stream_fetch_at(cfg, url, what, MPD_MAX_BYTES, first, d, m, &r, &at,
                           check);
  if (rc == 0) {
    parse_lock(cfg, true);
    rc = mpd_parse(r.body ? r.body : "", r.body_len, at ? at : url, mp, &err);
    parse_lock(cfg, false);
    if (rc < 0)
      stream_parse_failed(what, err.msg, check);
  }
  free(at);
  sw_http_resp_free(&r);
  return rc;
}

/* The last segment an MPD's SegmentTimeline lists, whatever the clock
 * says: a frozen timeline's segments keep "becoming available" as time
 * passes, so only what the MPD lists tells whether it moves. Returns 0,
 * or -1 when the representation has no timeline. */
static int dash_last_listed(const mpd *mp, long rep, double *start,
                            unsigned long *number, double *end) {
  mpd_seglist list = {0};
  sw_err err;
  int rc = -1;
  if (rep >= 0 && mp->reps[rep].seg.n_timeline > 0 &&
      mpd_segments(mp, (size_t)rep, 1, 1e12, &list, &err) == 0 && list.n == 1) {
    *start = list.segs[0].start;
    *number = list.segs[0].number;
    *end = list.segs[0].start + list.segs[0].duration;
    rc = 0;
  }
  mpd_seglist_free(&list);
  return rc;
}

/* A live MPD must move like a live HLS playlist: fetched again a segment
 * duration later (ISO/IEC 23009-1 5.4: a dynamic MPD gains segments as
 * time goes on), its timeline must list a new segment. */
static void dash_moving(const stream_cfg *cfg, const char *url,
                        const mpd *first, double loaded_at, long rep,
                        double seg_duration, const sw_deadline *d,
                        stream_meas *m, sw_check *check) {
  double wait = seg_duration + 0.5, start0, start1, end0, end1;
  unsigned long number0, number1;
  mpd again = {0};
  if (dash_last_listed(first, rep, &start0, &number0, &end0) < 0)
    return; /* segments numbered by the clock alone: nothing to compare */
  /* the newest listed segment ended at availabilityStartTime + Period
   * start + its end (ISO/IEC 23009-1 5.3.9.5.3): the MPD's age when it
   * arrived, as HLS's program date-time gives it */
  if (first->availability_start > 0) {
    double age =
        loaded_at - (first->availability_start + first->period_start + end0);
    m->playlist_age = age > 0 ? age : 0;
  }
  if (!wait_for(wait, d)) {
    sw_check_sub(check, SW_OK, "no time left to see the MPD move");
    return;
  }
  if (load_mpd(cfg, url, "MPD (again)", false, d, &again, m, check) < 0)
    return;
  if (dash_last_listed(&again, mpd_pick(&again, cfg->variant), &start1,
                       &number1, &end1) == 0 &&
      (start1 > start0 || number1 > number0)) {
    if (m->playlist_age > wait || m->playlist_age < 0)
      m->playlist_age = wait; /* seen moving within wait */
    sw_check_sub(check, SW_OK, "MPD moving (newest segment %lu)", number1);
  } else {
    if (m->playlist_age < wait)
      m->playlist_age = wait;
    sw_check_sub(check, SW_CRITICAL,
                 "live MPD stuck: no new segment in "
                 "%.1f s (newest segment %lu)",
                 wait, number0);
  }
  mpd_free(&again);
}

/* "(representation ID, N b/s)": the id is the server's text, made safe
 * (masked, sanitised, cut) before it joins the summary. */
static void where_rep(const stream_cfg *cfg, const mpd_rep *r, stream_meas *m) {
  char id[48];
  sw_buf b;
  const char *s = r->id ? r->id : "?";
  sw_text_safe(id, sizeof id, s, strlen(s), 40, cfg->base.secrets);
  sw_buf_fixed(&b, m->where, sizeof m->where);
  sw_buf_addf(&b, "(representation %s, %lu b/s)", id, r->bandwidth);
}

void stream_dash(const stream_cfg *cfg, const char *url, const sw_deadline *d,
                 stream_meas *m, sw_check *check) {
  sw_err err;
  mpd mp = {0};
  mpd_seglist list = {0};
  stream_ear ear = {0};
  snprintf(m->kind, sizeof m->kind, "DASH");
  m->download = true;
  if (load_mpd(cfg, url, "MPD", true, d, &mp, m, check) < 0)
    goto out;
  double loaded_at = wall_now();
  m->live = mp.dynamic;
  long rep = mpd_pick(&mp, cfg->variant);
  if (rep < 0 || mpd_segments(&mp, (size_t)rep, cfg->segments,
                              (double)time(NULL), &list, &err) < 0) {
    sw_check_sub(check, SW_CRITICAL, "MPD: %s",
                 rep < 0 ? "no representation" : err.msg);
    goto out;
  }
  where_rep(cfg, &mp.reps[rep], m);
  m->declared_bps = mp.reps[rep].bandwidth;
  if (list.init && stream_fetch_segment(cfg, list.init, "init segment", 0,
                                        false, d, &ear, m, check) < 0)
    goto out;
  double took = 0, dur = 0;
  for (size_t i = 0; i < list.n; i++) {
    double t =
        stream_fetch_segment(cfg, list.segs[i].url, "segment",
                             list.segs[i].duration, false, d, &ear, m, check);
    if (t < 0)
      break;
    took += t;
    dur += list.segs[i].duration;
  }
  if (took > 0)
    m->rate = dur / took;
  if (cfg->std.verbose)
    sw_check_sub(check, SW_OK,
                 "MPD: %s, %zu representations, segments from number %lu; "
                 "fetched: %s",
                 m->live ? "dynamic" : "static", mp.n_reps,
                 list.n ? list.segs[0].number : 0UL,
                 m->fetched[0] ? m->fetched : "none");
  if (m->live && list.n > 0)
    dash_moving(cfg, url, &mp, loaded_at, rep, list.segs[list.n - 1].duration,
                d, m, check);
  if (cfg->all_variants)
    stream_dash_renditions(cfg, &mp, d, m, check);
out:
  stream_ear_end(&ear, &m->audio);
  mpd_seglist_free(&list);
  mpd_free(&mp);
}
