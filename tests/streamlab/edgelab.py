#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""edgelab: a hostile resolver and hostile edges for --all-addresses.

Part of streamlab (tests/streamlab). Python 3 stdlib only. One process:
a DNS server (UDP and TCP) on --dns ADDR and an HTTP server on every
address of --edges "ADDR ..." (loopback), all edges on one port.

  edgelab.py --dns 127.0.0.70 --edges "127.0.0.71 127.0.0.72" [--big N]
             [--dns-port PORT] [--silent ADDR]

Prints "ready DNSADDR DNSPORT HTTPPORT" once every socket is bound.
--dns-port: the DNS port (default: any free one); --silent ADDR: a UDP
black hole on ADDR and the DNS port (a resolver that never answers, for
a resolv.conf, whose nameservers are on port 53). One
line per DNS query and per HTTP request on stderr; an HTTP line is
"http LOCALADDR METHOD PATH auth=AUTHORIZATION-OR-NONE".

DNS: the answer is chosen by the first label of the name asked (any
zone); a name whose first label is not listed gets NXDOMAIN.
  eN        A for the first N addresses of --edges; AAAA none (NODATA)
  dup       A: the first edge 5 times, then the second edge
  many      A 127.1.0.1 .. 127.1.0.200 (200 records: TC over UDP, the
            whole answer over TCP); AAAA 200 records ::ffff:127.1.1.N
  manydup   A 127.1.0.1 .. 127.1.0.70, then 127.1.0.70 ten times more
            (70 addresses in 80 records; over TCP); AAAA none
  weird     A 0.0.0.0, 224.0.0.1, 255.255.255.255 and the first edge;
            AAAA ::, ff02::1, fe80::1 and ::ffff:FIRST-EDGE
  collide   AAAA ::ffff:127.0.0.1 and 0:0:0:ffff:127:0:0:1 (their texts
            give the same graph label); A none
  cname     CNAME to eN's name for N=2 (e2.<zone>) with its two A
            records, and an A record owned by an unrelated name (x.evil.)
            holding the third edge
  ttl       A the first edge, TTL 4294967295
  noaaaa    A the first edge; AAAA queries never answered
  wrongq    a reply whose question is another name (other.evil.) with
            an A record for it: never a reply to what was asked
HTTP paths (the behaviour may depend on the edge's address: ?ADDR=WHAT
in the query picks WHAT for that edge, default "json"):
  json      200 application/json {"status":"ok"}
  slowS     (e.g. slow1.5) nothing for S seconds, then json
  reason    503 with a 300-byte reason phrase holding '|' and ESC
  trickle   the status line and headers one byte every 0.3 s
  big       200 application/json of --big bytes (default 4000000; the
            query's size=BYTES wins): an array of zeros, a costly JSON tree
  hls       200 application/vnd.apple.mpegurl: a media playlist of
            --big (or size=) bytes of segments (#EXTINF:2, a 100-byte URI)
  hlsseg    200 application/vnd.apple.mpegurl: a media playlist of one
            segment whose URI is the query's "seg" (default /s.ts)
  mpd       200 application/dash+xml: a small static MPD (one audio
            Representation, one SegmentURL)
  redirect  302 Location: the query's "to" parameter
"""
import argparse
import socket
import struct
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit


LOG_LOCK = threading.Lock()


def log(*a):
    with LOG_LOCK:  # one whole line at a time, whatever the threads do
        print(*a, file=sys.stderr, flush=True)


def name_wire(labels):
    return b"".join(bytes([len(x)]) + x for x in labels) + b"\0"


def parse_query(msg):
    qid, flags, qd = struct.unpack(">HHH", msg[:6])
    labels, i = [], 12
    while msg[i]:
        n = msg[i]
        labels.append(msg[i + 1:i + 1 + n])
        i += 1 + n
    qtype, = struct.unpack(">H", msg[i + 1:i + 3])
    return qid, flags, labels, qtype, msg[12:i + 5]


def rr(owner, rtype, rdata, ttl=300):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def a(addr):
    return socket.inet_pton(socket.AF_INET, addr)


def aaaa(addr):
    return socket.inet_pton(socket.AF_INET6, addr)


class Dns:
    def __init__(self, edges):
        self.edges = edges

    def answer(self, msg, tcp):
        """The reply bytes, or None for no reply."""
        qid, flags, labels, qtype, question = parse_query(msg)
        first = labels[0].decode("ascii", "replace").lower() if labels else ""
        log("dns", "tcp" if tcp else "udp", first, qtype)
        me = b"\xc0\x0c"  # the name asked, compressed
        ans, rcode = [], 0
        A, AAAA, CNAME = 1, 28, 5
        if first.startswith("e") and first[1:].isdigit():
            if qtype == A:
                ans = [rr(me, A, a(x)) for x in self.edges[:int(first[1:])]]
        elif first == "dup":
            if qtype == A:
                ans = [rr(me, A, a(self.edges[0]))] * 5 + [
                    rr(me, A, a(self.edges[1]))]
        elif first == "many":
            if qtype == A:
                ans = [rr(me, A, a("127.1.0.%d" % n)) for n in range(1, 201)]
            elif qtype == AAAA:
                ans = [rr(me, AAAA, aaaa("::ffff:127.1.1.%d" % n))
                       for n in range(1, 201)]
        elif first == "manydup":
            if qtype == A:
                ans = [rr(me, A, a("127.1.0.%d" % n)) for n in range(1, 71)]
                ans += [rr(me, A, a("127.1.0.70"))] * 10
        elif first == "weird":
            if qtype == A:
                ans = [rr(me, A, a(x)) for x in
                       ("0.0.0.0", "224.0.0.1", "255.255.255.255",
                        self.edges[0])]
            elif qtype == AAAA:
                ans = [rr(me, AAAA, aaaa(x)) for x in
                       ("::", "ff02::1", "fe80::1", "::ffff:" + self.edges[0])]
        elif first == "collide":
            if qtype == AAAA:
                ans = [rr(me, AAAA, aaaa("::ffff:127.0.0.1")),
                       rr(me, AAAA, aaaa("0:0:0:ffff:127:0:0:1"))]
        elif first == "cname":
            target = name_wire([b"e2"] + labels[1:])
            ans = [rr(me, CNAME, target)]
            if qtype == A:
                ans += [rr(target, A, a(x)) for x in self.edges[:2]]
                ans += [rr(name_wire([b"x", b"evil"]), A, a(self.edges[2]))]
        elif first == "ttl":
            if qtype == A:
                ans = [rr(me, A, a(self.edges[0]), 0xFFFFFFFF)]
        elif first == "noaaaa":
            if qtype == AAAA:
                return None
            if qtype == A:
                ans = [rr(me, A, a(self.edges[0]))]
        elif first == "wrongq":
            other = name_wire([b"other", b"evil"])
            question = other + struct.pack(">HH", qtype, 1)
            ans = [rr(b"\xc0\x0c", A, a(self.edges[0]))] if qtype == A else []
        else:
            rcode = 3
        hflags = 0x8000 | (flags & 0x0100) | 0x0080 | rcode
        head = struct.pack(">HHHHHH", qid, hflags, 1, len(ans), 0, 0)
        reply = head + question + b"".join(ans)
        if not tcp and len(reply) > 512:
            reply = struct.pack(">HHHHHH", qid, hflags | 0x0200, 1, 0, 0,
                                0) + question
        return reply

    def udp(self, sock):
        while True:
            msg, peer = sock.recvfrom(4096)
            try:
                r = self.answer(msg, False)
            except Exception as e:  # a query we cannot read: no reply
                log("dns error", e)
                continue
            if r is not None:
                sock.sendto(r, peer)

    def tcp_conn(self, c):
        with c:
            try:
                while True:
                    head = c.recv(2)
                    if len(head) < 2:
                        return
                    n, = struct.unpack(">H", head)
                    msg = b""
                    while len(msg) < n:
                        part = c.recv(n - len(msg))
                        if not part:
                            return
                        msg += part
                    r = self.answer(msg, True)
                    if r is None:
                        time.sleep(3600)
                        return
                    c.sendall(struct.pack(">H", len(r)) + r)
            except OSError:
                return

    def tcp(self, sock):
        while True:
            c, _ = sock.accept()
            threading.Thread(target=self.tcp_conn, args=(c,),
                             daemon=True).start()


class Http:
    def __init__(self, big):
        self.big = big

    def send(self, c, status, ctype, body, extra=""):
        c.sendall(("HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                   "%sConnection: close\r\n\r\n" % (status, ctype, len(body),
                                                    extra)).encode("latin-1")
                  + body)

    def conn(self, c):
        with c:
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    part = c.recv(65536)
                    if not part:
                        return
                    data += part
                head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
                lines = head.split("\r\n")
                method, target = lines[0].split(" ")[:2]
                hdrs = {}
                for line in lines[1:]:
                    k, _, v = line.partition(":")
                    hdrs[k.strip().lower()] = v.strip()
                me = c.getsockname()[0]
                log("http", me, method, target,
                    "auth=" + hdrs.get("authorization", "none"))
                q = parse_qs(urlsplit(target).query)
                what = q.get(me, ["json"])[0]
                self.serve(c, what, q)
            except OSError:
                return

    def serve(self, c, what, q):
        big = int(q.get("size", [self.big])[0])
        if what.startswith("slow"):
            time.sleep(float(what[4:] or 3))
            what = "json"
        if what == "json":
            self.send(c, "200 OK", "application/json", b'{"status":"ok"}')
        elif what == "reason":
            reason = "down|API OK - forged\x1b[31m" + "r" * 300
            self.send(c, "503 " + reason, "text/plain", b"down")
        elif what == "trickle":
            for b in (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"):
                c.sendall(bytes([b]))
                time.sleep(0.3)
        elif what == "big":
            n = max(big // 2, 1)
            self.send(c, "200 OK", "application/json",
                      b"[" + b"0," * (n - 1) + b"0]")
        elif what == "hls":
            seg = b"#EXTINF:2,\n/" + b"s" * 99 + b".ts\n"
            body = b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-VERSION:3\n"
            body += seg * max((big - len(body)) // len(seg), 1)
            body += b"#EXT-X-ENDLIST\n"
            self.send(c, "200 OK", "application/vnd.apple.mpegurl", body)
        elif what == "hlsseg":
            body = ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-VERSION:3\n"
                    "#EXTINF:2,\n%s\n#EXT-X-ENDLIST\n" % q.get("seg", ["/s.ts"])[0])
            self.send(c, "200 OK", "application/vnd.apple.mpegurl",
                      body.encode("latin-1"))
        elif what == "mpd":
            body = (b'<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:'
                    b'mpd:2011" type="static" mediaPresentationDuration="PT4S"'
                    b' minBufferTime="PT2S"><Period><AdaptationSet mimeType='
                    b'"audio/mp4"><Representation id="a" bandwidth="64000">'
                    b'<SegmentList duration="2"><SegmentURL media="s1.m4s"/>'
                    b'</SegmentList></Representation></AdaptationSet>'
                    b'</Period></MPD>')
            self.send(c, "200 OK", "application/dash+xml", body)
        elif what == "redirect":
            self.send(c, "302 Found", "text/plain", b"moved",
                      "Location: %s\r\n" % q.get("to", ["/"])[0])
        else:
            self.send(c, "404 Not Found", "application/json", b"{}")

    def listen(self, sock):
        while True:
            c, _ = sock.accept()
            threading.Thread(target=self.conn, args=(c,), daemon=True).start()


def bind_all(addrs, kind):
    """Binds every address on one port (kind SOCK_STREAM); returns socks."""
    for _ in range(200):
        first = socket.socket(socket.AF_INET, kind)
        first.bind((addrs[0], 0))
        port = first.getsockname()[1]
        socks = [first]
        try:
            for x in addrs[1:]:
                s = socket.socket(socket.AF_INET, kind)
                socks.append(s)
                s.bind((x, port))
            return socks, port
        except OSError:
            for s in socks:
                s.close()
    sys.exit("edgelab: no port free on every address")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dns", required=True)
    ap.add_argument("--edges", required=True)
    ap.add_argument("--big", type=int, default=4000000)
    ap.add_argument("--dns-port", type=int, default=0)
    ap.add_argument("--silent", default="",
                    help="also a UDP black hole on this address, same port")
    o = ap.parse_args()
    edges = o.edges.split()
    # DNS: UDP and TCP on one port
    for _ in range(200):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((o.dns, o.dns_port))
        dport = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind((o.dns, dport))
            break
        except OSError:
            u.close()
            t.close()
    t.listen(16)
    if o.silent:  # a resolver that never answers (UDP queries dropped)
        hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        hole.bind((o.silent, dport))
        threading.Thread(target=lambda: [hole.recv(4096) for _ in iter(int, 1)],
                         daemon=True).start()
    dns = Dns(edges)
    threading.Thread(target=dns.udp, args=(u,), daemon=True).start()
    threading.Thread(target=dns.tcp, args=(t,), daemon=True).start()
    socks, hport = bind_all(edges, socket.SOCK_STREAM)
    http = Http(o.big)
    for s in socks:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.listen(64)
        threading.Thread(target=http.listen, args=(s,), daemon=True).start()
    print("ready %s %d %d" % (o.dns, dport, hport), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
