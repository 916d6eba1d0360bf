/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS through c-ares: resolvers, reply parsing and concurrent queries.
 *
 * c-ares (1.18 on Debian 12) sends a query to the first server of a
 * channel and fails over to the next; it has no way to ask one chosen
 * server. To ask every name on every resolver separately, sw_dns_run
 * makes one single-server channel per resolver and drives all of them in
 * one poll loop: every query is in flight at once. */
#ifndef STREAMWATCH_DNS_H
#define STREAMWATCH_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include "streamwatch/deadline.h"
#include "streamwatch/http.h"
#include "streamwatch/state.h"

/* DNS record types by their RFC 1035 / RFC 3596 / RFC 2782 / RFC 8659
 * numbers. */
enum {
  SW_DNS_A = 1,
  SW_DNS_NS = 2,
  SW_DNS_CNAME = 5,
  SW_DNS_SOA = 6,
  SW_DNS_PTR = 12,
  SW_DNS_MX = 15,
  SW_DNS_TXT = 16,
  SW_DNS_AAAA = 28,
  SW_DNS_SRV = 33,
  SW_DNS_CAA = 257
};

/* How a resolver is asked. */
typedef enum {
  SW_DNS_PLAIN = 0, /* UDP (TCP with sw_dns_opts.tcp) through c-ares */
  SW_DNS_DOH,       /* DNS over HTTPS (RFC 8484) through libcurl */
  SW_DNS_DOT        /* DNS over TLS (RFC 7858) through libcurl */
} sw_dns_transport;

typedef struct {
  char addr[46];       /* numeric address, no brackets; DoH/DoT: the
                          host when it is an address, else "" */
  int family;          /* AF_INET or AF_INET6; DoH/DoT: 0 for a name */
  unsigned short port; /* 53 unless given (DoH 443, DoT 853) */
  bool port_given;
  char label[128]; /* as shown in output: 10.0.0.1, ::1, 10.0.0.1:5353,
                      https://dns.example/dns-query, tls://dns.example */
  sw_dns_transport transport;
  char host[256]; /* DoH/DoT: the host as given, no brackets: the name
                     the certificate must hold (and SNI) */
  char url[300];  /* DoH: the URL; DoT: https://HOST:PORT/, the way
                     libcurl makes a bare TLS connection */
} sw_dns_server;

/* Parses ADDR, ADDR:PORT, [V6ADDR] or [V6ADDR]:PORT (a bare IPv6 address
 * has no port); or an encrypted resolver: https://HOST[:PORT]/PATH (DNS
 * over HTTPS) or tls://HOST[:PORT] (DNS over TLS, port 853), HOST a name,
 * an IPv4 address or [IPv6], at most 127 characters in all, no user
 * name, query or fragment. Plain resolvers only by numeric address: a
 * resolver given by name would need a resolver. Returns 0, or -1 with
 * err naming -s. */
int sw_dns_server_parse(const char *text, sw_dns_server *s, sw_err *err);

/* Appends the `nameserver` lines of a resolv.conf text to out (at most
 * max); *n counts them. Returns 0, or -1 with err on a bad address. */
int sw_dns_resolv_conf_parse(const char *text, size_t len, sw_dns_server *out,
                             size_t max, size_t *n, sw_err *err);

/* "A" -> SW_DNS_A ... (any case). Returns 0, or -1 for an unsupported type. */
int sw_dns_qtype_parse(const char *name, int *qtype);
/* SW_DNS_A -> "A"; "TYPE<n>" style for others is not needed: returns "?". */
const char *sw_dns_qtype_name(int qtype);
/* RFC 1035 4.1.1 / RFC 6895 rcode names: 0 NOERROR, 1 FORMERR, 2 SERVFAIL,
 * 3 NXDOMAIN, 4 NOTIMP, 5 REFUSED, ...; "RCODE<n>" for the rest. */
const char *sw_dns_rcode_name(int rcode, char *buf, size_t n);

/* One answer record of the asked type: about 100 bytes and its texts,
 * so that thousands of answers stay small. */
typedef struct {
  int type;
  unsigned long ttl;
  int family; /* A/AAAA: AF_INET/AF_INET6, else 0 */
  unsigned char addr[16];
  /* As printed: 10.1.2.4, "10 mx.example.", ... (sanitised, cut at 200
   * characters with "..."). */
  const char *text;
  /* The exact key -a matches, keylen bytes (never cut or sanitised, may
   * hold NUL bytes for TXT; a NUL follows): the address text, a target
   * name lowercased without its trailing dot, the whole TXT text, the
   * CAA text. */
  const char *key;
  size_t keylen;
  /* canonlen bytes that identify the record exactly for -C: address
   * bytes; numbers and lowercased names; raw TXT/CAA rdata. */
  const unsigned char *canon;
  size_t canonlen;
  /* The one allocation text, key and canon point into (free it), and
   * its size; NULL in a record built by hand, whose key (a C string)
   * then stands in for keylen and canon. */
  void *exact;
  size_t bytes;
} sw_dns_rr;

/* An EDNS Client Subnet (RFC 7871 6): family, source prefix and the
 * address with the bits past the prefix zero. */
typedef struct {
  int family;             /* AF_INET or AF_INET6; 0: no ECS option */
  unsigned char prefix;   /* source prefix length: 0-32 / 0-128 */
  unsigned char addr[16]; /* network byte order, host bits zero */
  char text[64];          /* as given, for output: "10.1.0.0/16" */
} sw_dns_subnet;

/* What a reply's OPT RR (RFC 6891 6.1.2) said: ECS and EDE options. */
typedef struct {
  bool present; /* an OPT RR came back */
  /* The ECS option (RFC 7871 6): family, source prefix and address as
   * echoed, scope prefix; ecs_bad names what is wrong with one that
   * came back malformed (NULL when well formed or absent). */
  bool ecs;
  sw_dns_subnet ecs_echo; /* text empty: the echo is for the judge */
  int ecs_scope;
  const char *ecs_bad;
  /* The first Extended DNS Error (RFC 8914 4): info-code (-1: none) and
   * its EXTRA-TEXT, sanitised and cut at 100 characters. */
  int ede;
  char ede_text[128];
} sw_dns_edns_reply;

typedef struct {
  int rcode; /* with the OPT RR's extended bits (RFC 6891 6.1.3) */
  bool aa, tc;
  bool ad; /* authentic data: the resolver validated it (RFC 4035 3.2.3) */
  sw_dns_edns_reply edns;
  sw_dns_rr *rrs; /* answers of the asked type owned by the asked name
                     or the end of its CNAME chain, in wire order */
  size_t nrrs;
  char chain[256]; /* CNAME chain "a. -> b." ("" without CNAMEs; cut
                      with "..." when longer) */
  size_t ncnames;  /* links followed in the chain */
  size_t bytes;    /* heap memory the reply holds (the run's budget) */
} sw_dns_reply;

/* The parsed answers of one run may hold at most this much memory
 * (SW_DNS_LIMIT beyond it), so that peak RSS stays bounded whatever the
 * resolvers send: 64 names x 32 resolvers of ordinary answers need a few
 * MiB; only replies of thousands of records come near it. */
#define SW_DNS_MAX_KEPT ((size_t)24 << 20)

/* The exact key of rr (see sw_dns_rr.exact) and its length. */
const char *sw_dns_rr_key(const sw_dns_rr *rr, size_t *len);

/* Orders records by their exact identity (type, then canonical bytes):
 * 0 only for the same record whatever its TTL or case of names. A
 * qsort comparator. */
int sw_dns_rr_cmp(const void *a, const void *b);

/* Parses a reply (RFC 1035 4.1) to a query of qtype: header flags, rcode,
 * and the answer section's records of qtype (CNAMEs become the chain).
 * Only records owned by the question's name, or by the end of the CNAME
 * chain that starts there (at most 16 links), are answers: a record for
 * another name proves nothing about the asked one.
 * A pure function over bytes. Returns 0, or -1 with err when the message
 * is malformed (truncated section, bad name, rdata not of its type's
 * shape) or out of memory. */
int sw_dns_reply_parse(const unsigned char *buf, size_t len, int qtype,
                       sw_dns_reply *out, sw_err *err);

/* The OPT RR of a reply (RFC 6891 6.1.2), read from the additional
 * section: off is where the answer section starts, an, ns and ar the
 * header's counts. Fills r->edns and ORs the extended rcode bits into
 * r->rcode. A pure function over bytes, every length checked against
 * len. Returns 0 (no OPT RR is fine; an ECS option of a bad shape is
 * noted in r->edns.ecs_bad, an EDE shorter than its code ignored), or -1
 * with err when the sections cannot be walked, an option runs past its
 * RR, the OPT RR is not owned by the root or there are two. */
int sw_dns_edns_parse(const unsigned char *buf, size_t len, size_t off,
                      unsigned an, unsigned ns, unsigned ar, sw_dns_reply *r,
                      sw_err *err);

/* The name of an EDE info-code (RFC 8914 4 and the IANA registry):
 * 6 -> "DNSSEC Bogus"; "" for codes without one. Can't fail. */
const char *sw_dns_ede_name(int code);
/* Is it one of the DNSSEC failures (1, 2, 5-12)? */
bool sw_dns_ede_dnssec(int code);
void sw_dns_reply_free(sw_dns_reply *r);

/* How one query ended. */
typedef enum {
  SW_DNS_PENDING = 0,
  SW_DNS_REPLY,       /* a reply was parsed: see reply.rcode, nrrs */
  SW_DNS_TIMEOUT,     /* no answer within the time given */
  SW_DNS_CONNREFUSED, /* ICMP port unreachable, TCP RST */
  SW_DNS_MALFORMED,   /* a reply that could not be parsed */
  SW_DNS_LIMIT,       /* a reply past SW_DNS_MAX_KEPT: not judged */
  SW_DNS_ERROR        /* anything else; detail in err */
} sw_dns_outcome;

typedef struct {
  const char *name; /* not owned */
  size_t server;    /* index into the servers array */
  int qtype;        /* the type asked; 0: the run's (sw_dns_opts.qtype) */
  sw_dns_outcome outcome;
  double elapsed; /* seconds from send to outcome */
  sw_dns_reply reply;
  char err[160];
} sw_dns_query;

/* ADDRESS or ADDRESS/PREFIX: an IPv4 or IPv6 address and a prefix length
 * within its family (the whole address when there is none). Returns 1
 * with *family (AF_INET, AF_INET6), addr (16 bytes, as given) and
 * *prefix, *slash telling whether a prefix was written; 0 when what
 * stands before any '/' is no address (a name, a text: not an error for
 * callers that take those too); -1 for an address whose prefix is not a
 * number within its family's range. Can't fail otherwise. */
int sw_dns_cidr_parse(const char *text, int *family, unsigned char addr[16],
                      unsigned *prefix, bool *slash);

/* Parses ADDRESS/PREFIX (an IPv4 address with /0-32, an IPv6 one with
 * /0-128; the prefix is required). Host bits set (10.1.2.3/16) are
 * refused, naming the network that was probably meant: the address sent
 * must be truncated to the prefix (RFC 7871 6), and silently truncating
 * would ask for another subnet than the one written. Returns 0, or -1
 * with err saying what is wrong (the caller names the option). */
int sw_dns_subnet_parse(const char *text, sw_dns_subnet *s, sw_err *err);

/* What a query asks besides its question. */
typedef struct {
  bool rd;                  /* recursion desired */
  bool edns;                /* add an OPT RR (RFC 6891 6.1.2) */
  unsigned short udp_size;  /* OPT's requestor's UDP payload size */
  bool dnssec;              /* OPT's DO bit (RFC 3225 3); needs edns */
  const sw_dns_subnet *ecs; /* ECS option when non-NULL; needs edns */
} sw_dns_wire_opts;

/* The largest query sw_dns_query_wire builds: header, a 255-byte name,
 * type and class, an OPT RR with an IPv6 ECS option. */
#define SW_DNS_QUERY_MAX 320

/* Builds one query message (RFC 1035 4.1.1, one question of class IN)
 * into buf (cap bytes, SW_DNS_QUERY_MAX is always enough) with the given
 * id: name in presentation form ("www.example.com", a trailing dot and
 * "." for the root allowed; "\." and "\DDD" escapes per RFC 1035 5.1),
 * optionally an OPT RR in the additional section carrying the DO bit and
 * an ECS option (RFC 7871 6: the address cut to ceil(prefix/8) bytes).
 * *len is the message's length. Returns 0, or -1 with err for a name
 * that cannot be encoded (empty label, label over 63 or name over 255
 * bytes) or a buffer too small. */
int sw_dns_query_wire(const char *name, int qtype, unsigned short id,
                      const sw_dns_wire_opts *o, unsigned char *buf, size_t cap,
                      size_t *len, sw_err *err);

typedef struct {
  int qtype;
  bool tcp;          /* query over TCP */
  bool norecurse;    /* clear RD */
  int tries;         /* c-ares tries per server (>= 1) */
  bool dnssec;       /* EDNS with the DO bit */
  sw_dns_subnet ecs; /* EDNS Client Subnet when ecs.family != 0 */
  /* DoH/DoT: TLS as the HTTP plugins' options set it in an sw_http_req
   * (ca_file, ca_path, client_cert, client_key, insecure, tls_min; NULL:
   * the defaults, verification on: see sw_http_trust), and the address family
   * of a resolver given by name (0, 4 or 6) */
  const sw_http_req *tls;
  int family;
  int verbose; /* >= 2: each query sent; >= 3: hex dump of
                  every reply, to trace */
  void (*trace)(void *arg, const char *line);
  void *trace_arg;
} sw_dns_opts;

/* Sends every query at once and waits until all have an outcome or the
 * deadline (less a small margin to print) comes; unanswered queries then
 * end in SW_DNS_TIMEOUT. Returns 0, or -1 with err when c-ares itself
 * cannot start (out of memory, no sockets). */
int sw_dns_run(const sw_dns_server *servers, size_t nservers, sw_dns_query *q,
               size_t nq, const sw_dns_opts *o, const sw_deadline *d,
               sw_err *err);

/* "c-ares/1.18.1" */
const char *sw_dns_version(char *buf, size_t n);

/* The largest DNS message (RFC 1035 4.2.2's 16-bit length). */
#define SW_DNS_MSG_MAX 65535

/* DNS over TCP and TLS framing (RFC 1035 4.2.2, RFC 7858 3.3): when buf
 * (have bytes) starts with a whole message behind its 2-byte length,
 * points *msg and *len at it and returns the bytes it takes (2 + *len);
 * else 0 (more must come). A pure function over bytes. */
size_t sw_dns_frame(const unsigned char *buf, size_t have,
                    const unsigned char **msg, size_t *len);

/* Reassembles the messages of a DNS over TCP/TLS stream that arrives in
 * pieces of any size: at most one message and the start of the next are
 * kept (2 + SW_DNS_MSG_MAX bytes, whatever the peer sends). Zero it to
 * start. */
typedef struct {
  unsigned char buf[2 + SW_DNS_MSG_MAX];
  size_t have; /* bytes of a message not yet whole */
} sw_dns_framer;

/* Takes all n bytes of data and hands every message they complete to
 * on_msg, in order (msg points into the framer, valid during the call).
 * Can't fail. */
void sw_dns_framer_feed(sw_dns_framer *f, const unsigned char *data, size_t n,
                        void (*on_msg)(void *arg, const unsigned char *msg,
                                       size_t len),
                        void *arg);

/* How many bytes the message being reassembled will take with its
 * length prefix (0 while even the prefix is incomplete). */
size_t sw_dns_framer_want(const sw_dns_framer *f);

/* Is a DNS over HTTPS response a DNS reply (RFC 8484 4.2.1)? Status
 * 200, Content-Type application/dns-message (any case, parameters
 * ignored; NULL: none), a body. Returns 0, or -1 with err: "HTTP 404
 * (expected 200)", "wrong content type 'text/html' (expected ...)" (the
 * server's text sanitised and cut), "malformed response: empty body". */
int sw_doh_check(long status, const char *content_type, size_t body_len,
                 sw_err *err);

#endif
