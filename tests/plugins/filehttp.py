#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""filehttp: serves the files of one directory to GET and POST alike.

For tests/plugins/hostile_http.sh's memory bombs: a token endpoint is
POSTed to, and nginx answers POST to a static file with 405, so a JSON
body as a token response needs a server that hands a file to any method.
Python 3 stdlib only; one thread per connection.

  filehttp.py --addr 127.0.0.1 --dir DIR

Prints "ready ADDR PORT" on stdout once bound (the kernel picks the
port). /NAME answers 200 with the bytes of DIR/NAME and a Content-Type by
extension (.json application/json, .mpd application/dash+xml, .m3u8
application/vnd.apple.mpegurl); anything else is 404. The query string is
ignored. One line per request on stderr.
"""
import argparse
import http.server
import os
import socketserver
import sys

TYPES = {".json": "application/json", ".mpd": "application/dash+xml",
         ".m3u8": "application/vnd.apple.mpegurl"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        name = self.path.split("?", 1)[0].lstrip("/")
        path = os.path.join(self.server.root, name)
        if "/" in name or not name or not os.path.isfile(path):
            body, code, ctype = b"not found", 404, "text/plain"
        else:
            with open(path, "rb") as f:
                body = f.read()
            code = 200
            ctype = TYPES.get(os.path.splitext(name)[1], "text/plain")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = serve

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    srv = Server((a.addr, 0), Handler)
    srv.root = a.dir
    print("ready %s %d" % (a.addr, srv.server_address[1]), flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
