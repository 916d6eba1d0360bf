/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole files and secrets, read with bounds and clear errors. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"

/* Bytes of a secret that are a leak on their own: a piece this long of
 * any secret (or of any of its encoded forms) is masked wherever it
 * stands, so a secret a library or a URL parser cut short (libxml2
 * quotes a tag name up to a '/', a host name ends at one) shows no more
 * than SW_SECRET_PIECE - 1 of its bytes. The whole-plugin fuzz oracle
 * calls 8 characters a leak. */
#define SW_SECRET_PIECE 8

/* The secrets' 4-byte runs at offsets 0, 4, 8...: a piece of 8 or more
 * bytes of a secret holds one of them whole, so a piece is found from a
 * hit on a run, by extending it both ways. Chained in a hash table. */
typedef struct {
  const char *const *secrets;
  uint32_t *key, *sec, *off, *next, *head;
  uint32_t n, mask;
} runs;

static uint32_t fold4(const char *p) {
  return (uint32_t)tolower((unsigned char)p[0]) << 24 |
         (uint32_t)tolower((unsigned char)p[1]) << 16 |
         (uint32_t)tolower((unsigned char)p[2]) << 8 |
         (uint32_t)tolower((unsigned char)p[3]);
}

static uint32_t slot(const runs *r, uint32_t key) {
  return (key * 2654435761u) >> 7 & r->mask;
}

static void runs_free(runs *r) {
  free(r->key);
  free(r->sec);
  free(r->off);
  free(r->next);
  free(r->head);
}

/* Indexes the runs of every secret of SW_SECRET_PIECE bytes or more.
 * Returns 0, or -1 when out of memory. */
static int runs_build(runs *r, const char *const *secrets) {
  size_t total = 0, h = 64;
  memset(r, 0, sizeof *r);
  r->secrets = secrets;
  for (size_t i = 0; secrets[i]; i++)
    if (strlen(secrets[i]) >= SW_SECRET_PIECE)
      total += strlen(secrets[i]) / 4;
  while (h < total)
    h *= 2;
  if (total > UINT32_MAX / 2)
    return -1;
  r->key = malloc((total + 1) * sizeof *r->key);
  r->sec = malloc((total + 1) * sizeof *r->sec);
  r->off = malloc((total + 1) * sizeof *r->off);
  r->next = malloc((total + 1) * sizeof *r->next);
  r->head = malloc(h * sizeof *r->head);
  if (!r->key || !r->sec || !r->off || !r->next || !r->head)
    return -1;
  memset(r->head, 0xff, h * sizeof *r->head);
  r->mask = (uint32_t)(h - 1);
  for (size_t i = 0; secrets[i]; i++) {
    size_t sl = strlen(secrets[i]);
    for (size_t q = 0; sl >= SW_SECRET_PIECE && q + 4 <= sl; q += 4) {
      uint32_t k = fold4(secrets[i] + q), e = r->n++, at = slot(r, k);
      r->key[e] = k, r->sec[e] = (uint32_t)i, r->off[e] = (uint32_t)q;
      r->next[e] = r->head[at];
      r->head[at] = e;
    }
  }
  return 0;
}

static bool same(char a, char b) {
  return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* Marks in hit[] every piece of SW_SECRET_PIECE bytes or more of a long
 * secret in buf[0..len): each run found at p is extended both ways to
 * the whole piece, and the scan goes on from near the piece's end (a
 * piece of another alignment running past it is found again there).
 * At most 256 runs of one key are tried at a position: a secret that
 * repeats one 4-byte run more often is the user's own odd choice. */
static void mark_pieces(const runs *r, const char *buf, size_t len,
                        unsigned char *hit) {
  for (size_t p = 0; p + 4 <= len;) {
    uint32_t k = fold4(buf + p);
    size_t far = 0;
    unsigned tries = 0;
    for (uint32_t e = r->head[slot(r, k)]; e != UINT32_MAX && tries < 256;
         e = r->next[e]) {
      if (r->key[e] != k)
        continue;
      tries++;
      const char *s = r->secrets[r->sec[e]];
      size_t sl = strlen(s), a = p, qa = r->off[e], b = p + 4,
             qb = r->off[e] + 4;
      while (a > 0 && qa > 0 && same(buf[a - 1], s[qa - 1]))
        a--, qa--;
      while (b < len && qb < sl && same(buf[b], s[qb]))
        b++, qb++;
      if (b - a >= SW_SECRET_PIECE) {
        memset(hit + a, 1, b - a);
        far = b > far ? b : far;
      }
    }
    p = far > p + SW_SECRET_PIECE ? far - (SW_SECRET_PIECE - 1) : p + 1;
  }
}

/* Marks every whole occurrence of a short secret s (ASCII case ignored). */
static void mark_whole(const char *buf, size_t len, const char *s, size_t sl,
                       unsigned char *hit) {
  for (size_t at = 0; sl <= len && at <= len - sl; at++)
    if (strncasecmp(buf + at, s, sl) == 0)
      memset(hit + at, 1, sl);
}

/* Case is ignored: a URL parser lower-cases a host name, so a secret a
 * server put into one comes back in another case (fuzz_api_plugin). A
 * secret shorter than SW_SECRET_PIECE is masked where it stands whole;
 * a longer one wherever SW_SECRET_PIECE or more of its bytes stand. */
void sw_secret_mask_n(char *buf, size_t len, const char *const *secrets) {
  runs r;
  if (!secrets || len == 0)
    return;
  unsigned char *hit = calloc(len, 1);
  if (!hit || runs_build(&r, secrets) < 0) {
    if (hit)
      runs_free(&r);
    free(hit);
    memset(buf, '*', len); /* out of memory: nothing shows */
    return;
  }
  for (size_t i = 0; secrets[i]; i++) {
    size_t sl = strlen(secrets[i]);
    if (sl > 0 && sl < SW_SECRET_PIECE)
      mark_whole(buf, len, secrets[i], sl, hit);
  }
  mark_pieces(&r, buf, len, hit);
  for (size_t i = 0; i < len; i++)
    if (hit[i])
      buf[i] = '*';
  runs_free(&r);
  free(hit);
}

void sw_secret_mask(char *buf, const char *const *secrets) {
  sw_secret_mask_n(buf, strlen(buf), secrets);
}

char *sw_base64(const char *s, size_t n) {
  static const char abc[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *u = (const unsigned char *)s;
  char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i += 3) {
    unsigned long v = (unsigned long)u[i] << 16;
    if (i + 1 < n)
      v |= (unsigned long)u[i + 1] << 8;
    if (i + 2 < n)
      v |= u[i + 2];
    *o++ = abc[v >> 18 & 63];
    *o++ = abc[v >> 12 & 63];
    *o++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
    *o++ = i + 2 < n ? abc[v & 63] : '=';
  }
  *o = '\0';
  return out;
}

void sw_secret_free(char *secret) {
  if (!secret)
    return;
  /* volatile keeps the compiler from dropping the wipe before free */
  volatile char *p = secret;
  while (*p)
    *p++ = '\0';
  free(secret);
}

/* A header name (the bytes before ':') that says its value is a
 * credential: the standard ones, and the words vendors' API headers use
 * (X-Api-Key, X-Auth-Token, Private-Token, X-Client-Secret...). */
static bool credential_name(const char *name, size_t len) {
  static const char *const exact[] = {"authorization", "proxy-authorization",
                                      "cookie", "set-cookie"};
  static const char *const words[] = {"token", "key",     "secret",
                                      "passw", "session", "x-auth"};
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
    if (len == strlen(exact[i]) && strncasecmp(name, exact[i], len) == 0)
      return true;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    for (size_t wl = strlen(words[i]), at = 0; at + wl <= len; at++)
      if (strncasecmp(name + at, words[i], wl) == 0)
        return true;
  return false;
}

size_t sw_secret_header(const char *line, size_t len) {
  size_t name = 0;
  while (name < len && line[name] != ':') {
    /* a header name is one token: no blank, no control, no separator */
    if ((unsigned char)line[name] <= ' ' ||
        strchr("\"(),/;<=>?@[]{}\x7f", line[name]))
      return 0;
    name++;
  }
  if (name == 0 || name == len || !credential_name(line, name))
    return 0;
  size_t v = name + 1;
  while (v < len && (line[v] == ' ' || line[v] == '\t'))
    v++;
  return v;
}

/* Adds a copy of the n bytes at s (none when n is 0, nor when the list
 * holds it already). */
static int masks_addn(sw_strvec *masks, const char *s, size_t n) {
  for (size_t i = 0; i < masks->n; i++)
    if (strlen(masks->v[i]) == n && memcmp(masks->v[i], s, n) == 0)
      return 0;
  return n == 0 ? 0 : sw_strvec_addn(masks, s, n);
}

/* Adds the text an encoder built (NULL: out of memory), then wipes it. */
static int masks_take(sw_strvec *masks, sw_buf *b) {
  int rc = b->nomem ? -1 : masks_addn(masks, sw_buf_str(b), b->len);
  if (b->p)
    memset(b->p, 0, b->len);
  sw_buf_free(b);
  return rc;
}

/* RFC 3986 2.3: the unreserved characters are never percent-encoded. */
static bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

/* How much of a text a percent-encoding encodes: everything but the
 * unreserved characters (RFC 3986 2.1), the same with a space as '+'
 * (application/x-www-form-urlencoded), or only what a URL parser encodes
 * when it normalises a URL (libcurl: blanks, controls, bytes >= 0x7F), so
 * a secret inside a URL a server made up is still found. */
typedef enum { PCT_ALL, PCT_FORM, PCT_URL } pct_mode;

static bool pct_keeps(unsigned char c, pct_mode mode) {
  return mode == PCT_URL ? c > 0x20 && c < 0x7F : unreserved(c);
}

/* The percent-encoded form of s, with upper or lower case hex. */
static int add_percent(sw_strvec *masks, const char *s, bool upper,
                       pct_mode mode) {
  sw_buf b;
  sw_buf_init(&b, strlen(s) * 3 + 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (pct_keeps(*p, mode))
      sw_buf_add(&b, (const char *)p, 1);
    else if (mode == PCT_FORM && *p == ' ')
      sw_buf_add(&b, "+", 1);
    else
      sw_buf_addf(&b, upper ? "%%%02X" : "%%%02x", *p);
  }
  return masks_take(masks, &b);
}

/* A text as a URL parser leaves it, in both hex cases. */
static int add_url_forms(sw_strvec *masks, const char *s) {
  return add_percent(masks, s, false, PCT_URL) < 0 ||
                 add_percent(masks, s, true, PCT_URL) < 0
             ? -1
             : 0;
}

/* The JSON string form (RFC 8259 7) with '/' escaped as json-c writes it
 * ("\/") or not; control characters as \u00xx. A server may put that
 * form into a URL too (a form action), so its URL forms are added. */
static int add_json(sw_strvec *masks, const char *s, bool slash) {
  sw_buf b;
  sw_buf_init(&b, strlen(s) * 6 + 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\' || (slash && *p == '/'))
      sw_buf_addf(&b, "\\%c", *p);
    else if (*p < 0x20)
      sw_buf_addf(&b, "\\u%04x", *p);
    else
      sw_buf_add(&b, (const char *)p, 1);
  }
  if (b.nomem || add_url_forms(masks, sw_buf_str(&b)) < 0) {
    masks_take(masks, &b);
    return -1;
  }
  return masks_take(masks, &b);
}

/* Adds b64[from, to) and its URL-safe variant (RFC 4648 5, as in JWTs). */
static int add_b64_span(sw_strvec *masks, char *b64, size_t from, size_t to) {
  if (masks_addn(masks, b64 + from, to - from) < 0)
    return -1;
  for (size_t i = from; i < to; i++)
    b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
  return masks_addn(masks, b64 + from, to - from);
}

/* Shortest base64 run masked on its own: a shorter one would blank the
 * plugin's own text by chance. */
#define B64_CORE_MIN 4

/* The base64 form without its padding, and the secret's base64 inside a
 * longer text at each of the three byte alignments it can have there
 * (HTTP Basic's "id:secret", a JWT): for alignment k the text is encoded
 * after k filler bytes, and only the characters made of the secret's
 * bits alone are kept, so a server that echoes the credential with its
 * first characters changed still shows none of the secret. */
static int add_base64(sw_strvec *masks, const char *s) {
  size_t n = strlen(s);
  char *b64 = sw_base64(s, n);
  if (!b64)
    return -1;
  int rc = add_b64_span(masks, b64, 0, strcspn(b64, "="));
  sw_secret_free(b64);
  for (size_t k = 0; k < 3 && rc == 0; k++) {
    char *t = malloc(n + k + 1);
    if (!t)
      return -1;
    memset(t, 'x', k); /* filler: its characters are dropped */
    memcpy(t + k, s, n + 1);
    b64 = sw_base64(t, n + k);
    sw_secret_free(t);
    if (!b64)
      return -1;
    size_t from = (k * 8 + 5) / 6, to = (n + k) * 8 / 6;
    if (to >= from + B64_CORE_MIN)
      rc = add_b64_span(masks, b64, from, to);
    sw_secret_free(b64);
  }
  return rc;
}

int sw_masks_add(sw_strvec *masks, const char *s) {
  if (!s || !*s)
    return 0;
  if (masks_addn(masks, s, strlen(s)) < 0 ||
      add_percent(masks, s, true, PCT_ALL) < 0 ||
      add_percent(masks, s, false, PCT_ALL) < 0 ||
      add_percent(masks, s, true, PCT_FORM) < 0 ||
      add_url_forms(masks, s) < 0 || add_json(masks, s, true) < 0 ||
      add_json(masks, s, false) < 0 || add_base64(masks, s) < 0)
    return -1;
  return 0;
}

int sw_masks_http(sw_strvec *masks, const char *bearer,
                  const sw_strvec *headers) {
  if (sw_masks_add(masks, bearer) < 0)
    return -1;
  for (size_t i = 0; headers && i < headers->n; i++) {
    const char *h = headers->v[i];
    size_t len = strlen(h), v = sw_secret_header(h, len);
    if (v == 0)
      continue;
    /* "Bearer abc": the value, and the credential without its scheme */
    const char *cred = h + v + strcspn(h + v, " \t");
    cred += strspn(cred, " \t");
    char *value = strndup(h + v, len - v);
    int rc = value ? sw_masks_add(masks, value) : -1;
    sw_secret_free(value);
    if (rc < 0 || sw_masks_add(masks, cred) < 0)
      return -1;
  }
  return 0;
}

void sw_masks_free(sw_strvec *masks) {
  for (size_t i = 0; i < masks->n; i++) {
    volatile char *p = masks->v[i];
    while (*p)
      *p++ = '\0';
  }
  sw_strvec_free(masks);
}
