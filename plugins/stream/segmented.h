/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The steps of HLS and DASH runs (segmented.c), shared with the pass over
 * every rendition (renditions.c). */
#ifndef STREAMWATCH_STREAM_SEGMENTED_H
#define STREAMWATCH_STREAM_SEGMENTED_H

#include "hls.h"
#include "mpd.h"
#include "stream.h"

/* Fetches and parses a playlist; -1 after saying why. The first one
 * (first) must be a playlist at all: --type hls on anything else is a
 * configuration mistake. */
int stream_load_playlist(const stream_cfg *cfg, const char *url,
                         const char *what, bool first, const sw_deadline *d,
                         hls_playlist *pl, stream_meas *m, sw_check *check);

/* Fetches one segment (kind: "segment", "init segment"), validates its
 * frames (unless encrypted), lets ear hear it, and adds its bytes, frames
 * and timings to m. Returns the download time, or -1 after saying why. */
double stream_fetch_segment(const stream_cfg *cfg, const char *url,
                            const char *kind, double duration, bool encrypted,
                            const sw_deadline *d, stream_ear *ear,
                            stream_meas *m, sw_check *check);

/* Where a live playlist's sample of count segments starts: about three
 * target durations from its end, as players join. */
size_t stream_live_start(const hls_playlist *pl, size_t count);

/* --all-variants: every variant of an HLS master playlist, or every
 * representation of an MPD, fetched at once (its playlist and one
 * segment, heard when decoding): a line and perfdata for each, the
 * failed ones counted against --variant-fail-warning/-critical. */
void stream_hls_renditions(const stream_cfg *cfg, const hls_playlist *master,
                           const sw_deadline *d, stream_meas *m,
                           sw_check *check);
void stream_dash_renditions(const stream_cfg *cfg, const mpd *mp,
                            const sw_deadline *d, stream_meas *m,
                            sw_check *check);

#endif
