/* check_stream's judgement of a sample, its summary and perfdata, and the
 * bounded fetch of playlists and segments. */
#include <stdio.h>
#include <string.h>

#include "stream.h"
#include "streamwatch/sanitize.h"

int stream_fetch(const stream_cfg *cfg, const char *url, const char *what,
                 const sw_deadline *d, sw_http_resp *resp, sw_check *check) {
  sw_http_req req = cfg->base;
  sw_err err = {""};
  req.url = url;
  if (sw_http_perform(&req, d, resp, &err) < 0) {
    sw_check_sub(check, resp->timed_out ? cfg->std.timeout_state : SW_CRITICAL,
                 "%s: %s", what, err.msg[0] ? err.msg : resp->err);
    return -1;
  }
  if (resp->status < 200 || resp->status > 299) {
    sw_check_sub(check, SW_CRITICAL, "%s: HTTP %ld %s", what, resp->status,
                 resp->reason);
    return -1;
  }
  return 0;
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
  if (s != SW_OK)
    sw_check_sub(check, s, "media arrives at %.2fx real time (%s %s)", m->rate,
                 s == SW_CRITICAL ? "critical below" : "warning below",
                 s == SW_CRITICAL ? c->text : w->text);
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
  if (m->playlist_age >= 0) {
    sw_perf age = {.label = "playlist_age",
                   .measured = true,
                   .value = m->playlist_age,
                   .uom = "s"};
    sw_check_perf(check, &age);
  }
  if (m->segments) {
    sw_perf seg = {.label = "segments",
                   .measured = true,
                   .value = (double)m->segments,
                   .uom = ""};
    sw_check_perf(check, &seg);
  }
}

void stream_judge(const stream_cfg *cfg, const stream_meas *m,
                  sw_check *check) {
  sw_range rw = {0}, rc = {0};
  judge_rate(cfg, m, check, &rw, &rc);
  sw_state s = sw_range_state(NULL, &cfg->stall_crit, m->stalls);
  if (m->stalls && s != SW_OK)
    sw_check_sub(check, s, "stalled %u time%s, longest %.1f s", m->stalls,
                 m->stalls == 1 ? "" : "s", m->longest_stall);
  if (cfg->expect_format_set && m->frames &&
      !sf_format_matches(cfg->expect_format, m->format))
    sw_check_sub(check, SW_CRITICAL, "format is %s, expected %s",
                 sf_format_name(m->format), sf_format_name(cfg->expect_format));
  double kbps_now = bitrate_bps(m) / 1000.0;
  if (cfg->min_bitrate > 0 && kbps_now > 0 && kbps_now < cfg->min_bitrate)
    sw_check_sub(check, SW_WARNING, "bitrate %.0f kb/s is below %g kb/s",
                 kbps_now, cfg->min_bitrate);
  if (m->ttfb >= 0) {
    sw_state t = sw_range_state(&cfg->std.warn, &cfg->std.crit, m->ttfb);
    if (t != SW_OK)
      sw_check_sub(check, t, "first media byte after %.3f s", m->ttfb);
  }
  char rate[48] = "", kbps[32] = "", segs[32] = "";
  if (m->rate >= 0)
    snprintf(rate, sizeof rate, " at %.2fx real time", m->rate);
  if (m->bitrate_kbps)
    snprintf(kbps, sizeof kbps, " %u kb/s", m->bitrate_kbps);
  if (m->segments)
    snprintf(segs, sizeof segs, ", %lu segment%s", m->segments,
             m->segments == 1 ? "" : "s");
  sw_check_summary(check, "%s %s%s%s%s%s%s, %llu bytes%s, ttfb %.3f s%s",
                   m->kind, m->live ? "live " : "",
                   m->frames ? sf_format_name(m->format) : "no media", kbps,
                   m->where[0] ? " " : "", m->where, segs, m->bytes, rate,
                   m->ttfb < 0 ? 0 : m->ttfb, m->stalls ? ", stalled" : "");
  add_perf(cfg, m, &rw, &rc, check);
}
