/* Origins (RFC 6454: scheme, host, port) of URLs: credentials are sent
 * only to the origin they were given for. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/http.h"

int sw_url_origin(const char *url, char *buf, size_t n) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  int rc = -1;
  if (u && url &&
      curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
          CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
          CURLUE_OK) {
    int len = snprintf(buf, n, "%s://%s:%s", scheme, host, port);
    rc = len > 0 && (size_t)len < n ? 0 : -1;
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
