#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""fakedns: a scriptable DNS responder for the faults a real server won't make.

Part of streamlab (tests/streamlab). Python 3 stdlib only; RFC 1035 wire
format by hand; UDP and TCP on the same port, one process.

  fakedns.py --addr 127.0.0.55 --port 0 [--mode MODE] [--delay SECONDS]
             [--trickle SECONDS]

Prints "ready ADDR PORT" on stdout once both sockets are bound (with --port 0
it picks a port free for UDP and TCP alike). One line per query on stderr.

What a query gets is chosen by the first label of its name, under fault.test
(names outside fault.test get REFUSED, like a server asked for a zone it
does not serve):
  servfail refused formerr notimp nxdomain  -> that rcode, no records
  nodata    NOERROR, no records
  ok        A 10.2.0.1 TTL 300 / AAAA 2001:db8::1; other types NODATA.
            Any label not listed here behaves as ok.
  slow      as ok, sent after --delay seconds (default 0.3), other queries
            are not held up
  silent    never answered (UDP or TCP)
  tc        UDP: TC bit set, no records; TCP: A 10.2.0.2 (AAAA 2001:db8::2)
  garbage   good header (same ID, QR, ANCOUNT=1) and question, then an
            answer RR whose RDLENGTH says 4 but only 2 bytes follow
  ptrloop   good header and question, answer owner name is a compression
            pointer to itself (a loop)
  wrongid   a correct answer for ok, but with ID+1 (a client must drop it)
  short     5 random bytes
  aa        as ok, with the AA flag (every other reply has AA clear)
  cname     CNAME cname.fault.test -> ok.fault.test, then ok's A/AAAA
  multi     A 10.2.0.1 TTL 300, 10.2.0.2 TTL 60, 10.2.0.3 TTL 120
  evil      TXT "a|b\\nc\\x1b[31m" (raw bytes) for TXT queries, else as ok
  trickle   UDP: TC bit set, no records (moves a client to TCP); TCP: A
            10.2.0.3 (AAAA 2001:db8::3), the length prefix and message sent
            one byte every --trickle seconds (default 1)
  tcsilent  UDP: TC bit set, no records; TCP: never answered (the
            connection stays open until the client leaves)
  wrongport UDP: a correct answer for ok, sent from a second UDP socket
            (another source port: a client must drop it); TCP: as ok
  evil8     TXT of two strings, "x|y\\r\\nRESOLVE OK - forged | t=1s" and
            "\\xff\\xfe\\x1b]0;t\\x07" (invalid UTF-8, OSC, BEL), for TXT
            queries; CNAME queries get a CNAME to a name whose label holds
            '|', ESC and 0xFF; else as ok
  txtlong   TXT answers of 150, 200 and 1 characters (a, b, c repeated)
            for TXT queries, else as ok
  txtmore   12 TXT answers "more and more answers N" for TXT queries,
            else as ok
  many      70 A records: 10.3.0.1 .. 10.3.0.69 and 10.3.9.9 (10.3.9.8
            with --variant b): two servers that differ only after the
            64th answer; AAAA as ok
  huge*     (any first label starting "huge") about 4000 A records,
            10.4.x.y, a 64 KB answer: only over TCP
EDNS faults (as ok, plus an OPT RR in the additional section, whatever
the query carried; for --client-subnet, --dnssec and EDE parsing):
  ecsbad    ECS option: IPv4, source /16, scope /24 and 3 address bytes
            (a /16 has 2)
  ecswrong  ECS option echoing 10.99.0.0/16 scope /16 (not what was asked)
  optpast   an EDE option whose length runs past the OPT RR's data
  twoopt    two OPT RRs (RFC 6891 6.1.1 allows one)
  edebogus  SERVFAIL, EDE 6 whose text holds '|', a newline, ESC, 0xFF and
            runs to 300 bytes ("x|y" NL "RESOLVE OK - forged" ESC "[31m" ...)
  edeshort  SERVFAIL, an EDE option of 1 byte (no room for its code)
Any UDP reply longer than 512 bytes is sent as RFC 1035 4.2.1 wants
(queries here carry no EDNS): TC set, no records, so the client moves to
TCP.
--variant a|b: the answer set "many" gives (default a).
--mode overrides everything: silent (black hole), servfail, refused, or
slow (every reply delayed by --delay). Default mode: normal.
EDNS OPT records in the query are ignored (replies carry no OPT but for
the EDNS faults above).
"""
import argparse
import os
import time
import socket
import struct
import sys
import threading

QR, AA, TC, RD, RA = 0x8000, 0x0400, 0x0200, 0x0100, 0x0080
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5
T_A, T_CNAME, T_TXT, T_AAAA = 1, 5, 16, 28
TYPE_NAMES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX",
              16: "TXT", 28: "AAAA", 33: "SRV", 255: "ANY", 257: "CAA"}
RCODES = {"servfail": SERVFAIL, "refused": REFUSED, "formerr": FORMERR,
          "notimp": NOTIMP, "nxdomain": NXDOMAIN}
ZONE = ("fault", "test")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_query(pkt):
    """-> (id, flags, labels, qtype, question_bytes) or None if unusable."""
    if len(pkt) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", pkt[:6])
    if flags & QR or qd != 1:
        return None
    pos, labels = 12, []
    while True:
        if pos >= len(pkt):
            return None
        n = pkt[pos]
        if n == 0:
            pos += 1
            break
        if n & 0xC0 or pos + 1 + n > len(pkt):  # no compression in a query
            return None
        labels.append(pkt[pos + 1:pos + 1 + n].decode("latin-1").lower())
        pos += 1 + n
    if pos + 4 > len(pkt):
        return None
    qtype = struct.unpack("!H", pkt[pos:pos + 2])[0]
    return qid, flags, labels, qtype, pkt[12:pos + 4]  # additional ignored


def rr(owner, rtype, ttl, rdata):
    """One resource record; owner is wire bytes (b"\\xc0\\x0c" = the qname)."""
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def a(ip):
    return socket.inet_pton(socket.AF_INET, ip)


def aaaa(ip):
    return socket.inet_pton(socket.AF_INET6, ip)


QNAME = b"\xc0\x0c"  # compression pointer to the question's name


def address_rrs(owner, qtype, v4="10.2.0.1", v6="2001:db8::1", ttl=300):
    if qtype == T_A:
        return [rr(owner, T_A, ttl, a(v4))]
    if qtype == T_AAAA:
        return [rr(owner, T_AAAA, ttl, aaaa(v6))]
    return []  # NODATA for the other types


def build(qid, qflags, question, rcode=NOERROR, answers=(), flags=0):
    """A reply: copies opcode and RD from the query, echoes the question."""
    f = QR | RA | (qflags & 0x7800) | (qflags & RD) | flags | rcode
    return (struct.pack("!HHHHHH", qid, f, 1, len(answers), 0, 0)
            + question + b"".join(answers))


def opt_rr(*options):
    """An OPT RR (RFC 6891 6.1.2): root owner, UDP size 1232, no flags;
    options are (code, data) pairs."""
    rd = b"".join(struct.pack("!HH", c, len(d)) + d for c, d in options)
    return b"\0" + struct.pack("!HHIH", 41, 1232, 0, len(rd)) + rd


def with_additional(msg, *records):
    """msg with records appended to its additional section."""
    arcount = struct.unpack("!H", msg[10:12])[0] + len(records)
    return msg[:10] + struct.pack("!H", arcount) + msg[12:] + b"".join(records)


EDNS_FAULTS = {
    "ecsbad": (NOERROR, [opt_rr((8, b"\0\x01\x10\x18\x0a\x01\x02"))]),
    "ecswrong": (NOERROR, [opt_rr((8, b"\0\x01\x10\x10\x0a\x63"))]),
    "optpast": (NOERROR, [b"\0" + struct.pack("!HHIH", 41, 1232, 0, 6)
                          + struct.pack("!HH", 15, 40) + b"\0\x06"]),
    "twoopt": (NOERROR, [opt_rr(), opt_rr()]),
    "edebogus": (SERVFAIL, [opt_rr((15, b"\0\x06" + (
        b"x|y\nRESOLVE OK - forged\x1b[31m\xff" + b"z" * 300)[:298]))]),
    "edeshort": (SERVFAIL, [opt_rr((15, b"\0"))]),
}


def respond(pkt, transport, opts):
    """-> (reply bytes or None for no reply, delay in seconds, what)."""
    q = parse_query(pkt)
    if q is None:
        if len(pkt) >= 12:  # a header we can answer: FORMERR with no question
            qid, qf = struct.unpack("!HH", pkt[:4])
            if not qf & QR:
                hdr = struct.pack("!HHHHHH", qid, QR | FORMERR | (qf & RD), 0, 0, 0, 0)
                return hdr, 0, "unparsable query -> FORMERR"
        return None, 0, "unparsable query dropped"
    qid, qf, labels, qtype, question = q
    mode, delay = opts.mode, 0.0
    if mode == "silent":
        return None, 0, "mode silent: dropped"
    if mode in ("servfail", "refused"):
        return build(qid, qf, question, RCODES[mode]), 0, "mode " + mode
    if mode == "slow":
        delay = opts.delay
    if tuple(labels[-2:]) != ZONE:
        return build(qid, qf, question, REFUSED), delay, "not in fault.test: REFUSED"
    what = labels[0] if len(labels) > 2 else "ok"
    reply = lambda rcode=NOERROR, ans=(), flags=0: build(qid, qf, question, rcode, ans, flags)
    if what in RCODES:
        return reply(RCODES[what]), delay, what
    if what in EDNS_FAULTS:
        rcode, extra = EDNS_FAULTS[what]
        ans = address_rrs(QNAME, qtype) if rcode == NOERROR else ()
        return with_additional(reply(rcode, ans), *extra), delay, what
    if what == "nodata":
        return reply(), delay, what
    if what == "silent":
        return None, 0, "silent: dropped"
    if what == "slow":
        return reply(ans=address_rrs(QNAME, qtype)), max(delay, opts.delay), "slow"
    if what == "tc":
        if transport == "udp":
            return reply(flags=TC), delay, "tc: truncated over UDP"
        return reply(ans=address_rrs(QNAME, qtype, "10.2.0.2", "2001:db8::2")), delay, "tc: full over TCP"
    if what == "garbage":  # RDLENGTH 4, 2 bytes of RDATA, end of packet
        bad = QNAME + struct.pack("!HHIH", T_A, 1, 300, 4) + b"\x0a\x02"
        return reply(ans=[bad]), delay, "garbage: truncated RR"
    if what == "ptrloop":  # owner name = pointer to its own offset
        off = 12 + len(question)
        bad = struct.pack("!H", 0xC000 | off) + struct.pack("!HHIH", T_A, 1, 300, 4) + a("10.2.0.1")
        return reply(ans=[bad]), delay, "ptrloop: compression loop"
    if what in ("trickle", "tcsilent"):
        if transport == "udp":
            return reply(flags=TC), delay, what + ": truncated over UDP"
        if what == "tcsilent":
            return None, 0, "tcsilent: never answered over TCP"
        return (reply(ans=address_rrs(QNAME, qtype, "10.2.0.3", "2001:db8::3")), delay,
                "trickle: over TCP, one byte every %g s" % opts.trickle)
    if what == "wrongport" and transport == "udp":
        return reply(ans=address_rrs(QNAME, qtype)), delay, "wrongport: from another port"
    if what == "wrongid":
        return build((qid + 1) & 0xFFFF, qf, question, NOERROR, address_rrs(QNAME, qtype)), delay, "wrongid: ID+1"
    if what == "short":
        return os.urandom(5), delay, "short: 5 random bytes"
    if what == "aa":
        return reply(ans=address_rrs(QNAME, qtype), flags=AA), delay, "aa: AA set"
    if what == "cname":
        target = encode_name("ok.fault.test")
        chain = [rr(QNAME, T_CNAME, 300, target)]
        if qtype != T_CNAME:
            chain += address_rrs(target, qtype)
        return reply(ans=chain), delay, "cname: -> ok.fault.test"
    if what == "multi":
        if qtype == T_A:
            ans = [rr(QNAME, T_A, ttl, a(ip)) for ip, ttl in
                   (("10.2.0.1", 300), ("10.2.0.2", 60), ("10.2.0.3", 120))]
            return reply(ans=ans), delay, "multi: 3 A"
        return reply(ans=address_rrs(QNAME, qtype)), delay, "multi"
    if what == "txtlong" and qtype == T_TXT:
        ans = [rr(QNAME, T_TXT, 300, bytes([n]) + c * n)
               for n, c in ((150, b"a"), (200, b"b"), (1, b"c"))]
        return reply(ans=ans), delay, "txtlong: TXT 150/200/1"
    if what == "txtmore" and qtype == T_TXT:
        ans = []
        for i in range(12):
            t = b"more and more answers %d" % i
            ans.append(rr(QNAME, T_TXT, 300, bytes([len(t)]) + t))
        return reply(ans=ans), delay, "txtmore: 12 TXT"
    if what == "many" and qtype == T_A:
        last = "10.3.9.9" if opts.variant == "a" else "10.3.9.8"
        ips = ["10.3.0.%d" % i for i in range(1, 70)] + [last]
        ans = [rr(QNAME, T_A, 300, a(ip)) for ip in ips]
        return reply(ans=ans), delay, "many: 70 A, variant " + opts.variant
    if what.startswith("huge") and qtype == T_A:
        ans = [rr(QNAME, T_A, 300, bytes([10, 4, i >> 8, i & 255]))
               for i in range(4000)]
        return reply(ans=ans), delay, "huge: 4000 A"
    if what == "evil" and qtype == T_TXT:
        text = b"a|b\nc\x1b[31m"
        return reply(ans=[rr(QNAME, T_TXT, 300, bytes([len(text)]) + text)]), delay, "evil: TXT"
    if what == "evil8" and qtype == T_TXT:
        t1, t2 = b"x|y\r\nRESOLVE OK - forged | t=1s", b"\xff\xfe\x1b]0;t\x07"
        data = bytes([len(t1)]) + t1 + bytes([len(t2)]) + t2
        return reply(ans=[rr(QNAME, T_TXT, 300, data)]), delay, "evil8: TXT"
    if what == "evil8" and qtype == T_CNAME:
        label = b"a|b\x1b[31m\xff"
        target = bytes([len(label)]) + label + encode_name("fault.test")
        return reply(ans=[rr(QNAME, T_CNAME, 300, target)]), delay, "evil8: CNAME"
    return reply(ans=address_rrs(QNAME, qtype)), delay, "ok"


def describe(pkt):
    q = parse_query(pkt)
    if q is None:
        return "?"
    return "%s %s" % (".".join(q[2]) or ".", TYPE_NAMES.get(q[3], str(q[3])))


def serve_udp(sock, opts):
    while True:
        try:
            pkt, peer = sock.recvfrom(4096)
        except OSError:
            continue
        out, delay, what = respond(pkt, "udp", opts)
        log("udp %s:%d %s -> %s%s" % (peer[0], peer[1], describe(pkt), what,
                                      " (after %.3f s)" % delay if out and delay else ""))
        if out is None:
            continue
        if len(out) > 512:  # RFC 1035 4.2.1: no EDNS, so TC and no records
            q = parse_query(pkt)
            out = build(q[0], q[1], q[4], NOERROR, (), TC)
            log("udp: reply over 512 bytes sent truncated (TC)")
        src = opts.alt if what.startswith("wrongport") else sock
        if delay > 0:  # a timer thread, so other queries are not held up
            t = threading.Timer(delay, src.sendto, (out, peer))
            t.daemon = True
            t.start()
        else:
            src.sendto(out, peer)


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_tcp_conn(conn, peer, opts):
    """One connection: length-prefixed queries until the client closes."""
    conn.settimeout(30)
    lock, pending = threading.Lock(), []

    def send(out):
        with lock:
            try:
                conn.sendall(struct.pack("!H", len(out)) + out)
            except OSError:
                pass

    def trickle(out):
        data = struct.pack("!H", len(out)) + out
        with lock:
            try:
                for i in range(len(data)):
                    conn.sendall(data[i:i + 1])
                    time.sleep(opts.trickle)
            except OSError:
                pass
    try:
        while True:
            hdr = recv_exact(conn, 2)
            if hdr is None:
                break
            pkt = recv_exact(conn, struct.unpack("!H", hdr)[0])
            if pkt is None:
                break
            out, delay, what = respond(pkt, "tcp", opts)
            log("tcp %s:%d %s -> %s" % (peer[0], peer[1], describe(pkt), what))
            if out is None:
                continue
            if what.startswith("trickle"):
                t = threading.Thread(target=trickle, args=(out,), daemon=True)
                t.start()
                continue  # not joined: the client leaves long before the end
            if delay > 0:
                t = threading.Timer(delay, send, (out,))
                t.daemon = True
                t.start()
                pending.append(t)
            else:
                send(out)
    except OSError:
        pass
    finally:
        for t in pending:  # a client that half-closed still gets slow replies
            t.join()
        conn.close()


def serve_tcp(lsock, opts):
    while True:
        try:
            conn, peer = lsock.accept()
        except OSError:
            continue
        threading.Thread(target=serve_tcp_conn, args=(conn, peer, opts), daemon=True).start()


def bind_both(addr, port):
    """UDP and TCP sockets on the same (addr, port); port 0: pick one."""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    for _ in range(100):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((addr, port))
        p = u.getsockname()[1]
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind((addr, p))
        except OSError:
            u.close()
            t.close()
            if port:
                raise
            continue
        t.listen(64)
        return u, t, p
    raise OSError("no port free for both UDP and TCP on %s" % addr)


def main():
    ap = argparse.ArgumentParser(description="scriptable DNS responder (streamlab)")
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--mode", default="normal",
                    choices=("normal", "silent", "servfail", "refused", "slow"))
    ap.add_argument("--delay", type=float, default=0.3)
    ap.add_argument("--trickle", type=float, default=1.0)
    ap.add_argument("--variant", default="a", choices=("a", "b"))
    opts = ap.parse_args()
    try:
        udp, tcp, port = bind_both(opts.addr, opts.port)
        # wrongport's answers leave from here (another source port)
        opts.alt = socket.socket(udp.family, socket.SOCK_DGRAM)
        opts.alt.bind((opts.addr, 0))
    except OSError as e:
        sys.exit("fakedns: cannot listen on %s port %d: %s" % (opts.addr, opts.port, e))
    threading.Thread(target=serve_tcp, args=(tcp, opts), daemon=True).start()
    print("ready %s %d" % (opts.addr, port), flush=True)
    log("fakedns: mode %s, delay %.3f s, on %s port %d (udp+tcp)" % (opts.mode, opts.delay, opts.addr, port))
    try:
        serve_udp(udp, opts)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
