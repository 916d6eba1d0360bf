/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --compare-serial: the SOA serials (RFC 1035 section 3.3.13) each
 * resolver gives for a zone must agree. A zone change applied on some
 * servers only (the "routine update" of an outage) shows as resolvers
 * serving different serials, each named with its serial. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

/* The serial of an SOA answer's text ("mname rname SERIAL refresh ..."):
 * 0 and false when the text holds none. */
static bool soa_serial(const sw_dns_reply *r, unsigned long *serial) {
  for (size_t i = 0; i < r->nrrs; i++) {
    const char *t = r->rrs[i].text;
    if (r->rrs[i].type != SW_DNS_SOA || !t)
      continue;
    const char *sp = strchr(t, ' ');
    if (sp && (sp = strchr(sp + 1, ' ')) && sscanf(sp + 1, "%lu", serial) == 1)
      return true;
  }
  return false;
}

/* One name's row: "zone.example: SOA serials differ: ns1 2026120701,
 * ns2 2026120601" into b when they differ. Returns the number of distinct
 * serials seen (0: no resolver gave one). */
static size_t row_serials(const resolve_cfg *cfg, const sw_dns_query *row,
                          sw_buf *b) {
  unsigned long seen[RESOLVE_MAX_SERVERS];
  unsigned long serial[RESOLVE_MAX_SERVERS];
  bool has[RESOLVE_MAX_SERVERS];
  size_t distinct = 0;
  for (size_t s = 0; s < cfg->nservers; s++) {
    const sw_dns_query *x = &row[s];
    has[s] = x->outcome == SW_DNS_REPLY && x->reply.rcode == 0 &&
             soa_serial(&x->reply, &serial[s]);
    if (!has[s])
      continue;
    size_t k = 0;
    while (k < distinct && seen[k] != serial[s])
      k++;
    if (k == distinct)
      seen[distinct++] = serial[s];
  }
  if (distinct < 2)
    return distinct;
  sw_buf_addf(b, "%s: SOA serials differ:", row[0].name);
  const char *sep = " ";
  for (size_t s = 0; s < cfg->nservers; s++)
    if (has[s]) {
      sw_buf_addf(b, "%s%s %lu", sep, resolve_server_name(cfg, s), serial[s]);
      sep = ", ";
    }
  return distinct;
}

size_t resolve_compare_serials(const resolve_cfg *cfg, const sw_dns_query *q,
                               sw_check *check, sw_buf *first, size_t *most) {
  size_t differ = 0;
  *most = 0;
  for (size_t name = 0; name < cfg->nnames; name++) {
    sw_buf text;
    sw_buf_init(&text, 2048);
    size_t d = row_serials(cfg, q + name * cfg->nservers, &text);
    if (d > *most)
      *most = d;
    if (text.nomem) {
      sw_check_sub(check, SW_UNKNOWN, "%s: out of memory comparing serials",
                   q[name * cfg->nservers].name);
    } else if (d > 1) {
      sw_check_sub(check, SW_WARNING, "%s", sw_buf_str(&text));
      if (differ++ == 0)
        sw_buf_puts(first, sw_buf_str(&text));
    }
    sw_buf_free(&text);
  }
  return differ;
}
