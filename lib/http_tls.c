/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TLS facts of a connection (resp->tls): version, cipher, whether an
 * OCSP response was stapled, and the certificate of the chain the server
 * sent that expires first. OpenSSL is reached only through what libcurl
 * hands over (its SSL_CTX before the handshake, the SSL of the
 * connection while it is up). */
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http_hop.h"
#include "streamwatch/sanitize.h"

static void read_ssl(SSL *ssl, sw_http_resp *r);

/* With req->connect_only: the facts as the handshake ends (libcurl hands
 * over no SSL after a connect-only transfer). Set only then, on a handle
 * of sw_http_perform's own (never a session's), so that the SSL_CTX and
 * the sw_http_ctx its app data points to end together. */
static void on_info(const SSL *ssl, int where, int ret) {
  (void)ret;
  if (!(where & SSL_CB_HANDSHAKE_DONE))
    return;
  sw_http_ctx *c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
  if (c && !c->resp->tls.known)
    read_ssl((SSL *)ssl, c->resp);
}

/* CURLOPT_SSL_CTX_FUNCTION: ask for the certificate status (RFC 6066
 * status_request) in the ClientHello; nothing verifies the response here
 * (CURLOPT_SSL_VERIFYSTATUS would make its absence a handshake failure). */
CURLcode sw_http_tls_ctx(CURL *h, void *ssl_ctx, void *arg) {
  sw_http_ctx *c = arg;
  SSL_CTX *ctx = ssl_ctx;
  (void)h;
  if (SSL_CTX_set_tlsext_status_type(ctx, TLSEXT_STATUSTYPE_ocsp) == 1 &&
      !c->resp->tls.known)
    c->resp->tls.ocsp_asked = true;
  if (c->req->connect_only && !c->req->session) {
    SSL_CTX_set_app_data(ctx, c);
    SSL_CTX_set_info_callback(ctx, on_info);
  }
  return CURLE_OK;
}

static int version_of(int v) {
  switch (v) {
  case TLS1_3_VERSION: return 13;
  case TLS1_2_VERSION: return 12;
  case TLS1_1_VERSION: return 11;
  case TLS1_VERSION: return 10;
  default: return 0;
  }
}

void sw_http_tls_read(CURL *h, sw_http_resp *r) {
  struct curl_tlssessioninfo *info = NULL;
  if (r->tls.known ||
      curl_easy_getinfo(h, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info ||
      info->backend != CURLSSLBACKEND_OPENSSL || !info->internals)
    return;
  read_ssl(info->internals, r);
}

static void read_ssl(SSL *ssl, sw_http_resp *r) {
  const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);
  const char *name = cipher ? SSL_CIPHER_standard_name(cipher) : NULL;
  if (!name && cipher)
    name = SSL_CIPHER_get_name(cipher);
  const unsigned char *ocsp = NULL;
  long n = SSL_get_tlsext_status_ocsp_resp(ssl, &ocsp);
  r->tls.known = true;
  r->tls.version = version_of(SSL_version(ssl));
  snprintf(r->tls.cipher, sizeof r->tls.cipher, "%s", name ? name : "?");
  r->tls.ocsp_stapled = n > 0 && ocsp;
}

/* The value after "Name:" of one certinfo line, or NULL. */
static const char *field(const char *line, const char *name) {
  size_t n = strlen(name);
  return strncmp(line, name, n) == 0 ? line + n : NULL;
}

void sw_http_chain_add(sw_http_resp *r, int i, const char *subject, double days,
                       const char *const *secrets) {
  if (r->tls.chain_n++ == 0 || days < r->tls.chain_days) {
    r->tls.weakest = i;
    r->tls.chain_days = days;
    sw_text_safe(r->tls.weakest_subject, sizeof r->tls.weakest_subject, subject,
                 strlen(subject), 120, secrets);
  }
}

void sw_http_read_chain(CURL *h, sw_http_resp *r, const char *const *secrets) {
  struct curl_certinfo *ci = NULL;
  if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
      ci->num_of_certs < 1)
    return;
  r->tls.chain_n = 0;
  for (int i = 0; i < ci->num_of_certs; i++) {
    const char *subject = "", *v;
    time_t when = -1;
    for (struct curl_slist *p = ci->certinfo[i]; p; p = p->next) {
      if ((v = field(p->data, "Subject:")))
        subject = v;
      else if ((v = field(p->data, "Expire date:")))
        when = curl_getdate(v, NULL);
    }
    if (when != -1)
      sw_http_chain_add(r, i, subject, difftime(when, time(NULL)) / 86400.0,
                        secrets);
  }
}
