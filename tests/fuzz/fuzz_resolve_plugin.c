/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve as a whole, without a network: the input is a few option
 * bits and one or two DNS replies as resolvers send them. The options go
 * through the plugin's own parser (resolve_parse), the replies through
 * sw_dns_reply_parse, the plugin's judge (resolve_judge) and the one
 * printer (sw_check_print) into memory, exactly as main runs them.
 *
 * Input: byte 0: query type (low 4 bits; 10..15 also name the resolvers
 * and give -a as a check_dns list), -C, -n, -A, -v; byte 1: -a
 * (and -L), a second resolver, --dnssec with --client-subnet
 * 10.1.0.0/16, and how each query ended (reply, timeout,
 * refused, malformed, past the memory budget); bytes 2-3: the length of
 * the first reply; then the first reply, and the rest is the second.
 *
 * Oracle: exactly one status line "RESOLVE STATE - ..." then only
 * "\_ [STATE] ..." lines, one per query at least; no control byte but
 * the newlines ending lines, valid UTF-8; perfdata that re-parses (a
 * label [A-Za-z0-9_-]+, never quoted, a C-locale
 * number or U, a known UOM, range and number fields), every label unique,
 * a time label per query, answers= the number of answers judged; the
 * exit state 0..3 and the state word agree; and no false OK: OK needs
 * every query to have had a usable outcome (with --dnssec: the AD bit;
 * with --client-subnet: no ECS option malformed or of another subnet). */
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../plugins/resolve/resolve.h"
#include "fuzz.h"

static const char *const qtypes[] = {"A",   "AAAA", "CNAME", "MX",  "NS",
                                     "TXT", "SRV",  "SOA",   "PTR", "CAA"};

/* -a values that can match each kind of answer. */
static const char *expect_for(const char *qt) {
  if (strcmp(qt, "A") == 0)
    return "10.0.0.0/8";
  if (strcmp(qt, "AAAA") == 0)
    return "2001:db8::/32";
  if (strcmp(qt, "TXT") == 0)
    return "v=spf1 -all";
  return "ok.fault.test.";
}

/* check_dns style -a lists (an exact answer set) for each kind of
 * answer; TXT and CAA texts keep their commas. */
static const char *expect_list_for(const char *qt) {
  if (strcmp(qt, "A") == 0)
    return "10.0.0.0/8, 10.2.0.1";
  if (strcmp(qt, "AAAA") == 0)
    return "2001:db8::/32,2001:db8::1";
  if (strcmp(qt, "TXT") == 0 || strcmp(qt, "CAA") == 0)
    return "v=spf1 a,b";
  return "ok.fault.test.,other.fault.test";
}

static int parse_cfg(resolve_cfg *cfg, unsigned o0, unsigned o1) {
  char *argv[24];
  int argc = 0;
  const char *qt = qtypes[(o0 & 15) % 10];
  /* type nibbles 10..15 (types 0..5 again) also name the resolvers
   * (-s NAME=ADDR) and give -a as a list */
  bool alt = (o0 & 15) >= 10;
  argv[argc++] = "check_resolve";
  argv[argc++] = "-H";
  argv[argc++] = "ok.fault.test";
  argv[argc++] = "-s";
  argv[argc++] = alt ? "ns1=10.0.0.1" : "10.0.0.1";
  if (o1 & 4) {
    argv[argc++] = "-s";
    argv[argc++] = alt ? "ns-2=[2001:db8::53]:5353" : "[2001:db8::53]:5353";
  }
  argv[argc++] = "-q";
  argv[argc++] = (char *)qt;
  if (o0 & 16)
    argv[argc++] = "-C";
  if (o0 & 32)
    argv[argc++] = "-n";
  if (o0 & 64)
    argv[argc++] = "-A";
  if (o0 & 128)
    argv[argc++] = "-v";
  if (o1 & 8) {
    argv[argc++] = "--dnssec";
    argv[argc++] = "--client-subnet";
    argv[argc++] = "10.1.0.0/16";
  }
  if ((o1 & 1) && !(o0 & 32)) { /* -a with -n is refused */
    argv[argc++] = "-a";
    argv[argc++] = (char *)(alt ? expect_list_for(qt) : expect_for(qt));
    if (o1 & 2)
      argv[argc++] = "-L";
  }
  argv[argc] = NULL;
  sw_err err = {{0}};
  optind = 0;
  return resolve_parse(argc, argv, cfg, &err) == SW_STD_DONE ? 0 : -1;
}

/* How query i ended: mostly a reply; 2 bits of o1 per query else. */
static void fill_query(const resolve_cfg *cfg, sw_dns_query *q, size_t i,
                       unsigned how, const unsigned char *b, size_t n) {
  sw_err err = {{0}};
  memset(q, 0, sizeof *q);
  q->name = cfg->names[0];
  q->server = i;
  q->elapsed = 0.0005 + (double)n / 1000.0;
  switch (how) {
  case 1: q->outcome = SW_DNS_TIMEOUT; return;
  case 2: q->outcome = SW_DNS_CONNREFUSED; return;
  case 3:
    q->outcome = SW_DNS_LIMIT;
    snprintf(q->err, sizeof q->err, "past the limit");
    return;
  default: break;
  }
  if (sw_dns_reply_parse(b, n, cfg->dns.qtype, &q->reply, &err) == 0) {
    q->outcome = SW_DNS_REPLY;
  } else {
    q->outcome = SW_DNS_MALFORMED;
    snprintf(q->err, sizeof q->err, "%s", err.msg);
  }
}

static bool state_word(const char *s, size_t *len) {
  static const char *const w[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  for (int i = 0; i < 4; i++) {
    size_t l = strlen(w[i]);
    if (strncmp(s, w[i], l) == 0) {
      *len = l;
      return true;
    }
  }
  return false;
}

static bool is_num(const char *s, size_t n) {
  size_t i = 0, d = 0;
  if (i < n && s[i] == '-')
    i++;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
    d++;
  if (i < n && s[i] == '.') {
    size_t f = 0;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      f++;
    if (!f)
      return false;
  }
  return d > 0 && i == n;
}

/* One perfdata token at *p: label, '=', value, UOM, fields. Writes the
 * label (unquoted) into label. Returns the end of the token. */
static const char *perf_token(const char *p, char *label, size_t lsize) {
  size_t l = 0;
  FUZZ_ASSERT(*p != '\''); /* labels are [A-Za-z0-9_-]: never quoted */
  if (*p == '\'') {
    for (p++;; p++) {
      FUZZ_ASSERT(*p != '\0');
      if (*p == '\'' && p[1] == '\'') {
        p++;
      } else if (*p == '\'') {
        p++;
        break;
      }
      FUZZ_ASSERT(*p != '=' && *p != '|');
      FUZZ_ASSERT(l + 1 < lsize);
      label[l++] = *p;
    }
  } else {
    for (; *p && *p != '='; p++) {
      char c = *p;
      FUZZ_ASSERT((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '-');
      FUZZ_ASSERT(l + 1 < lsize);
      label[l++] = c;
    }
  }
  label[l] = '\0';
  FUZZ_ASSERT(l > 0 && *p == '=');
  const char *v = ++p, *e = v;
  while (*e && *e != ' ' && *e != ';')
    e++;
  size_t vl = (size_t)(e - v), ul = 0;
  while (vl > 0 &&
         ((v[vl - 1] >= 'a' && v[vl - 1] <= 'z') ||
          (v[vl - 1] >= 'A' && v[vl - 1] <= 'Z') || v[vl - 1] == '%')) {
    vl--;
    ul++;
  }
  FUZZ_ASSERT((vl == 0 && ul == 1 && v[0] == 'U') || is_num(v, vl));
  FUZZ_ASSERT(ul == 0 || (ul == 1 && strchr("sBc%U", v[vl])));
  for (int f = 0; *e == ';'; f++) {
    FUZZ_ASSERT(f < 4);
    const char *s = ++e;
    while (*e && *e != ' ' && *e != ';')
      e++;
    for (const char *c = s; c < e; c++)
      FUZZ_ASSERT(strchr("0123456789.-:~@", *c) != NULL);
  }
  return e;
}

/* The perfdata after " | " on the first line; returns the label count
 * and checks them unique; *answers gets answers= as a number. */
static size_t check_perf(const char *perf, size_t len, long *answers) {
  char *copy = fuzz_str((const uint8_t *)perf, len);
  char labels[64][200];
  size_t n = 0;
  const char *p = copy;
  while (*p) {
    FUZZ_ASSERT(n < 64);
    const char *e = perf_token(p, labels[n], sizeof labels[n]);
    if (strcmp(labels[n], "answers") == 0)
      *answers = strtol(strchr(p, '=') + 1, NULL, 10);
    for (size_t k = 0; k < n; k++)
      FUZZ_ASSERT(strcmp(labels[k], labels[n]) != 0);
    n++;
    FUZZ_ASSERT(*e == '\0' || (*e == ' ' && e[1] != '\0' && e[1] != ' '));
    p = *e ? e + 1 : e;
  }
  free(copy);
  return n;
}

/* The printed result against the oracle described at the top. */
static void check_output(const char *out, size_t len, int state, size_t nq,
                         long want_answers) {
  static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  FUZZ_ASSERT(state >= 0 && state <= 3);
  FUZZ_ASSERT(len > 0 && out[len - 1] == '\n');
  FUZZ_ASSERT(fuzz_utf8((const unsigned char *)out, len));
  FUZZ_ASSERT(strncmp(out, "RESOLVE ", 8) == 0);
  size_t wl = 0;
  FUZZ_ASSERT(state_word(out + 8, &wl));
  FUZZ_ASSERT(strncmp(out + 8, names[state], wl) == 0 &&
              strlen(names[state]) == wl);
  FUZZ_ASSERT(strncmp(out + 8 + wl, " - ", 3) == 0);
  const char *nl = memchr(out, '\n', len);
  size_t lines = 0;
  int last_rank = 4; /* worst first, none worse than the status line */
  for (const char *l = out; l < out + len; lines++) {
    const char *end = memchr(l, '\n', (size_t)(out + len - l));
    for (const char *c = l; c < end; c++)
      FUZZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7f);
    if (l != out) {
      size_t sl = 0;
      FUZZ_ASSERT(strncmp(l, "\\_ [", 4) == 0 && state_word(l + 4, &sl));
      FUZZ_ASSERT(strncmp(l + 4 + sl, "] ", 2) == 0);
      int rank = 0;
      for (int k = 0; k < 4; k++)
        if (strncmp(l + 4, names[k], sl) == 0 && strlen(names[k]) == sl)
          rank = sw_state_rank((sw_state)k);
      FUZZ_ASSERT(rank <= last_rank && rank <= sw_state_rank((sw_state)state));
      last_rank = rank;
      FUZZ_ASSERT(memchr(l, '|', (size_t)(end - l)) == NULL);
    }
    l = end + 1;
  }
  FUZZ_ASSERT(lines >= 1 + nq);
  const char *bar = memchr(out, '|', (size_t)(nl - out));
  FUZZ_ASSERT(bar && bar[-1] == ' ' && bar[1] == ' ');
  long answers = -1;
  size_t np = check_perf(bar + 2, (size_t)(nl - bar - 2), &answers);
  FUZZ_ASSERT(np >= nq + 2);
  FUZZ_ASSERT(answers == want_answers);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  resolve_cfg cfg;
  sw_dns_query q[2];
  if (n < 4 || parse_cfg(&cfg, d[0], d[1]) < 0)
    return 0;
  size_t l1 = (size_t)d[2] << 8 | d[3];
  l1 = l1 < n - 4 ? l1 : n - 4;
  unsigned char *r1 = (unsigned char *)fuzz_bytes(d + 4, l1);
  unsigned char *r2 = (unsigned char *)fuzz_bytes(d + 4 + l1, n - 4 - l1);
  size_t nq = cfg.nservers;
  fill_query(&cfg, &q[0], 0, d[1] >> 4 & 3, r1, l1);
  if (nq > 1)
    fill_query(&cfg, &q[1], 1, d[1] >> 6 & 3, r2, n - 4 - l1);
  long want = 0;
  bool usable = true;
  for (size_t i = 0; i < nq; i++) {
    const sw_dns_reply *r = &q[i].reply;
    if (q[i].outcome == SW_DNS_REPLY && r->rcode == 0)
      want += (long)r->nrrs;
    bool good = q[i].outcome == SW_DNS_REPLY && !r->tc &&
                (cfg.expect_nxdomain ? r->rcode == 3 && r->ncnames == 0
                                     : r->rcode == 0 && r->nrrs > 0);
    const sw_dns_edns_reply *e = &r->edns;
    if (cfg.dns.dnssec && !r->ad)
      good = false;
    if (cfg.dns.ecs.family && e->present && e->ecs &&
        (e->ecs_bad || e->ecs_echo.family != AF_INET ||
         e->ecs_echo.prefix != 16 || e->ecs_echo.addr[0] != 10 ||
         e->ecs_echo.addr[1] != 1))
      good = false;
    usable = usable && good;
  }
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  FUZZ_ASSERT(f != NULL);
  sw_check c;
  sw_check_init(&c, "RESOLVE");
  resolve_judge(&cfg, q, nq, &c);
  int state = (int)sw_check_print(&c, f);
  fclose(f);
  check_output(out, len, state, nq, want);
  /* no false OK: an OK needs every query to have given what it must */
  FUZZ_ASSERT(state != 0 || usable);
  free(out);
  sw_check_free(&c);
  for (size_t i = 0; i < nq; i++)
    sw_dns_reply_free(&q[i].reply);
  free(r1);
  free(r2);
  return 0;
}
