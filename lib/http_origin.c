/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Origins (RFC 6454: scheme, host, port) of URLs: credentials are sent
 * only to the origin they were given for. And URLs as the output shows
 * them: without userinfo, masked, sanitised, cut. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "streamwatch/http.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"

int sw_url_origin(const char *url, char *buf, size_t n) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  int rc = -1;
  if (u && url &&
      curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
          CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    sw_buf b;
    sw_buf_fixed(&b, buf, n);
    rc = sw_buf_addf(&b, "%s://%s:%s", scheme, host, port);
    for (char *p = buf; rc == 0 && *p; p++)
      *p = (char)tolower((unsigned char)*p);
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return rc;
}

bool sw_same_origin(const char *a, const char *b) {
  char oa[300], ob[300];
  return sw_url_origin(a, oa, sizeof oa) == 0 &&
         sw_url_origin(b, ob, sizeof ob) == 0 && strcmp(oa, ob) == 0;
}

bool sw_url_https(const char *url) {
  return url && strncasecmp(url, "https:", 6) == 0;
}

bool sw_url_has_userinfo(const char *url) {
  CURLU *u = curl_url();
  char *user = NULL;
  bool has = u &&
             curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
                 CURLUE_OK &&
             curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK;
  curl_free(user);
  curl_url_cleanup(u);
  return has;
}

char *sw_url_password(const char *url) {
  CURLU *u = curl_url();
  char *pw = NULL, *copy = NULL;
  if (u &&
      curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
          CURLUE_OK &&
      curl_url_get(u, CURLUPART_PASSWORD, &pw, CURLU_URLDECODE) == CURLUE_OK &&
      pw[0])
    copy = strdup(pw);
  if (pw)
    memset(pw, 0, strlen(pw));
  curl_free(pw);
  curl_url_cleanup(u);
  return copy;
}

/* url without "user:password@", from curl_url_get (curl_free it), or
 * NULL when curl cannot parse it or memory ran out. */
static char *strip_userinfo(const char *url) {
  CURLU *u = curl_url();
  char *out = NULL;
  if (u &&
      curl_url_set(u, CURLUPART_URL, url,
                   CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_OPTIONS, NULL, 0) == CURLUE_OK)
    curl_url_get(u, CURLUPART_URL, &out, 0);
  curl_url_cleanup(u);
  return out;
}

char *sw_url_without_userinfo(const char *url) {
  char *clean = strip_userinfo(url);
  char *copy = strdup(clean ? clean : url);
  curl_free(clean);
  return copy;
}

size_t sw_url_display(char *dst, size_t n, const char *url, size_t max,
                      const char *const *secrets) {
  if (!url)
    url = "";
  char *clean = strip_userinfo(url);
  size_t len;
  if (clean) {
    len = sw_text_safe(dst, n, clean, strlen(clean), max, secrets);
    curl_free(clean);
    return len;
  }
  /* Unparsable: drop the authority's userinfo (up to its last '@') by
   * hand, and show the rest. */
  const char *auth = strstr(url, "//"), *at = NULL;
  if (auth) {
    auth += 2;
    for (const char *p = auth; *p && !strchr("/?#", *p); p++)
      if (*p == '@')
        at = p;
  }
  if (!at)
    return sw_text_safe(dst, n, url, strlen(url), max, secrets);
  sw_buf b;
  sw_buf_init(&b, strlen(url));
  sw_buf_add(&b, url, (size_t)(auth - url));
  sw_buf_puts(&b, at + 1);
  len = b.nomem ? sw_text_safe(dst, n, "(URL withheld: out of memory)", 29, max,
                               NULL)
                : sw_text_safe(dst, n, sw_buf_str(&b), b.len, max, secrets);
  sw_buf_free(&b);
  return len;
}

int sw_url_host(const char *url, char *buf, size_t n) {
  CURLU *u = curl_url();
  char *host = NULL;
  int rc = -1;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    size_t len = strlen(host);
    bool v6 = len >= 2 && host[0] == '[' && host[len - 1] == ']';
    if (len - (v6 ? 2 : 0) < n) {
      snprintf(buf, n, "%.*s", (int)(len - (v6 ? 2 : 0)), host + v6);
      rc = 0;
    }
  }
  curl_free(host);
  curl_url_cleanup(u);
  return rc;
}
