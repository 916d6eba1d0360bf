/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading an MPD's XML for mpd.c, within the limits in mpd.h. */
#ifndef STREAMWATCH_STREAM_MPD_READ_H
#define STREAMWATCH_STREAM_MPD_READ_H

#include <libxml/tree.h>
#include <stddef.h>

#include "mpd.h"
#include "streamwatch/state.h"

/* S and SegmentURL elements are read while libxml2 parses (sax_start)
 * and kept here, hung on their SegmentTimeline or SegmentList node's
 * _private, instead of as tree nodes: a tree node with its attributes
 * takes about 400 bytes, an S here 40. */
typedef struct mpd_side {
  struct mpd_side *next;
  mpd_s *s;    /* SegmentTimeline: its S elements */
  char **urls; /* SegmentList: SegmentURL@media as written, or NULL */
  size_t n, cap;
} mpd_side;

/* Reads text (len bytes, at most MPD_MAX_BYTES) into a tree holding only
 * what the model reads, with no network, DTD or entities, and libxml2
 * silent. Returns the tree with *sides (the S and SegmentURL stores, hung
 * on their nodes' _private; free them with mpd_sides_free after the
 * tree), or NULL with err: a DOCTYPE or ENTITY declaration, a limit
 * ("(limit)"), or XML that is not well-formed. */
xmlDoc *mpd_read(const char *text, size_t len, mpd_side **sides, sw_err *err);

void mpd_sides_free(mpd_side *sd);

#endif
