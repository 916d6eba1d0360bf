/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The frame-sync validators (plugins/stream/frames*.c), one target per
 * format: fuzz.am builds this file five times with FUZZ_FORMAT set to
 * SF_MP3, SF_AAC (ADTS), SF_OGG, SF_TS or SF_FMP4. The input is the
 * stream, fed once whole and once in chunks of varying size (the sizes
 * drawn from the input's tail), as the plugin feeds what arrives; the
 * sniffer also reads its head.
 * Properties (frames.h): any chunking gives the same result as one
 * chunk; bytes are counted exactly; the first error is kept with its
 * offset inside the stream and is printable; numbers are finite. */
#include <math.h>

#include "frames.h"
#include "fuzz.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name the format (fuzz.am sets it)"
#endif

static void same(const sf_validator *a, const sf_validator *b) {
  FUZZ_ASSERT(a->format == b->format);
  FUZZ_ASSERT(a->frames == b->frames);
  FUZZ_ASSERT(a->bytes == b->bytes);
  FUZZ_ASSERT(a->errors == b->errors);
  FUZZ_ASSERT(a->first_error_at == b->first_error_at);
  FUZZ_ASSERT(strcmp(a->error, b->error) == 0);
  FUZZ_ASSERT(a->bitrate_kbps == b->bitrate_kbps);
  FUZZ_ASSERT(a->sample_rate == b->sample_rate);
  FUZZ_ASSERT(a->channels == b->channels);
  FUZZ_ASSERT(a->media_seconds == b->media_seconds);
  FUZZ_ASSERT(a->fmp4.moof == b->fmp4.moof && a->fmp4.mdat == b->fmp4.mdat);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  unsigned char *buf = (unsigned char *)fuzz_bytes(d, n);
  sf_validator *whole = malloc(sizeof *whole), *chunked = malloc(sizeof *whole);
  const char *why = NULL;
  fuzz_chunker c;
  size_t off = 0;
  int rc;

  if (!whole || !chunked)
    abort();
  (void)sf_sniff(buf, n < 8192 ? n : 8192, "audio/mpeg", &why);
  (void)sf_sniff(buf, n, NULL, &why);
  sf_init(whole, FUZZ_FORMAT);
  sf_init(chunked, FUZZ_FORMAT);
  rc = sf_feed(whole, buf, n);
  FUZZ_ASSERT(rc == 0 || rc == -1);
  FUZZ_ASSERT(rc == (whole->errors ? -1 : 0));
  fuzz_chunker_init(&c, d, n);
  while (off < n) {
    size_t k = fuzz_chunk(&c, n - off);
    sf_feed(chunked, buf + off, k);
    off += k;
  }
  FUZZ_ASSERT(sf_feed(chunked, NULL, 0) == rc);
  same(whole, chunked);
  FUZZ_ASSERT(whole->bytes == n);
  FUZZ_ASSERT(whole->errors == 0 ||
              (whole->first_error_at >= 0 &&
               (unsigned long long)whole->first_error_at <= n &&
               whole->error[0] != '\0'));
  FUZZ_ASSERT(whole->errors > 0 || whole->first_error_at == -1);
  FUZZ_ASSERT(fuzz_printable(whole->error));
  FUZZ_ASSERT(isfinite(whole->media_seconds) && whole->media_seconds >= 0);
  /* sf_start, as the plugin starts on its sniffed head: the sync it
   * skips to lies within the head, and every byte is still counted */
  size_t head = n < 8192 ? n : 8192;
  FUZZ_ASSERT(sf_sync_at(buf, head, FUZZ_FORMAT) <= head);
  sf_start(chunked, FUZZ_FORMAT, buf, head);
  sf_feed(chunked, buf + head, n - head);
  FUZZ_ASSERT(chunked->bytes == n);
  FUZZ_ASSERT(chunked->errors > 0 || chunked->first_error_at == -1);
  FUZZ_ASSERT(fuzz_printable(chunked->error));
  free(whole);
  free(chunked);
  free(buf);
  return 0;
}
