/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How an HTTP transfer failed, in an on-call person's words: which phase
 * (DNS, connect, TLS handshake, waiting for first byte, reading body) and
 * why, from libcurl's CURLcode and error buffer. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/http.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strbuf.h"

/* The phase a transfer was in when time ran out, from the timings it
 * reached (each is -1 while not reached), and how to say it. */
static void timeout_phase(const sw_http_resp *r, bool https, const char **phase,
                          const char **words) {
  if (r->t.dns < 0) {
    *phase = "DNS";
    *words = "resolving the host of";
  } else if (r->t.connect < 0 && !r->tcp_connected) {
    *phase = "connect";
    *words = "connecting to";
  } else if (https && r->t.tls < 0) {
    *phase = "TLS handshake";
    *words = "in the TLS handshake with";
  } else if (r->t.ttfb < 0) {
    *phase = "waiting for first byte";
    *words = "waiting for first byte from";
  } else if (!r->headers_done) {
    *phase = "reading headers";
    *words = "reading the headers of";
  } else {
    *phase = "reading body";
    *words = "reading the body of";
  }
}

/* libcurl's OpenSSL messages start with boilerplate; keep the reason. */
static const char *tls_reason(const char *errbuf) {
  static const char *const prefixes[] = {
      "SSL certificate problem: ", "SSL: ", "OpenSSL SSL_connect: "};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    const char *p = strstr(errbuf, prefixes[i]);
    if (p)
      return p + strlen(prefixes[i]);
  }
  return errbuf;
}

static const struct {
  CURLcode code;
  const char *phase;
  const char *what; /* NULL: use libcurl's message */
} fail_table[] = {
    {CURLE_COULDNT_RESOLVE_HOST, "DNS", "cannot resolve host name"},
    {CURLE_COULDNT_RESOLVE_PROXY, "DNS", "cannot resolve proxy name"},
    {CURLE_COULDNT_CONNECT, "connect", NULL},
    {CURLE_SSL_CONNECT_ERROR, "TLS handshake", NULL},
    {CURLE_PEER_FAILED_VERIFICATION, "TLS handshake", NULL},
    {CURLE_SSL_CERTPROBLEM, "TLS handshake", "client certificate problem"},
    {CURLE_SSL_CIPHER, "TLS handshake", NULL},
    {CURLE_SSL_CACERT_BADFILE, "TLS handshake", "cannot read the CA file"},
    {CURLE_SEND_ERROR, "sending request", NULL},
    {CURLE_GOT_NOTHING, "waiting for first byte", "empty reply from server"},
    {CURLE_WEIRD_SERVER_REPLY, "waiting for first byte",
     "malformed HTTP response"},
    {CURLE_RECV_ERROR, "reading body", NULL},
    {CURLE_PARTIAL_FILE, "reading body", "connection closed before the end"},
    {CURLE_BAD_CONTENT_ENCODING, "reading body", "bad content encoding"},
    {CURLE_HTTP2, "reading body", "HTTP/2 error"},
    {CURLE_HTTP2_STREAM, "reading body", "HTTP/2 stream error"},
    {CURLE_TOO_MANY_REDIRECTS, "redirect", "too many redirects"},
    /* redirects are followed hop by hop and their schemes checked there
     * (lib/http_redirect.c): libcurl says this of a reply that has no
     * HTTP status line (HTTP/0.9, another protocol, "ICY 401") */
    {CURLE_UNSUPPORTED_PROTOCOL, "reading headers",
     "not an HTTP response (no HTTP status line)"},
    {CURLE_URL_MALFORMAT, "request", "malformed URL"},
};

void sw_http_explain(int code, const char *errbuf, long os_errno,
                     const char *url, bool https, double elapsed,
                     const char *const *secrets, sw_http_resp *resp) {
  char why[256], safe_url[200];
  sw_buf out;
  sw_buf_fixed(&out, resp->err, sizeof resp->err);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    const char *words;
    resp->timed_out = true;
    timeout_phase(resp, https, &resp->phase, &words);
    sw_url_display(safe_url, sizeof safe_url, url, 120, secrets);
    sw_buf_addf(&out, "timeout after %.1f s %s %s", elapsed, words, safe_url);
    return;
  }
  if (resp->too_big) {
    resp->phase = "reading body";
    sw_buf_addf(&out,
                "reading body failed: larger than --max-size (%zu bytes read)",
                resp->body_len);
    return;
  }
  resp->phase = "request";
  const char *what = NULL;
  for (size_t i = 0; i < sizeof fail_table / sizeof fail_table[0]; i++) {
    if (fail_table[i].code == (CURLcode)code) {
      resp->phase = fail_table[i].phase;
      what = fail_table[i].what;
      break;
    }
  }
  /* a "body" failure before the header block ended (endless headers, a
   * reset during them) happened in the headers */
  if (strcmp(resp->phase, "reading body") == 0 && !resp->headers_done)
    resp->phase =
        resp->t.ttfb < 0 ? "waiting for first byte" : "reading headers";
  const char *msg =
      errbuf && errbuf[0] ? errbuf : curl_easy_strerror((CURLcode)code);
  /* The system's word ("Connection refused") says more than libcurl's
   * "Couldn't connect to server". */
  if (!what && os_errno &&
      (code == CURLE_COULDNT_CONNECT || code == CURLE_SEND_ERROR ||
       code == CURLE_RECV_ERROR))
    what = strerror((int)os_errno);
  if (!what)
    what = strcmp(resp->phase, "TLS handshake") == 0 ? tls_reason(msg) : msg;
  /* libcurl's message may quote the URL, userinfo and all */
  sw_text_safe(why, sizeof why, what, strlen(what), 160, secrets);
  sw_buf_addf(&out, "%s failed: %s", resp->phase, why);
}
