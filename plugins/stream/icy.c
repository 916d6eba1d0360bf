/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ICY in-band metadata and headers; see icy.h. */
#include <string.h>
#include <strings.h>

#include "icy.h"
#include "streamwatch/sanitize.h"
#include "sttext.h"

void icy_init(icy_state *s, unsigned long metaint) {
  memset(s, 0, sizeof *s);
  s->metaint = metaint;
  s->left = metaint;
}

/* The value of key='...' in a metadata block. Titles contain quotes
 * ("Guns N' Roses"), so the value ends at "';" or at the last quote. */
static int meta_value(const char *m, size_t n, const char *key, const char **v,
                      size_t *vlen) {
  size_t kl = strlen(key), i;

  for (i = 0; i + kl <= n; i++) {
    const char *end, *q;
    if ((i > 0 && m[i - 1] != ';') || memcmp(m + i, key, kl) != 0)
      continue;
    *v = m + i + kl;
    for (end = NULL, q = *v; q < m + n; q++)
      if (*q == '\'' && (q + 1 == m + n || q[1] == ';')) {
        end = q;
        break;
      }
    if (!end)
      for (q = m + n; q > *v; q--)
        if (q[-1] == '\'') {
          end = q - 1;
          break;
        }
    *vlen = end ? (size_t)(end - *v) : (size_t)(m + n - *v);
    return 1;
  }
  return 0;
}

/* A complete metadata block: the NUL padding dropped, StreamTitle kept. */
static void meta_done(icy_state *s) {
  const char *m = (const char *)s->meta, *v;
  size_t n = s->meta_len, vlen;

  while (n > 0 && m[n - 1] == '\0')
    n--;
  s->blocks++;
  if (meta_value(m, n, "StreamTitle='", &v, &vlen)) {
    sw_text_safe(s->title, sizeof s->title, v, vlen, ICY_TITLE_MAX, s->secrets);
    s->has_title = 1;
  }
}

/* Consumes metadata bytes from in; returns how many. */
static size_t meta_bytes(icy_state *s, const unsigned char *in, size_t n) {
  size_t take = s->meta_len - s->meta_got;

  if (take > n)
    take = n;
  memcpy(s->meta + s->meta_got, in, take);
  s->meta_got += take;
  if (s->meta_got == s->meta_len) {
    meta_done(s);
    s->phase = ICY_MEDIA;
    s->left = s->metaint;
  }
  return take;
}

size_t icy_feed(icy_state *s, const unsigned char *in, size_t n,
                unsigned char *media_out) {
  size_t i = 0, out = 0, take;

  if (s->metaint == 0) {
    memmove(media_out, in, n);
    s->media_bytes += n;
    return n;
  }
  while (i < n) {
    if (s->phase == ICY_MEDIA) {
      take = n - i < s->left ? n - i : s->left;
      memmove(media_out + out, in + i, take);
      out += take;
      i += take;
      s->left -= take;
      if (s->left == 0)
        s->phase = ICY_LENGTH;
    } else if (s->phase == ICY_LENGTH) {
      s->meta_len = 16 * (size_t)in[i++];
      s->meta_got = 0;
      s->intervals++;
      s->phase = s->meta_len ? ICY_META : ICY_MEDIA;
      s->left = s->metaint;
    } else {
      i += meta_bytes(s, in + i, n - i);
    }
  }
  s->media_bytes += out;
  return out;
}

void icy_headers_init(icy_headers *h) {
  memset(h, 0, sizeof *h);
}

/* icy-br: digits, or the first of "128,128". */
static int header_br(icy_headers *h, const char *v, size_t n, sw_err *err) {
  const char *comma = memchr(v, ',', n);

  if (comma)
    n = (size_t)(comma - v);
  if (st_ulong_n(v, n, 100000, &h->br))
    return sw_fail(err, "bad icy-br");
  return 1;
}

static int header_metaint(icy_headers *h, const char *v, size_t n,
                          sw_err *err) {
  if (st_ulong_n(v, n, ICY_METAINT_MAX, &h->metaint) || h->metaint == 0)
    return sw_fail(err, "bad icy-metaint (1..%lu)", ICY_METAINT_MAX);
  h->has_metaint = 1;
  return 1;
}

int icy_header_line(icy_headers *h, const char *line, size_t len, sw_err *err) {
  const char *colon = line ? memchr(line, ':', len) : NULL;
  const char *v;
  size_t nl, n;

  if (!h || !colon)
    return 0;
  nl = (size_t)(colon - line);
  v = colon + 1;
  n = len - nl - 1;
  while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' ||
                   v[n - 1] == '\t'))
    n--;
  while (n > 0 && (*v == ' ' || *v == '\t'))
    v++, n--;
#define ICY_IS(name) (nl == sizeof name - 1 && strncasecmp(line, name, nl) == 0)
  if (ICY_IS("icy-br"))
    return header_br(h, v, n, err);
  if (ICY_IS("icy-metaint"))
    return header_metaint(h, v, n, err);
  if (ICY_IS("icy-name"))
    sw_text_safe(h->name, sizeof h->name, v, n, 0, h->secrets);
  else if (ICY_IS("icy-genre"))
    sw_text_safe(h->genre, sizeof h->genre, v, n, 0, h->secrets);
  else if (ICY_IS("icy-description"))
    sw_text_safe(h->description, sizeof h->description, v, n, 0, h->secrets);
  else if (ICY_IS("icy-url"))
    sw_text_safe(h->url, sizeof h->url, v, n, 0, h->secrets);
  else
    return 0;
#undef ICY_IS
  return 1;
}
