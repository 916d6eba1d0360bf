/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DASH MPDs (plugins/stream/mpd.c, mpd_seg.c over libxml2): the input is
 * an MPD as a server sends it, parsed against its URL; then the plugin's
 * choice of Representation and the segment list of every one of them
 * (static: the first 5; dynamic: the last 5 at a fixed "now").
 * Properties: the bounds in mpd.h hold; every Representation belongs
 * to an AdaptationSet and has printable strings; segment lists are
 * within what was asked, with URLs and finite, non-negative durations.
 * No input may make libxml2 load anything (an external DTD, a SYSTEM
 * entity, an XInclude): the target installs an external entity loader
 * that aborts, so any attempt is a crash. */
#include <libxml/parserInternals.h>
#include <math.h>

#include "fuzz.h"
#include "mpd.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static xmlParserInputPtr no_loading(const char *url, const char *id,
                                    xmlParserCtxtPtr ctx) {
  (void)ctx;
  fprintf(stderr, "fuzz: libxml2 tried to load %s (%s)\n", url ? url : "(null)",
          id ? id : "(null)");
  abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  xmlSetExternalEntityLoader(no_loading);
  return 0;
}

/* 2026-11-26T12:00:00Z: a fixed "now" keeps every input reproducible. */
#define FUZZ_NOW 1795694400.0

static void check_segments(const mpd *m, size_t rep) {
  mpd_seglist l;
  sw_err err = {""};

  if (mpd_segments(m, rep, 5, FUZZ_NOW, &l, &err) != 0) {
    FUZZ_ASSERT(err.msg[0] != '\0');
    return;
  }
  FUZZ_ASSERT(l.n <= 5);
  for (size_t i = 0; i < l.n; i++) {
    FUZZ_ASSERT(l.segs[i].url != NULL);
    FUZZ_ASSERT(isfinite(l.segs[i].duration) && l.segs[i].duration >= 0);
    FUZZ_ASSERT(isfinite(l.segs[i].start));
  }
  mpd_seglist_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *text = fuzz_bytes(d, n);
  mpd m;
  sw_err err = {""};

  if (mpd_parse(text, n, "http://127.0.0.1:8080/dash/live.mpd", &m, &err) !=
      0) {
    FUZZ_ASSERT(err.msg[0] != '\0' && fuzz_printable(err.msg));
    free(text);
    return 0;
  }
  FUZZ_ASSERT(m.n_reps >= 1 && m.n_reps <= MPD_MAX_REPS);
  for (size_t i = 0; i < m.n_reps; i++) {
    FUZZ_ASSERT(m.reps[i].adaptation < m.n_adaptations);
    FUZZ_ASSERT(fuzz_printable(m.reps[i].mime_type));
    FUZZ_ASSERT(fuzz_printable(m.reps[i].codecs));
  }
  long lo = mpd_pick(&m, "lowest"), hi = mpd_pick(&m, "highest");
  FUZZ_ASSERT(lo >= 0 && lo < (long)m.n_reps && hi >= 0 && hi < (long)m.n_reps);
  FUZZ_ASSERT(mpd_pick(&m, "fast") == -1);
  for (size_t i = 0; i < m.n_reps && i < 8; i++)
    check_segments(&m, i);
  mpd_free(&m);
  free(text);
  return 0;
}
