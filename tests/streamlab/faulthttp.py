#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""faulthttp: a scriptable HTTP server for the faults a real server won't make.

Part of streamlab (tests/streamlab). Python 3 stdlib only; one thread per
connection (a slow or stalled client never holds up another).

  faulthttp.py --addr 127.0.0.1 --port 0 [--tls-cert F --tls-key F] [--stall-tls]

Prints "ready ADDR PORT" on stdout once bound (--port 0: the kernel picks a
free port). One line per request on stderr. HTTP/1.1 with keep-alive; every
reply has Content-Length unless said otherwise. Every method (GET, HEAD,
POST, PUT, PATCH, DELETE, OPTIONS) is served alike; HEAD gets no body. The
query string is ignored except where a parameter is listed.

Paths (bodies exact, no trailing newline):
  /json            200 application/json {"status":"ok","n":3}
  /status/NNN      NNN (100..599 except 1xx/204/304 which get no body) with
                   Python's reason phrase ("Unknown" when it has none),
                   application/json {"error":"x"}
  /503             503 Service Unavailable, text/plain, body
                   "upstream down: db|cache\\nsecond line" (a real LF)
  /429             429 Too Many Requests, Retry-After: 30, application/json
                   {"error":"rate limited"}
  /429-date?s=N    same, Retry-After as an HTTP date N seconds ahead
                   (default 120), e.g. "Retry-After: Thu, 26 Nov 2026 10:34:39 GMT"
  /slow-ttfb?s=S   nothing at all for S seconds (float, default 3), then
                   /json's reply
  /trickle?interval=S   200 application/json, Content-Length: 100000000 at
                   once, then one byte every S seconds (default 1) until the
                   client leaves; bytes cycle through '{"data":"' then 'x'
  /huge?chunked=1  200 application/json, exactly 20 MiB (20971520 bytes):
                   {"data":"xxx...x"} sent as fast as the client reads;
                   Content-Length given, or Transfer-Encoding: chunked with
                   ?chunked=1; connection closed after
  /redirect-loop   302 Location: /redirect-loop (for ever)
  /redirect/N      302 Location: /redirect/N-1 while N > 1; /redirect/1 ->
                   302 Location: /json (N redirects, then /json);
                   /redirect/0 is /json itself
  /html            200 text/html; charset=utf-8
                   <html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>
  /invalid-json    200 application/json {"status": "ok",
  /evil            200 application/json, header "X-Evil: a|b", body (JSON
                   escapes, valid JSON) {"status":"a|b\\nc\\u001b[31m"}
  /evil-raw        500 Internal Server Error, text/plain, raw bytes
                   a|b<LF>c<ESC>[31mred
  /blackhole       reads the request, never answers; the connection stays
                   open until the client closes it
  /echo            200 application/json: {"method":M,"path":P (with query),
                   "headers":{lower-case name: value, repeated names joined
                   with ", "},"body":B (request body, latin-1 decoded),
                   "body_length":N}
  /echo?status=NNN   the same with status NNN (a server whose error page
                   echoes the request: Authorization, form body)
  /echo?text=1     text/plain instead: "authorization: V<LF>cookie: C<LF>
                   body: B" (first in the body, so an excerpt shows them);
                   combines with status
  /evil-reason     503 with the reason phrase "a|b<ESC>[31m<0xFF>x" (raw
                   bytes on the status line), text/plain "down"
  /evil-headers    302, Location: /a|b<ESC>[31m<0xFF>, X-Evil: a|b<ESC>]0;t<BEL>
                   <0xFE>, text/plain body "moved"
  /evil-icy        200 audio/mpeg without Content-Length, icy-name,
                   icy-description, icy-genre and icy-url holding '|', ESC,
                   BEL and a byte 0xFF, icy-br: 128, icy-metaint: 16000 and
                   in-band StreamTitle='a|b<LF>c<ESC>[31m<0xFF>'; then
                   MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, silent:
                   zero payload) at real-time rate after a 64 KiB burst,
                   for ?s=S seconds (default 10) or until the client leaves
  /shoutcast?code=NNN&s=S   a SHOUTcast 1 server (DNAS 1.x): the status
                   line "ICY 200 OK" (not HTTP), icy-notice1, icy-name,
                   icy-genre, content-type: audio/mpeg, icy-pub, icy-br: 128
                   (and icy-metaint: 16000 when asked with Icy-MetaData: 1),
                   then /evil-icy's frames for S seconds (default 10), with
                   StreamTitle='streamlab - shoutcast' in band; another code
                   (401: "ICY 401 Service Unavailable", the server full; 404:
                   "ICY 404 Resource Not Found") is the status line and an
                   empty line, then the connection closes
  /bearer          200 {"status":"ok","user":"svc"} when the request has
                   "Authorization: Bearer s3cr3t-token"; else 401
                   Unauthorized, WWW-Authenticate: Bearer realm="streamlab",
                   error="invalid_token", body {"error":"invalid_token"}
  /close           sends "HTTP/1.1 200 OK" and a header line, then closes
                   (a reply cut short)
  /trickle-head?interval=S   the whole reply to /json (status line,
                   headers, body) one byte every S seconds (default 1): the
                   status line and headers themselves trickle
  /endless-headers?interval=S   "HTTP/1.1 200 OK", then header lines
                   "X-Junk-N: " + 1000 'x' for ever, as fast as the client
                   reads (or one line every S seconds when given); the
                   header block never ends
  /endless-body?mp3=1   200, no Content-Length, Connection: close, a body
                   that never ends, sent as fast as the client reads: 'x'
                   bytes as application/octet-stream, or with ?mp3=1 silent
                   MPEG-1 Layer III frames (128 kb/s, 44.1 kHz, 417 bytes
                   each) as audio/mpeg
  /gigabyte?interval=S&mp3=1   200, Content-Length: 1073741824 (1 GiB),
                   then the body as fast as the client reads, or with
                   ?interval one 1024-byte block every S seconds; 'x' bytes
                   (application/octet-stream) or, ?mp3=1, MP3 frames as
                   /endless-body (audio/mpeg)
  /reset?after=N&mp3=1   200, Content-Length: 1000000,
                   application/octet-stream, N bytes of 'x' (default 1000;
                   with ?mp3=1 audio/mpeg and N bytes of /endless-body's MP3
                   frames), then a TCP reset (SO_LINGER 0 and close) in the
                   middle of the body
  /bad-chunked     200, Transfer-Encoding: chunked, application/json, one
                   good chunk '{"data":"', then the chunk-size line "zz"
                   (not hexadecimal) and more bytes; the connection is then
                   held open until the client leaves
  /hls?seg=PATH    200 application/vnd.apple.mpegurl, a VOD media playlist
                   with one 2-second segment whose URI is PATH as given
                   (URL-decoded from the query, e.g. seg=/reset%3Fafter%3D500,
                   default /blackhole): a playlist that is fine, pointing at
                   a hostile segment
  anything else    404 Not Found, application/json {"error":"not found"}

--tls-cert/--tls-key: the same over TLS (handshake in the connection's
thread). --stall-tls: accept TCP connections and never start (or answer)
the TLS handshake; connections stay open until the client leaves.
"""
import email.utils
import json
import socket
import struct
import time
from urllib.parse import parse_qs, urlsplit

import labhttp
from labhttp import log

HUGE = 20 * 1024 * 1024
GIB = 1024 * 1024 * 1024
TOKEN = "s3cr3t-token"
# a silent MPEG-1 Layer III frame: 128 kb/s, 44.1 kHz, joint stereo, no
# padding, no CRC: 144 * 128000 / 44100 = 417 bytes
MP3_FRAME = b"\xff\xfb\x90\x44" + bytes(413)


def wait_for_close(sock):
    """Read and drop until the peer closes (or the socket fails)."""
    sock.settimeout(None)
    try:
        while sock.recv(4096):
            pass
    except OSError:
        pass


class Handler(labhttp.Handler):
    protocol_version = "HTTP/1.1"
    server_version = "faulthttp/1"
    sys_version = ""

    def log_message(self, fmt, *args):
        log("%s %s" % (self.address_string(), fmt % args))

    def reply(self, code, body=b"", ctype="application/json", headers=(), reason=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        if reason is None and code not in self.responses:
            reason = "Unknown"
        self.send_response(code, reason)
        no_body = code < 200 or code in (204, 304)
        if not no_body:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and not no_body:
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def dispatch(self):
        url = urlsplit(self.path)
        path = url.path
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = self.read_body()
        if path == "/json":
            return self.reply(200, '{"status":"ok","n":3}')
        if path.startswith("/status/"):
            try:
                code = int(path[8:])
            except ValueError:
                code = 0
            if not 100 <= code <= 599:
                return self.reply(400, '{"error":"bad status"}')
            return self.reply(code, '{"error":"x"}')
        if path == "/503":
            return self.reply(503, "upstream down: db|cache\nsecond line", "text/plain")
        if path == "/429":
            return self.reply(429, '{"error":"rate limited"}', headers=[("Retry-After", "30")])
        if path == "/429-date":
            when = time.time() + float(q.get("s", 120))
            return self.reply(429, '{"error":"rate limited"}',
                              headers=[("Retry-After", email.utils.formatdate(when, usegmt=True))])
        if path == "/slow-ttfb":
            time.sleep(float(q.get("s", 3)))
            return self.reply(200, '{"status":"ok","n":3}')
        if path == "/trickle":
            return self.trickle(float(q.get("interval", 1)))
        if path == "/huge":
            return self.huge(q.get("chunked") == "1")
        if path == "/trickle-head":
            return self.trickle_head(float(q.get("interval", 1)))
        if path == "/endless-headers":
            return self.endless_headers(float(q.get("interval", 0)))
        if path == "/endless-body":
            return self.endless(None, 0, q.get("mp3") == "1")
        if path == "/gigabyte":
            return self.endless(GIB, float(q.get("interval", 0)), q.get("mp3") == "1")
        if path == "/reset":
            return self.reset(int(q.get("after", 1000)), q.get("mp3") == "1")
        if path == "/bad-chunked":
            return self.bad_chunked()
        if path == "/hls":
            seg = q.get("seg", "/blackhole")
            return self.reply(200, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                              "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.000,\n%s\n"
                              "#EXT-X-ENDLIST\n" % seg, "application/vnd.apple.mpegurl")
        if path == "/redirect-loop":
            return self.reply(302, "", "text/plain", [("Location", "/redirect-loop")])
        if path.startswith("/redirect/"):
            try:
                n = int(path[10:])
            except ValueError:
                return self.reply(400, '{"error":"bad count"}')
            if n <= 0:
                return self.reply(200, '{"status":"ok","n":3}')
            to = "/redirect/%d" % (n - 1) if n > 1 else "/json"
            return self.reply(302, "", "text/plain", [("Location", to)])
        if path == "/html":
            return self.reply(200, "<html><head><title>Sign in</title></head><body>"
                              "<h1>Please sign in</h1></body></html>", "text/html; charset=utf-8")
        if path == "/invalid-json":
            return self.reply(200, '{"status": "ok",')
        if path == "/evil":
            return self.reply(200, '{"status":"a|b\\nc\\u001b[31m"}', headers=[("X-Evil", "a|b")])
        if path == "/evil-raw":
            return self.reply(500, b"a|b\nc\x1b[31mred", "text/plain")
        if path == "/blackhole":
            self.close_connection = True
            return wait_for_close(self.connection)
        if path == "/echo":
            hdrs = {}
            for name, value in self.headers.items():
                k = name.lower()
                hdrs[k] = hdrs[k] + ", " + value if k in hdrs else value
            code = int(q.get("status", 200))
            if q.get("text") == "1":
                return self.reply(code, "authorization: %s\ncookie: %s\nbody: %s" % (
                    hdrs.get("authorization", ""), hdrs.get("cookie", ""),
                    body.decode("latin-1")), "text/plain")
            return self.reply(code, json.dumps({
                "method": self.command, "path": self.path, "headers": hdrs,
                "body": body.decode("latin-1"), "body_length": len(body)}))
        if path == "/evil-reason":
            return self.reply(503, "down", "text/plain", reason="a|b\x1b[31m\xffx")
        if path == "/evil-headers":
            return self.reply(302, "moved", "text/plain", [
                ("Location", "/a|b\x1b[31m\xff"), ("X-Evil", "a|b\x1b]0;t\x07\xfe")])
        if path == "/evil-icy":
            return self.evil_icy(float(q.get("s", 10)))
        if path == "/shoutcast":
            return self.shoutcast(int(q.get("code", 200)), float(q.get("s", 10)))
        if path == "/bearer":
            if self.headers.get("Authorization") == "Bearer " + TOKEN:
                return self.reply(200, '{"status":"ok","user":"svc"}')
            return self.reply(401, '{"error":"invalid_token"}', headers=[
                ("WWW-Authenticate", 'Bearer realm="streamlab", error="invalid_token"')])
        if path == "/close":
            self.close_connection = True
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            self.wfile.flush()
            return None
        return self.reply(404, '{"error":"not found"}')

    def trickle(self, interval):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000000")
        self.end_headers()
        self.wfile.flush()
        if self.command == "HEAD":
            return
        head = b'{"data":"'
        i = 0
        while True:
            self.wfile.write(head[i:i + 1] if i < len(head) else b"x")
            self.wfile.flush()
            i += 1
            time.sleep(interval)

    def trickle_head(self, interval):
        self.close_connection = True
        body = b'{"status":"ok","n":3}'
        raw = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        for i in range(len(raw)):
            self.wfile.write(raw[i:i + 1])
            self.wfile.flush()
            time.sleep(interval)

    def endless_headers(self, interval):
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        line = b"x" * 1000
        n = 0
        while True:
            self.wfile.write(b"X-Junk-%d: %s\r\n" % (n, line))
            n += 1
            if interval > 0:
                self.wfile.flush()
                time.sleep(interval)

    def endless(self, length, interval, mp3):
        """length None: no Content-Length, never ends; else that
        Content-Length and (at most) that many bytes."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg" if mp3 else "application/octet-stream")
        if length is None:
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()
        if self.command == "HEAD":
            return
        unit = MP3_FRAME if mp3 else b"x" * 1024
        block = unit * (1 if interval > 0 else 64)
        if interval > 0 and not mp3:
            block = block[:1024]
        sent = 0
        while length is None or sent < length:
            part = block if length is None else block[:length - sent]
            self.wfile.write(part)
            self.wfile.flush()
            sent += len(part)
            if interval > 0:
                time.sleep(interval)

    def reset(self, after, mp3):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg" if mp3 else "application/octet-stream")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        unit = MP3_FRAME if mp3 else b"x"
        self.wfile.write((unit * (after // len(unit) + 1))[:after])
        self.wfile.flush()
        # SO_LINGER on, 0 s: close() sends RST instead of FIN
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def bad_chunked(self):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b'9\r\n{"data":"\r\nzz\r\nxxxxxxxx\r\n')
        self.wfile.flush()
        wait_for_close(self.connection)

    def evil_icy(self, seconds):
        self.close_connection = True
        evil = "a|b\x1b[31m\x07\xff"
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        for name in ("icy-name", "icy-description", "icy-genre", "icy-url"):
            self.send_header(name, name + " " + evil)
        self.send_header("icy-br", "128")
        metaint = 16000
        meta = self.headers.get("Icy-MetaData") == "1"
        if meta:
            self.send_header("icy-metaint", str(metaint))
        self.end_headers()
        if self.command == "HEAD":
            return
        self.icy_frames(seconds, metaint if meta else 0,
                        b"StreamTitle='a|b\nc\x1b[31m\xff';")

    def shoutcast(self, code, seconds):
        """SHOUTcast 1 (DNAS 1.x): "ICY 200 OK" instead of an HTTP status
        line, icy-* headers, then the stream until the client leaves; any
        other code ("ICY 401 Service Unavailable" when full) is the status
        line alone, then the connection closes."""
        self.close_connection = True
        reasons = {200: "OK", 401: "Service Unavailable", 404: "Resource Not Found"}
        head = b"ICY %d %s\r\n" % (code, reasons.get(code, "Unknown").encode())
        metaint = 16000
        meta = self.headers.get("Icy-MetaData") == "1"
        if code == 200:
            head += (b"icy-notice1: <BR>This stream requires Winamp<BR>\r\n"
                     b"icy-name: streamlab shoutcast\r\nicy-genre: test\r\n"
                     b"content-type: audio/mpeg\r\nicy-pub: 0\r\nicy-br: 128\r\n")
            if meta:
                head += b"icy-metaint: %d\r\n" % metaint
        self.wfile.write(head + b"\r\n")
        self.wfile.flush()
        if code == 200 and self.command != "HEAD":
            self.icy_frames(seconds, metaint if meta else 0,
                            b"StreamTitle='streamlab - shoutcast';")

    def icy_frames(self, seconds, metaint, title):
        """Silent MP3 frames at real-time rate after a 64 KiB burst, for
        seconds or until the client leaves; with metaint, the title as
        in-band metadata every metaint audio bytes."""
        title += bytes(-len(title) % 16)
        block = bytes([len(title) // 16]) + title
        rate = 16000.0  # bytes per second
        t0 = time.monotonic()
        sent = 0   # audio bytes
        pending = b""
        while time.monotonic() - t0 < seconds:
            while len(pending) < 4096:
                pending += MP3_FRAME
            chunk, pending = pending[:4096], pending[4096:]
            out = chunk
            if metaint:
                # cut the chunk at the metadata interval
                left = metaint - sent % metaint
                if len(chunk) >= left:
                    out = chunk[:left] + block + chunk[left:]
            try:
                self.wfile.write(out)
                self.wfile.flush()
            except OSError:
                return
            sent += len(chunk)
            ahead = (sent - 65536) / rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)

    def huge(self, chunked):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        if self.command == "HEAD":
            return
        block = b"x" * 65536
        parts = [b'{"data":"']
        left = HUGE - len(parts[0]) - 2
        while left > 0:
            n = min(left, len(block))
            parts.append(block[:n])
            left -= n
        parts.append(b'"}')
        for p in parts:
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(p), p))
            else:
                self.wfile.write(p)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def __getattr__(self, name):
        # do_GET, do_POST, ... all go to dispatch
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)


class Server(labhttp.Server):
    """--stall-tls: accept TCP and never start the TLS handshake."""
    stall = False

    def process_request_thread(self, request, client_address):
        if self.stall:
            log("%s stalled (TLS handshake never started)" % client_address[0])
            wait_for_close(request)
            self.shutdown_request(request)
            return
        super().process_request_thread(request, client_address)


def main():
    ap = labhttp.arguments("streamlab fault HTTP server")
    ap.add_argument("--stall-tls", action="store_true")
    a = ap.parse_args()

    def setup(srv):
        srv.stall = a.stall_tls
    labhttp.serve(Server, Handler, a, setup)


if __name__ == "__main__":
    main()
