#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""logsrv_stream: a static file server that logs every request it receives,
headers included (streamlab, tests/streamlab). For the origin tests: which
origin did a credential reach?

Python 3 stdlib only; one thread per connection.

  logsrv_stream.py --addr 127.0.0.2 --port 0 --root DIR
                   [--tls-cert F --tls-key F]

Prints "ready ADDR PORT" on stdout once bound (--port 0: the kernel picks a
free port), then one line per request, on stdout too:
  REQ GET /hls/seg000.ts {"Host": "...", "Authorization": "Bearer ..."}
(the headers as a JSON object, exactly as received).

Answers:
  /redirect?to=URL   302 Found, Location: URL (a hop to another origin)
  /auth/...          403 Forbidden (text/plain) unless the request has an
                     Authorization or X-Api-Key header: the file otherwise
  anything else      the file under DIR (200, Content-Length, a type by
                     extension: .m3u8 application/vnd.apple.mpegurl, .ts
                     video/mp2t, .m4s video/iso.segment, .mp4 audio/mp4,
                     .mpd application/dash+xml, .mp3 audio/mpeg, .pls
                     audio/x-scpls, .m3u audio/x-mpegurl, else
                     application/octet-stream), or 404 (text/plain)
With --tls-cert/--tls-key the port speaks HTTPS (TLS only).
"""
import argparse
import http.server
import json
import os
import socketserver
import ssl
import sys
from urllib.parse import parse_qs, unquote, urlsplit

TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t",
         ".m4s": "video/iso.segment", ".mp4": "audio/mp4",
         ".mpd": "application/dash+xml", ".mp3": "audio/mpeg",
         ".pls": "audio/x-scpls", ".m3u": "audio/x-mpegurl"}


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "logsrv_stream"

    def log_message(self, fmt, *args):  # the REQ lines are the log
        pass

    def reply(self, status, body, ctype, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        say("REQ %s %s %s" % (self.command, self.path,
                              json.dumps(dict(self.headers.items()))))
        url = urlsplit(self.path)
        if url.path == "/redirect":
            to = parse_qs(url.query).get("to", [""])[0]
            self.reply(302, b"", "text/plain", [("Location", to)])
            return
        if url.path.startswith("/auth/") and not (
                self.headers.get("Authorization") or
                self.headers.get("X-Api-Key")):
            self.reply(403, b"forbidden\n", "text/plain")
            return
        root = os.path.realpath(self.server.root)
        path = os.path.realpath(os.path.join(root, unquote(url.path).lstrip("/")))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            self.reply(404, b"not found\n", "text/plain")
            return
        with open(path, "rb") as f:
            body = f.read()
        ext = os.path.splitext(path)[1].lower()
        self.reply(200, body, TYPES.get(ext, "application/octet-stream"))

    do_HEAD = do_GET


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description="streamlab logging file server")
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--root", required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    opts = ap.parse_args()
    srv = Server((opts.addr, opts.port), Handler)
    srv.root = opts.root
    if opts.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts.tls_cert, opts.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    say("ready %s %d" % srv.server_address[:2])
    srv.serve_forever()


if __name__ == "__main__":
    main()
