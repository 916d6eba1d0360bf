/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Redirects followed by hand, one hop at a time, so that each hop carries
 * credentials only to the origin they were given for: libcurl's
 * FOLLOWLOCATION re-sends custom credential headers (X-Api-Key...) to any
 * host and port, in clear text after https -> http, and a 307 re-posts a
 * password anywhere. The method of the next hop follows RFC 9110 15.4. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_hop.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "streamwatch/strbuf.h"

static const char *cred_origin(const sw_http_req *req) {
  return req->cred_origin ? req->cred_origin : req->url;
}

/* The origin includes the scheme, so an http hop never gets credentials
 * given for https. */
static bool creds_allowed(const sw_http_req *req, const char *url) {
  return sw_same_origin(url, cred_origin(req));
}

bool sw_http_has_creds(const sw_http_req *req) {
  if (req->bearer || req->username || (req->body && req->body_secret) ||
      sw_url_has_userinfo(req->url))
    return true;
  for (size_t i = 0; req->headers && i < req->headers->n; i++)
    if (sw_secret_header(req->headers->v[i], strlen(req->headers->v[i])))
      return true;
  return false;
}

void sw_http_note_withheld(const sw_http_req *req, const char *url,
                           sw_http_resp *resp) {
  char origin[300];
  if (resp->cred_withheld)
    return;
  resp->cred_withheld = true;
  /* A URL that holds a secret (a server's Location echoing it) is shown
   * masked whole: its origin alone would be the part before a '/' of the
   * secret, lower-cased, which no mask of the whole secret matches. */
  char *masked = strdup(url);
  bool holds = !masked;
  if (masked) {
    sw_secret_mask(masked, req->secrets);
    holds = strcmp(masked, url) != 0;
    free(masked);
  }
  if (holds || sw_url_origin(url, origin, sizeof origin) < 0) {
    sw_url_display(resp->withheld_at, sizeof resp->withheld_at, url, 120,
                   req->secrets);
    return;
  }
  size_t len = sw_text_safe(resp->withheld_at, sizeof resp->withheld_at - 1,
                            origin, strlen(origin), 120, req->secrets);
  memcpy(resp->withheld_at + len, "/", 2);
}

/* url cut down to its origin as the user wrote it, "https://a/" (the
 * summary names the request's URL already), shown as sw_url_display. */
static void origin_shown(char *dst, size_t n, const char *url,
                         const char *const *secrets) {
  CURLU *u = curl_url();
  char *root = NULL;
  if (u &&
      curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
          CURLUE_OK &&
      curl_url_set(u, CURLUPART_PATH, "/", 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK)
    curl_url_get(u, CURLUPART_URL, &root, 0);
  sw_url_display(dst, n, root ? root : url, 90, secrets);
  curl_free(root);
  curl_url_cleanup(u);
}

/* Names the first hop that went down from https to http or, when none
 * did, the first that changed origin: "https://a/ -> http://b/x". */
static void note_hop(const sw_http_req *req, const char *from, const char *to,
                     sw_http_resp *resp) {
  bool down = sw_url_https(from) && !sw_url_https(to);
  if (!down && sw_same_origin(from, to))
    return;
  if (down) {
    if (resp->downgraded)
      return;
    resp->downgraded = true;
  } else if (resp->hop[0]) {
    return;
  }
  char a[100], b[100];
  sw_buf text;
  origin_shown(a, sizeof a, from, req->secrets);
  sw_url_display(b, sizeof b, to, 90, req->secrets);
  sw_buf_fixed(&text, resp->hop, sizeof resp->hop);
  sw_buf_addf(&text, "%s -> %s", a, b);
}

/* A body that holds a password or client secret is not sent to another
 * origin: the request (status 0) or the redirect fails, naming it. */
static int refuse_body(const sw_http_req *req, const char *url, long status,
                       sw_http_resp *resp) {
  char to[100], origin[100];
  sw_buf err;
  sw_url_display(to, sizeof to, url, 90, req->secrets);
  sw_url_display(origin, sizeof origin, cred_origin(req), 60, req->secrets);
  sw_buf_fixed(&err, resp->err, sizeof resp->err);
  resp->phase = status ? "redirect" : "request";
  if (status)
    sw_buf_addf(&err,
                "redirect failed: HTTP %ld to %s not followed: it would "
                "send the secret body to another origin",
                status, to);
  else
    sw_buf_addf(&err,
                "request failed: the secret body is not sent to %s (not "
                "the origin of %s)",
                to, origin);
  return -1;
}

/* The URL a hop requests: without userinfo when it may not carry
 * credentials (libcurl would send it as Basic authentication). */
static char *hop_url(const char *url, bool creds) {
  return creds ? strdup(url) : sw_url_without_userinfo(url);
}

int sw_http_hop_first(sw_http_hop *hop, const sw_http_req *req,
                      sw_http_resp *resp, sw_err *err) {
  memset(hop, 0, sizeof *hop);
  hop->method = req->method;
  hop->body = req->body != NULL;
  hop->creds = creds_allowed(req, req->url);
  if (!(hop->url = hop_url(req->url, hop->creds)))
    return sw_fail(err, "out of memory");
  if (hop->creds)
    return 0;
  if (sw_http_has_creds(req))
    sw_http_note_withheld(req, req->url, resp);
  return hop->body && req->body_secret ? refuse_body(req, req->url, 0, resp)
                                       : 0;
}

static bool is_method(const char *method, const char *name) {
  return method && strcasecmp(method, name) == 0;
}

/* RFC 9110 15.4: 303 turns the request into a GET (a HEAD stays HEAD);
 * 301 and 302 turn a POST into a GET, as every browser does; 307 and
 * 308 keep the method and the body. */
static void next_method(sw_http_hop *hop, long status) {
  bool post = hop->body ? !hop->method || is_method(hop->method, "POST")
                        : is_method(hop->method, "POST");
  if (status == 303 || ((status == 301 || status == 302) && post)) {
    if (!is_method(hop->method, "HEAD"))
      hop->method = NULL;
    hop->body = false;
  }
}

int sw_http_hop_next(sw_http_hop *hop, const sw_http_req *req, long status,
                     const char *target, sw_http_resp *resp, sw_err *err) {
  if (!target || !target[0] ||
      (status != 301 && status != 302 && status != 303 && status != 307 &&
       status != 308))
    return 0;
  if (req->max_redirects >= 0 && hop->redirects >= req->max_redirects) {
    resp->phase = "redirect";
    snprintf(resp->err, sizeof resp->err,
             "redirect failed: too many redirects (more than %ld)",
             req->max_redirects);
    return -1;
  }
  if (strncasecmp(target, "http://", 7) && strncasecmp(target, "https://", 8)) {
    char to[100];
    sw_url_display(to, sizeof to, target, 90, req->secrets);
    resp->phase = "redirect";
    snprintf(resp->err, sizeof resp->err,
             "redirect failed: HTTP %ld to %s (not http or https)", status, to);
    return -1;
  }
  next_method(hop, status);
  bool creds = creds_allowed(req, target);
  if (hop->body && req->body_secret && !creds)
    return refuse_body(req, target, status, resp);
  char *next = hop_url(target, creds);
  if (!next)
    return sw_fail(err, "out of memory");
  note_hop(req, hop->url, next, resp);
  if (!creds && sw_http_has_creds(req))
    sw_http_note_withheld(req, next, resp);
  free(hop->url);
  hop->url = next;
  hop->creds = creds;
  hop->redirects++;
  return 1;
}

void sw_http_hop_free(sw_http_hop *hop) {
  free(hop->url);
  hop->url = NULL;
}
