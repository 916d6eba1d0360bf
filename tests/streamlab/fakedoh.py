#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""fakedoh: DNS over HTTPS and over TLS faults a real server won't make.

Part of streamlab (tests/streamlab). Python 3 stdlib only.

  fakedoh.py --addr 127.0.0.1 --port 0 --tls-cert F --tls-key F

Prints "ready ADDR PORT" on stdout once bound (--port 0: the kernel picks a
free port). One TLS port for both: after the handshake (no ALPN, so a DoH
client speaks HTTP/1.1), a connection whose first bytes are an HTTP method
is DoH, any other is DoT. One line per request on stderr.

DoH (RFC 8484), by path; the query is read (Content-Length) first:
  /dns-query   200 application/dns-message, A 10.2.0.1 TTL 300 for the
               query's name (any type asked: the A record), ID as asked
  /html        200 text/html; charset=utf-8, "<html><body>sign in</body></html>"
  /none        200 application/dns-message's body of /dns-query, but no
               Content-Type header
  /garbage     200 application/dns-message, 12 bytes: a header (ID 0,
               QR, QDCOUNT 1) and no question after it
  /truncated   200 application/dns-message, Content-Length: 100, 20 bytes
               of /dns-query's reply, then the connection closes
  /huge        200 application/dns-message, 70000 bytes (more than a DNS
               message can be): /dns-query's reply padded with zeros
  /silent      the request is read, never answered (the connection stays
               open until the client leaves)
  anything else  404 text/plain "not found"

DoT (RFC 7858), by the first label of the query's name (length prefix
read, reply framed the same way):
  ok           A 10.2.0.1 TTL 300
  cut          the length prefix of the ok reply, then its first half, then
               the connection closes (mid-reply)
  close        the connection closes without a reply
  silent       never answered (the connection stays open)
  flood        100000 2-byte messages (an ID no query has) first, then the
               ok reply
  anything else as ok
"""
import argparse
import socket
import ssl
import struct
import sys
import threading


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def qname_end(q):
    """Offset just past the question's name (uncompressed, as sent)."""
    i = 12
    while i < len(q) and q[i] != 0:
        i += 1 + q[i]
    return i + 1


def answer(q):
    """A 10.2.0.1 for the query's name, its ID and question kept."""
    end = qname_end(q)
    question = q[12:end + 4]
    head = struct.pack("!HHHHHH", struct.unpack("!H", q[:2])[0], 0x8180,
                       1, 1, 0, 0)
    rr = struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + bytes([10, 2, 0, 1])
    return head + question + rr


def first_label(q):
    n = q[12] if len(q) > 12 else 0
    return q[13:13 + n].decode("ascii", "replace").lower()


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        part = conn.recv(n - len(buf))
        if not part:
            return None
        buf += part
    return buf


def hold(conn):
    """Read and drop until the client leaves."""
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def serve_dot(conn, first):
    buf = first
    while True:
        while len(buf) < 2:
            part = conn.recv(4096)
            if not part:
                return
            buf += part
        n = struct.unpack("!H", buf[:2])[0]
        rest = recv_exact(conn, 2 + n - len(buf)) if len(buf) < 2 + n else b""
        if rest is None:
            return
        buf += rest
        q, buf = buf[2:2 + n], buf[2 + n:]
        kind = first_label(q)
        log("dot %s" % kind)
        reply = answer(q)
        if kind == "cut":
            conn.sendall(struct.pack("!H", len(reply)) + reply[:len(reply) // 2])
            return
        if kind == "close":
            return
        if kind == "silent":
            hold(conn)
            return
        if kind == "flood":
            wrong = struct.pack("!H", (struct.unpack("!H", q[:2])[0] + 1) & 0xFFFF)
            conn.sendall((struct.pack("!H", 2) + wrong) * 100000)
        conn.sendall(struct.pack("!H", len(reply)) + reply)


def http_reply(conn, status, ctype, body, length=None):
    head = "HTTP/1.1 %s\r\n" % status
    if ctype:
        head += "Content-Type: %s\r\n" % ctype
    head += "Content-Length: %d\r\n\r\n" % (len(body) if length is None else length)
    conn.sendall(head.encode() + body)


def serve_doh(conn, first):
    buf = first
    while b"\r\n\r\n" not in buf:
        part = conn.recv(4096)
        if not part:
            return
        buf += part
    head, body = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if len(body) < length:
        body += recv_exact(conn, length - len(body)) or b""
    log("doh %s %s (%d bytes)" % (lines[0].split(" ")[0], path, len(body)))
    dns = "application/dns-message"
    reply = answer(body) if len(body) >= 12 else b""
    if path == "/dns-query":
        http_reply(conn, "200 OK", dns, reply)
    elif path == "/html":
        http_reply(conn, "200 OK", "text/html; charset=utf-8",
                   b"<html><body>sign in</body></html>")
    elif path == "/none":
        http_reply(conn, "200 OK", None, reply)
    elif path == "/garbage":
        http_reply(conn, "200 OK", dns, struct.pack("!HHHHHH", 0, 0x8180, 1, 0, 0, 0))
    elif path == "/truncated":
        http_reply(conn, "200 OK", dns, reply[:20], length=100)
    elif path == "/huge":
        http_reply(conn, "200 OK", dns, reply + bytes(70000 - len(reply)))
    elif path == "/silent":
        hold(conn)
    else:
        http_reply(conn, "404 Not Found", "text/plain", b"not found")


def serve(raw, ctx):
    try:
        raw.settimeout(30)
        conn = ctx.wrap_socket(raw, server_side=True)
        conn.settimeout(None)
        first = conn.recv(4096)
        if not first:
            return
        if first[:5] in (b"POST ", b"GET /"):
            serve_doh(conn, first)
        else:
            serve_dot(conn, first)
        conn.close()
    except (OSError, ssl.SSLError, ValueError, IndexError) as e:
        log("connection: %s" % e)
    finally:
        raw.close()


def main():
    p = argparse.ArgumentParser(description="DoH and DoT faults")
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls-cert", required=True)
    p.add_argument("--tls-key", required=True)
    a = p.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.tls_cert, a.tls_key)
    fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.listen(64)
    print("ready %s %d" % (a.addr, s.getsockname()[1]), flush=True)
    while True:
        raw, _ = s.accept()
        threading.Thread(target=serve, args=(raw, ctx), daemon=True).start()


if __name__ == "__main__":
    main()
