/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTP sessions (one libcurl handle for a login flow's requests), and the
 * small helpers every HTTP plugin shares. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http_hop.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/strparse.h"

int sw_http_session_open(sw_http_session **s, const char *cookie_jar,
                         sw_err *err) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return sw_fail(err, "libcurl: global init failed");
  *s = calloc(1, sizeof **s);
  if (!*s || !((*s)->h = curl_easy_init()) ||
      (cookie_jar && !((*s)->cookie_jar = strdup(cookie_jar)))) {
    sw_http_session_close(*s);
    *s = NULL;
    return sw_fail(err, "out of memory");
  }
  return 0;
}

void sw_http_session_close(sw_http_session *s) {
  if (!s)
    return;
  if (s->h) {
    if (s->cookie_jar) { /* written on cleanup, owner-only */
      curl_easy_setopt(s->h, CURLOPT_COOKIEJAR, s->cookie_jar);
      mode_t old = umask(077);
      curl_easy_cleanup(s->h);
      umask(old);
    } else {
      curl_easy_cleanup(s->h);
    }
  }
  free(s->cookie_jar);
  free(s);
  curl_global_cleanup();
}

const char *sw_http_session_url(const sw_http_session *s) {
  return s->url;
}

void sw_http_resp_free(sw_http_resp *resp) {
  free(resp->body);
  resp->body = NULL;
  resp->body_len = 0;
  free(resp->headers);
  resp->headers = NULL;
  resp->headers_len = resp->headers_n = 0;
}

const char *sw_http_version(char *buf, size_t n) {
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  sw_buf b;
  sw_buf_fixed(&b, buf, n);
  sw_buf_addf(&b, "libcurl/%s%s%s", v->version, v->ssl_version ? " " : "",
              v->ssl_version ? v->ssl_version : "");
  return buf;
}

int sw_http_connect_to(const char *to, char *buf, size_t n) {
  char addr[128];
  const char *port = "";
  const char *first = strchr(to, ':'), *last = strrchr(to, ':');
  size_t al;
  if (to[0] == '[') { /* [v6] or [v6]:port */
    const char *close = strchr(to, ']');
    if (!close || (close[1] && close[1] != ':'))
      return -1;
    al = (size_t)(close + 1 - to);
    port = close[1] ? close + 2 : "";
    snprintf(addr, sizeof addr, "%.*s", (int)al, to);
  } else if (first && first != last) { /* a bare IPv6 address */
    al = strlen(to);
    snprintf(addr, sizeof addr, "[%s]", to);
  } else { /* v4 or name, with or without a port */
    al = first ? (size_t)(first - to) : strlen(to);
    port = first ? first + 1 : "";
    snprintf(addr, sizeof addr, "%.*s", (int)al, to);
  }
  unsigned long p;
  if (al == 0 || al >= sizeof addr - 2 || strpbrk(addr, " \t/") ||
      (port[0] && sw_parse_ulong(port, 1, 65535, &p) < 0))
    return -1;
  /* HOST:PORT:ADDR:PORT with the first two empty: every connection of
   * the transfer goes to ADDR while the URL's host stays in Host and SNI
   * (an empty last PORT keeps the URL's port). */
  sw_buf b;
  sw_buf_fixed(&b, buf, n);
  return sw_buf_addf(&b, "::%s:%s", addr, port);
}

/* sw_http_pin_spec, or with sticky sw_http_pin_sticky. */
static int pin(const char *url, const char *to, bool sticky, char *buf,
               size_t n) {
  char spec[300];
  CURLU *u = curl_url();
  char *host = NULL, *port = NULL;
  int rc = -1;
  if (sw_http_connect_to(to, spec, sizeof spec) == 0 && u &&
      curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    sw_buf b;
    sw_buf_fixed(&b, buf, n);
    /* spec is "::ADDR:PORT": HOST:PORT takes the place of its empty
     * pair, so only connections to that host and port are pinned;
     * sticky leaves both ports empty: any port of HOST, to ADDR on the
     * port the URL names */
    if (sticky)
      rc = sw_buf_addf(&b, "%s::%.*s:", host,
                       (int)(strrchr(spec, ':') - spec - 2), spec + 2);
    else
      rc = sw_buf_addf(&b, "%s:%s%s", host, port, spec + 1);
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return rc;
}

int sw_http_pin_spec(const char *url, const char *to, char *buf, size_t n) {
  return pin(url, to, false, buf, n);
}

int sw_http_pin_sticky(const char *url, const char *to, char *buf, size_t n) {
  return pin(url, to, true, buf, n);
}
