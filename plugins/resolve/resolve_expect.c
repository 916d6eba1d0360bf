/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve's -a expectations: one value, a check_dns style comma
 * list (the exact set of answers), and the groups they form. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "resolve.h"
#include "streamwatch/strparse.h"

/* An address or CIDR block (1), a text (0), or a bad prefix (-1). */
static int parse_family_prefix(const char *text, resolve_expect *e) {
  unsigned prefix = 0;
  bool slash;
  int rc = sw_dns_cidr_parse(text, &e->family, e->addr, &prefix, &slash);
  if (rc <= 0)
    e->family = 0;
  e->prefix = (int)prefix;
  return rc;
}

int resolve_expect_parse(const char *text, resolve_expect *e, sw_err *err) {
  memset(e, 0, sizeof *e);
  size_t len = strlen(text);
  if (len == 0)
    return sw_fail(err, "-a: invalid expectation '%s'", text);
  e->text = text;
  int rc = parse_family_prefix(text, e);
  if (rc < 0)
    return sw_fail(err, "-a: invalid CIDR prefix in '%s'", text);
  /* "host.example." and "host.example" name the same target; the root
   * "." is the empty name */
  e->keylen = text[len - 1] == '.' ? len - 1 : len;
  return 0;
}

bool resolve_expect_match(const resolve_expect *e, const sw_dns_rr *rr) {
  if (e->family && rr->family) {
    if (rr->family != e->family)
      return false;
    int whole = e->prefix / 8, bits = e->prefix % 8;
    if (memcmp(e->addr, rr->addr, (size_t)whole) != 0)
      return false;
    unsigned char mask = (unsigned char)(0xff << (8 - bits));
    return bits == 0 || (e->addr[whole] & mask) == (rr->addr[whole] & mask);
  }
  if (rr->family) /* an A/AAAA answer against a text */
    return false;
  size_t kl;
  const char *k = sw_dns_rr_key(rr, &kl);
  if (rr->type == SW_DNS_TXT || rr->type == SW_DNS_CAA)
    return strlen(e->text) == kl && memcmp(e->text, k, kl) == 0;
  return e->keylen == kl && strncasecmp(e->text, k, kl) == 0;
}

/* Adds one value of -a (text lives as long as cfg) to group g. */
static int add_expect(resolve_cfg *cfg, const char *text, size_t g,
                      sw_err *err) {
  if (cfg->nexpects == RESOLVE_MAX_EXPECT)
    return sw_fail(err, "-a: at most %d expected values", RESOLVE_MAX_EXPECT);
  resolve_expect *e = &cfg->expects[cfg->nexpects];
  if (resolve_expect_parse(text, e, err) < 0)
    return -1;
  e->group = g;
  cfg->nexpects++;
  cfg->groups[g].n++;
  return 0;
}

/* Splits a check_dns style list "10.0.0.1,10.0.0.2" (spaces around the
 * values allowed) into group g's values, copied into cfg->pieces. */
static int split_list(resolve_cfg *cfg, const char *arg, size_t g,
                      sw_err *err) {
  const char *p = arg;
  for (;;) {
    const char *comma = strchr(p, ',');
    const char *end = comma ? comma : p + strlen(p);
    while (p < end && *p == ' ')
      p++;
    while (end > p && end[-1] == ' ')
      end--;
    size_t len = (size_t)(end - p), k = cfg->nexpects;
    if (len == 0)
      return sw_fail(err,
                     "-a: empty value in the list '%s' (give "
                     "VALUE,VALUE,...)",
                     arg);
    if (k == RESOLVE_MAX_EXPECT || len >= RESOLVE_MAX_PIECE)
      return sw_fail(err,
                     "-a: list '%.60s' too long (at most %d values of "
                     "%d characters)",
                     arg, RESOLVE_MAX_EXPECT, RESOLVE_MAX_PIECE - 1);
    memcpy(cfg->pieces[k], p, len);
    cfg->pieces[k][len] = '\0';
    if (add_expect(cfg, cfg->pieces[k], g, err) < 0)
      return -1;
    if (!comma)
      return 0;
    p = comma + 1;
  }
}

int resolve_expect_groups(resolve_cfg *cfg, sw_err *err) {
  int qt = cfg->dns.qtype;
  /* TXT and CAA texts may hold commas ("v=spf1 a,b"): always whole */
  bool lists = qt != SW_DNS_TXT && qt != SW_DNS_CAA;
  cfg->nexpects = cfg->ngroups = 0;
  for (size_t i = 0; i < cfg->nexpect_args; i++) {
    const char *arg = cfg->expect_args[i];
    resolve_group *g = &cfg->groups[cfg->ngroups];
    *g = (resolve_group){.text = arg, .first = cfg->nexpects};
    int rc = lists && strchr(arg, ',')
                 ? split_list(cfg, arg, cfg->ngroups, err)
                 : add_expect(cfg, arg, cfg->ngroups, err);
    if (rc < 0)
      return -1;
    g->set = g->n > 1;
    cfg->ngroups++;
  }
  return 0;
}
