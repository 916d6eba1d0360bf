/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS over TLS (RFC 7858): one TLS connection per resolver made by
 * libcurl (CURLOPT_CONNECT_ONLY: libcurl's TLS, verification and
 * errors, no TLS code of ours), every query sent on it at once with the
 * 2-byte length prefix of DNS over TCP (RFC 1035 4.2.2, RFC 7766 6.2.1),
 * replies matched by ID as they come, in any order (RFC 7858 3.3). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dns_enc.h"

size_t sw_dns_frame(const unsigned char *buf, size_t have,
                    const unsigned char **msg, size_t *len) {
  if (have < 2)
    return 0;
  size_t n = (size_t)buf[0] << 8 | buf[1];
  if (have - 2 < n)
    return 0;
  *msg = buf + 2;
  *len = n;
  return 2 + n;
}

void sw_dns_framer_feed(sw_dns_framer *f, const unsigned char *data, size_t n,
                        void (*on_msg)(void *arg, const unsigned char *msg,
                                       size_t len),
                        void *arg) {
  while (n > 0) {
    /* room for at least one byte: a whole message never stays */
    size_t take = sizeof f->buf - f->have < n ? sizeof f->buf - f->have : n;
    memcpy(f->buf + f->have, data, take);
    f->have += take;
    data += take;
    n -= take;
    const unsigned char *msg;
    size_t len, used, off = 0;
    while ((used = sw_dns_frame(f->buf + off, f->have - off, &msg, &len)) > 0) {
      on_msg(arg, msg, len);
      off += used;
    }
    memmove(f->buf, f->buf + off, f->have - off);
    f->have -= off;
  }
}

size_t sw_dns_framer_want(const sw_dns_framer *f) {
  return f->have >= 2 ? 2 + ((size_t)f->buf[0] << 8 | f->buf[1]) : 0;
}

typedef struct {
  sw_dns_enc_job *j;
  CURL *h;
  sw_dns_watch watch;
  unsigned short *ids; /* the query's ID, by index */
  sw_dns_framer in;
  size_t pending; /* queries without an outcome */
  double t0;      /* when the connection was begun */
  size_t dropped; /* messages that matched no query */
} dot_conn;

/* Distinct random IDs (RFC 5452 9.2): the connection matches by ID. */
static void pick_ids(unsigned short *ids, size_t n) {
  if (getrandom(ids, n * sizeof *ids, 0) != (ssize_t)(n * sizeof *ids))
    for (size_t i = 0; i < n; i++) /* no entropy: distinct at least */
      ids[i] = (unsigned short)(i * 40503u + (unsigned)sw_now());
  for (size_t i = 1; i < n; i++)
    for (size_t k = 0; k < i; k++)
      if (ids[k] == ids[i]) {
        ids[i]++;
        k = (size_t)-1; /* check again from the start */
      }
}

/* One message off the connection: its query's reply, by ID. A reply to
 * no query of ours is dropped, as a UDP client drops it. */
static void on_message(void *arg, const unsigned char *msg, size_t len) {
  dot_conn *c = arg;
  sw_dns_enc_job *j = c->j;
  unsigned id = len >= 2 ? (unsigned)msg[0] << 8 | msg[1] : 0;
  for (size_t i = 0; len >= 2 && i < j->nq; i++) {
    sw_dns_query *q = j->q[i];
    if (c->ids[i] != id || q->outcome != SW_DNS_PENDING)
      continue;
    q->elapsed = sw_now() - c->t0;
    sw_dns_take_reply(q, j->srv, &j->o, j->budget, msg, len);
    c->pending--;
    return;
  }
  /* a flood of them must not grow the trace: the first three, a count */
  if (j->o.verbose >= 2 && ++c->dropped <= 3)
    sw_dns_enc_trace(j,
                     "DoT message of %zu bytes from %s matches no query: "
                     "dropped",
                     len, j->srv->label);
}

/* Ends every query still open with fate and why. */
static void end_pending(dot_conn *c, sw_dns_outcome fate, const char *why) {
  for (size_t i = 0; i < c->j->nq; i++) {
    sw_dns_query *q = c->j->q[i];
    if (q->outcome != SW_DNS_PENDING)
      continue;
    q->outcome = fate;
    q->elapsed = sw_now() - c->t0;
    snprintf(q->err, sizeof q->err, "%s", why);
  }
  c->pending = 0;
}

/* The connection closed: mid-reply, or before one. */
static void on_close(dot_conn *c) {
  char why[160];
  if (c->in.have == 0)
    snprintf(why, sizeof why,
             "reading reply failed: connection closed before a reply");
  else if (c->in.have >= 2)
    snprintf(why, sizeof why,
             "reading reply failed: connection closed mid-reply (after %zu "
             "of %zu bytes)",
             c->in.have, sw_dns_framer_want(&c->in));
  else
    snprintf(why, sizeof why,
             "reading reply failed: connection closed mid-reply (after 1 "
             "byte of a length prefix)");
  end_pending(c, SW_DNS_ERROR, why);
}

/* Reads what there is; returns 1 when more may come, 0 when nothing is
 * there now, -1 when the connection ended (queries ended too). */
static int pull(dot_conn *c) {
  unsigned char chunk[16384];
  size_t n = 0;
  CURLcode rc = curl_easy_recv(c->h, chunk, sizeof chunk, &n);
  if (rc == CURLE_AGAIN)
    return 0;
  if (rc != CURLE_OK) {
    char why[160];
    snprintf(why, sizeof why, "reading reply failed: %s",
             curl_easy_strerror(rc));
    end_pending(c, SW_DNS_ERROR, why);
    return -1;
  }
  if (n == 0) {
    on_close(c);
    return -1;
  }
  sw_dns_framer_feed(&c->in, chunk, n, on_message, c);
  return 1;
}

/* Sends the queries and reads replies until all have come, the
 * connection ends or the deadline comes. */
static void exchange(dot_conn *c, const unsigned char *out, size_t out_len) {
  curl_socket_t fd = CURL_SOCKET_BAD;
  size_t sent = 0;
  curl_easy_getinfo(c->h, CURLINFO_ACTIVESOCKET, &fd);
  while (c->pending > 0) {
    long left = sw_deadline_work_ms(c->j->d);
    if (left <= 0 || fd == CURL_SOCKET_BAD)
      break;
    bool moved = false;
    if (sent < out_len) {
      size_t n = 0;
      CURLcode rc = curl_easy_send(c->h, out + sent, out_len - sent, &n);
      if (rc != CURLE_OK && rc != CURLE_AGAIN) {
        char why[160];
        snprintf(why, sizeof why, "sending queries failed: %s",
                 curl_easy_strerror(rc));
        end_pending(c, SW_DNS_ERROR, why);
        return;
      }
      sent += rc == CURLE_OK ? n : 0;
      moved = rc == CURLE_OK && n > 0;
    }
    int r = pull(c);
    if (r < 0)
      return;
    if (moved || r > 0)
      continue;
    struct pollfd p = {
        .fd = fd, .events = (short)(POLLIN | (sent < out_len ? POLLOUT : 0))};
    poll(&p, 1, (int)(left < 1000 ? left : 1000));
  }
  if (c->pending > 0)
    end_pending(c, SW_DNS_TIMEOUT,
                c->in.have ? "reading the reply" : "waiting for the reply");
}

/* Every query's frame, one after the other: *out (free it), *len. */
static int frames(dot_conn *c, unsigned char **out, size_t *len) {
  sw_dns_enc_job *j = c->j;
  *len = 0;
  if (!(*out = malloc(j->nq * (2 + SW_DNS_QUERY_MAX) + 1)))
    return -1;
  for (size_t i = 0; i < j->nq; i++) {
    size_t n = 0;
    if (sw_dns_enc_wire(j->q[i], &j->o, c->ids[i], *out + *len + 2, &n) < 0) {
      c->pending--;
      continue;
    }
    (*out)[*len] = (unsigned char)(n >> 8);
    (*out)[*len + 1] = (unsigned char)n;
    *len += 2 + n;
    sw_dns_enc_trace_query(j, j->q[i], "DoT", c->ids[i]);
  }
  return 0;
}

void sw_dns_dot_run(sw_dns_enc_job *j) {
  char errbuf[CURL_ERROR_SIZE] = "";
  dot_conn *c = calloc(1, sizeof *c);
  unsigned char *out = NULL;
  size_t out_len = 0;
  long ms = sw_deadline_work_ms(j->d);
  if (c)
    c->ids = calloc(j->nq ? j->nq : 1, sizeof *c->ids);
  if (!c || !c->ids || !(c->h = curl_easy_init())) {
    for (size_t i = 0; i < j->nq; i++) {
      j->q[i]->outcome = SW_DNS_ERROR;
      snprintf(j->q[i]->err, sizeof j->q[i]->err, "out of memory");
    }
    goto out;
  }
  c->j = j;
  c->pending = j->nq;
  c->t0 = sw_now();
  pick_ids(c->ids, j->nq);
  CURL *h = c->h;
  CURLcode rc = sw_dns_enc_tls(h, &j->o);
  if (rc == CURLE_OK)
    rc = sw_dns_enc_watch(h, &c->watch);
  /* an https URL connects and shakes hands, then stops (CONNECT_ONLY);
   * no ALPN: the port speaks DNS, not HTTP */
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_URL, j->srv->url);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_SSL_ENABLE_ALPN, 0L);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
  if (rc == CURLE_OK)
    rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    for (size_t i = 0; i < j->nq; i++)
      sw_dns_enc_fail(j->q[i], &c->watch, rc, errbuf, j->srv->url, c->t0);
    goto out;
  }
  if (frames(c, &out, &out_len) < 0) {
    end_pending(c, SW_DNS_ERROR, "out of memory");
    goto out;
  }
  exchange(c, out, out_len);
  if (j->o.verbose >= 2 && c->dropped > 3)
    sw_dns_enc_trace(j, "DoT: %zu messages from %s matched no query in all",
                     c->dropped, j->srv->label);
out:
  if (c && c->h)
    curl_easy_cleanup(c->h);
  if (c)
    free(c->ids);
  free(c);
  free(out);
}
