/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/dns_server.c: -s parsing, resolv.conf, DNS type and
 * rcode names. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "streamwatch/dns.h"
#include "tap.h"

static void good_server(const char *text, const char *addr, int family,
                        unsigned port, const char *label) {
  sw_dns_server s;
  sw_err err = {{0}};
  memset(&s, 0x5a, sizeof s);
  int rc = sw_dns_server_parse(text, &s, &err);
  is_int(rc, 0, "-s '%s' parses (%s)", text, rc ? err.msg : "");
  if (rc != 0)
    return;
  is_str(s.addr, addr, "-s '%s' address", text);
  is_int(s.family, family, "-s '%s' family", text);
  is_int(s.port, port, "-s '%s' port", text);
  is_str(s.label, label, "-s '%s' label", text);
}

static void test_server_parse(void) {
  good_server("10.0.0.1", "10.0.0.1", AF_INET, 53, "10.0.0.1");
  good_server("10.0.0.1:5353", "10.0.0.1", AF_INET, 5353, "10.0.0.1:5353");
  good_server("10.0.0.1:53", "10.0.0.1", AF_INET, 53, "10.0.0.1:53");
  good_server("127.0.0.1:65535", "127.0.0.1", AF_INET, 65535,
              "127.0.0.1:65535");
  good_server("::1", "::1", AF_INET6, 53, "::1");
  good_server("[::1]", "::1", AF_INET6, 53, "::1");
  good_server("[::1]:5353", "::1", AF_INET6, 5353, "[::1]:5353");
  good_server("[2001:DB8::1]", "2001:db8::1", AF_INET6, 53, "2001:db8::1");
  good_server("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1",
              AF_INET6, 53, "2001:db8::1");
  good_server("[2001:DB8::1]:1", "2001:db8::1", AF_INET6, 1, "[2001:db8::1]:1");

  static const char *const bad[] = {
      "",
      "1.2.3",
      "host.example",
      "10.0.0.1:0",
      "10.0.0.1:65536",
      "10.0.0.1:x",
      "[::1",
      "[::1]x",
      "[::1]:",
      "10.0.0.1:",
      ":53",
      "[]",
      "[]:53",
      "10.0.0.256",
      "10.0.0.1:-1",
      "10.0.0.1:+53",
      " 10.0.0.1",
      "10.0.0.1 ",
      "[::1]:5353x",
      "::1:99999999999999999999",
      "10.0.0.1:99999999999999999999",
      "[fe80::1%eth0]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sw_dns_server s;
    sw_err err = {{0}};
    is_int(sw_dns_server_parse(bad[i], &s, &err), -1, "-s '%s' is refused",
           bad[i]);
    ok(strncmp(err.msg, "-s:", 3) == 0, "-s '%s': error names -s (%s)", bad[i],
       err.msg);
    ok(strstr(err.msg, bad[i]) != NULL, "-s '%s': error quotes the text",
       bad[i]);
  }
}

/* -s https://... (DoH) and tls://... (DoT): transport, host, port, the
 * URL libcurl is given, the label output shows. */
static void good_enc(const char *text, sw_dns_transport t, const char *host,
                     unsigned port, bool port_given, const char *url) {
  sw_dns_server s;
  sw_err err = {{0}};
  memset(&s, 0x5a, sizeof s);
  int rc = sw_dns_server_parse(text, &s, &err);
  is_int(rc, 0, "-s '%s' parses (%s)", text, rc ? err.msg : "");
  if (rc != 0)
    return;
  is_int((int)s.transport, (int)t, "-s '%s' transport", text);
  is_str(s.host, host, "-s '%s' host", text);
  is_int(s.port, port, "-s '%s' port", text);
  ok(s.port_given == port_given, "-s '%s' port given: %d", text,
     (int)port_given);
  is_str(s.url, url, "-s '%s' URL for libcurl", text);
  is_str(s.label, text, "-s '%s' label as given", text);
}

static void test_encrypted_parse(void) {
  good_enc("https://dns.example/dns-query", SW_DNS_DOH, "dns.example", 443,
           false, "https://dns.example/dns-query");
  good_enc("HTTPS://127.0.0.1:8443/q", SW_DNS_DOH, "127.0.0.1", 8443, true,
           "HTTPS://127.0.0.1:8443/q");
  good_enc("https://[::1]:8443/dns-query", SW_DNS_DOH, "::1", 8443, true,
           "https://[::1]:8443/dns-query");
  good_enc("tls://dns.example", SW_DNS_DOT, "dns.example", 853, false,
           "https://dns.example:853/");
  good_enc("tls://dns.example/", SW_DNS_DOT, "dns.example", 853, false,
           "https://dns.example:853/");
  good_enc("tls://[2001:db8::53]:8853", SW_DNS_DOT, "2001:db8::53", 8853, true,
           "https://[2001:db8::53]:8853/");
  good_enc("tls://127.0.0.1:853", SW_DNS_DOT, "127.0.0.1", 853, true,
           "https://127.0.0.1:853/");

  static const char *const bad[] = {
      "https://dns.example",
      "https://dns.example:8443",
      "https://:443/dns-query",
      "https:///dns-query",
      "https://u:p@dns.example/q",
      "https://dns.example/q?dns=x",
      "https://dns.example/q#f",
      "https://dns.example/a b",
      "https://dns.example/a|b",
      "https://[::1/dns-query",
      "https://[dns.example]/q",
      "https://dns.example:0/q",
      "https://dns.example:70000/q",
      "tls://dns.example/dns-query",
      "tls://dns.example:",
      "tls://",
      "tls://bad_host!",
      "https://dns.example/"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sw_dns_server s;
    sw_err err = {{0}};
    is_int(sw_dns_server_parse(bad[i], &s, &err), -1, "-s '%s' is refused",
           bad[i]);
    ok(strncmp(err.msg, "-s: invalid DNS over ", 21) == 0,
       "-s '%s': error names -s and the transport (%s)", bad[i], err.msg);
  }
}

static void test_resolv_conf(void) {
  sw_dns_server out[8];
  size_t n = 99;
  sw_err err = {{0}};
  static const char text[] =
      "# generated\n"
      "; also a comment\n"
      "search example.com corp.example\n"
      "domain example.com\n"
      "options edns0 timeout:1\n"
      "#nameserver 192.0.2.99\n"
      "nameserver 10.0.0.1\n"
      "\n"
      "nameserver\t10.0.0.2   # trailing comment\r\n"
      "nameserver fe80::1%eth0\n"
      "nameserver 2001:DB8::53\n"
      "nameserver\n"
      "  nameserver 10.0.0.3"; /* indented, no final newline */
  is_int(sw_dns_resolv_conf_parse(text, strlen(text), out, 8, &n, &err), 0,
         "resolv.conf parses (%s)", err.msg);
  is_int(n, 4, "four usable nameservers (link-local with zone skipped)");
  if (n == 4) {
    is_str(out[0].label, "10.0.0.1", "first nameserver");
    is_int(out[0].port, 53, "port 53");
    is_str(out[1].label, "10.0.0.2", "tab-separated, comment and CR ignored");
    is_str(out[2].addr, "2001:db8::53", "IPv6 nameserver, canonical");
    is_int(out[2].family, AF_INET6, "IPv6 family");
    is_str(out[3].label, "10.0.0.3", "indented nameserver line");
  }

  /* max is respected: the rest is not written. */
  memset(out, 0x5a, sizeof out);
  is_int(sw_dns_resolv_conf_parse(text, strlen(text), out, 2, &n, &err), 0,
         "max 2 parses");
  is_int(n, 2, "max 2 gives 2");
  ok(out[2].family != AF_INET && out[2].family != AF_INET6,
     "nothing written past max");

  is_int(sw_dns_resolv_conf_parse(text, strlen(text), out, 0, &n, &err), 0,
         "max 0 parses");
  is_int(n, 0, "max 0 gives 0");

  /* A bad address is an error naming its line. */
  static const char bad[] = "search x\nnameserver 10.0.0.1\n\n"
                            "nameserver 10.0.0.300\nnameserver 10.0.0.2\n";
  memset(&err, 0, sizeof err);
  is_int(sw_dns_resolv_conf_parse(bad, strlen(bad), out, 8, &n, &err), -1,
         "bad nameserver is an error");
  ok(strstr(err.msg, "line 4") != NULL, "error names line 4 (%s)", err.msg);
  ok(strstr(err.msg, "10.0.0.300") != NULL, "error quotes the address");

  memset(&err, 0, sizeof err);
  static const char name[] = "nameserver dns.example\n";
  is_int(sw_dns_resolv_conf_parse(name, strlen(name), out, 8, &n, &err), -1,
         "a host name is not a nameserver address");
  ok(strstr(err.msg, "line 1") != NULL, "error names line 1 (%s)", err.msg);

  /* Only len bytes are read. */
  static const char cut[] = "nameserver 10.0.0.1\nnameserver 10.0.0.2\n";
  is_int(sw_dns_resolv_conf_parse(cut, 20, out, 8, &n, &err), 0,
         "bounded text parses");
  is_int(n, 1, "only the nameserver inside len");

  is_int(sw_dns_resolv_conf_parse("", 0, out, 8, &n, &err), 0, "empty text");
  is_int(n, 0, "empty text: no nameserver");
}

static void test_qtypes(void) {
  static const struct {
    const char *name;
    int type;
  } all[] = {
      {"A", 1},   {"NS", 2},   {"CNAME", 5}, {"SOA", 6},  {"PTR", 12},
      {"MX", 15}, {"TXT", 16}, {"AAAA", 28}, {"SRV", 33}, {"CAA", 257},
  };
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    int t = -1;
    char lower[16];
    size_t j = 0;
    for (; all[i].name[j] && j + 1 < sizeof lower; j++)
      lower[j] = (char)(all[i].name[j] - 'A' + 'a');
    lower[j] = '\0';
    is_int(sw_dns_qtype_parse(all[i].name, &t), 0, "type %s parses",
           all[i].name);
    is_int(t, all[i].type, "type %s is %d", all[i].name, all[i].type);
    t = -1;
    is_int(sw_dns_qtype_parse(lower, &t), 0, "type %s parses", lower);
    is_int(t, all[i].type, "type %s is %d", lower, all[i].type);
    is_str(sw_dns_qtype_name(all[i].type), all[i].name, "name of type %d",
           all[i].type);
  }
  static const char *const bad[] = {"", "ANY", "AXFR", "A ", "1", "AAAAA"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int t = 77;
    is_int(sw_dns_qtype_parse(bad[i], &t), -1, "type '%s' is refused", bad[i]);
    is_int(t, 77, "type '%s' leaves the output alone", bad[i]);
  }
  is_str(sw_dns_qtype_name(255), "?", "name of an unsupported type");
}

static void test_rcodes(void) {
  static const char *const names[] = {"NOERROR",  "FORMERR", "SERVFAIL",
                                      "NXDOMAIN", "NOTIMP",  "REFUSED"};
  char buf[32];
  for (int i = 0; i < 6; i++)
    is_str(sw_dns_rcode_name(i, buf, sizeof buf), names[i], "rcode %d", i);
  is_str(sw_dns_rcode_name(11, buf, sizeof buf), "RCODE11", "rcode 11");
  is_str(sw_dns_rcode_name(15, buf, sizeof buf), "RCODE15", "rcode 15");
  is_str(sw_dns_rcode_name(-1, buf, sizeof buf), "RCODE-1", "rcode -1");
}

int main(void) {
  test_server_parse();
  test_encrypted_parse();
  test_resolv_conf();
  test_qtypes();
  test_rcodes();
  return tap_done();
}
