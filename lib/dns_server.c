/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Resolver addresses, resolv.conf, and DNS type and rcode names. */
#include <arpa/inet.h>
#include <ares.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "streamwatch/dns.h"
#include "streamwatch/strparse.h"

/* Fills s from a numeric address of either family and a port. */
static int server_set(sw_dns_server *s, const char *addr, unsigned long port,
                      bool port_given) {
  unsigned char bin[16];
  memset(s, 0, sizeof *s);
  if (inet_pton(AF_INET, addr, bin) == 1)
    s->family = AF_INET;
  else if (inet_pton(AF_INET6, addr, bin) == 1)
    s->family = AF_INET6;
  else
    return -1;
  /* Store the canonical form, so output and labels never vary with how
   * the address was written. */
  inet_ntop(s->family, bin, s->addr, sizeof s->addr);
  s->port = (unsigned short)port;
  s->port_given = port_given;
  if (!port_given)
    snprintf(s->label, sizeof s->label, "%s", s->addr);
  else if (s->family == AF_INET6)
    snprintf(s->label, sizeof s->label, "[%s]:%lu", s->addr, port);
  else
    snprintf(s->label, sizeof s->label, "%s:%lu", s->addr, port);
  return 0;
}

/* The host of an encrypted resolver's URL: [V6], an IPv4 address or a
 * name (letters, digits, '-', '_', '.'), *port from ":PORT". Returns
 * NULL or what is wrong. */
static const char *enc_host(const char *p, size_t alen, sw_dns_server *s) {
  const char *he = p + alen, *port_text = NULL, *hs = p;
  unsigned char bin[16];
  unsigned long port = s->port;
  if (memchr(p, '@', alen))
    return "no user name or password in it";
  if (*p == '[') {
    const char *close = memchr(p, ']', alen);
    if (!close || (close + 1 < p + alen && close[1] != ':'))
      return "a bad [IPv6] host";
    hs = p + 1;
    port_text = close + 1 < p + alen ? close + 2 : NULL;
    he = close;
  } else if (memchr(p, ':', alen)) {
    he = memchr(p, ':', alen);
    port_text = he + 1;
  }
  size_t hl = (size_t)(he - hs);
  if (hl == 0 || hl >= sizeof s->host)
    return "no host";
  memcpy(s->host, hs, hl);
  s->host[hl] = '\0';
  if (port_text) {
    char num[8];
    size_t pl = (size_t)(p + alen - port_text);
    if (pl == 0 || pl >= sizeof num)
      return "a bad port";
    memcpy(num, port_text, pl);
    num[pl] = '\0';
    if (sw_parse_ulong(num, 1, 65535, &port) < 0)
      return "a bad port";
    s->port_given = true;
  }
  s->port = (unsigned short)port;
  if (*p == '[') {
    if (inet_pton(AF_INET6, s->host, bin) != 1)
      return "a bad [IPv6] host";
    s->family = AF_INET6;
  } else if (inet_pton(AF_INET, s->host, bin) == 1) {
    s->family = AF_INET;
  } else if (strspn(s->host, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                             "vwxyz0123456789-_.") != hl) {
    return "a bad host name";
  }
  if (s->family)
    inet_ntop(s->family, bin, s->addr, sizeof s->addr);
  return NULL;
}

/* https://HOST[:PORT]/PATH or tls://HOST[:PORT][/]. */
static int encrypted_parse(const char *given, sw_dns_server *s, sw_err *err) {
  bool doh = strncasecmp(given, "https://", 8) == 0;
  const char *p = given + (doh ? 8 : 6), *why = NULL;
  size_t alen = strcspn(p, "/?#");
  const char *rest = p + alen;
  memset(s, 0, sizeof *s);
  s->transport = doh ? SW_DNS_DOH : SW_DNS_DOT;
  s->port = doh ? 443 : 853;
  /* RFC 3986 3.3's pchar and '/', '?', '#', '[', ']': nothing that
   * would need escaping, so the URL is shown as it is used */
  if (given[strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789-._~!$&'()*+,;=:@/%?#[]")])
    why = "a character a URL does not hold (a blank, '|', '\\'...)";
  if (!why && strlen(given) >= sizeof s->label)
    why = "longer than 127 characters";
  if (!why)
    why = enc_host(p, alen, s);
  if (!why && doh && *rest != '/')
    why = "no path (the server's, often /dns-query)";
  else if (!why && (strchr(rest, '?') || strchr(rest, '#')))
    why = "a query or fragment";
  else if (!why && !doh && *rest && strcmp(rest, "/") != 0)
    why = "a path";
  if (why)
    return sw_fail(err, "-s: invalid %s resolver '%s': %s (%s)",
                   doh ? "DNS over HTTPS" : "DNS over TLS", given, why,
                   doh ? "https://HOST[:PORT]/PATH, e.g. "
                         "https://dns.example/dns-query"
                       : "tls://HOST[:PORT], e.g. tls://dns.example");
  snprintf(s->label, sizeof s->label, "%s", given);
  if (doh)
    snprintf(s->url, sizeof s->url, "%s", given);
  else
    snprintf(s->url, sizeof s->url, "https://%s%s%s:%u/",
             s->family == AF_INET6 ? "[" : "", s->host,
             s->family == AF_INET6 ? "]" : "", (unsigned)s->port);
  return 0;
}

int sw_dns_server_parse(const char *text, sw_dns_server *s, sw_err *err) {
  const char *given = text;
  if (strncasecmp(text, "https://", 8) == 0 ||
      strncasecmp(text, "tls://", 6) == 0)
    return encrypted_parse(text, s, err);
  char addr[64];
  const char *port_text = NULL;
  size_t len = strlen(text);
  unsigned long port = 53;
  if (text[0] == '[') {
    const char *close = strchr(text, ']');
    if (!close || (close[1] != '\0' && close[1] != ':'))
      goto bad;
    len = (size_t)(close - text - 1);
    text++;
    if (close[1] == ':')
      port_text = close + 2;
  } else if (strchr(text, ':') == strrchr(text, ':') && strchr(text, ':')) {
    /* One colon: IPv4 with a port. More: a bare IPv6 address. */
    port_text = strchr(text, ':') + 1;
    len = (size_t)(port_text - 1 - text);
  }
  if (len == 0 || len >= sizeof addr)
    goto bad;
  memcpy(addr, text, len);
  addr[len] = '\0';
  if (port_text && sw_parse_ulong(port_text, 1, 65535, &port) < 0)
    goto bad;
  if (server_set(s, addr, port, port_text != NULL) < 0)
    goto bad;
  return 0;
bad:
  return sw_fail(err,
                 "-s: invalid server '%s' (a numeric address: "
                 "10.0.0.1, 10.0.0.1:5353, 2001:db8::1 or "
                 "[2001:db8::1]:5353; or https://HOST/PATH, tls://HOST)",
                 given);
}

int sw_dns_resolv_conf_parse(const char *text, size_t len, sw_dns_server *out,
                             size_t max, size_t *n, sw_err *err) {
  const char *p = text, *end = text + len;
  *n = 0;
  for (int lineno = 1; p < end; lineno++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    char line[256];
    size_t ll =
        (size_t)(e - p) < sizeof line - 1 ? (size_t)(e - p) : sizeof line - 1;
    memcpy(line, p, ll);
    line[ll] = '\0';
    p = nl ? nl + 1 : end;
    /* "nameserver ADDR [anything]" (resolv.conf(5)); other keywords and
     * comments are not ours. */
    char *word = line + strspn(line, " \t\r");
    char *addr = word + strcspn(word, " \t\r");
    if ((size_t)(addr - word) != 10 || memcmp(word, "nameserver", 10) != 0)
      continue;
    addr += strspn(addr, " \t\r");
    addr[strcspn(addr, " \t\r#;")] = '\0';
    if (!*addr)
      continue;
    char *zone = strchr(addr, '%'); /* fe80::1%eth0: c-ares 1.18 can't use it */
    if (zone || *n >= max)
      continue;
    if (server_set(&out[*n], addr, 53, false) < 0)
      return sw_fail(err, "--resolv-conf: line %d: invalid nameserver '%s'",
                     lineno, addr);
    (*n)++;
  }
  return 0;
}

static const struct {
  const char *name;
  int type;
} qtypes[] = {
    {"A", SW_DNS_A},     {"AAAA", SW_DNS_AAAA}, {"CNAME", SW_DNS_CNAME},
    {"MX", SW_DNS_MX},   {"NS", SW_DNS_NS},     {"TXT", SW_DNS_TXT},
    {"SRV", SW_DNS_SRV}, {"SOA", SW_DNS_SOA},   {"PTR", SW_DNS_PTR},
    {"CAA", SW_DNS_CAA},
};

int sw_dns_qtype_parse(const char *name, int *qtype) {
  for (size_t i = 0; i < sizeof qtypes / sizeof qtypes[0]; i++) {
    if (strcasecmp(name, qtypes[i].name) == 0) {
      *qtype = qtypes[i].type;
      return 0;
    }
  }
  return -1;
}

const char *sw_dns_qtype_name(int qtype) {
  for (size_t i = 0; i < sizeof qtypes / sizeof qtypes[0]; i++)
    if (qtypes[i].type == qtype)
      return qtypes[i].name;
  return "?";
}

const char *sw_dns_rcode_name(int rcode, char *buf, size_t n) {
  /* RFC 1035 4.1.1 and RFC 2136 2.2. */
  static const char *const names[] = {
      "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  if (rcode >= 0 && (size_t)rcode < sizeof names / sizeof names[0])
    return names[rcode];
  snprintf(buf, n, "RCODE%d", rcode);
  return buf;
}

const char *sw_dns_version(char *buf, size_t n) {
  snprintf(buf, n, "c-ares/%s", ares_version(NULL));
  return buf;
}
