/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The final response's header lines, kept within fixed bounds for the
 * plugins that judge them (check_api --expect-header, --header-absent,
 * --max-age): a server sends as many lines as it likes, this keeps at
 * most SW_HTTP_HEADERS_MAX bytes and SW_HTTP_HEADERS_LINES lines. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "http_hop.h"

void sw_http_keep_header(sw_http_resp *r, const char *line, size_t n) {
  if (n > 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new response */
    r->headers_len = r->headers_n = 0;
    r->headers_cut = false;
    return;
  }
  while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
    n--;
  /* the end of the block, and obsolete line folding (RFC 9112 5.2):
   * a continuation is not a header of its own */
  if (n == 0 || line[0] == ' ' || line[0] == '\t')
    return;
  if (r->headers_n == SW_HTTP_HEADERS_LINES ||
      r->headers_len + n + 1 > SW_HTTP_HEADERS_MAX) {
    r->headers_cut = true;
    return;
  }
  if (!r->headers && !(r->headers = malloc(SW_HTTP_HEADERS_MAX))) {
    r->headers_cut = true;
    return;
  }
  memcpy(r->headers + r->headers_len, line, n);
  r->headers[r->headers_len + n] = '\0';
  r->headers_len += n + 1;
  r->headers_n++;
}

const char *sw_http_header(const sw_http_resp *resp, const char *name, size_t n,
                           size_t *len) {
  size_t nl = strlen(name);
  for (size_t off = 0; resp->headers && off < resp->headers_len;) {
    const char *line = resp->headers + off;
    size_t ll = strlen(line);
    off += ll + 1;
    if (ll <= nl || line[nl] != ':' || strncasecmp(line, name, nl) != 0 ||
        n-- > 0)
      continue;
    const char *v = line + nl + 1;
    size_t vl = ll - nl - 1;
    while (vl && (*v == ' ' || *v == '\t'))
      v++, vl--;
    while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
      vl--;
    *len = vl;
    return v;
  }
  return NULL;
}

int sw_http_date(const char *value, size_t len, long long *t) {
  char text[64];
  if (len == 0 || len >= sizeof text)
    return -1;
  memcpy(text, value, len);
  text[len] = '\0';
  time_t when = curl_getdate(text, NULL);
  if (when == -1)
    return -1;
  *t = (long long)when;
  return 0;
}
