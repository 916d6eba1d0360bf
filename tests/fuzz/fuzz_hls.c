/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HLS playlists (plugins/stream/hls.c): the input is an m3u8 file as a
 * server sends it, parsed against a base URL, then every question the
 * plugin asks of it (variant choice, segment maps).
 * Properties: the bounds in hls.h hold; every URI is present; strings
 * taken from the playlist are printable; durations are finite and not
 * negative; a refusal says why. */
#include <math.h>

#include "fuzz.h"
#include "hls.h"

static void check_media(const hls_playlist *pl) {
  FUZZ_ASSERT(pl->n_segments <= HLS_MAX_SEGMENTS);
  FUZZ_ASSERT(isfinite(pl->total_duration) && pl->total_duration >= 0);
  for (size_t i = 0; i < pl->n_segments; i++) {
    const hls_segment *s = &pl->segments[i];
    FUZZ_ASSERT(s->uri != NULL);
    FUZZ_ASSERT(isfinite(s->duration) && s->duration >= 0);
    FUZZ_ASSERT(s->map >= -1 && (s->map < 0 || (size_t)s->map < pl->n_maps));
    const char *map = hls_segment_map(pl, i);
    FUZZ_ASSERT((map == NULL) == (s->map < 0));
  }
  for (size_t i = 0; i < pl->n_maps; i++)
    FUZZ_ASSERT(pl->maps[i] != NULL);
  FUZZ_ASSERT(fuzz_printable(pl->key_method));
}

static void check_master(const hls_playlist *pl) {
  static const char *const how[] = {"lowest", "highest", "800000", "0", "x"};
  FUZZ_ASSERT(pl->n_variants >= 1 && pl->n_variants <= HLS_MAX_VARIANTS);
  for (size_t i = 0; i < pl->n_variants; i++) {
    FUZZ_ASSERT(pl->variants[i].uri != NULL);
    FUZZ_ASSERT(fuzz_printable(pl->variants[i].codecs));
  }
  for (size_t k = 0; k < sizeof how / sizeof *how; k++) {
    long v = hls_pick_variant(pl, how[k]);
    FUZZ_ASSERT(v >= -1 && v < (long)pl->n_variants);
    FUZZ_ASSERT(k == 4 ? v == -1 : v >= 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *text = fuzz_bytes(d, n);
  hls_playlist pl;
  sw_err err = {""};

  if (hls_parse(text, n, "http://127.0.0.1:8080/live/stream.m3u8", &pl, &err) ==
      0) {
    FUZZ_ASSERT(pl.kind == HLS_MASTER || pl.kind == HLS_MEDIA);
    if (pl.kind == HLS_MASTER)
      check_master(&pl);
    else
      check_media(&pl);
    hls_free(&pl);
  } else {
    FUZZ_ASSERT(err.msg[0] != '\0');
  }
  free(text);
  return 0;
}
