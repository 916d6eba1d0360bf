/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HLS playlists (RFC 8216): a pure parser from the bytes of an m3u8 file
 * to a master playlist (variants) or a media playlist (segments). No I/O:
 * the plugin fetches, this file only reads. */
#ifndef STREAMWATCH_STREAM_HLS_H
#define STREAMWATCH_STREAM_HLS_H

#include <stddef.h>

#include "streamwatch/state.h"

/* Bounds that keep a hostile playlist from costing unbounded memory. */
/* Segments (and EXT-X-MAP tags) of one media playlist: a 24-hour DVR
 * window of 2-second segments is 43200. */
#define HLS_MAX_SEGMENTS 50000
#define HLS_MAX_VARIANTS 1000
#define HLS_MAX_BYTES (8UL * 1024 * 1024)
/* Every segment, map and variant URI is kept resolved: their sum is
 * bounded so that a playlist within HLS_MAX_BYTES stays far below 64 MiB
 * (a short relative URI against a 4 KiB base URL is 4 KiB each). 50000
 * signed CDN URLs of 160 bytes fit. */
#define HLS_MAX_URI_BYTES (8UL * 1024 * 1024)

typedef enum { HLS_MASTER = 1, HLS_MEDIA = 2 } hls_kind;

/* EXT-X-PLAYLIST-TYPE (RFC 8216 section 4.3.3.5). */
typedef enum { HLS_TYPE_NONE = 0, HLS_TYPE_EVENT, HLS_TYPE_VOD } hls_type;

/* One EXT-X-STREAM-INF entry (section 4.3.4.2). */
typedef struct {
  unsigned long bandwidth;     /* BANDWIDTH, bits/s (required) */
  unsigned long avg_bandwidth; /* AVERAGE-BANDWIDTH, 0 when absent */
  unsigned long width, height; /* RESOLUTION, 0x0 when absent */
  char codecs[128];            /* CODECS, sanitised, "" when absent */
  char *uri;                   /* the next URI line, resolved; owned */
} hls_variant;

/* One media segment: EXTINF and its URI (section 4.3.2.1). */
typedef struct {
  double duration;   /* EXTINF seconds */
  unsigned long seq; /* media sequence number (section 6.3.2) */
  char *uri;         /* resolved; owned */
  int discontinuity; /* EXT-X-DISCONTINUITY came before it */
  int encrypted;     /* an EXT-X-KEY with METHOD other than NONE applies */
  int map;           /* index into maps (EXT-X-MAP), -1 when none */
  int has_pdt;       /* pdt is known (tagged, or derived: 4.3.2.6) */
  double pdt;        /* EXT-X-PROGRAM-DATE-TIME, epoch seconds */
} hls_segment;

/* A parsed playlist. Every pointer is owned by the playlist and freed by
 * hls_free(); the strings are NUL-terminated. */
typedef struct {
  hls_kind kind;
  unsigned long version; /* EXT-X-VERSION, 1 when absent */
  /* master playlist */
  hls_variant *variants;
  size_t n_variants;
  /* media playlist */
  unsigned long target_duration; /* EXT-X-TARGETDURATION (4.3.3.1) */
  unsigned long media_sequence;  /* EXT-X-MEDIA-SEQUENCE (4.3.3.2) */
  int endlist;                   /* EXT-X-ENDLIST: no more segments */
  hls_type type;
  hls_segment *segments;
  size_t n_segments;
  double total_duration;  /* sum of EXTINF */
  size_t discontinuities; /* EXT-X-DISCONTINUITY tags */
  int encrypted;          /* some segment is encrypted */
  char key_method[32];    /* last EXT-X-KEY METHOD, sanitised, or "" */
  char **maps;            /* EXT-X-MAP URIs resolved (fMP4 init) */
  size_t n_maps;
  int has_last_pdt; /* the last segment's date-time is known */
  double last_pdt;  /* ... as epoch seconds */
} hls_playlist;

/* Parses text[0..len) (need not be NUL-terminated) fetched from base_url
 * (URIs are resolved against it, RFC 3986 section 5.2; NULL keeps them as
 * written). out is overwritten; on success it must be released with
 * hls_free(), on failure it holds nothing to free.
 * Refused with err filled: a first line other than #EXTM3U (section
 * 4.3.1.1; a byte order mark too, 4.1), NUL bytes, a playlist with both
 * master and media tags or neither (4.3.4), EXTINF or EXT-X-STREAM-INF
 * without a URI line after it, a media URI without EXTINF, a media
 * playlist without EXT-X-TARGETDURATION (4.3.3.1), malformed numbers or
 * dates, more than HLS_MAX_SEGMENTS segments or HLS_MAX_VARIANTS variants
 * or HLS_MAX_URI_BYTES of resolved URIs (messages end in "(limit)"),
 * more than HLS_MAX_BYTES bytes. Returns 0, or -1. */
int hls_parse(const char *text, size_t len, const char *base_url,
              hls_playlist *out, sw_err *err);

/* Releases what hls_parse() allocated and zeroes pl. NULL is allowed. */
void hls_free(hls_playlist *pl);

/* Chooses a variant of a master playlist by BANDWIDTH: how is "lowest",
 * "highest" or a number of bits/s (the highest variant not above it; when
 * every variant is above it, the lowest, so a check still runs). Ties go
 * to the first in playlist order. Returns the index into pl->variants, or
 * -1 when how is not understood or there is no variant. */
long hls_pick_variant(const hls_playlist *pl, const char *how);

/* The EXT-X-MAP URI that applies to segment i, or NULL. */
const char *hls_segment_map(const hls_playlist *pl, size_t i);

#endif
