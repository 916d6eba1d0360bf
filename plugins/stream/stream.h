/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's configuration, its measurements, and the steps main runs. */
#ifndef STREAMWATCH_STREAM_H
#define STREAMWATCH_STREAM_H

#include <pthread.h>
#include <stdbool.h>
#include "audio.h"
#include "frames.h"
#include "streamwatch/edges.h"
#include "streamwatch/http.h"
#include "streamwatch/options.h"
#include "streamwatch/result.h"
#include "streamwatch/optab.h"

typedef enum { ST_AUTO, ST_PROGRESSIVE, ST_HLS, ST_DASH } stream_type;

typedef struct {
  sw_std_opts std;
  sw_http_req base; /* TLS, headers, --connect-to: every request */
  sw_strvec headers;
  /* the -k headers that are not credentials (sw_secret_header): all a
   * request to another origin than -u's gets */
  sw_strvec plain_headers;
  char *bearer;            /* secret, owned */
  const char *token_cache; /* --token-cache file, or NULL */
  long long token_left;    /* seconds the cached token is still valid */
  const char *url;
  bool has_creds; /* a bearer, a -k credential header or URL userinfo */
  stream_type type;
  double duration;        /* progressive sample, seconds */
  const char *variant;    /* lowest | highest | BANDWIDTH */
  unsigned long segments; /* HLS/DASH segments fetched */
  bool expect_format_set;
  sf_format expect_format;
  double min_bitrate;            /* kb/s, 0 unset */
  sw_range rate_warn, rate_crit; /* set: override the defaults */
  double stall;                  /* a gap longer than this is a stall */
  bool stall_set;                /* --stall given */
  sw_range stall_crit;           /* on the number of stalls (default 0) */
  double max_age;                /* live playlists, seconds; 0: 3 x target */
  bool decode;          /* a level option: the sample is decoded, heard */
  double silence_db;    /* --silence-level: silence starts below, dBFS */
  sw_range silence_warn, silence_crit; /* on the longest silence, s */
  sw_range level_warn, level_crit;     /* on the RMS level, dBFS */
  bool loudness; /* --decode or a loudness option: EBU R128 measured too */
  sw_range loud_warn, loud_crit;       /* on the integrated loudness, LUFS */
  bool all_variants;                   /* every HLS variant / DASH rep */
  sw_range variant_fail_warn, variant_fail_crit; /* on the failed ones */
  sw_edges_opts edges;                           /* --all-addresses */
  /* with --all-addresses: held while a playlist or MPD is parsed, so
   * that one parse at a time adds to the edges' memory */
  pthread_mutex_t *parse_lock;
} stream_cfg;

/* What decoding the sample heard (cfg->decode); NAN: not measured. */
typedef struct {
  bool heard;                /* audio came out of the decoder */
  double seconds;            /* of audio decoded */
  double rms_db, peak_db;    /* dBFS */
  double silence_longest;    /* s */
  unsigned long long clipped; /* samples at full scale */
  /* EBU R128, LUFS: the loudest momentary and short-term, integrated */
  double loud_momentary, loud_shortterm, loud_integrated;
  char loud_deaf[120]; /* why loudness was not measured, "" */
  unsigned long errors;      /* decode errors */
  char error[128];           /* the first one, "" none */
  char deaf[160]; /* why nothing could be decoded (a format or codec
                     library this build cannot decode), "" */
} stream_audio;

/* Where the requests went: credentials stay with the origin (scheme,
 * host, port) of -u, and what left it is named in the output. */
typedef struct {
  unsigned long other;    /* requests to another origin */
  char other_origin[120]; /* the first such origin, "" none */
  char other_what[100];   /* what was fetched there ("segment 1.ts") */
  char downgrade[240];    /* the first https -> http hop, shown safe */
} stream_origins;

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
  bool encrypted;                 /* segments encrypted: frames not checkable */
  char fetched[400]; /* -v: the segments fetched ("seg1.ts 18236 B in
                        0.001 s, ..."), "" none */
  char
      unread[48]; /* media of a type check_stream does not read
                                  ("audio/flac"): frames not checked; "" none */
  stream_origins origins;
  stream_audio audio;
  size_t renditions; /* --all-variants: renditions tried (0: none) */
} stream_meas;

sw_std_result stream_parse(int argc, char **argv, stream_cfg *cfg, sw_err *err);

/* --type auto: by the URL's extension (.m3u8 HLS, .mpd DASH, else
 * progressive, which finds .m3u, .pls and HLS playlists by content). */
stream_type stream_guess_type(const char *url);

/* Adds the user name and password of url's userinfo (if any) to the
 * run's masks. Returns 0, or -1 when out of memory. */
int stream_masks_userinfo(sw_strvec *masks, const char *url);
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

/* The request for url: cfg->base, with the bearer and credential
 * headers only when url is of -u's origin (decided here, and again by
 * lib/http.c for every redirect hop through cred_origin). */
void stream_request(const stream_cfg *cfg, const char *url, sw_http_req *req);

/* After a request to url ("what" names it): notes in m where it went
 * (another origin, https -> http) from url and resp's hop report. */
void stream_note_hop(const stream_cfg *cfg, const char *url, const char *what,
                     const sw_http_resp *resp, stream_meas *m);

/* The sub-checks for what stream_note_hop noted: another origin (OK,
 * naming it; credentials not sent there), https -> http (WARNING: clear
 * text, which players on https pages refuse as mixed content). */
void stream_origins_report(const stream_cfg *cfg, const stream_meas *m,
                           sw_check *check);

/* A failed answer to url as a sub-check: CRITICAL "what: HTTP 403
 * Forbidden", with "(credentials withheld: another origin, ORIGIN)" when
 * a 401/403 came from an origin the credentials were not sent to. */
void stream_http_failed(
    const stream_cfg *cfg, const char *url, const char *what,
    const sw_http_resp *resp,
    sw_check *check); /* what NULL: "HTTP 404 ... from URL" */

/* A parser refused a playlist or MPD: UNKNOWN naming check_stream's limit
 * when it was one (more than N segments, larger than N bytes: not a fault
 * of the service), else CRITICAL "what: why". */
void stream_parse_failed(const char *what, const char *why, sw_check *check);

/* Where a request ended up after its redirects: relative references in
 * a playlist or MPD resolve against that URL (RFC 3986 5.1.3: the
 * retrieval URI), not the one asked for (a load balancer that redirects
 * to an edge node). Fed every header line of every hop. */
typedef struct {
  char *url;      /* owned; NULL when out of memory */
  char *location; /* the last Location seen, owned */
} stream_where;
void stream_where_init(stream_where *w, const char *url);
void stream_where_header(stream_where *w, const char *line, size_t len);
/* The URL the request ended at (fallback when unknown). */
const char *stream_where_url(const stream_where *w, const char *fallback);
void stream_where_free(stream_where *w);

/* Overwrites every occurrence of each secret in s with '*', in any case:
 * URL parsing lower-cases hosts, so a secret a playlist put in a host
 * name no longer matches as given. */
void stream_mask_ci(char *s, const char *const *secrets);

/* url for the output: userinfo removed, the run's secrets masked,
 * sanitised, at most max characters. */
void stream_url_shown(const stream_cfg *cfg, const char *url, char *buf,
                      size_t n, size_t max);

/* The Content-Type value of a header line ("Content-Type: audio/mpeg"),
 * made safe to print into buf; false for any other line. */
bool stream_header_ctype(const stream_cfg *cfg, const char *line, size_t len,
                         char *buf, size_t n);

/* Fetches url whole (a playlist or an MPD) into resp, at most max bytes.
 * first: the URL the user gave, whose kind must match --type (media
 * arriving ends the transfer early). Returns 0 for a 2xx answer;
 * otherwise adds a sub-check (CRITICAL "what: HTTP 404" or the transport
 * failure; UNKNOWN naming the limit when the body passed max, or naming
 * --type) and returns -1. */
int stream_fetch(const stream_cfg *cfg, const char *url, const char *what,
                 size_t max, bool first, const sw_deadline *d, stream_meas *m,
                 sw_http_resp *resp, sw_check *check);

/* stream_fetch, and *final (when not NULL) the URL it ended at after
 * redirects, a new string to free() (NULL when out of memory). */
int stream_fetch_at(const stream_cfg *cfg, const char *url, const char *what,
                    size_t max, bool first, const sw_deadline *d,
                    stream_meas *m, sw_http_resp *resp, char **final,
                    sw_check *check);

/* Bytes in which no format was found (what: "segment 1.ts", or NULL for
 * a progressive stream). Under an audio or video Content-Type (for a
 * segment: AC-3, E-AC-3 or WebM, the formats HLS and DASH allow) that is
 * a format check_stream does not read: noted in m (frames not checked,
 * said once) and true; otherwise a CRITICAL "not audio" (or
 * "what: not media") and false. */
bool stream_unread_format(const char *ctype, const char *what, stream_meas *m,
                          sw_check *check);

/* --type was given and the URL serves another kind (media where a
 * playlist was expected, an MPD for HLS, ...): a configuration mistake,
 * UNKNOWN naming --type. Returns true when it said so. body may be NULL. */
bool stream_wrong_type(const stream_cfg *cfg, const unsigned char *body,
                       size_t n, const char *ctype, sw_check *check);

/* Listening to a sample as it arrives (stream_audio.c): a decoder and
 * its levels, when cfg->decode; otherwise every call does nothing. */
typedef struct {
  bool started, on;
  sa_decoder *dec;
  sa_loud *loud;
  sa_levels lv;
  char deaf[160];
  char loud_deaf[120];
} stream_ear;

/* Starts listening to media of format f (as the validator found it). */
void stream_ear_start(const stream_cfg *cfg, stream_ear *e, sf_format f);
void stream_ear_feed(stream_ear *e, const unsigned char *b, size_t n);
/* Ends listening: what was heard goes to *a. Frees the decoder. */
void stream_ear_end(stream_ear *e, stream_audio *a);
/* Frees what stream_ear_end did not (a sample that ended early). */
void stream_ear_free(stream_ear *e);

/* Sets a's measurements to "not measured". */
void stream_audio_init(stream_audio *a);

/* Dead air, loudness and decoding problems as sub-checks, and their
 * perfdata (level_rms, level_peak, silence_longest, clipped,
 * decode_errors in every run that decodes; loudness_momentary,
 * loudness_shortterm, loudness_integrated in every run that measures
 * loudness; U when unmeasured). */
void stream_audio_judge(const stream_cfg *cfg, const stream_meas *m,
                        sw_check *check);
void stream_audio_perf(const stream_cfg *cfg, const stream_meas *m,
                       sw_check *check);
/* ", RMS -21.1 dBFS, peak -18.1 dBFS" for the summary, into b. */
void stream_audio_summary(const stream_meas *m, char *buf, size_t n);

/* check_stream's own long options without a short letter. */
enum {
  OPT_TYPE = SW_OPT_PLUGIN,
  OPT_DURATION,
  OPT_VARIANT,
  OPT_SEGMENTS,
  OPT_EXPECT_FORMAT,
  OPT_MIN_BITRATE,
  OPT_RATE_WARN,
  OPT_RATE_CRIT,
  OPT_STALL,
  OPT_STALL_CRIT,
  OPT_MAX_AGE,
  OPT_TOKEN_CACHE,
  OPT_DECODE,
  OPT_SILENCE_LEVEL,
  OPT_SILENCE_WARN,
  OPT_SILENCE_CRIT,
  OPT_LEVEL_WARN,
  OPT_LEVEL_CRIT,
  OPT_LOUD_WARN,
  OPT_LOUD_CRIT,
  OPT_ALL_VARIANTS,
  OPT_VARIANT_FAIL_WARN,
  OPT_VARIANT_FAIL_CRIT
};

/* check_stream's options (stream_optab.c). */
extern const sw_optab stream_optab;

#endif
