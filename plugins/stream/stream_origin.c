/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Credentials stay with their origin: a playlist, a variant, a segment,
 * an init segment or an MPD BaseURL may name any host, and check_stream
 * must not hand the user's bearer or credential headers to it (nor send
 * them in clear text when -u is https). The decision is made here for
 * every request, and lib/http.c makes it again for every redirect hop
 * (cred_origin); whatever left the origin is named in the output. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stream.h"
#include "sttext.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"

/* Do the two URLs name the same host (any scheme or port)? */
static bool same_host(const char *a, const char *b) {
  CURLU *ua = curl_url(), *ub = curl_url();
  char *ha = NULL, *hb = NULL;
  bool same = ua && ub &&
              curl_url_set(ua, CURLUPART_URL, a, CURLU_NON_SUPPORT_SCHEME) ==
                  CURLUE_OK &&
              curl_url_set(ub, CURLUPART_URL, b, CURLU_NON_SUPPORT_SCHEME) ==
                  CURLUE_OK &&
              curl_url_get(ua, CURLUPART_HOST, &ha, 0) == CURLUE_OK &&
              curl_url_get(ub, CURLUPART_HOST, &hb, 0) == CURLUE_OK &&
              strcasecmp(ha, hb) == 0;
  curl_free(ha);
  curl_free(hb);
  curl_url_cleanup(ua);
  curl_url_cleanup(ub);
  return same;
}

void stream_request(const stream_cfg *cfg, const char *url, sw_http_req *req) {
  *req = cfg->base;
  req->url = url;
  req->cred_origin = cfg->url;
  /* --connect-to pins the -u URL's host (one edge of a CDN); a host a
   * playlist names is reached the way a player reaches it, not sent to
   * that address (where it is not served) */
  if (req->connect_to && !same_host(url, cfg->url))
    req->connect_to = NULL;
  if (sw_same_origin(url, cfg->url))
    return;
  /* Another origin (another host, port or scheme, https -> http among
   * them): only the headers that are not credentials go there. */
  req->bearer = NULL;
  req->headers = &cfg->plain_headers;
  req->username = NULL;
  req->password = NULL;
}

void stream_mask_ci(char *s, const char *const *secrets) {
  for (size_t i = 0; secrets && secrets[i]; i++) {
    size_t k = strlen(secrets[i]);
    for (char *at = k ? strcasestr(s, secrets[i]) : NULL; at;
         at = strcasestr(at + k, secrets[i]))
      memset(at, '*', k);
  }
}

/* A copy of url with the run's secrets masked in any case (the URL
 * parser lower-cases a host a secret may have landed in), before any
 * part of it is cut out; NULL when out of memory. */
static char *masked_copy(const stream_cfg *cfg, const char *url) {
  char *copy = strdup(url);
  if (copy)
    stream_mask_ci(copy, cfg->base.secrets);
  return copy;
}

void stream_url_shown(const stream_cfg *cfg, const char *url, char *buf,
                      size_t n, size_t max) {
  char *copy = masked_copy(cfg, url);
  /* userinfo ("user:pass@") is a credential: never shown */
  sw_url_display(buf, n, copy ? copy : "(out of memory)", max,
                 cfg->base.secrets);
  free(copy);
}

/* url's origin ("http://cdn:80") for the output, from the masked URL. */
static void origin_shown(const stream_cfg *cfg, const char *url, char *buf,
                         size_t n) {
  char *copy = masked_copy(cfg, url);
  if (!copy || sw_url_origin(copy, buf, n) < 0)
    stream_url_shown(cfg, url, buf, n, 100);
  free(copy);
}

void stream_where_init(stream_where *w, const char *url) {
  w->url = strdup(url);
  w->location = NULL;
}

void stream_where_header(stream_where *w, const char *line, size_t len) {
  sw_err err;
  if (len > 5 && strncmp(line, "HTTP/", 5) == 0) { /* the next hop */
    char *next =
        w->location && w->url ? st_resolve(w->url, w->location, &err) : NULL;
    if (next) {
      free(w->url);
      w->url = next;
    }
    free(w->location);
    w->location = NULL;
    return;
  }
  if (len <= 9 || strncasecmp(line, "location:", 9) != 0)
    return;
  const char *v = line + 9;
  size_t vl = len - 9;
  while (vl && (*v == ' ' || *v == '\t'))
    v++, vl--;
  while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
    vl--;
  free(w->location);
  w->location = vl && vl <= ST_URL_MAX ? strndup(v, vl) : NULL;
}

const char *stream_where_url(const stream_where *w, const char *fallback) {
  return w->url ? w->url : fallback;
}

void stream_where_free(stream_where *w) {
  free(w->url);
  free(w->location);
  w->url = w->location = NULL;
}

void stream_note_hop(const stream_cfg *cfg, const char *url, const char *what,
                     const sw_http_resp *resp, stream_meas *m) {
  stream_origins *o = &m->origins;
  char shown[160], from[160];
  if (!sw_same_origin(url, cfg->url)) {
    if (o->other++ == 0) {
      origin_shown(cfg, url, o->other_origin, sizeof o->other_origin);
      sw_text_safe(o->other_what, sizeof o->other_what, what, strlen(what), 90,
                   cfg->base.secrets);
    }
  } else if (resp && (resp->cred_withheld || resp->hop[0]) && o->other++ == 0) {
    /* a redirect took a request of our origin elsewhere (lib/http.c):
     * the origin credentials were held back from ("http://b:80/"), or
     * the hop itself when there were none */
    const char *at = resp->withheld_at[0] ? resp->withheld_at : resp->hop;
    size_t len = strlen(at);
    if (resp->withheld_at[0] && len > 1 && at[len - 1] == '/')
      len--;
    sw_text_safe(o->other_origin, sizeof o->other_origin, at, len, 110,
                 cfg->base.secrets);
    sw_text_safe(o->other_what, sizeof o->other_what, what, strlen(what), 90,
                 cfg->base.secrets);
  }
  if (o->downgrade[0])
    return;
  if (sw_url_https(cfg->url) && !sw_url_https(url)) {
    sw_buf b;
    stream_url_shown(cfg, cfg->url, from, sizeof from, 100);
    stream_url_shown(cfg, url, shown, sizeof shown, 100);
    sw_buf_fixed(&b, o->downgrade, sizeof o->downgrade);
    sw_buf_addf(&b, "%s names %s", from, shown);
  } else if (resp && resp->downgraded && resp->hop[0]) {
    sw_text_safe(o->downgrade, sizeof o->downgrade, resp->hop,
                 strlen(resp->hop), 200, cfg->base.secrets);
  }
}

void stream_origins_report(const stream_cfg *cfg, const stream_meas *m,
                           sw_check *check) {
  const stream_origins *o = &m->origins;
  const char *creds = cfg->has_creds ? "; credentials not sent there" : "";
  if (o->downgrade[0])
    sw_check_sub(check, SW_WARNING,
                 "clear text: https -> http, %s (players on https pages "
                 "refuse it as mixed content%s)",
                 o->downgrade, cfg->has_creds ? "; credentials not sent" : "");
  if (o->other)
    sw_check_sub(check, SW_OK,
                 "%lu request%s to another origin than -u's: %s (%s)%s",
                 o->other, o->other == 1 ? "" : "s", o->other_origin,
                 o->other_what, creds);
}

void stream_http_failed(const stream_cfg *cfg, const char *url,
                        const char *what, const sw_http_resp *resp,
                        sw_check *check) {
  char origin[120] = "", note[200] = "";
  sw_buf b;
  bool elsewhere = !sw_same_origin(url, cfg->url) || resp->cred_withheld;
  if (cfg->has_creds && elsewhere &&
      (resp->status == 401 || resp->status == 403)) {
    origin_shown(cfg, url, origin, sizeof origin);
    if (sw_same_origin(url, cfg->url)) {
      const char *at = resp->withheld_at[0] ? resp->withheld_at : resp->hop;
      sw_text_safe(origin, sizeof origin, at, strlen(at), 100,
                   cfg->base.secrets);
    }
    sw_buf_fixed(&b, note, sizeof note);
    sw_buf_addf(&b, " (credentials withheld from %s: another origin than -u's)",
                origin);
  }
  if (what) {
    sw_check_sub(check, SW_CRITICAL, "%s: HTTP %ld %s%s", what, resp->status,
                 resp->reason, note);
    return;
  }
  char shown[160];
  stream_url_shown(cfg, url, shown, sizeof shown, 120);
  sw_check_sub(check, SW_CRITICAL, "HTTP %ld %s from %s%s", resp->status,
               resp->reason, shown, note);
}
