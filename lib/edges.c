/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --all-addresses: every edge at once, one line each, one verdict on how
 * many fail (see streamwatch/edges.h). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/edges.h"
#include "streamwatch/fanout.h"
#include "streamwatch/http.h"
#include "streamwatch/strbuf.h"

void sw_edges_opts_init(sw_edges_opts *o) {
  *o = (sw_edges_opts){0};
  sw_range_parse("0", "--edge-fail-critical", &o->fail_crit, NULL);
}

int sw_edges_option(sw_edges_opts *o, int c, const char *arg, sw_err *err) {
  switch (c) {
  case SW_EOPT_ALL: o->all = true; return 0;
  case SW_EOPT_RESOLVER: o->resolver = arg; return 0;
  case SW_EOPT_PERFDATA: o->perfdata = true; return 0;
  case SW_EOPT_FAIL_WARN:
    return sw_range_parse(arg, "--edge-fail-warning", &o->fail_warn, err);
  case SW_EOPT_FAIL_CRIT:
    return sw_range_parse(arg, "--edge-fail-critical", &o->fail_crit, err);
  default: return 1;
  }
}

int sw_edges_opts_check(const sw_edges_opts *o, const char *connect_to,
                        sw_err *err) {
  if (o->all && connect_to)
    return sw_fail(err, "--all-addresses: not with --connect-to (one pins a "
                        "single address, the other tests them all)");
  if (o->all)
    return 0;
  const char *alone = o->resolver                      ? "--resolver"
                      : o->perfdata                    ? "--edge-perfdata"
                      : o->fail_warn.set               ? "--edge-fail-warning"
                      : strcmp(o->fail_crit.text, "0") ? "--edge-fail-critical"
                                                       : NULL;
  if (alone)
    return sw_fail(err, "%s: only with --all-addresses", alone);
  return 0;
}

typedef struct {
  char addr[46];
  sw_edge_fn fn;
  void *arg;
  const sw_deadline *d;
  sw_check check;
  double time;
} edge;

/* What no edge can be: DNS answering the unspecified address (which
 * connects to the monitoring host itself), a multicast or a broadcast
 * one. NULL for a host address. */
static const char *not_a_host(const char *addr) {
  unsigned char b[16];
  if (inet_pton(AF_INET, addr, b) == 1)
    return b[0] == 0                   ? "the unspecified network 0.0.0.0/8"
           : b[0] >= 224 && b[0] < 240 ? "a multicast address"
           : b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255
               ? "the broadcast address"
               : NULL;
  if (inet_pton(AF_INET6, addr, b) == 1) {
    static const unsigned char zero[16] = {0};
    return !memcmp(b, zero, 16) ? "the unspecified address"
           : b[0] == 0xff       ? "a multicast address"
                                : NULL;
  }
  return NULL;
}

static void *edge_job(void *v) {
  edge *e = v;
  const char *bad = not_a_host(e->addr);
  if (bad) {
    sw_check_raise(&e->check, SW_CRITICAL);
    sw_check_summary(&e->check, "DNS answered %s: not tested", bad);
  } else if (e->d->end - sw_now() < 0.05) { /* the edges before took -t */
    sw_check_raise(&e->check, SW_CRITICAL);
    sw_check_summary(&e->check, "not started: -t reached");
  } else {
    e->time = e->fn(e->arg, e->addr, e->d, &e->check);
  }
  return NULL;
}

/* The edge's first line: its summary, or its worst sub-check's text. */
static const char *edge_text(const sw_check *c) {
  const sw_subcheck *w = NULL;
  for (size_t i = 0; i < c->nsubs; i++)
    if (!w || c->subs[i].state > w->state)
      w = &c->subs[i];
  if (c->summary && c->summary[0])
    return c->summary;
  return w ? w->text : "no result";
}

/* The most of one edge's text the summary holds (its line has all). */
enum { EDGE_TEXT_MAX = 100 };

/* A failing edge: its own check is CRITICAL or UNKNOWN (a WARNING edge
 * answers, and keeps its own state). */
static bool failing(const edge *e) {
  sw_state s = sw_check_state(&e->check);
  return s == SW_CRITICAL || s == SW_UNKNOWN;
}

/* A label graphs can hold: letters, digits, '_' for '.' and '-' for ':'
 * ("edge_10_0_0_1_time", "edge_2001-db8--7_time"): one label per address,
 * since inet_ntop writes each address one way. */
static void edge_label(char *buf, size_t n, const char *addr) {
  sw_buf b;
  sw_buf_fixed(&b, buf, n);
  sw_buf_addf(&b, "edge_");
  for (const char *p = addr; *p; p++) {
    char ch = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                      (*p >= 'A' && *p <= 'Z')
                  ? *p
              : *p == ':' ? '-'
                          : '_';
    sw_buf_addf(&b, "%c", ch);
  }
  sw_buf_addf(&b, "_time");
}

static void perfdata(const sw_edges_opts *o, const edge *e, size_t n,
                     size_t nfailed, sw_check *check) {
  int fast = -1, slow = -1;
  for (size_t i = 0; i < n; i++) {
    if (failing(&e[i]) || e[i].time < 0)
      continue;
    if (fast < 0 || e[i].time < e[fast].time)
      fast = (int)i;
    if (slow < 0 || e[i].time > e[slow].time)
      slow = (int)i;
  }
  sw_perf all = {.label = "edges",
                 .measured = true,
                 .value = (double)n,
                 .uom = "",
                 .has_min = true};
  sw_check_perf(check, &all);
  sw_perf bad = {.label = "edges_failed",
                 .measured = true,
                 .value = (double)nfailed,
                 .uom = "",
                 .warn = &o->fail_warn,
                 .crit = &o->fail_crit,
                 .has_min = true};
  sw_check_perf(check, &bad);
  sw_check_perf_time(check, "edge_time_fastest", fast < 0 ? -1 : e[fast].time,
                     NULL, NULL, true);
  sw_check_perf_time(check, "edge_time_slowest", slow < 0 ? -1 : e[slow].time,
                     NULL, NULL, true);
  for (size_t i = 0; o->perfdata && i < n; i++) {
    char label[80];
    edge_label(label, sizeof label, e[i].addr);
    sw_check_perf_time(check, label, failing(&e[i]) ? -1 : e[i].time, NULL,
                       NULL, true);
  }
}

/* A line per edge and the summary. */
/* text without a leading "GET URL: " (every edge asks the one URL: the
 * summary says the rest). */
static const char *without_url(const char *text, const char *url) {
  const char *at = strstr(text, url);
  size_t n = strlen(url);
  if (at && at - text <= 10 && at > text && at[-1] == ' ' && at[n] == ':' &&
      at[n + 1] == ' ')
    return at + n + 2;
  return text;
}

static void report(const sw_edges_opts *o, const char *url, const char *host,
                   const edge *e, size_t n, size_t total, sw_check *check) {
  size_t nfailed = 0;
  for (size_t i = 0; i < n; i++)
    nfailed += failing(&e[i]);
  sw_state fs = sw_range_state(&o->fail_warn, &o->fail_crit, (double)nfailed);
  char said[128], t[32];
  sw_range_threshold(said, sizeof said,
                     fs == SW_WARNING ? "--edge-fail-warning"
                                      : "--edge-fail-critical",
                     fs == SW_WARNING ? &o->fail_warn : &o->fail_crit, "");
  for (size_t i = 0; i < n; i++) {
    sw_state s = sw_check_state(&e[i].check);
    if (s == SW_CRITICAL) /* the count decides what a failing edge is */
      s = fs;
    sw_check_sub(check, s, "%s: %s", e[i].addr, edge_text(&e[i].check));
  }
  if (total > n)
    sw_check_sub(check, SW_OK,
                 "%zu more addresses of %s not tested (at most %d)", total - n,
                 host, SW_EDGES_MAX);
  sw_buf b;
  /* every failing edge, each with its text cut to EDGE_TEXT_MAX, and the
   * threshold: whatever one edge says, the others stay in the summary */
  sw_buf_init(&b, SW_EDGES_MAX * (46 + EDGE_TEXT_MAX + 8) + 512);
  if (nfailed) {
    sw_buf_addf(&b, "%zu/%zu edges of %s failing", nfailed, n, host);
    const char *sep = ": ";
    for (size_t i = 0; i < n; i++) {
      char text[EDGE_TEXT_MAX + 1];
      sw_buf one;
      if (!failing(&e[i]))
        continue;
      sw_buf_fixed(&one, text, sizeof text);
      sw_buf_puts(&one, without_url(edge_text(&e[i].check), url));
      sw_buf_addf(&b, "%s%s %s", sep, e[i].addr, text);
      sep = ", ";
    }
    if (fs != SW_OK)
      sw_buf_addf(&b, " (%s)", said);
  } else {
    int fast = 0, slow = 0;
    for (size_t i = 1; i < n; i++) {
      fast = e[i].time >= 0 && e[i].time < e[fast].time ? (int)i : fast;
      slow = e[i].time > e[slow].time ? (int)i : slow;
    }
    sw_buf_addf(&b, "%zu/%zu edges of %s OK", n, n, host);
    if (e[fast].time >= 0)
      sw_buf_addf(&b, ", fastest %s %s s", e[fast].addr,
                  sw_perf_secs(t, sizeof t, e[fast].time));
    if (n > 1 && e[slow].time >= 0)
      sw_buf_addf(&b, ", slowest %s %s s", e[slow].addr,
                  sw_perf_secs(t, sizeof t, e[slow].time));
  }
  sw_check_raise(check, fs);
  sw_check_summary(check, "%s", b.nomem ? "out of memory" : sw_buf_str(&b));
  if (b.nomem)
    sw_check_raise(check, SW_UNKNOWN);
  sw_buf_free(&b);
  perfdata(o, e, n, nfailed, check);
}

void sw_edges_run(const sw_edges_opts *o, const char *url, int family,
                  const sw_deadline *d, sw_edge_fn fn, void *arg,
                  sw_check *check) {
  char host[256], note[300] = "";
  char(*addrs)[46] = calloc(SW_EDGES_MAX, sizeof *addrs);
  size_t n = 0, total = 0;
  sw_err err = {""};
  unsigned char bin[16];
  if (!addrs) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory");
    return;
  }
  if (sw_url_host(url, host, sizeof host) < 0) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "--all-addresses: no host in the URL");
  } else if (inet_pton(AF_INET, host, bin) == 1 ||
             inet_pton(AF_INET6, host, bin) == 1) {
    snprintf(addrs[0], 46, "%s", host); /* an address is its one edge */
    n = total = 1;
  } else if (sw_edges_resolve(host, family, o->resolver, d, addrs, SW_EDGES_MAX,
                              &n, &total, note, sizeof note, &err) < 0) {
    /* a bad --resolver is the configuration's fault, no address DNS's */
    sw_check_raise(check,
                   strncmp(err.msg, "DNS:", 4) ? SW_UNKNOWN : SW_CRITICAL);
    sw_check_summary(check, "%s", err.msg);
  }
  edge *e = n ? calloc(n, sizeof *e) : NULL;
  if (n && !e) {
    sw_check_raise(check, SW_UNKNOWN);
    sw_check_summary(check, "out of memory");
  }
  for (size_t i = 0; e && i < n; i++) {
    snprintf(e[i].addr, sizeof e[i].addr, "%s", addrs[i]);
    e[i].fn = fn;
    e[i].arg = arg;
    e[i].d = d;
    e[i].time = -1;
    sw_check_init(&e[i].check, check->service);
    e[i].check.secrets = check->secrets;
  }
  if (e) {
    /* libcurl's global state once for all the edges' threads, not set
     * up and torn down by each request */
    bool curl_up = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    sw_fanout(e, n, sizeof *e, edge_job, SW_EDGES_THREADS);
    if (curl_up)
      curl_global_cleanup();
    report(o, url, host, e, n, total, check);
    if (note[0])
      sw_check_sub(check, SW_OK, "%s", note);
    if (o->verbose >= 2)
      sw_check_sub(check, SW_OK,
                   "no request trace with --all-addresses (the edges run at "
                   "once): -vv one edge with --connect-to");
  } else if (!n) {
    sw_edges_opts none = *o;
    none.perfdata = false;
    perfdata(&none, NULL, 0, 0, check); /* the labels of every run */
  }
  for (size_t i = 0; e && i < n; i++)
    sw_check_free(&e[i].check);
  free(e);
  free(addrs);
}
