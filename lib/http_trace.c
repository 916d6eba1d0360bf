/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The -vv/-vvv trace of HTTP plugins: libcurl's debug output line by line,
 * with credentials masked and every line sanitised. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/http.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"

/* One trace line: a credential header as "Name: ****"; any other line
 * masked, then sanitised, then cut at 1000 characters (in that order: a
 * cut never shows part of a secret). */
static void emit(const sw_http_req *req, const char *prefix, const char *line,
                 size_t len) {
  char safe[4100], out[4200];
  sw_buf b;
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  if (len == 0)
    return;
  size_t name = sw_secret_header(line, len)
                    ? (size_t)((const char *)memchr(line, ':', len) - line)
                    : 0;
  sw_text_safe(safe, sizeof safe, line, name ? name : len, 1000, req->secrets);
  sw_buf_fixed(&b, out, sizeof out);
  sw_buf_addf(&b, "%s%s%s", prefix, safe, name ? ": ****" : "");
  req->trace(req->trace_arg, out);
}

void sw_http_trace(const sw_http_req *req, int type, const char *data,
                   size_t size) {
  const char *prefix;
  switch (type) {
  case CURLINFO_HEADER_OUT: prefix = "> "; break;
  case CURLINFO_HEADER_IN: prefix = "< "; break;
  case CURLINFO_TEXT: prefix = "* "; break;
  default: return; /* bodies and TLS records: not shown */
  }
  /* Request headers are the requests made (-vv); the rest is -vvv. */
  if (!req->trace || (type != CURLINFO_HEADER_OUT && req->verbose < 3))
    return;
  const char *p = data, *end = data + size;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl + 1 : end;
    emit(req, prefix, p, (size_t)(e - p));
    p = e;
  }
}
