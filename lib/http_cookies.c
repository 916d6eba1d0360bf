/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cookies stay with their origin too. libcurl's cookie engine scopes a
 * cookie by domain and path (RFC 6265), not by port or scheme (unless it
 * is Secure): a session cookie would follow a redirect to another port of
 * the same host, or down to http. So a hop that may not carry the
 * credentials runs with the jar emptied, and the jar comes back after it,
 * with whatever that hop's answer set (an SSO step's own cookies). */
#include <curl/curl.h>
#include <string.h>

#include "http_hop.h"

/* Wipes the lines (cookie values are credentials), then frees them. */
static void wipe_list(struct curl_slist *list) {
  for (struct curl_slist *p = list; p; p = p->next)
    memset(p->data, 0, strlen(p->data));
  curl_slist_free_all(list);
}

int sw_http_cookies_hide(CURL *h, struct curl_slist **saved) {
  *saved = NULL;
  /* a jar file not read yet would be read by the hop itself, into the
   * emptied engine, and sent */
  if (curl_easy_setopt(h, CURLOPT_COOKIELIST, "RELOAD") != CURLE_OK ||
      curl_easy_getinfo(h, CURLINFO_COOKIELIST, saved) != CURLE_OK)
    return -1;
  return curl_easy_setopt(h, CURLOPT_COOKIELIST, "ALL") == CURLE_OK ? 0 : -1;
}

/* Adds every line (Netscape format, as CURLINFO_COOKIELIST gives them,
 * "#HttpOnly_" prefix and all) back to the engine. */
static int add_lines(CURL *h, const struct curl_slist *list) {
  for (const struct curl_slist *p = list; p; p = p->next)
    if (curl_easy_setopt(h, CURLOPT_COOKIELIST, p->data) != CURLE_OK)
      return -1;
  return 0;
}

int sw_http_cookies_restore(CURL *h, struct curl_slist *saved) {
  struct curl_slist *got = NULL;
  int rc = curl_easy_getinfo(h, CURLINFO_COOKIELIST, &got) == CURLE_OK &&
                   curl_easy_setopt(h, CURLOPT_COOKIELIST, "ALL") == CURLE_OK &&
                   add_lines(h, saved) == 0 && add_lines(h, got) == 0
               ? 0
               : -1;
  wipe_list(saved);
  wipe_list(got);
  return rc;
}
