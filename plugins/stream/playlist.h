/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Radio playlists: .m3u (plain or extended) and .pls, read to the first
 * stream URL. Pure functions over bytes; no I/O. HLS playlists (m3u8 with
 * #EXT-X- tags) are hls.h's. */
#ifndef STREAMWATCH_STREAM_PLAYLIST_H
#define STREAMWATCH_STREAM_PLAYLIST_H

#include <stddef.h>

#include "streamwatch/state.h"

#define PLAYLIST_MAX_BYTES (1024UL * 1024)

typedef enum {
  PL_UNKNOWN = 0, /* not a playlist this module reads */
  PL_M3U,         /* plain m3u: URL lines, '#' comments */
  PL_M3U_EXT,     /* #EXTM3U with #EXTINF, no HLS tags */
  PL_PLS,         /* [playlist] File1=... */
  PL_HLS          /* #EXTM3U with #EXT-X- tags: give it to hls_parse() */
} playlist_kind;

/* The first entry of a playlist. */
typedef struct {
  playlist_kind kind;
  char *url;       /* resolved against the base URL; owned */
  char title[128]; /* #EXTINF title or TitleN, sanitised, or "" */
  size_t entries;  /* stream entries in the playlist */
} playlist_entry;

/* Guesses the kind from the content (a UTF-8 byte order mark and leading
 * blank lines skipped): "[playlist]" is PLS; #EXTM3U is HLS when any
 * line starts with #EXT-X-, else extended m3u; text whose first entry is
 * an absolute URL ("scheme://") is plain m3u; anything else (binary,
 * HTML, media) is PL_UNKNOWN. Never fails. */
playlist_kind playlist_detect(const char *text, size_t len);

/* Reads the first stream URL of an m3u or pls playlist fetched from
 * base_url (relative entries resolve against it, RFC 3986 section 5.2;
 * NULL keeps them as written). For PLS that is the lowest FileN (keys
 * case-insensitive), for m3u the first line that is not blank or a '#'
 * line. Content that playlist_detect() calls PL_UNKNOWN is read as plain
 * m3u, so "stream.mp3" served as audio/x-mpegurl works. out is
 * overwritten; on success release it with playlist_free(). Refused with
 * err filled: an HLS playlist, NUL bytes, no entry, a bad FileN number,
 * more than PLAYLIST_MAX_BYTES, a URL that does not resolve. 0 or -1. */
int playlist_parse(const char *text, size_t len, const char *base_url,
                   playlist_entry *out, sw_err *err);

/* Releases what playlist_parse() allocated. NULL is allowed. */
void playlist_free(playlist_entry *e);

#endif
