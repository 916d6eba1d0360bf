/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libcurl loaded on first use, for check_resolve: it asks DNS over HTTPS
 * and TLS resolvers through libcurl, but loading libcurl and the thirty
 * libraries behind it (OpenSSL, GnuTLS through librtmp, Kerberos, LDAP,
 * p11-kit...) at start costs about 8 ms, five times a whole UDP check
 * (the bench goal is a tenth of check_dns). check_resolve links this file
 * instead of -lcurl: every libcurl function its objects call, forwarded
 * to libcurl.so.4 dlopen'ed at the first call, so a run without an
 * encrypted resolver never loads it. Without the library every call
 * fails as libcurl's own calls fail (NULL, CURLE_FAILED_INIT).
 *
 * Not in libstreamwatch.a: there it would stand in for -lcurl in every
 * plugin. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>

/* The functions, by name and type, once loaded. */
#define FUNCS(X)                                                               \
  X(CURLcode, curl_global_init, (long))                                        \
  X(void, curl_global_cleanup, (void))                                         \
  X(CURL *, curl_easy_init, (void))                                            \
  X(void, curl_easy_cleanup, (CURL *))                                         \
  X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                     \
  X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                      \
  X(CURLcode, curl_easy_perform, (CURL *))                                     \
  X(CURLcode, curl_easy_send, (CURL *, const void *, size_t, size_t *))        \
  X(CURLcode, curl_easy_recv, (CURL *, void *, size_t, size_t *))              \
  X(const char *, curl_easy_strerror, (CURLcode))                              \
  X(void, curl_free, (void *))                                                 \
  X(time_t, curl_getdate, (const char *, const time_t *))                      \
  X(curl_version_info_data *, curl_version_info, (CURLversion))                \
  X(struct curl_slist *, curl_slist_append,                                    \
    (struct curl_slist *, const char *))                                       \
  X(void, curl_slist_free_all, (struct curl_slist *))                          \
  X(CURLM *, curl_multi_init, (void))                                          \
  X(CURLMcode, curl_multi_setopt, (CURLM *, CURLMoption, ...))                 \
  X(CURLMcode, curl_multi_add_handle, (CURLM *, CURL *))                       \
  X(CURLMcode, curl_multi_remove_handle, (CURLM *, CURL *))                    \
  X(CURLMcode, curl_multi_perform, (CURLM *, int *))                           \
  X(CURLMsg *, curl_multi_info_read, (CURLM *, int *))                         \
  X(CURLMcode, curl_multi_poll,                                                \
    (CURLM *, struct curl_waitfd *, unsigned, int, int *))                     \
  X(CURLMcode, curl_multi_cleanup, (CURLM *))                                  \
  X(CURLU *, curl_url, (void))                                                 \
  X(void, curl_url_cleanup, (CURLU *))                                         \
  X(CURLUcode, curl_url_get, (CURLU *, CURLUPart, char **, unsigned int))      \
  X(CURLUcode, curl_url_set, (CURLU *, CURLUPart, const char *, unsigned int))

#define POINTER(ret, name, params) ret(*name) params;
static struct {
  bool ok;
  FUNCS(POINTER)
} lib;

#define LOOKUP(ret, name, params)                                              \
  if (!(*(void **)&lib.name = dlsym(h, #name)))                                \
    return;

static void load(void) {
  void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!h)
    return;
  FUNCS(LOOKUP)
  lib.ok = true;
}

/* Loads libcurl once (thread-safe); false when it cannot be loaded. */
static bool ready(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, load);
  return lib.ok;
}

CURLcode curl_global_init(long flags) {
  return ready() ? lib.curl_global_init(flags) : CURLE_FAILED_INIT;
}

void curl_global_cleanup(void) {
  if (ready())
    lib.curl_global_cleanup();
}

CURL *curl_easy_init(void) {
  return ready() ? lib.curl_easy_init() : NULL;
}

void curl_easy_cleanup(CURL *h) {
  if (ready())
    lib.curl_easy_cleanup(h);
}

/* The one argument after the option has the type its number's range
 * says (curl.h's CURLOPTTYPE_*), as libcurl itself reads it. */
CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...) {
  va_list ap;
  CURLcode rc = CURLE_FAILED_INIT;
  va_start(ap, opt);
  if (!ready())
    rc = CURLE_FAILED_INIT;
  else if (opt < CURLOPTTYPE_OBJECTPOINT)
    rc = lib.curl_easy_setopt(h, opt, va_arg(ap, long));
  else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
    rc = lib.curl_easy_setopt(h, opt, va_arg(ap, void *));
  else if (opt < CURLOPTTYPE_OFF_T)
    rc = lib.curl_easy_setopt(h, opt, va_arg(ap, void (*)(void)));
  else if (opt < CURLOPTTYPE_BLOB)
    rc = lib.curl_easy_setopt(h, opt, va_arg(ap, curl_off_t));
  else
    rc = lib.curl_easy_setopt(h, opt, va_arg(ap, void *));
  va_end(ap);
  return rc;
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...) {
  va_list ap;
  CURLcode rc = CURLE_FAILED_INIT;
  va_start(ap, info);
  if (ready())
    rc = lib.curl_easy_getinfo(h, info, va_arg(ap, void *));
  va_end(ap);
  return rc;
}

CURLcode curl_easy_perform(CURL *h) {
  return ready() ? lib.curl_easy_perform(h) : CURLE_FAILED_INIT;
}

CURLcode curl_easy_send(CURL *h, const void *b, size_t n, size_t *sent) {
  return ready() ? lib.curl_easy_send(h, b, n, sent) : CURLE_FAILED_INIT;
}

CURLcode curl_easy_recv(CURL *h, void *b, size_t n, size_t *got) {
  return ready() ? lib.curl_easy_recv(h, b, n, got) : CURLE_FAILED_INIT;
}

const char *curl_easy_strerror(CURLcode c) {
  return ready() ? lib.curl_easy_strerror(c) : "libcurl.so.4 not loaded";
}

void curl_free(void *p) {
  if (ready())
    lib.curl_free(p);
}

time_t curl_getdate(const char *s, const time_t *unused) {
  return ready() ? lib.curl_getdate(s, unused) : -1;
}

curl_version_info_data *curl_version_info(CURLversion v) {
  return ready() ? lib.curl_version_info(v) : NULL;
}

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s) {
  return ready() ? lib.curl_slist_append(l, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *l) {
  if (ready())
    lib.curl_slist_free_all(l);
}

CURLM *curl_multi_init(void) {
  return ready() ? lib.curl_multi_init() : NULL;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...) {
  va_list ap;
  CURLMcode rc = CURLM_INTERNAL_ERROR;
  va_start(ap, opt);
  if (!ready())
    rc = CURLM_INTERNAL_ERROR;
  else if (opt < CURLOPTTYPE_OBJECTPOINT)
    rc = lib.curl_multi_setopt(m, opt, va_arg(ap, long));
  else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
    rc = lib.curl_multi_setopt(m, opt, va_arg(ap, void *));
  else if (opt < CURLOPTTYPE_OFF_T)
    rc = lib.curl_multi_setopt(m, opt, va_arg(ap, void (*)(void)));
  else
    rc = lib.curl_multi_setopt(m, opt, va_arg(ap, curl_off_t));
  va_end(ap);
  return rc;
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *h) {
  return ready() ? lib.curl_multi_add_handle(m, h) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h) {
  return ready() ? lib.curl_multi_remove_handle(m, h) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_perform(CURLM *m, int *running) {
  return ready() ? lib.curl_multi_perform(m, running) : CURLM_INTERNAL_ERROR;
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left) {
  return ready() ? lib.curl_multi_info_read(m, left) : NULL;
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned n, int ms,
                          int *ret) {
  return ready() ? lib.curl_multi_poll(m, fds, n, ms, ret)
                 : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_cleanup(CURLM *m) {
  return ready() ? lib.curl_multi_cleanup(m) : CURLM_INTERNAL_ERROR;
}

CURLU *curl_url(void) {
  return ready() ? lib.curl_url() : NULL;
}

void curl_url_cleanup(CURLU *u) {
  if (ready())
    lib.curl_url_cleanup(u);
}

CURLUcode curl_url_get(CURLU *u, CURLUPart what, char **part,
                       unsigned int flags) {
  return ready() ? lib.curl_url_get(u, what, part, flags)
                 : CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part,
                       unsigned int flags) {
  return ready() ? lib.curl_url_set(u, what, part, flags)
                 : CURLUE_OUT_OF_MEMORY;
}
