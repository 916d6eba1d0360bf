/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --all-addresses (check_api, check_login, check_stream): a service name
 * resolves to many edges, and one of them can be the broken one. The
 * URL's host is resolved through c-ares (A and AAAA, or -4/-6, on
 * --resolver or the system's resolvers), and the plugin's whole check
 * runs once per address at the same time under the run's deadline, each
 * pinned to its address with Host and SNI kept (--connect-to's
 * mechanism). Each edge gets a line; the summary names the failing ones;
 * perfdata has stable labels (edges, edges_failed, the fastest and
 * slowest edge's time) and, with --edge-perfdata, one time per address. */
#ifndef STREAMWATCH_EDGES_H
#define STREAMWATCH_EDGES_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/deadline.h"
#include "streamwatch/range.h"
#include "streamwatch/result.h"

/* Option values, between the shared HTTP ones and the plugins' own. */
enum {
  SW_EOPT_ALL = 0x1060,
  SW_EOPT_RESOLVER,
  SW_EOPT_PERFDATA,
  SW_EOPT_FAIL_WARN,
  SW_EOPT_FAIL_CRIT
};

/* The most addresses tested; more are left out and the output says so. */
/* At most SW_EDGES_THREADS edges run at once: six edges cost one
 * request's time, and their bodies (check_api's 4 MiB each) with the one
 * JSON tree judged at a time stay within the run's 64 MiB. */
enum { SW_EDGES_MAX = 64, SW_EDGES_THREADS = 6 };

typedef struct {
  bool all;             /* --all-addresses */
  const char *resolver; /* --resolver ADDR[:PORT], or NULL: resolv.conf's */
  bool perfdata;        /* --edge-perfdata */
  int verbose;          /* -v count, set by the plugin */
  sw_range fail_warn, fail_crit; /* on the number of failing edges */
} sw_edges_opts;

/* The option table's rows (icinga: the Icinga variables' prefix). */
#define SW_EDGES_OPTDEF                                                        \
  {SW_EOPT_ALL,                                                                \
   "all-addresses",                                                            \
   SW_ARG_NONE,                                                                \
   NULL,                                                                       \
   "test every address the -u URL's host resolves to,\n"                       \
   "all at once (Host and SNI kept), a line each",                             \
   NULL,                                                                       \
   "Test every address (edge) the URL's host resolves to, all at once, "       \
   "keeping Host and SNI; a line for each, the summary names the failing "     \
   "ones (not with @_connect_to)"},                                            \
      {SW_EOPT_RESOLVER,                                                       \
       "resolver",                                                             \
       SW_ARG_ONE,                                                             \
       "ADDR[:PORT]",                                                          \
       "resolver for --all-addresses (default: the\n"                          \
       "system's, /etc/resolv.conf)",                                          \
       NULL,                                                                   \
       "Resolver (numeric address) that @_all_addresses asks (default: the "   \
       "nameservers of /etc/resolv.conf)"},                                    \
      {SW_EOPT_PERFDATA,                                                       \
       "edge-perfdata",                                                        \
       SW_ARG_NONE,                                                            \
       NULL,                                                                   \
       "with --all-addresses: a time series per address",                      \
       NULL,                                                                   \
       "With @_all_addresses: perfdata edge_ADDR_time for each address"},      \
      {SW_EOPT_FAIL_WARN,                                                      \
       "edge-fail-warning",                                                    \
       SW_ARG_ONE,                                                             \
       "RANGE",                                                                \
       "on the number of failing edges",                                       \
       NULL,                                                                   \
       "Range on the number of failing edges, that warns"},                    \
  {                                                                            \
    SW_EOPT_FAIL_CRIT, "edge-fail-critical", SW_ARG_ONE, "RANGE",              \
        "the same, CRITICAL (default 0: any)", NULL,                           \
        "Range on the number of failing edges, that is critical (plugin "      \
        "default 0: any)"                                                      \
  }

/* Sets the defaults: not on, --edge-fail-critical 0. */
void sw_edges_opts_init(sw_edges_opts *o);

/* Applies one edge option. Returns 0, 1 when c is not one, or -1 with
 * err naming the option. */
int sw_edges_option(sw_edges_opts *o, int c, const char *arg, sw_err *err);

/* After parsing: the edge options without --all-addresses, or
 * --all-addresses with --connect-to (connect_to non-NULL), cannot work.
 * Returns 0, or -1 with err naming the option. */
int sw_edges_opts_check(const sw_edges_opts *o, const char *connect_to,
                        sw_err *err);

/* Checks one edge: runs the plugin's check pinned to addr (a numeric
 * address) into check (initialised, empty), from a thread of its own;
 * returns the edge's time in seconds, or -1 when none was measured. */
typedef double (*sw_edge_fn)(void *arg, const char *addr, const sw_deadline *d,
                             sw_check *check);

/* Resolves url's host and runs fn for every address at once, then
 * reports into check: a line per edge, the summary, the perfdata. A host
 * that does not resolve is CRITICAL naming DNS; family is 0, 4 or 6. */
void sw_edges_run(const sw_edges_opts *o, const char *url, int family,
                  const sw_deadline *d, sw_edge_fn fn, void *arg,
                  sw_check *check);

/* The most seconds one resolver is waited for (and never more than half
 * the time left): a silent one leaves time for the next and the edges. */
#define SW_EDGES_DNS_MAX 2.0

/* Internal to lib/edges*.c: the numeric addresses host resolves to (A
 * and AAAA, as family allows; an IPv4-mapped address is IPv4), without
 * duplicates, at most max (the first in answer order) into addrs[][46],
 * sorted (IPv4 first); *total counts the distinct ones. note (note_n
 * bytes) tells of a type that got no answer when the other one decided
 * ("AAAA: timeout from 127.0.0.53"), else "". Returns 0, or -1 with err
 * ("DNS: ..."). */
int sw_edges_resolve(const char *host, int family, const char *resolver,
                     const sw_deadline *d, char (*addrs)[46], size_t max,
                     size_t *n, size_t *total, char *note, size_t note_n,
                     sw_err *err);

#endif
