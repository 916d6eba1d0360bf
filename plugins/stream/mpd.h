/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DASH Media Presentation Descriptions (ISO/IEC 23009-1): a pure parser
 * from the bytes of an MPD to its first Period's Representations, and the
 * segment URLs of one of them. No I/O: libxml2 reads the memory given
 * with network access, DTDs and entities refused. mpd.c builds the model,
 * mpd_seg.c turns a Representation into segment URLs. */
#ifndef STREAMWATCH_STREAM_MPD_H
#define STREAMWATCH_STREAM_MPD_H

#include <stddef.h>

#include "streamwatch/state.h"

#define MPD_MAX_BYTES (8UL * 1024 * 1024)
#define MPD_MAX_REPS 256
/* S, SegmentURL elements summed over all Representations, and in the
 * document (a SegmentTimeline of 100000 S is about 28 hours of 1 s
 * segments without @r, more than any real DVR window). */
#define MPD_MAX_ITEMS 100000
/* Bounded by design (conventions.md): libxml2 has no allocation hooks,
 * so these keep an MPD within MPD_MAX_BYTES under 64 MiB of peak RSS.
 * Elements and attributes in the whole document, counted before libxml2
 * sees it (it interns every name and checks every attribute of an element
 * against the others): */
#define MPD_MAX_ELEMENTS 120000
#define MPD_MAX_ATTRS 320000
#define MPD_MAX_TAG_ATTRS 64
/* Distinct element and attribute names (the DASH schema has about 300;
 * libxml2's dictionary slows and grows with every new one). */
#define MPD_MAX_NAMES 1024
/* Elements and attributes kept in the tree besides S and SegmentURL,
 * which are read straight into arrays (40 bytes an S instead of 400):
 * only what the model reads is kept (MPD, the first Period, its
 * AdaptationSets, Representations, BaseURLs and Segment* elements). */
#define MPD_MAX_NODES 20000
/* Segments mpd_segments() returns at most. */
#define MPD_MAX_SEGMENTS 10000
#define MPD_RANGE_MAX 64

/* How a Representation is addressed (ISO/IEC 23009-1 section 5.3.9). */
typedef enum {
  MPD_SEG_NONE = 0, /* only a BaseURL: one file, as SegmentBase */
  MPD_SEG_BASE,     /* SegmentBase (5.3.9.2) */
  MPD_SEG_LIST,     /* SegmentList (5.3.9.3) */
  MPD_SEG_TEMPLATE  /* SegmentTemplate (5.3.9.4) */
} mpd_seg_kind;

/* One SegmentTimeline S element (5.3.9.6): t (has_t), d, r (r_open for
 * r="-1": repeat to the next S, the Period's end or the live edge). */
typedef struct {
  unsigned long t, d, r;
  int has_t, r_open;
} mpd_s;

/* The segment information of a Representation, merged over the Period,
 * AdaptationSet and Representation levels (5.3.9.1: a lower level's
 * attributes override the higher's). Strings and arrays are owned. */
typedef struct {
  mpd_seg_kind kind;
  char *media;                /* SegmentTemplate@media, as written */
  char *init;                 /* @initialization or Initialization@sourceURL */
  unsigned long timescale;    /* default 1 */
  unsigned long duration;     /* in timescale units, 0 when absent */
  unsigned long start_number; /* default 1 */
  unsigned long pto;          /* presentationTimeOffset */
  mpd_s *timeline;            /* SegmentTimeline, n_timeline entries; not owned:
                                 it points into the mpd's store, shared by every
                                 Representation that inherits it */
  size_t n_timeline;
  char **list; /* SegmentList SegmentURL@media as written (NULL when
                  absent), resolved by mpd_segments; not owned: it points
                  into the mpd's store */
  size_t n_list;
  char index_range[MPD_RANGE_MAX]; /* SegmentBase@indexRange, or "" */
  char init_range[MPD_RANGE_MAX];  /* Initialization@range, or "" */
} mpd_seginfo;

typedef struct {
  char *id;                    /* @id; owned */
  unsigned long bandwidth;     /* @bandwidth, bits/s */
  unsigned long width, height; /* 0 when absent */
  char mime_type[64];          /* own or the AdaptationSet's, sanitised */
  char codecs[128];            /* own or the AdaptationSet's, sanitised */
  size_t adaptation;           /* index of its AdaptationSet in the Period */
  char *base_url;              /* BaseURL chain resolved (5.6); owned */
  mpd_seginfo seg;
} mpd_rep;

/* A parsed MPD; times in seconds, -1 when absent. Owned pointers are
 * released by mpd_free(). */
typedef struct {
  int dynamic;              /* MPD@type="dynamic" (live) */
  double min_update_period; /* @minimumUpdatePeriod */
  double duration;          /* @mediaPresentationDuration */
  double time_shift_buffer; /* @timeShiftBufferDepth */
  int has_ast;
  double availability_start; /* @availabilityStartTime, epoch seconds */
  double period_start;       /* first Period@start, 0 when absent */
  double period_duration;    /* Period@duration, else MPD duration - start */
  size_t n_adaptations;
  mpd_rep *reps; /* of the first Period, document order */
  size_t n_reps;
  void *store; /* the S and SegmentURL arrays read while parsing; owned */
} mpd;

/* Parses text[0..len) fetched from mpd_url (BaseURLs resolve against it,
 * RFC 3986 section 5.2; NULL keeps them as written). out is overwritten;
 * on success release it with mpd_free(), on failure it holds nothing.
 * Refused with err filled: more than MPD_MAX_BYTES, a DOCTYPE or ENTITY
 * declaration (no entity is ever expanded or fetched), malformed XML, a
 * root other than MPD, a type other than static/dynamic, malformed
 * numbers, durations (ISO 8601) or dates, no Period, no Representation,
 * a Representation without bandwidth, more than MPD_MAX_REPS
 * Representations or MPD_MAX_ITEMS S/SegmentURL elements, and past the
 * memory limits above (MPD_MAX_ELEMENTS, MPD_MAX_ATTRS, MPD_MAX_TAG_ATTRS,
 * MPD_MAX_NAMES, MPD_MAX_NODES), the message ending in "(limit)": `MPD has
 * 838861 elements, more than the 120000 this check parses (limit)`. Returns
 * 0/-1. */
int mpd_parse(const char *text, size_t len, const char *mpd_url, mpd *out,
              sw_err *err);

/* Releases what mpd_parse() allocated and zeroes m. NULL is allowed. */
void mpd_free(mpd *m);

/* Chooses a Representation by bandwidth as hls_pick_variant() does
 * ("lowest", "highest", or bits/s: the highest not above it, else the
 * lowest). Only video Representations (mimeType video/...) compete when
 * there are any, so "lowest" is not the audio track. Returns the index
 * into m->reps, or -1 when how is not understood or there is none. */
long mpd_pick(const mpd *m, const char *how);

/* One media segment of a Representation. */
typedef struct {
  char *url;            /* resolved; owned */
  double duration;      /* seconds */
  double start;         /* seconds from the Period's start */
  unsigned long number; /* $Number$ (startNumber based) */
} mpd_segment;

typedef struct {
  char *init;                      /* initialization segment URL, or NULL */
  char index_range[MPD_RANGE_MAX]; /* SegmentBase@indexRange, or "" */
  mpd_segment *segs;
  size_t n;
} mpd_seglist;

/* The media segments of m->reps[rep]: for a static MPD the first n, for a
 * dynamic one the last n available at now (epoch seconds; a segment is
 * available once its end is at or before now, 5.3.9.5.3), with $Number$
 * computed from availabilityStartTime when there is no SegmentTimeline.
 * Templates expand $RepresentationID$, $Number$, $Bandwidth$, $Time$ and
 * $$ with %0Nd widths (5.3.9.4.4). SegmentBase (or a bare BaseURL) gives
 * the one file. out is overwritten; on success release it with
 * mpd_seglist_free(). Returns 0, or -1 with err filled (no segment
 * available yet, a template with an unknown identifier, $Time$ without a
 * timeline, r="-1" with no end known, numbers that overflow). */
int mpd_segments(const mpd *m, size_t rep, size_t n, double now,
                 mpd_seglist *out, sw_err *err);

/* Releases what mpd_segments() allocated. NULL is allowed. */
void mpd_seglist_free(mpd_seglist *l);

#endif
