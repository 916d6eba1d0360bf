/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HLS playlist parser (RFC 8216); see hls.h. */
#include <stdlib.h>
#include <string.h>

#include "hls.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strparse.h"
#include "sttext.h"

/* Longest EXTINF duration believed, in seconds (a day). */
#define HLS_MAX_EXTINF 86400.0

typedef struct {
  const char *p;
  size_t n;
} slice;

/* Parser state between lines: what the next URI line completes. */
typedef struct {
  hls_playlist *pl;
  const char *base;
  sw_err *err;
  size_t lineno;
  int master_tags, media_tags, has_target;
  int want_variant;    /* an EXT-X-STREAM-INF waits for its URI */
  hls_variant variant; /* ... this one */
  int want_segment;    /* an EXTINF waits for its URI */
  double extinf;
  int discontinuity, encrypted, map, has_pdt;
  double pdt;
  size_t uri_bytes; /* resolved URIs kept so far (HLS_MAX_URI_BYTES) */
} hls_ctx;

static int starts(slice s, const char *prefix) {
  size_t n = strlen(prefix);
  return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static slice after(slice s, size_t skip) {
  slice r = {s.p + skip, s.n - skip};
  return r;
}

/* Finds attribute name in an attribute list (RFC 8216 section 4.2) and
 * gives its value without quotes. Returns 1 found, 0 absent, -1 when the
 * list is malformed (no '=', an unterminated quoted-string). */
static int attr_get(slice list, const char *name, slice *val) {
  size_t i = 0, nl = strlen(name);
  int found = 0;

  while (i < list.n) {
    size_t k, klen, v, vlen;
    while (i < list.n && list.p[i] == ' ')
      i++; /* not in the grammar, but some packagers write ", " */
    for (k = i; i < list.n && list.p[i] != '=' && list.p[i] != ','; i++)
      ;
    if (i >= list.n || list.p[i] != '=' || i == k)
      return -1;
    klen = i++ - k;
    if (i < list.n && list.p[i] == '"') {
      for (v = ++i; i < list.n && list.p[i] != '"'; i++)
        ;
      if (i >= list.n)
        return -1;
      vlen = i++ - v;
    } else {
      for (v = i; i < list.n && list.p[i] != ','; i++)
        ;
      vlen = i - v;
    }
    if (i < list.n && list.p[i++] != ',')
      return -1;
    if (!found && klen == nl && memcmp(list.p + k, name, nl) == 0) {
      val->p = list.p + v;
      val->n = vlen;
      found = 1;
    }
  }
  return found;
}

/* A decimal-integer attribute; absent leaves *out alone. */
static int attr_ulong(hls_ctx *c, slice list, const char *name,
                      unsigned long *out) {
  slice v;
  int rc = attr_get(list, name, &v);

  if (rc < 0)
    return sw_fail(c->err, "line %zu: malformed attribute list", c->lineno);
  if (rc > 0 && st_ulong_n(v.p, v.n, (unsigned long)-1, out))
    return sw_fail(c->err, "line %zu: bad %s", c->lineno, name);
  return 0;
}

/* Makes room for element n of arr (n in use, capacity doubling at powers
 * of two). Returns the array, perhaps moved, or NULL (the bound max is
 * reached, or out of memory: *full says which) with arr untouched. */
static void *grow(void *arr, size_t n, size_t size, size_t max, int *full) {
  *full = n >= max;
  if (*full)
    return NULL;
  if (n == 0 || (n & (n - 1)) == 0)
    return realloc(arr, (n ? n * 2 : 1) * size);
  return arr;
}

/* The URI resolved against the playlist's URL (malloc'd), or NULL with
 * err. Every URI is kept resolved, and a short relative one against a
 * long base grows to ST_URL_MAX bytes: 10000 of them were 40 MB, so their
 * sum is bounded by HLS_MAX_URI_BYTES (bounded by design). */
static char *resolve(hls_ctx *c, slice uri) {
  char buf[ST_URL_MAX + 1], *r;

  if (uri.n > ST_URL_MAX) {
    sw_fail(c->err, "line %zu: URI too long", c->lineno);
    return NULL;
  }
  memcpy(buf, uri.p, uri.n);
  buf[uri.n] = '\0';
  if (!(r = st_resolve(c->base, buf, c->err)))
    return NULL;
  c->uri_bytes += strlen(r) + 1;
  if (c->uri_bytes > HLS_MAX_URI_BYTES) {
    free(r);
    sw_fail(c->err,
            "line %zu: the playlist's URIs, resolved, are more than %lu "
            "bytes (limit)",
            c->lineno, (unsigned long)HLS_MAX_URI_BYTES);
    return NULL;
  }
  return r;
}

/* EXT-X-STREAM-INF (section 4.3.4.2): remembered until its URI line. */
static int tag_stream_inf(hls_ctx *c, slice a) {
  slice v;
  hls_variant *w = &c->variant;

  memset(w, 0, sizeof *w);
  if (attr_get(a, "BANDWIDTH", &v) < 0)
    return sw_fail(c->err, "line %zu: malformed attribute list", c->lineno);
  if (attr_get(a, "BANDWIDTH", &v) == 0)
    return sw_fail(c->err, "line %zu: EXT-X-STREAM-INF without BANDWIDTH",
                   c->lineno);
  if (attr_ulong(c, a, "BANDWIDTH", &w->bandwidth) ||
      attr_ulong(c, a, "AVERAGE-BANDWIDTH", &w->avg_bandwidth))
    return -1;
  if (attr_get(a, "CODECS", &v) > 0)
    sw_sanitize(w->codecs, sizeof w->codecs, v.p, v.n, 0);
  if (attr_get(a, "RESOLUTION", &v) > 0) {
    const char *x = memchr(v.p, 'x', v.n);
    if (!x || st_ulong_n(v.p, (size_t)(x - v.p), 100000, &w->width) ||
        st_ulong_n(x + 1, v.n - (size_t)(x + 1 - v.p), 100000, &w->height))
      return sw_fail(c->err, "line %zu: bad RESOLUTION", c->lineno);
  }
  c->want_variant = 1;
  return 0;
}

/* EXTINF:<duration>,[<title>] (section 4.3.2.1). */
static int tag_extinf(hls_ctx *c, slice a) {
  const char *comma = memchr(a.p, ',', a.n);
  size_t n = comma ? (size_t)(comma - a.p) : a.n;

  if (c->want_segment)
    return sw_fail(c->err, "line %zu: EXTINF without URI", c->lineno - 1);
  if (sw_parse_double_n(a.p, n, &c->extinf) || c->extinf < 0 ||
      c->extinf > HLS_MAX_EXTINF || a.p[0] == '+')
    return sw_fail(c->err, "line %zu: bad EXTINF duration", c->lineno);
  c->want_segment = 1;
  return 0;
}

/* EXT-X-KEY (section 4.3.2.4): METHOD=NONE ends encryption. */
static int tag_key(hls_ctx *c, slice a) {
  slice m;

  if (attr_get(a, "METHOD", &m) <= 0)
    return sw_fail(c->err, "line %zu: EXT-X-KEY without METHOD", c->lineno);
  sw_sanitize(c->pl->key_method, sizeof c->pl->key_method, m.p, m.n, 0);
  c->encrypted = !(m.n == 4 && memcmp(m.p, "NONE", 4) == 0);
  return 0;
}

/* EXT-X-MAP (section 4.3.2.5): the fMP4 init segment of what follows. */
static int tag_map(hls_ctx *c, slice a) {
  hls_playlist *pl = c->pl;
  slice u;
  char **maps, *uri;
  int full;

  if (attr_get(a, "URI", &u) <= 0)
    return sw_fail(c->err, "line %zu: EXT-X-MAP without URI", c->lineno);
  if (!(uri = resolve(c, u)))
    return -1;
  maps = grow(pl->maps, pl->n_maps, sizeof *maps, HLS_MAX_SEGMENTS, &full);
  if (!maps) {
    free(uri);
    return full ? sw_fail(c->err,
                          "line %zu: more than %d EXT-X-MAP tags "
                          "(limit)",
                          c->lineno, HLS_MAX_SEGMENTS)
                : sw_fail(c->err, "out of memory");
  }
  pl->maps = maps;
  maps[pl->n_maps] = uri;
  c->map = (int)pl->n_maps++;
  return 0;
}

/* Media playlist tags with a single value. */
static int tag_media_value(hls_ctx *c, slice line) {
  hls_playlist *pl = c->pl;
  unsigned long max_seq = (unsigned long)-1 - HLS_MAX_SEGMENTS;
  slice v;

  if (starts(line, "#EXT-X-TARGETDURATION:")) {
    v = after(line, 22);
    c->has_target = 1;
    if (st_ulong_n(v.p, v.n, 86400, &pl->target_duration) ||
        pl->target_duration == 0)
      return sw_fail(c->err, "line %zu: bad EXT-X-TARGETDURATION", c->lineno);
  } else if (starts(line, "#EXT-X-MEDIA-SEQUENCE:")) {
    v = after(line, 22);
    if (st_ulong_n(v.p, v.n, max_seq, &pl->media_sequence))
      return sw_fail(c->err, "line %zu: bad EXT-X-MEDIA-SEQUENCE", c->lineno);
  } else if (starts(line, "#EXT-X-PLAYLIST-TYPE:")) {
    v = after(line, 21);
    if (v.n == 3 && memcmp(v.p, "VOD", 3) == 0)
      pl->type = HLS_TYPE_VOD;
    else if (v.n == 5 && memcmp(v.p, "EVENT", 5) == 0)
      pl->type = HLS_TYPE_EVENT;
    else
      return sw_fail(c->err, "line %zu: bad EXT-X-PLAYLIST-TYPE", c->lineno);
  } else if (starts(line, "#EXT-X-PROGRAM-DATE-TIME:")) {
    v = after(line, 25);
    if (st_datetime(v.p, v.n, &c->pdt))
      return sw_fail(c->err, "line %zu: bad EXT-X-PROGRAM-DATE-TIME",
                     c->lineno);
    c->has_pdt = 1;
  }
  return 0;
}

/* Any tag line: marks the playlist master or media and handles it.
 * Unknown tags and comments are ignored (section 4.1). */
static int tag(hls_ctx *c, slice line) {
  static const char *const master[] = {
      "#EXT-X-STREAM-INF:", "#EXT-X-I-FRAME-STREAM-INF:", "#EXT-X-MEDIA:",
      "#EXT-X-SESSION-DATA:", "#EXT-X-SESSION-KEY:"};
  size_t i;

  if (c->want_variant)
    return sw_fail(c->err, "line %zu: EXT-X-STREAM-INF without URI",
                   c->lineno - 1);
  for (i = 0; i < sizeof master / sizeof master[0]; i++)
    if (starts(line, master[i]))
      c->master_tags = 1;
  if (starts(line, "#EXT-X-STREAM-INF:"))
    return tag_stream_inf(c, after(line, 18));
  if (starts(line, "#EXT-X-VERSION:")) {
    slice v = after(line, 15);
    if (st_ulong_n(v.p, v.n, 1000, &c->pl->version))
      return sw_fail(c->err, "line %zu: bad EXT-X-VERSION", c->lineno);
    return 0;
  }
  if (!starts(line, "#EXTINF") && !starts(line, "#EXT-X-TARGETDURATION") &&
      !starts(line, "#EXT-X-MEDIA-SEQUENCE") && !starts(line, "#EXT-X-KEY") &&
      !starts(line, "#EXT-X-ENDLIST") && !starts(line, "#EXT-X-MAP") &&
      !starts(line, "#EXT-X-DISCONTINUITY") &&
      !starts(line, "#EXT-X-PLAYLIST-TYPE") &&
      !starts(line, "#EXT-X-PROGRAM-DATE-TIME") &&
      !starts(line, "#EXT-X-BYTERANGE"))
    return 0;
  c->media_tags = 1;
  if (starts(line, "#EXTINF:"))
    return tag_extinf(c, after(line, 8));
  if (starts(line, "#EXT-X-KEY:"))
    return tag_key(c, after(line, 11));
  if (starts(line, "#EXT-X-MAP:"))
    return tag_map(c, after(line, 11));
  if (line.n == 14 && starts(line, "#EXT-X-ENDLIST"))
    c->pl->endlist = 1;
  if (line.n == 20 && starts(line, "#EXT-X-DISCONTINUITY")) {
    c->discontinuity = 1;
    c->pl->discontinuities++;
  }
  if (starts(line, "#EXTINF"))
    return sw_fail(c->err, "line %zu: bad EXTINF", c->lineno);
  return tag_media_value(c, line);
}

/* Date-time of a segment: its own tag, else derived from the previous
 * segment's (section 4.3.2.6). */
static void segment_pdt(hls_ctx *c, hls_segment *s) {
  const hls_segment *prev = NULL;

  if (c->pl->n_segments > 1)
    prev = &c->pl->segments[c->pl->n_segments - 2];
  if (c->has_pdt) {
    s->has_pdt = 1;
    s->pdt = c->pdt;
  } else if (prev && prev->has_pdt && !s->discontinuity) {
    s->has_pdt = 1;
    s->pdt = prev->pdt + prev->duration;
  }
  c->has_pdt = 0;
}

static int add_variant(hls_ctx *c, char *uri) {
  hls_playlist *pl = c->pl;
  int full;
  hls_variant *v =
      grow(pl->variants, pl->n_variants, sizeof *v, HLS_MAX_VARIANTS, &full);

  if (!v) {
    free(uri);
    return full ? sw_fail(c->err, "line %zu: more than %d variants (limit)",
                          c->lineno, HLS_MAX_VARIANTS)
                : sw_fail(c->err, "out of memory");
  }
  pl->variants = v;
  v[pl->n_variants] = c->variant;
  v[pl->n_variants++].uri = uri;
  c->want_variant = 0;
  return 0;
}

static int add_segment(hls_ctx *c, char *uri) {
  hls_playlist *pl = c->pl;
  int full;
  hls_segment *s =
      grow(pl->segments, pl->n_segments, sizeof *s, HLS_MAX_SEGMENTS, &full);

  if (!s) {
    free(uri);
    return full ? sw_fail(c->err, "line %zu: more than %d segments (limit)",
                          c->lineno, HLS_MAX_SEGMENTS)
                : sw_fail(c->err, "out of memory");
  }
  pl->segments = s;
  s += pl->n_segments++;
  memset(s, 0, sizeof *s);
  s->duration = c->extinf;
  s->seq = pl->media_sequence + (pl->n_segments - 1);
  s->uri = uri;
  s->discontinuity = c->discontinuity;
  s->encrypted = c->encrypted;
  s->map = c->map;
  segment_pdt(c, s);
  pl->encrypted |= s->encrypted;
  pl->total_duration += s->duration;
  c->discontinuity = c->want_segment = 0;
  return 0;
}

/* A URI line: completes the pending variant or segment. */
static int uri_line(hls_ctx *c, slice line) {
  char *uri;

  if (!c->want_variant && !c->want_segment)
    return sw_fail(c->err,
                   "line %zu: URI without EXTINF or "
                   "EXT-X-STREAM-INF",
                   c->lineno);
  if (!(uri = resolve(c, line)))
    return -1;
  return c->want_variant ? add_variant(c, uri) : add_segment(c, uri);
}

/* The line at *pos without its terminator (LF or CRLF), advancing *pos. */
static slice next_line(const char *text, size_t len, size_t *pos) {
  slice s = {text + *pos, 0};
  const char *nl = memchr(s.p, '\n', len - *pos);

  s.n = nl ? (size_t)(nl - s.p) : len - *pos;
  *pos += s.n + (nl != NULL);
  if (s.n && s.p[s.n - 1] == '\r')
    s.n--;
  return s;
}

/* After the last line: the checks that need the whole playlist. */
static int finish(hls_ctx *c) {
  hls_playlist *pl = c->pl;

  if (c->want_variant)
    return sw_fail(c->err, "EXT-X-STREAM-INF without URI at the end");
  if (c->want_segment)
    return sw_fail(c->err, "EXTINF without URI at the end");
  if (c->master_tags && c->media_tags)
    return sw_fail(c->err, "both master and media playlist tags (RFC 8216 "
                           "4.3.4)");
  if (!c->master_tags && !c->media_tags)
    return sw_fail(c->err, "neither a master nor a media playlist");
  pl->kind = c->master_tags ? HLS_MASTER : HLS_MEDIA;
  if (pl->kind == HLS_MASTER && pl->n_variants == 0)
    return sw_fail(c->err, "master playlist without EXT-X-STREAM-INF");
  if (pl->kind == HLS_MEDIA && !c->has_target)
    return sw_fail(c->err, "media playlist without EXT-X-TARGETDURATION");
  if (pl->n_segments) {
    const hls_segment *last = &pl->segments[pl->n_segments - 1];
    pl->has_last_pdt = last->has_pdt;
    pl->last_pdt = last->pdt;
  }
  return 0;
}

static int parse_lines(hls_ctx *c, const char *text, size_t len) {
  size_t pos = 0;
  slice line = next_line(text, len, &pos);

  c->lineno = 1;
  if (line.n != 7 || memcmp(line.p, "#EXTM3U", 7) != 0)
    return sw_fail(c->err, "not an HLS playlist: first line is not #EXTM3U");
  while (pos < len) {
    line = next_line(text, len, &pos);
    c->lineno++;
    if (line.n == 0)
      continue;
    if (line.p[0] == '#' ? tag(c, line) : uri_line(c, line))
      return -1;
  }
  return finish(c);
}

int hls_parse(const char *text, size_t len, const char *base_url,
              hls_playlist *out, sw_err *err) {
  hls_ctx c;

  if (!out)
    return sw_fail(err, "no output");
  memset(out, 0, sizeof *out);
  out->version = 1;
  if (!text)
    return sw_fail(err, "no playlist");
  if (len > HLS_MAX_BYTES)
    return sw_fail(err, "playlist larger than %lu bytes", HLS_MAX_BYTES);
  if (memchr(text, '\0', len))
    return sw_fail(err, "not an HLS playlist: binary data");
  memset(&c, 0, sizeof c);
  c.pl = out;
  c.base = base_url;
  c.err = err;
  c.map = -1;
  if (parse_lines(&c, text, len)) {
    hls_free(out);
    return -1;
  }
  return 0;
}

void hls_free(hls_playlist *pl) {
  size_t i;

  if (!pl)
    return;
  for (i = 0; i < pl->n_variants; i++)
    free(pl->variants[i].uri);
  for (i = 0; i < pl->n_segments; i++)
    free(pl->segments[i].uri);
  for (i = 0; i < pl->n_maps; i++)
    free(pl->maps[i]);
  free(pl->variants);
  free(pl->segments);
  free(pl->maps);
  memset(pl, 0, sizeof *pl);
}

long hls_pick_variant(const hls_playlist *pl, const char *how) {
  unsigned long cap = 0;
  long best = -1, low = -1;
  size_t i;

  if (!pl || !how || pl->n_variants == 0)
    return -1;
  if (strcmp(how, "lowest") != 0 && strcmp(how, "highest") != 0 &&
      sw_parse_ulong(how, 0, (unsigned long)-1, &cap))
    return -1;
  for (i = 0; i < pl->n_variants; i++) {
    unsigned long bw = pl->variants[i].bandwidth;
    if (low < 0 || bw < pl->variants[low].bandwidth)
      low = (long)i;
    if (how[0] == 'l' || (how[0] != 'h' && bw > cap))
      continue;
    if (best < 0 || bw > pl->variants[best].bandwidth)
      best = (long)i;
  }
  return best >= 0 ? best : low;
}

const char *hls_segment_map(const hls_playlist *pl, size_t i) {
  if (!pl || i >= pl->n_segments || pl->segments[i].map < 0)
    return NULL;
  return pl->maps[pl->segments[i].map];
}
