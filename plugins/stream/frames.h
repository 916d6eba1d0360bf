/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's "frames" measure: do the bytes really hold media, and do
 * its frames follow each other without losing sync?
 *
 * Pure functions over bytes: no I/O, no globals, no allocation. A
 * validator is a small caller-owned struct fed the stream in chunks of
 * any size (one byte at a time gives the same result as one big chunk),
 * so memory stays bounded however long the stream runs. The parsers
 * read headers only; frame payloads are skipped (Ogg pages are also
 * checksummed). Unit tests: tests/unit/test_frames.c.
 *
 * Formats and the specs they follow:
 *  - MP3 (MPEG-1/2/2.5 audio, Layers I-III): ISO/IEC 11172-3 section
 *    2.4.2.3 and ISO/IEC 13818-3 (lower sampling frequencies), with
 *    MPEG 2.5 as the common extension; ID3v2 tags (id3.org v2.4
 *    structure, section 3.1) and ID3v1 "TAG" trailers are skipped.
 *  - AAC in ADTS: ISO/IEC 13818-7 section 6.2 (adts_fixed_header,
 *    adts_variable_header); 1024 samples per raw data block.
 *  - Ogg: RFC 3533 section 6 (page header, lacing, CRC-32 with polynomial
 *    0x04C11DB7, no reflection, initial value 0, over the page with its
 *    CRC field zeroed); the codec from the first (BOS) page's payload:
 *    Vorbis I identification header ("\x01vorbis", Vorbis I spec section
 *    4.2.2) or Opus "OpusHead" (RFC 7845 section 5.1).
 *  - MPEG-TS: ISO/IEC 13818-1 section 2.4.3 (188-byte packets starting
 *    with sync byte 0x47; the 4-bit continuity_counter per PID, section
 *    2.4.3.3).
 *  - fMP4: ISO/IEC 14496-12 section 4.2 (top-level box walk: 32-bit size
 *    and type, size 1 = 64-bit largesize, size 0 = to the end).
 */
#ifndef STREAMWATCH_STREAM_FRAMES_H
#define STREAMWATCH_STREAM_FRAMES_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  SF_UNKNOWN,
  SF_MP3,
  SF_AAC,
  SF_OGG_VORBIS,
  SF_OGG_OPUS,
  SF_OGG, /* Ogg whose codec is neither Vorbis nor Opus (or not yet seen) */
  SF_TS,
  SF_FMP4
} sf_format;

/* Bytes of junk tolerated before the first frame of MP3, ADTS and
 * MPEG-TS (after any ID3v2 tags): Icecast relays and HTTP servers
 * sometimes start a response mid-frame. Ogg: SF_OGG_MAX_PAGE. */
enum { SF_MAX_JUNK = 4096 };

/* The largest Ogg page (RFC 3533 section 6: a 27-byte header, 255 lacing
 * values, 255 segments of 255 bytes): the junk tolerated before the
 * first page of an Ogg stream joined mid-page. */
enum { SF_OGG_MAX_PAGE = 27 + 255 + 255 * 255 };

/* "MP3", "AAC", "Ogg/Vorbis", "Ogg/Opus", "Ogg", "MPEG-TS", "fMP4" or
 * "unknown". Never NULL. This function can't fail. */
const char *sf_format_name(sf_format f);

/* Parses an --expect-format value: "mp3", "aac", "ogg", "vorbis", "opus",
 * "ts" or "fmp4" (any case). Returns 0 with *f set, or -1 (*f untouched)
 * on anything else. "ogg" gives SF_OGG, which sf_format_matches() accepts
 * for any Ogg codec. */
int sf_format_parse(const char *name, sf_format *f);

/* Says whether the format found (got) satisfies --expect-format (want):
 * equal formats match, and want SF_OGG matches any Ogg (SF_OGG,
 * SF_OGG_VORBIS, SF_OGG_OPUS). Returns 1 or 0. */
int sf_format_matches(sf_format want, sf_format got);

/* Guesses the format from the first n bytes of the body (give it what
 * arrived, ideally SF_MAX_JUNK bytes or more) and, when not NULL, the
 * Content-Type header value (parameters such as "; charset=" ignored).
 *
 * The bytes win over the Content-Type: a server that labels MP3 as
 * text/html still gives SF_MP3, and an HTML error page labelled
 * audio/mpeg gives SF_UNKNOWN with *not_media_reason "text/html".
 * MP3/ADTS are only recognised by a frame header followed by a second
 * one (or by one at byte 0 when the second is beyond n), after skipping
 * ID3v2 tags; bytes that are all ID3v2 tag give SF_MP3, or SF_AAC when
 * the Content-Type says AAC (HLS packed audio). A stream joined at any
 * byte is found by its frames: an Ogg page start anywhere in b, three
 * MPEG-TS packets in a row within the first 188 bytes.
 *
 * not_media_reason (may be NULL) is set to NULL, or, when the bytes are
 * clearly not media, to a static string naming what they are:
 * "text/html", "application/xml", "application/dash+xml",
 * "application/json", "application/vnd.apple.mpegurl" (an HLS "#EXTM3U"
 * playlist), "audio/x-mpegurl" (.m3u), "audio/x-scpls" (.pls) or
 * "text/plain"; the caller prints "not audio: text/html". Under an
 * audio/ or video/ Content-Type (other than a playlist's) the bytes are
 * called text only when they are valid UTF-8 text throughout (no control
 * byte but tab, CR, LF, form feed) and hold no frame: compressed media
 * joined at any offset is never text for long, whatever its first byte
 * ('{', '[', '<'). When the bytes say nothing (n == 0, or unrecognised
 * binary) the Content-Type decides: an audio/video type gives its
 * format, a text one its reason.
 * Returns SF_UNKNOWN when neither tells. This function can't fail. */
sf_format sf_sniff(const unsigned char *b, size_t n, const char *content_type,
                   const char **not_media_reason);

/* Where the first unit of format f that sf_sniff() would confirm starts
 * in b: for MP3/ADTS the header followed by a matching one (after any
 * ID3v2 tags, within SF_MAX_JUNK bytes), for Ogg a page's capture
 * pattern, for MPEG-TS three packets in a row. Returns n when there is
 * none (or for fMP4 and SF_UNKNOWN). This function can't fail. */
size_t sf_sync_at(const unsigned char *b, size_t n, sf_format f);

/* One validator. Fill it with sf_init(), feed it with sf_feed(), read the
 * public fields at any time. */
typedef struct {
  sf_format format;         /* refined from the stream for Ogg (BOS page) */
  unsigned long frames;     /* MP3/ADTS frames, Ogg pages, TS packets,
                               fMP4 top-level boxes (headers validated) */
  unsigned long bytes;      /* bytes fed so far */
  unsigned long errors;     /* sync losses, CRC mismatches, CC errors */
  long long first_error_at; /* stream offset of the first error, or -1 */
  char error[128];          /* the first error, "" when none */
  unsigned bitrate_kbps;    /* nominal: the frame headers' bitrate for CBR
                               MP3, Vorbis' nominal bitrate, else the average
                               of the frames so far (ADTS, VBR MP3, Opus);
                               0 when unknown (TS, fMP4) */
  unsigned sample_rate;     /* Hz, 0 unknown (Opus: always 48000) */
  unsigned channels;        /* 0 unknown */
  /* Duration of the media validated so far: MP3/ADTS samples per frame
   * over the rate; Ogg granule positions (RFC 7845 section 4, Vorbis I
   * section A.2); MPEG-TS the span of the PCRs (ISO/IEC 13818-1 section
   * 2.4.3.5) of the first PID carrying them; fMP4 0 (unknown). */
  double media_seconds;
  struct {
    unsigned long moof, mdat; /* fMP4: fragments and media data boxes */
  } fmp4;

  /* Private state: read only the fields above. */
  struct sf_priv {
    int phase, kind;            /* engine phase; what the unit is */
    int run, confirmed, synced; /* units in sync; sync trusted; ever */
    int junk_reported, replay_pending;
    unsigned char hdr[288]; /* the header being collected */
    size_t have, want;
    unsigned char rbuf[288]; /* bytes to scan again after a false sync */
    size_t rlen, roff;
    unsigned long long pos, skip, scan_from;
    const char *why;       /* detail of a broken header, or NULL */
    double u_sec, sum_sec; /* the last unit; all units */
    unsigned long long u_bytes, sum_bytes;
    unsigned u_kbps, kbps_first, nominal_kbps;
    int kbps_mixed, key_set;
    uint32_t key; /* MP3/ADTS fields that must not change */
    struct {
      uint32_t crc, want_crc, serial, track_serial;
      unsigned long long at;
      int64_t granule, prev;
      int bos, tracking, have_prev;
      unsigned char id[32];
      size_t idlen;
    } ogg;
    struct {
      struct {
        uint16_t pid;
        uint8_t cc, state; /* state: 0 unset, 1 set, 2 duplicate seen */
      } pids[32];
      unsigned npids;
      int pcr_pid; /* -1 until a PCR is seen */
      uint64_t pcr;
    } ts;
  } priv;
} sf_validator;

/* Prepares v to validate a stream of format f (from sf_sniff() or
 * --expect-format). Any Ogg format validates Ogg and refines v->format
 * from the BOS page. SF_UNKNOWN validates nothing: sf_feed() then only
 * counts bytes. This function can't fail. */
void sf_init(sf_validator *v, sf_format f);

/* sf_init(v, f), then sf_feed() of the first n bytes of the stream (the
 * sniffed sample), starting at sf_sync_at()'s confirmed sync when there
 * is one: the junk before it (a stream joined mid-frame) is skipped, so a
 * false sync in it whose frame length runs past the real frames cannot
 * cost the sync. Offsets in errors still count from b[0]. */
void sf_start(sf_validator *v, sf_format f, const unsigned char *b, size_t n);

/* Feeds the next n bytes of the stream (b may be NULL when n is 0).
 * Returns 0 while everything is in sync, -1 once an error was seen. The
 * first error stays in v->error and v->first_error_at, for example
 * "lost MPEG-TS sync at byte 37788", "MP3 frame header broken at byte
 * 4096", "Ogg page CRC mismatch at byte 8192", "MPEG-TS continuity error
 * on PID 256 at byte 1880", "no MP3 frame sync in the first 4096 bytes";
 * later calls keep counting (frames after a resync, v->errors).
 *
 * What is an error:
 *  - MP3/ADTS: junk before the first frame is skipped up to SF_MAX_JUNK
 *    bytes (a lone false sync there is silently dropped); after two
 *    frames in a row every frame must start exactly where the previous
 *    one ends with the same version, layer and sample rate (ADTS: same
 *    sample rate, profile and MPEG id), or the header is "broken" and
 *    the parser resyncs. ID3v2 tags between frames and an ID3v1 trailer
 *    are skipped.
 *  - Ogg: junk before the first page is skipped up to SF_OGG_MAX_PAGE
 *    bytes (a stream joined mid-page); a missing capture pattern, a
 *    version other than 0 or unknown header_type bits lose sync; a CRC
 *    mismatch is an error but keeps the page boundaries.
 *  - MPEG-TS: a packet not starting with 0x47 loses sync; per PID the
 *    continuity_counter must grow by one (mod 16) on each packet with
 *    payload, may repeat once (a duplicate packet), restarts freely after
 *    a discontinuity_indicator; PID 0x1FFF (null packets) is ignored; a
 *    transport_error_indicator is an error. The first 32 PIDs are
 *    tracked.
 *  - fMP4: a box smaller than its header or with a type that is not four
 *    printable characters; there is no resync after it.
 * Truncation at the end (the sample stopped mid-frame) is not an error. */
int sf_feed(sf_validator *v, const unsigned char *b, size_t n);

#endif
