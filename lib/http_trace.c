/* The -vv/-vvv trace of HTTP plugins: libcurl's debug output line by line,
 * with credentials masked and every line sanitised. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/http.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"

static void emit(const sw_http_req *req, const char *prefix, const char *line,
                 size_t len) {
  char raw[1024], safe[1100], out[1200];
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  if (len == 0)
    return;
  if (sw_secret_header(line, len)) { /* a credential: never shown */
    size_t name = (size_t)((const char *)memchr(line, ':', len) - line);
    snprintf(raw, sizeof raw, "%.*s: ****", (int)name, line);
  } else {
    snprintf(raw, sizeof raw, "%.*s", (int)(len < 1000 ? len : 1000), line);
  }
  sw_secret_mask(raw, req->secrets);
  sw_sanitize(safe, sizeof safe, raw, strlen(raw), 0);
  snprintf(out, sizeof out, "%s%s", prefix, safe);
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
