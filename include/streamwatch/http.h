/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One libcurl setup for every HTTP plugin: deadline-driven timeouts, phase
 * timings, TLS verification on by default, certificate expiry, pinning a
 * connection to one address (--connect-to), a bounded body buffer, and a
 * CURLcode -> phase + message table. Secrets never reach the trace. */
#ifndef STREAMWATCH_HTTP_H
#define STREAMWATCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/deadline.h"
#include "streamwatch/state.h"
#include "streamwatch/strvec.h"

/* A sequence of requests sharing cookies and connections (a login flow).
 * Opaque; see sw_http_session_open. */
typedef struct sw_http_session sw_http_session;

typedef struct {
  const char *url;
  sw_http_session *session; /* NULL: a request on its own */
  const char *username;     /* HTTP authentication, with password */
  const char *password;     /* secret */
  bool digest;              /* Digest instead of Basic */
  const char *user_agent;   /* e.g. "check_api/0.1.0 (streamwatch)" */
  const char *method;       /* NULL: GET (HEAD sends no body back) */
  const sw_strvec *headers; /* "Name: value" lines; may be NULL */
  const char *body;         /* request body or NULL */
  size_t body_len;
  const char *bearer;     /* secret: sent as Authorization: Bearer */
  const char *connect_to; /* ADDR or ADDR:PORT, or NULL: connections to
                             the host and port of cred_origin (NULL:
                             url) go there; other hosts as resolved */
  const char *proxy;      /* proxy URL or NULL */
  const char *ca_file, *client_cert, *client_key;
  const char *ca_path; /* --ca-path: a hashed CA directory (see
                          sw_http_trust) */
  bool insecure;       /* no certificate or host name verification */
  int tls_min;         /* 0 (library default), 12 or 13 */
  int http_version;    /* 0 (library default), 11 or 2 */
  bool follow;         /* follow redirects (at most max_redirects) */
  long max_redirects;
  size_t max_size;            /* body bytes kept; more is an error */
  int family;                 /* 0, 4 or 6 */
  bool want_cert;             /* read the peer certificate's expiry, and
                                 the TLS facts (resp->tls, lib/http_tls.c) */
  const char *source_addr;    /* numeric local address to connect from, or
                                 NULL (CURLOPT_INTERFACE "host!ADDR") */
  bool connect_only;          /* connect (and TLS handshake) only: no
                                 request is sent, resp->status stays 0 */
  long connect_ms;            /* > 0: at most this long to connect (TCP and
                                 TLS), else what the deadline leaves */
  int verbose;                /* >= 2: request lines; >= 3: libcurl trace */
  const char *const *secrets; /* strings masked in the trace; may be NULL */
  /* Credentials stay with their origin (scheme, host, port): the bearer,
   * credential headers (sw_secret_header), username/password (also from
   * the URL's userinfo), a body marked body_secret and a session's
   * cookies are sent only to a request or redirect hop whose origin is
   * that of cred_origin (a URL; NULL: req->url itself), and never over
   * http when cred_origin is https (a hop elsewhere runs with the cookie
   * jar emptied; the jar comes back after it). check_stream sets it to
   * the URL the user gave, so a playlist naming another host gets none. */
  const char *cred_origin;
  bool body_secret; /* the body holds a password or client secret: a
                       307/308 to another origin is not followed */
  /* Streaming (check_stream): when on_data is set the body is not kept
   * (resp->body stays NULL, body_len counts); every chunk goes to on_data
   * with the monotonic time it arrived, and on_tick is called from
   * libcurl's progress callback (at least once a second, more often while
   * data flows). Either returns false to stop: the transfer then ends as
   * a success with resp->stopped set. on_header sees every header line. */
  bool (*on_data)(void *arg, const unsigned char *data, size_t n, double now);
  bool (*on_tick)(void *arg, double now);
  void (*on_header)(void *arg, const char *line, size_t len);
  void *stream_arg;
  void (*trace)(void *arg, const char *line);
  void *trace_arg;
  /* keep the final response's header lines (resp->headers), at most
   * SW_HTTP_HEADERS_MAX bytes and SW_HTTP_HEADERS_LINES lines */
  bool keep_headers;
  /* with connect_to: a redirect hop to the same host name on another
   * port (or scheme) goes to connect_to's address too (check_curl -f
   * sticky); without, only the pinned host and port go there */
  bool pin_sticky;
} sw_http_req;

/* The bounds on the header lines kept (keep_headers): lines past them
 * are dropped and resp->headers_cut set. */
#define SW_HTTP_HEADERS_MAX 32768
#define SW_HTTP_HEADERS_LINES 128

/* Phase durations in seconds, each on its own (not cumulative as libcurl
 * reports them): dns, connect (TCP), tls, ttfb (request sent to first
 * byte), transfer (first to last byte), total. -1 when not reached. */
typedef struct {
  double dns, connect, tls, ttfb, transfer, total;
} sw_http_times;

/* What the TLS connection of the first https hop was (lib/http_tls.c),
 * read while it was up; with req->want_cert. */
typedef struct {
  bool known;        /* version and cipher were read */
  int version;       /* 12 (TLS 1.2), 13 (TLS 1.3), 10, 11; 0: other */
  char cipher[64];   /* OpenSSL's name ("TLS_AES_256_GCM_SHA384") */
  bool ocsp_asked;   /* the status was requested in the ClientHello */
  bool ocsp_stapled; /* a stapled OCSP response came with the handshake */
  int chain_n;       /* certificates the server sent (CURLINFO_CERTINFO) */
  int weakest;       /* which one (0: the leaf) expires first */
  double chain_days; /* days until that one's notAfter */
  char weakest_subject[160]; /* its subject, sanitised */
} sw_http_tls;

typedef struct {
  long status;           /* last response's status, 0 if none */
  char reason[64];       /* its reason phrase, sanitised */
  char content_type[96]; /* sanitised, "" when absent */
  char retry_after[64];  /* Retry-After header, sanitised */
  char location[256];    /* Location header of a 3xx, sanitised */
  char *body;            /* NUL-terminated; body_len bytes */
  size_t body_len;
  long redirects;
  sw_http_times t;
  char trust[300]; /* the CA store that verifies (sw_http_store.said) */
  bool have_cert;
  double cert_days; /* leaf certificate: days until notAfter */
  sw_http_tls tls;  /* with want_cert, the first https hop's (tls.chain_n
                       0: no chain was read) */
  /* Transport failure (sw_http_perform returned -1): */
  bool timed_out;     /* the deadline ran out */
  bool tcp_connected; /* TCP was up (even if TLS never was) */
  bool too_big;       /* body passed max_size */
  bool stopped;       /* on_data/on_tick ended a stream early */
  bool headers_done;  /* the last response's header block ended */
  /* Where the request went (see cred_origin): */
  bool cred_withheld;    /* credentials were not sent to a hop or request on
                            another origin, or down to http */
  bool downgraded;       /* a hop went from https to http (clear text) */
  char hop[200];         /* the first hop down from https to http or, when
                            none, the first to another origin (than the hop
                            before); sanitised, masked, userinfo removed:
                            "https://a/ -> http://b/x" */
  char withheld_at[160]; /* with cred_withheld: the first origin they were
                            not sent to, "http://other:8080/" */
  const char *phase;     /* "DNS", "connect", "TLS handshake",
                            "waiting for first byte", "reading headers",
                            "reading body", "sending request" */
  char err[256];         /* "TLS handshake failed: certificate has expired" */
  /* With req->keep_headers, the final response's header lines as the
   * server sent them (not sanitised: server bytes, shown only through
   * sw_text_safe), each "Name: value" without its line end and followed
   * by a NUL, headers_len bytes in all, headers_n lines (owned: freed by
   * sw_http_resp_free); continuation lines are dropped. */
  char *headers;
  size_t headers_len, headers_n;
  bool headers_cut; /* lines dropped at SW_HTTP_HEADERS_MAX/_LINES */
} sw_http_resp;

/* The value of the n-th (from 0) header line called name (any case) in
 * resp->headers, blanks around it trimmed, with its length in *len; NULL
 * when there is none. */
const char *sw_http_header(const sw_http_resp *resp, const char *name, size_t n,
                           size_t *len);

/* An HTTP date (RFC 9110 5.6.7: IMF-fixdate, and the obsolete RFC 850
 * and asctime forms) of len bytes as seconds since the epoch in *t.
 * Returns 0, or -1 when it is not one. */
int sw_http_date(const char *value, size_t len, long long *t);

/* The longest bearer token sent (bytes): a JWT with many claims is a
 * few KiB; a longer one is refused (sw_http_perform fails with err set,
 * the plugins say UNKNOWN). The option parsers refuse it first. */
#define SW_HTTP_BEARER_MAX 65536

/* Performs the request, finishing before the deadline (less a margin to
 * print). Redirects (with req->follow) are followed here, hop by hop, not
 * by libcurl: each hop gets credentials only on their origin (see
 * cred_origin), 303 turns into GET, 301/302 turn a POST into GET, 307/308
 * keep method and body (RFC 9110 15.4). resp->t holds the phases of the
 * last hop and the total of all. Returns 0 when a response arrived
 * (whatever its status), -1 on a transport failure with resp->phase and
 * resp->err set (also: too many redirects, a secret body that would go
 * to another origin: phase "redirect" or "request"), or -1 with err set
 * when the request cannot be set up (err->msg non-empty: out of memory,
 * a bearer longer than SW_HTTP_BEARER_MAX, a bad --connect-to). */
int sw_http_perform(const sw_http_req *req, const sw_deadline *d,
                    sw_http_resp *resp, sw_err *err);

void sw_http_resp_free(sw_http_resp *resp);

/* Opens a session whose requests share a cookie engine (RFC 6265) and
 * connections. With cookie_jar, cookies are read from that file first
 * and written back to it when the session closes. Returns 0 or -1. */
int sw_http_session_open(sw_http_session **s, const char *cookie_jar,
                         sw_err *err);
void sw_http_session_close(sw_http_session *s);

/* The URL the last request of a session ended at (after redirects), or
 * "" before any; valid until the next request. */
const char *sw_http_session_url(const sw_http_session *s);

/* Internal to lib/http*.c: fills resp->phase/err/timed_out from how a
 * transfer failed (code is a CURLcode; errbuf libcurl's message; times
 * as reached). */
void sw_http_explain(int code, const char *errbuf, long os_errno,
                     const char *url, bool https, double elapsed,
                     const char *const *secrets, sw_http_resp *resp);

/* Internal: libcurl's debug callback target; masks Authorization,
 * Cookie and every req->secrets string, sanitises, and passes complete
 * lines to req->trace. */
void sw_http_trace(const sw_http_req *req, int type, const char *data,
                   size_t size);

/* Appends the phases as perfdata (time_dns, time_connect, time_tls for
 * https, time_ttfb, time_transfer; U for phases not reached). */
struct sw_check;
void sw_http_perf_phases(struct sw_check *check, const sw_http_times *t,
                         bool https);

/* -v (req->verbose >= 1) after an https request to url that verifies:
 * the line "TLS: verified with the system's CA directory /etc/ssl/certs". */
void sw_http_trust_sub(struct sw_check *check, const sw_http_req *req,
                       const char *url, const sw_http_resp *r);

/* The CA store a request verifies with (lib/http_trust.c): --ca-file
 * only, --ca-path only (both: both), or by default the system's CA
 * directory (SSL_CERT_DIR, else libcurl's default CAPATH) when it holds
 * OpenSSL hash links, else libcurl's default bundle. said tells -v which
 * ("the system's CA directory /etc/ssl/certs"). file and dir point into
 * req, the environment or libcurl's static defaults. */
typedef struct {
  const char *file, *dir;
  char said[300];
} sw_http_store;
void sw_http_trust(void *curl, const sw_http_req *req, sw_http_store *s);

/* Does dir hold at least one OpenSSL hash link ("5d3033c5.0")? */
bool sw_ca_dir_hashed(const char *dir);

/* Turns --connect-to's ADDR, ADDR:PORT, [V6], [V6]:PORT or bare V6 into
 * libcurl's CURLOPT_CONNECT_TO form. Returns 0, or -1 when malformed. */
int sw_http_connect_to(const char *to, char *buf, size_t n);

/* Writes the origin of url ("https://host:443", scheme and host in
 * lower case, the port always given) into buf. Returns 0, or -1 when the
 * URL cannot be parsed. */
int sw_url_origin(const char *url, char *buf, size_t n);

/* url's host, without an IPv6 literal's brackets, into buf (size n).
 * Returns 0, or -1 when the URL cannot be parsed or the host is longer. */
int sw_url_host(const char *url, char *buf, size_t n);

/* Are the two URLs of one origin (scheme, host and port)? false when
 * either cannot be parsed. */
bool sw_same_origin(const char *a, const char *b);

/* Is url an https:// one (scheme in any case)? */
bool sw_url_https(const char *url);

/* Does url hold "user[:password]@" (credentials libcurl sends as
 * Basic authentication)? */
bool sw_url_has_userinfo(const char *url);

/* The password of url's userinfo, decoded, as a new string (free with
 * sw_secret_free), or NULL when there is none (or no memory): for the
 * run's masks. */
char *sw_url_password(const char *url);

/* url without its userinfo, as a new string (free() it; url as it is
 * when curl cannot parse it), or NULL when out of memory. */
char *sw_url_without_userinfo(const char *url);

/* Writes url as output may show it into dst (size n): without userinfo
 * ("user:password@"), every string of secrets masked, sanitised, at most
 * max characters (0: no limit). Returns the length written. */
size_t sw_url_display(char *dst, size_t n, const char *url, size_t max,
                      const char *const *secrets);

/* "libcurl/7.88.1 OpenSSL/3.0.19 ..." */
const char *sw_http_version(char *buf, size_t n);

#endif
