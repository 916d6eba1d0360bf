/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scripted HTTP server for the whole-plugin fuzz targets: the fuzz
 * input's responses are served to a plugin's requests in order, with no
 * network and a clock of its own (so a run is the same every time).
 * sw_http_resp is filled by lib/http_io.c's own libcurl callbacks (each
 * header line, then the body in chunks), and redirects go through
 * lib/http_redirect.c's hop rules (which hop gets credentials), so the
 * plugin sees what lib/http.c would give it.
 *
 * The targets link with -Wl,--wrap=sw_http_perform (and sw_now, time,
 * sw_http_session_url, nanosleep): every call the plugin's objects make
 * lands in __wrap_* here; the real lib/http.c stays linked and unused.
 *
 * Script: responses separated by FAKE_HTTP_SEP. Each one is
 *   "HTTP/1.1 503 Reason\r\nHeader: v\r\n\r\nbody"  a response (LF alone
 *                       ends lines too; no empty line: cut in the headers;
 *                       a 1xx before the final status line is skipped)
 *   "FAIL N [K]"         a transport failure with CURLcode N (28: timeout)
 *                       after K of the phases dns, connect, tls, ttfb,
 *                       transfer
 *   anything else        a 200 whose body it is, with no headers
 * A request past the script's end fails as "connection refused".
 * Pseudo-headers the plugin never sees: X-Fuzz-Time: SECONDS (this hop's
 * total time, default 0.05) and X-Fuzz-Cert-Days: DAYS (an https
 * certificate's expiry, default 90), X-Fuzz-Tls: 12|13 0|1 (the TLS
 * version and an OCSP staple) and X-Fuzz-Chain: DAYS SUBJECT (one
 * certificate of the chain, the leaf first, at most 4; the subject as
 * the server's bytes go through lib/http_tls.c). With req->follow, a 3xx's Location
 * is followed into the next response. */
#ifndef STREAMWATCH_FUZZ_FAKE_HTTP_H
#define STREAMWATCH_FUZZ_FAKE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "streamwatch/deadline.h"
#include "streamwatch/http.h"

#define FAKE_HTTP_SEP "\n%%%%\n"

typedef struct {
  const unsigned char *d; /* the script still to serve */
  size_t n;
  unsigned requests;
  double clock;   /* seconds, advanced by each response's time */
  char url[1024]; /* where the last request ended (a session's URL) */
} fake_http;

/* Serves script[0..n) (not copied; it must outlive fake_http_end) to
 * every request until fake_http_end. */
void fake_http_begin(fake_http *s, const unsigned char *script, size_t n);
void fake_http_end(fake_http *s);

/* One run of a plugin: its run function on cfg, with a deadline of
 * timeout seconds, script served to its requests and its stdout
 * captured into *out (malloc'd, *len bytes). Returns the run's state. */
int fake_http_run(int (*run)(void *, const sw_deadline *), void *cfg,
                  double timeout, const uint8_t *script, size_t n, char **out,
                  size_t *len);

#endif
