/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ICY (SHOUTcast/Icecast) streams: the response headers and the in-band
 * metadata that interrupts the media every icy-metaint bytes. Pure
 * functions over bytes; no I/O.
 *
 * The protocol (SHOUTcast 1 / Icecast, never standardised): when the
 * client sent "Icy-MetaData: 1" and the server answered "icy-metaint: N",
 * the body is N media bytes, one length byte L, 16*L bytes of metadata
 * ("StreamTitle='...';StreamUrl='...';" padded with NULs), N media bytes,
 * and so on. L = 0 means no metadata this time. */
#ifndef STREAMWATCH_STREAM_ICY_H
#define STREAMWATCH_STREAM_ICY_H

#include <stddef.h>

#include "streamwatch/state.h"

/* Characters of StreamTitle kept (after sanitising). */
#define ICY_TITLE_MAX 200
/* Largest icy-metaint believed (servers use 8192..65536). */
#define ICY_METAINT_MAX (1UL << 20)

/* Where the de-framer is: in media, at the length byte, in metadata. */
typedef enum { ICY_MEDIA = 0, ICY_LENGTH, ICY_META } icy_phase;

/* Incremental de-framer state; plain data, no allocation, no cleanup.
 * Initialise with icy_init(). */
typedef struct {
  unsigned long metaint; /* 0: no metadata in the stream */
  icy_phase phase;
  unsigned long left;             /* media bytes until the length byte */
  size_t meta_len, meta_got;      /* the current metadata block */
  unsigned char meta[16 * 255];   /* ... its bytes */
  unsigned long long media_bytes; /* media bytes passed through */
  unsigned long intervals;        /* length bytes seen (L = 0 included) */
  unsigned long blocks;           /* metadata blocks with L > 0 completed */
  int has_title;                  /* a StreamTitle was seen */
  char title[ICY_TITLE_MAX + 4];  /* the last one, sanitised, capped */
  const char *const *secrets;     /* masked in the title (sw_text_safe);
                                     set after icy_init, may be NULL */
} icy_state;

/* Starts de-framing a body whose headers said icy-metaint: metaint (0 for
 * none: every byte is media). metaint above ICY_METAINT_MAX is the
 * caller's to refuse (icy_header_line() does). */
void icy_init(icy_state *s, unsigned long metaint);

/* Feeds n body bytes; writes the media bytes among them to media_out
 * (room for n; it may be in itself: bytes only move towards the start)
 * and returns how many. Metadata blocks are consumed, StreamTitle kept.
 * Any chunking gives the same result as feeding the body whole. */
size_t icy_feed(icy_state *s, const unsigned char *in, size_t n,
                unsigned char *media_out);

/* What the ICY response headers said. Strings are sanitised (safe to
 * print) and capped; "" when absent. */
typedef struct {
  unsigned long br;      /* icy-br, kbit/s, 0 when absent */
  unsigned long metaint; /* icy-metaint, 0 when absent */
  int has_metaint;
  char name[128];             /* icy-name */
  char genre[128];            /* icy-genre */
  char description[256];      /* icy-description */
  char url[256];              /* icy-url */
  const char *const *secrets; /* masked in the strings above (a server may
                                 echo a token); set after icy_headers_init */
} icy_headers;

void icy_headers_init(icy_headers *h);

/* Reads one header line "Name: value" (CRLF optional, need not be
 * NUL-terminated; names case-insensitive, RFC 9110 section 5.1). Returns
 * 1 when it was an icy-* header used here, 0 for any other line, -1 with
 * err filled when icy-br or icy-metaint is malformed or icy-metaint is 0
 * or above ICY_METAINT_MAX. icy-br "128,128" (seen from some servers)
 * counts as 128. */
int icy_header_line(icy_headers *h, const char *line, size_t len, sw_err *err);

#endif
