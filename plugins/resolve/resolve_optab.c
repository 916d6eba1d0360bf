/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_resolve's options, the one list of them: getopt's table, --help, the
 * man page's option heads and the Icinga 2 arguments are made from it
 * (streamwatch/optab.h). */
#include "resolve.h"
#include "streamwatch/http_opts.h"

static const sw_optdef rows[] = {
    {'H', "hostname", SW_ARG_MANY, "NAME",
     "name to resolve; repeatable (once per name)", NULL,
     "Name to resolve; an array for several (every name is asked of every "
     "resolver). Default: the host's name ($host.name$)"},
    {'s', "server", SW_ARG_MANY, "[NAME=]ADDR[:PORT]",
     "resolver to ask; repeatable (once per resolver);\n"
     "IPv6: [2001:db8::1]:53; NAME (letters, digits,\n"
     "'_', '-', at most 32) is used in perfdata labels\n"
     "and output: -s ns1=192.0.2.53\n"
     "(default: each nameserver of --resolv-conf);\n"
     "encrypted: https://HOST[:PORT]/PATH (DNS over\n"
     "HTTPS) or tls://HOST[:PORT] (DNS over TLS, 853)",
     NULL,
     "Resolver [NAME=]ADDR[:PORT] (ns1=192.0.2.53; [2001:db8::1]:53 for IPv6), "
     "or encrypted: https://HOST[:PORT]/PATH (DNS over HTTPS) or "
     "tls://HOST[:PORT] (DNS over TLS); "
     "NAME ([A-Za-z0-9_-], at most 32) names it in perfdata labels and output; "
     "an array for several. Default: the nameservers of resolve_resolv_conf "
     "(for a host that is a DNS server, set \"$address$\")"},
    {OPT_RESOLV_CONF, "resolv-conf", SW_ARG_ONE, "FILE",
     "where default resolvers come from (/etc/resolv.conf;\n"
     "a regular file of at most 1 MiB)",
     NULL,
     "File the default resolvers come from (plugin default /etc/resolv.conf)"},
    {'q', "querytype", SW_ARG_ONE, "TYPE",
     "A (default), AAAA, CNAME, MX, NS, TXT, SRV, SOA,\n"
     "PTR or CAA; one type per run",
     NULL,
     "Query type: A (default), AAAA, CNAME, MX, NS, TXT, SRV, SOA, PTR or CAA"},
    {'a', "expect", SW_ARG_MANY, "VALUE[,VALUE...]",
     "expected answer: address, CIDR (10.0.0.0/8) or text\n"
     "(host.example. for CNAME/MX/NS/SRV targets);\n"
     "repeatable: OK when any answer matches any -a;\n"
     "a comma list (as check_dns takes it) is met only\n"
     "by exactly that set of answers (not for TXT, CAA)",
     NULL,
     "Expected answer: address, CIDR (192.0.2.0/24) or text (host.example. for "
     "CNAME/MX/NS/SRV); an array for several; OK when any answer matches any; "
     "a comma list (check_dns style, 10.1.2.4,10.1.2.5) is met only by exactly "
     "that set of answers (not for TXT/CAA)"},
    {'L', "expect-all", SW_ARG_NONE, NULL, "every answer must match some -a",
     NULL, "Every answer must match some expected answer (resolve_expect)"},
    {'n', "expect-nxdomain", SW_ARG_NONE, NULL,
     "NXDOMAIN is the OK outcome (the name must not exist)", NULL,
     "NXDOMAIN is the OK outcome (the name must not exist)"},
    {'C', "consistent", SW_ARG_NONE, NULL,
     "resolvers must give the same answers, else WARNING", NULL,
     "Resolvers must give the same answers, else WARNING"},
    {OPT_COMPARE_SERIAL, "compare-serial", SW_ARG_NONE, NULL,
     "ask SOA: the zone's serial must be the same on\n"
     "every server (else WARNING, naming each serial)",
     NULL,
     "Ask SOA: the zone's serial must be the same on every server, else "
     "WARNING naming each server's serial (a zone change applied on some "
     "servers only)"},
    {'A', "expect-authoritative", SW_ARG_NONE, NULL, "the AA flag must be set",
     NULL, "The AA flag must be set"},
    {OPT_TCP, "tcp", SW_ARG_NONE, NULL, "query over TCP instead of UDP", NULL,
     "Query over TCP instead of UDP"},
    {OPT_NO_RECURSION, "no-recursion", SW_ARG_NONE, NULL,
     "clear the RD flag (ask an authoritative server)", NULL,
     "Clear the RD flag (ask an authoritative server)"},
    {OPT_CLIENT_SUBNET, "client-subnet", SW_ARG_ONE, "ADDRESS/PREFIX",
     "ask as a client of this subnet (EDNS Client Subnet,\n"
     "RFC 7871: 10.1.0.0/16, 2001:db8::/56; host bits\n"
     "must be zero); the answer's scope is shown, a\n"
     "resolver that ignores it is named (still OK: -a\n"
     "judges the answer)",
     NULL,
     "Ask as a client of this subnet (EDNS Client Subnet, RFC 7871): "
     "ADDRESS/PREFIX with the host bits zero (10.1.0.0/16, 2001:db8::/56); "
     "the answer's scope is shown and in perfdata ecs_scope; a resolver "
     "that ignores it is named, still OK (resolve_expect judges the answer)"},
    {OPT_DNSSEC, "dnssec", SW_ARG_NONE, NULL,
     "set the DO bit and expect a validated answer (AD\n"
     "bit; WARNING without it); a SERVFAIL is named as\n"
     "the DNSSEC failure it is (Extended DNS Error)",
     NULL,
     "Set the DO bit and expect validated answers (AD bit; WARNING without "
     "it); a SERVFAIL is named as a DNSSEC failure (Extended DNS Error)"},
    {'w', "warning", SW_ARG_ONE, "RANGE",
     "slowest response time, seconds (e.g. 0.5)", NULL,
     "Range on the slowest response time, seconds (e.g. 0.5)"},
    {'c', "critical", SW_ARG_ONE, "RANGE",
     "slowest response time, seconds (e.g. 1)", NULL,
     "Range on the slowest response time, seconds (e.g. 1)"},
    {OPT_FAIL_WARN, "fail-warning", SW_ARG_ONE, "RANGE",
     "number of failed queries that warns", NULL,
     "Range on the number of failed queries that warns (0: any failure warns)"},
    {OPT_FAIL_CRIT, "fail-critical", SW_ARG_ONE, "RANGE",
     "number of failed queries that is critical (default 0)", NULL,
     "Range on the number of failed queries that is critical (plugin default "
     "0: any failure). With N queries (names x resolvers), N-1 is CRITICAL "
     "only when all fail"},
    {OPT_RETRIES, "retries", SW_ARG_ONE, "N",
     "c-ares tries per resolver, 1 to 5 (default 1)", NULL,
     "Tries per resolver, 1 to 5 (plugin default 1)"},
    SW_HTTP_OPTDEF_TLS,
    SW_OPTDEF_TIMEOUT("run"),
    SW_OPTDEF_IPV4("only IPv4 resolvers from --resolv-conf",
                   "Only IPv4 resolvers from resolve_resolv_conf"),
    SW_OPTDEF_IPV6("only IPv6 resolvers from --resolv-conf",
                   "Only IPv6 resolvers from resolve_resolv_conf"),
    SW_OPTDEF_EXTRA_OPTS,
    SW_OPTDEF_VERBOSE("more detail: -v the CNAME chain, AA flag and parse\n"
                      "errors, -vv the queries sent, -vvv a hex dump of\n"
                      "every reply"),
    SW_OPTDEF_HELP_VERSION};

const sw_optab resolve_optab = SW_OPTAB("check_resolve", "resolve", rows);
