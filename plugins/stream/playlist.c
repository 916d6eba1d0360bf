/* SPDX-License-Identifier: GPL-3.0-or-later */
/* .m3u and .pls playlists; see playlist.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "playlist.h"
#include "streamwatch/sanitize.h"
#include "sttext.h"

typedef struct {
  const char *p;
  size_t n;
} line_t;

/* The next line at *pos (LF or CRLF, blanks trimmed). 0 at the end. */
static int next_line(const char *t, size_t len, size_t *pos, line_t *l) {
  const char *nl;
  size_t end;

  if (*pos >= len)
    return 0;
  nl = memchr(t + *pos, '\n', len - *pos);
  end = nl ? (size_t)(nl - t) : len;
  l->p = t + *pos;
  l->n = end - *pos;
  *pos = end + 1;
  while (l->n && strchr(" \t\r", l->p[l->n - 1]))
    l->n--;
  while (l->n && (l->p[0] == ' ' || l->p[0] == '\t'))
    l->p++, l->n--;
  return 1;
}

/* Position after a UTF-8 byte order mark and blank lines. */
static size_t skip_start(const char *t, size_t len) {
  size_t pos = 0;

  if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  while (pos < len && strchr(" \t\r\n", t[pos]))
    pos++;
  return pos;
}

static int prefix_ci(line_t l, const char *p) {
  size_t n = strlen(p);
  return l.n >= n && strncasecmp(l.p, p, n) == 0;
}

/* True when l starts with "scheme://" (RFC 3986 section 3.1). */
static int absolute(line_t l) {
  size_t i = 0;

  while (i < l.n && (((l.p[i] | 0x20) >= 'a' && (l.p[i] | 0x20) <= 'z') ||
                     (i > 0 && strchr("0123456789+-.", l.p[i]))))
    i++;
  return i > 0 && l.n - i >= 3 && memcmp(l.p + i, "://", 3) == 0;
}

playlist_kind playlist_detect(const char *text, size_t len) {
  size_t pos;
  line_t l;
  int ext;

  if (!text || memchr(text, '\0', len))
    return PL_UNKNOWN;
  pos = skip_start(text, len);
  if (!next_line(text, len, &pos, &l))
    return PL_UNKNOWN;
  if (prefix_ci(l, "[playlist]"))
    return PL_PLS;
  ext = l.n == 7 && memcmp(l.p, "#EXTM3U", 7) == 0;
  do {
    if (ext && l.n >= 7 && memcmp(l.p, "#EXT-X-", 7) == 0)
      return PL_HLS;
    if (!ext && l.n && l.p[0] != '#')
      return absolute(l) ? PL_M3U : PL_UNKNOWN;
  } while (next_line(text, len, &pos, &l));
  return ext ? PL_M3U_EXT : PL_UNKNOWN;
}

static int set_url(playlist_entry *e, const char *base, line_t v, sw_err *err) {
  char buf[ST_URL_MAX + 1];

  if (v.n == 0 || v.n > ST_URL_MAX)
    return sw_fail(err, "empty or overlong playlist entry");
  memcpy(buf, v.p, v.n);
  buf[v.n] = '\0';
  free(e->url);
  return (e->url = st_resolve(base, buf, err)) ? 0 : -1;
}

/* m3u: the first line that is not blank or a comment (#EXTINF titles). */
static int parse_m3u(const char *t, size_t len, size_t pos, const char *base,
                     playlist_entry *e, sw_err *err) {
  line_t l, title = {NULL, 0};

  while (next_line(t, len, &pos, &l)) {
    if (l.n == 0)
      continue;
    if (l.p[0] == '#') {
      const char *comma = memchr(l.p, ',', l.n);
      if (prefix_ci(l, "#EXTINF:") && comma) {
        title.p = comma + 1;
        title.n = l.n - (size_t)(comma + 1 - l.p);
      }
      continue;
    }
    if (e->entries++ == 0) {
      if (set_url(e, base, l, err))
        return -1;
      if (title.p)
        sw_sanitize(e->title, sizeof e->title, title.p, title.n, 0);
    }
    title.p = NULL;
  }
  return e->entries ? 0 : sw_fail(err, "playlist without entries");
}

/* One "FileN=" or "TitleN=" key: N into *num. 1 matched, 0 other, -1 bad. */
static int pls_key(line_t l, const char *key, unsigned long *num, line_t *val) {
  size_t kl = strlen(key);
  const char *eq = memchr(l.p, '=', l.n);

  if (!eq || !prefix_ci(l, key))
    return 0;
  if (st_ulong_n(l.p + kl, (size_t)(eq - l.p) - kl, 1000000, num))
    return -1;
  val->p = eq + 1;
  val->n = l.n - (size_t)(eq + 1 - l.p);
  return 1;
}

/* PLS: the lowest FileN, and TitleN of the same N. */
static int parse_pls(const char *t, size_t len, size_t pos, const char *base,
                     playlist_entry *e, sw_err *err) {
  unsigned long best = (unsigned long)-1, num;
  line_t l, v, file = {NULL, 0}, title = {NULL, 0};
  int rc;

  next_line(t, len, &pos, &l); /* [playlist] */
  while (next_line(t, len, &pos, &l)) {
    if ((rc = pls_key(l, "File", &num, &v)) < 0)
      return sw_fail(err, "bad PLS key %.*s", (int)(l.n > 20 ? 20 : l.n), l.p);
    if (rc > 0 && (e->entries++, num < best)) {
      best = num;
      file = v;
    }
  }
  if (!file.p)
    return sw_fail(err, "PLS playlist without FileN entries");
  pos = skip_start(t, len);
  while (next_line(t, len, &pos, &l))
    if (pls_key(l, "Title", &num, &v) > 0 && num == best)
      title = v;
  if (title.p)
    sw_sanitize(e->title, sizeof e->title, title.p, title.n, 0);
  return set_url(e, base, file, err);
}

int playlist_parse(const char *text, size_t len, const char *base_url,
                   playlist_entry *out, sw_err *err) {
  int rc;

  if (!out)
    return sw_fail(err, "no output");
  memset(out, 0, sizeof *out);
  if (!text || len > PLAYLIST_MAX_BYTES)
    return sw_fail(err, "playlist missing or larger than %lu bytes",
                   PLAYLIST_MAX_BYTES);
  if (memchr(text, '\0', len))
    return sw_fail(err, "not a playlist: binary data");
  out->kind = playlist_detect(text, len);
  if (out->kind == PL_HLS)
    return sw_fail(err, "an HLS playlist, not a radio playlist");
  if (out->kind == PL_PLS)
    rc = parse_pls(text, len, skip_start(text, len), base_url, out, err);
  else
    rc = parse_m3u(text, len, skip_start(text, len), base_url, out, err);
  if (rc)
    playlist_free(out);
  else if (out->kind == PL_UNKNOWN)
    out->kind = PL_M3U;
  return rc;
}

void playlist_free(playlist_entry *e) {
  if (!e)
    return;
  free(e->url);
  memset(e, 0, sizeof *e);
}
