/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's ear (plugins/stream/audio_dec.c, audio_demux.c,
 * audio_level.c): byte 0 chooses the format (MP3, ADTS AAC, Ogg Vorbis,
 * Ogg Opus, MPEG-TS, fMP4), the rest is what a server sends, fed to the
 * decoder whole and, in a second decoder, in chunks of varying size (as
 * the HTTP callbacks do). The codec libraries are dlopen'ed and not
 * instrumented: the coverage is that of the demuxers and our framing.
 * Properties: levels are numbers within their bounds, whatever the
 * chunking; the same audio comes out of both feeds (samples, seconds,
 * peak, longest silence) where our code frames it (ADTS, Ogg pages,
 * fMP4 samples): libmpg123's feeder resyncs on broken MP3 differently
 * by chunk (MP3 and MPEG-TS, which may carry MP3, are not compared); the
 * errors are counted with a first one named. */
#include <dlfcn.h>
#include <math.h>

#include "audio.h"
#include "fuzz.h"

static const sf_format formats[] = {SF_MP3,      SF_AAC, SF_OGG_VORBIS,
                                    SF_OGG_OPUS, SF_TS,  SF_FMP4};

/* faad2 2.10 (Debian 12) leaks about 14 KB per decoder on some broken
 * ADTS streams: allocated inside NeAACDecDecode, not freed by
 * NeAACDecClose. The amount does not grow with the input (the same
 * stream repeated 200 times leaks the same), so a run's memory stays
 * bounded; it is the library's to fix. LeakSanitizer names it when the
 * library stays mapped (RTLD_NODELETE: audio_dec.c's dlclose then leaves
 * it), and this suppression names it; a leak of ours has no libfaad
 * frame and is still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
  return "leak:libfaad.so.2\n";
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  dlopen("libfaad.so.2", RTLD_NOW | RTLD_NODELETE);
  return 0;
}

/* What any decode must give: numbers within their bounds. */
static void check_levels(const sa_levels *lv) {
  if (!lv->samples)
    return;
  double rms = sa_levels_rms_db(lv), peak = sa_levels_peak_db(lv);
  FUZZ_ASSERT(isfinite(rms) && isfinite(peak));
  FUZZ_ASSERT(rms >= SA_FLOOR_DB && peak >= SA_FLOOR_DB && rms <= peak + 1e-6);
  FUZZ_ASSERT(lv->longest >= 0 && lv->longest <= lv->seconds + 1e-6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sa_decoder *whole, *chunked;
  sa_levels a, b;
  sw_err err;
  fuzz_chunker c;
  if (size < 1)
    return 0;
  sf_format f = formats[data[0] % (sizeof formats / sizeof *formats)];
  data++, size--;
  if (sa_open(&whole, f, &err) < 0)
    return 0; /* a codec library missing: nothing to fuzz */
  FUZZ_ASSERT(sa_open(&chunked, f, &err) == 0);
  sa_levels_init(&a, -60);
  sa_levels_init(&b, -60);
  sa_feed(whole, data, size, &a);
  fuzz_chunker_init(&c, data, size);
  for (size_t off = 0; off < size;) {
    size_t k = fuzz_chunk(&c, size - off);
    sa_feed(chunked, data + off, k, &b);
    off += k;
  }
  sa_levels_finish(&a);
  sa_levels_finish(&b);
  check_levels(&a);
  check_levels(&b);
  if (f != SF_MP3 && f != SF_TS) {
    FUZZ_ASSERT(a.samples == b.samples);
    FUZZ_ASSERT(a.peak == b.peak && a.longest == b.longest);
    FUZZ_ASSERT(fabs(a.seconds - b.seconds) < 1e-6);
  }
  FUZZ_ASSERT((sa_errors(whole) == 0) == (sa_error(whole)[0] == '\0'));
  FUZZ_ASSERT(fuzz_printable(sa_error(whole)) &&
              fuzz_printable(sa_deaf(whole)));
  sa_close(whole);
  sa_close(chunked);
  return 0;
}
