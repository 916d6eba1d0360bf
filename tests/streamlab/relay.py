#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""relay: an HTTP relay that shapes a stream (streamlab, tests/streamlab).

Python 3 stdlib only; one thread per connection.

  relay.py --addr 127.0.0.1 --port 0 --upstream http://127.0.0.1:PORT
           [--throttle BPS] [--burst BYTES]
           [--stall-after BYTES --stall SECONDS]

Prints "ready ADDR PORT" on stdout once bound (--port 0: the kernel picks a
free port), then one line per request on stderr:
  "GET /live.mp3" 200 -> 123456 bytes [stalled 2.0 s at 40000]

Every request (GET or HEAD; the path and query string as given) is relayed
to UPSTREAM + path with the client's headers (Host and Connection replaced),
the upstream's status line and headers go back unchanged except
Connection: close (Transfer-Encoding is dropped: the body, decoded, is sent
until the connection closes; Content-Length is kept when the upstream gave
one). Upstream unreachable: 502 Bad Gateway, text/plain.

Shaping of the body, per connection, counted in body bytes sent:
  --burst BYTES          the first BYTES go out as fast as the client reads
                         (default 0)
  --throttle BPS         after the burst, bytes per second (paced in small
                         slices, 20 per second; default: unthrottled)
  --stall-after BYTES    once BYTES body bytes have been sent, send nothing
  --stall SECONDS        for SECONDS (float; default 2), once per connection,
                         then carry on
  --hide-newest          a CDN edge the newest segment has not reached yet:
                         the last URI of each HLS media playlist relayed
                         (.m3u8 with EXTINF, read whole) answers 404 Not
                         Found until a newer playlist names another
  --pdt-shift SECONDS    HLS playlists (a path ending in .m3u8) are read
                         whole and every EXT-X-PROGRAM-DATE-TIME moved
                         SECONDS (float) into the past, in the same format
                         (a packager whose clock is behind, or a delayed
                         channel that keeps its original times); the rest
                         of the playlist and every other body unchanged
Works for progressive streams (Icecast) as well as HLS/DASH files (nginx).
"""
import argparse
import datetime
import http.client
import re
import socket
import socketserver
import sys
import threading
import time
from urllib.parse import urljoin, urlsplit

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
       "te", "trailer", "upgrade", "host"}


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        opts = self.server.opts
        try:
            line = self.rfile.readline(65537).decode("latin-1").rstrip("\r\n")
            parts = line.split()
            if len(parts) < 2:
                return
            method, target = parts[0], parts[1]
            headers = []
            while True:
                h = self.rfile.readline(65537).decode("latin-1")
                if h in ("\r\n", "\n", ""):
                    break
                name, _, value = h.partition(":")
                if name.strip().lower() not in HOP:
                    headers.append((name.strip(), value.strip()))
        except OSError:
            return
        up = opts.up
        try:
            cls = (http.client.HTTPSConnection if up.scheme == "https"
                   else http.client.HTTPConnection)
            conn = cls(up.hostname, up.port, timeout=30)
            path = up.path.rstrip("/") + target
            conn.putrequest(method, path, skip_host=True,
                            skip_accept_encoding=True)
            conn.putheader("Host", up.netloc)
            for name, value in headers:
                conn.putheader(name, value)
            conn.putheader("Connection", "close")
            conn.endheaders()
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            body = ("relay: upstream %s: %s\n" % (opts.upstream, e)).encode()
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                             % (len(body), body))
            log('"%s %s" 502 (%s)' % (method, target, e))
            return
        path = target.split("?")[0]
        if opts.hide_newest and path in self.server.newest.values():
            body = b"not on this edge yet\n"
            self.wfile.write(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                             % (len(body), body))
            conn.close()
            log('"%s %s" 404 (newest segment hidden)' % (method, target))
            return
        whole = None
        if (opts.pdt_shift or opts.hide_newest) and method == "GET" and \
                path.endswith(".m3u8"):
            whole = resp.read()
            if opts.pdt_shift:
                whole = shift_pdt(whole, opts.pdt_shift)
            if opts.hide_newest and b"#EXTINF" in whole:  # media playlists
                uris = [l.strip() for l in whole.decode("latin-1").splitlines()
                        if l.strip() and not l.startswith("#")]
                if uris:
                    self.server.newest[path] = urljoin(path, uris[-1])
        out = ["HTTP/1.1 %d %s" % (resp.status, resp.reason)]
        for name, value in resp.getheaders():
            if name.lower() not in HOP and not (
                    whole is not None and name.lower() == "content-length"):
                out.append("%s: %s" % (name, value))
        if whole is not None:
            out.append("Content-Length: %d" % len(whole))
        out.append("Connection: close")
        self.sent, self.note = 0, ""
        try:
            self.wfile.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            self.wfile.flush()
            if whole is not None:
                self.wfile.write(whole)
                self.sent = len(whole)
                self.note = " (whole)"
            elif method != "HEAD":
                self.relay_body(resp, opts)
        except OSError:
            self.note += " (client left)"
        finally:
            conn.close()
        log('"%s %s" %d -> %d bytes%s' % (method, target, resp.status, self.sent, self.note))

    def relay_body(self, resp, opts):
        sent = 0
        stalled = opts.stall_after is None
        slice_ = max(1, int(opts.throttle / 20)) if opts.throttle else 16384
        t_burst = None  # when the burst ended (throttle clock start)
        while True:
            want = 16384
            if opts.throttle and sent >= opts.burst:
                want = slice_
            elif opts.throttle:
                want = min(want, opts.burst - sent)
            if not stalled:
                want = min(want, max(1, opts.stall_after - sent))
            data = resp.read1(want) if hasattr(resp, "read1") else resp.read(want)
            if not data:
                break
            if opts.throttle and sent >= opts.burst:
                if t_burst is None:
                    t_burst = time.monotonic()
                    base = sent
                due = t_burst + (sent - base) / opts.throttle
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self.wfile.write(data)
            self.wfile.flush()
            sent += len(data)
            self.sent = sent
            if not stalled and sent >= opts.stall_after:
                stalled = True
                self.note = " stalled %g s at %d" % (opts.stall, sent)
                time.sleep(opts.stall)
                if t_burst is not None:
                    t_burst += opts.stall  # the stall is not made up for


PDT = re.compile(rb"^(#EXT-X-PROGRAM-DATE-TIME:)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"
                 rb"(\.\d+)?(.*)$", re.M)


def shift_pdt(body, seconds):
    """Every EXT-X-PROGRAM-DATE-TIME of body moved seconds earlier, its
    fraction digits and zone kept as written."""
    def one(m):
        frac = m.group(3) or b""
        t = datetime.datetime.strptime(m.group(2).decode(), "%Y-%m-%dT%H:%M:%S")
        t += datetime.timedelta(seconds=float(frac or b"0") - seconds)
        text = t.strftime("%Y-%m-%dT%H:%M:%S").encode()
        if frac:
            digits = len(frac) - 1
            text += (".%0*d" % (digits, int(t.microsecond / 10 ** (6 - digits)))).encode()
        return m.group(1) + text + m.group(4)
    return PDT.sub(one, body)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description="streamlab HTTP relay with shaping")
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--throttle", type=float, default=0)
    ap.add_argument("--burst", type=int, default=0)
    ap.add_argument("--stall-after", type=int, default=None)
    ap.add_argument("--stall", type=float, default=2.0)
    ap.add_argument("--pdt-shift", type=float, default=0)
    ap.add_argument("--hide-newest", action="store_true")
    opts = ap.parse_args()
    opts.up = urlsplit(opts.upstream)
    if opts.up.scheme not in ("http", "https") or not opts.up.hostname:
        ap.error("--upstream must be http(s)://HOST:PORT[/prefix]")
    Server.address_family = socket.AF_INET6 if ":" in opts.addr else socket.AF_INET
    srv = Server((opts.addr, opts.port), Handler)
    srv.opts = opts
    srv.newest = {}  # playlist path -> its newest segment's path
    print("ready %s %d" % (opts.addr, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
