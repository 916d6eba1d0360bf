/* check_stream's configuration, its measurements, and the steps main runs. */
#ifndef STREAMWATCH_STREAM_H
#define STREAMWATCH_STREAM_H

#include <stdbool.h>
#include "frames.h"
#include "streamwatch/http.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"

typedef enum { ST_AUTO, ST_PROGRESSIVE, ST_HLS, ST_DASH } stream_type;

typedef struct {
  sw_std_opts std;
  sw_http_req base; /* TLS, headers, --connect-to: every request */
  sw_strvec headers;
  char *bearer; /* secret, owned */
  const char *url;
  stream_type type;
  double duration;        /* progressive sample, seconds */
  const char *variant;    /* lowest | highest | BANDWIDTH */
  unsigned long segments; /* HLS/DASH segments fetched */
  bool expect_format_set;
  sf_format expect_format;
  double min_bitrate;            /* kb/s, 0 unset */
  sw_range rate_warn, rate_crit; /* set: override the defaults */
  double stall;                  /* a gap longer than this is a stall */
  sw_range stall_crit;           /* on the number of stalls (default 0) */
  double max_age;                /* live playlists, seconds; 0: 3 x target */
} stream_cfg;

/* What a sample of the stream showed; -1 for what was not measured. */
typedef struct {
  char kind[48];   /* "progressive", "HLS live", "DASH VOD", ... */
  char where[160]; /* "variant 1/3", the ICY name, ... */
  bool live;
  bool download; /* VOD, segments, or a file with a length */
  sf_format format;
  double ttfb;
  double rate; /* media seconds per wall second */
  unsigned stalls;
  double longest_stall;
  unsigned long long bytes;
  unsigned long frames;
  unsigned long segments;
  double playlist_age;
  unsigned bitrate_kbps; /* nominal, from the frames or ICY; 0 unknown */
  double media_seconds;
  unsigned long long media_bytes; /* of the segments in media_seconds */
  unsigned long declared_bps;     /* HLS BANDWIDTH, DASH @bandwidth; 0 */
} stream_meas;

sw_std_result stream_parse(int argc, char **argv, stream_cfg *cfg, sw_err *err);
void stream_cfg_free(stream_cfg *cfg);
void stream_help(FILE *out);

/* Samples a progressive stream (Icecast, SHOUTcast, a media file) at
 * url, following .m3u/.pls playlists once. Problems become sub-checks
 * (CRITICAL naming what broke); measurements go to m. */
void stream_progressive(const stream_cfg *cfg, const char *url,
                        const sw_deadline *d, stream_meas *m, sw_check *check);

/* HLS and DASH: playlist or MPD, variant, segments. */
void stream_hls(const stream_cfg *cfg, const char *url, const sw_deadline *d,
                stream_meas *m, sw_check *check);
void stream_dash(const stream_cfg *cfg, const char *url, const sw_deadline *d,
                 stream_meas *m, sw_check *check);

/* Judges m against the thresholds and adds the summary and perfdata. */
void stream_judge(const stream_cfg *cfg, const stream_meas *m, sw_check *check);

/* Fetches url whole (a playlist, an MPD, a segment) into resp, bounded.
 * Returns 0 for a 2xx answer; otherwise adds a CRITICAL sub-check
 * "what: HTTP 404" or the transport failure, and returns -1. */
int stream_fetch(const stream_cfg *cfg, const char *url, const char *what,
                 const sw_deadline *d, sw_http_resp *resp, sw_check *check);

#endif
