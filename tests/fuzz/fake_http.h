/* A scripted HTTP server for the whole-plugin fuzz targets: the fuzz
 * input's responses are served to a plugin's requests in order, filling
 * sw_http_resp as lib/http.c would, with no network and a clock of its
 * own (so a run is the same every time).
 *
 * The targets link with -Wl,--wrap=sw_http_perform (and sw_now,
 * sw_http_session_url, nanosleep): every call the plugin's objects make
 * lands in __wrap_* here, the real lib/http.c stays linked and unused.
 *
 * Script: responses separated by FAKE_HTTP_SEP. Each one is
 *   "HTTP/1.1 503 Reason\r\nHeader: v\r\n\r\nbody"  a response (LF alone
 *                       ends lines too; no empty line: cut in the headers)
 *   "FAIL N"             a transport failure with CURLcode N (28: timeout)
 *   anything else        a 200 whose body it is, with no headers
 * A request past the script's end fails as "connection refused".
 * Pseudo-headers the plugin never sees: X-Fuzz-Time: SECONDS (the total
 * time of this response, default 0.05) and X-Fuzz-Cert-Days: DAYS (an
 * https certificate's expiry, default 90). A 301/302/303/307/308 with a
 * Location is followed (when the request follows) into the next
 * response, as libcurl would, with the hop's origin change recorded. */
#ifndef STREAMWATCH_FUZZ_FAKE_HTTP_H
#define STREAMWATCH_FUZZ_FAKE_HTTP_H

#include <stddef.h>
#include <stdint.h>

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

#endif
