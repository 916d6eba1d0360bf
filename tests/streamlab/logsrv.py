#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""logsrv: an HTTP server that logs everything it receives, to show where
credentials go (tests/plugins/origin_api.sh). Part of streamlab; Python 3
stdlib only; loopback only.

  logsrv.py --logdir DIR [--tls-cert F --tls-key F]
            --listen NAME=ADDR[:tls] [--listen ...]

Each --listen binds ADDR port 0 (the kernel picks a free port; ":tls"
serves TLS with the certificate given) and prints "listen NAME ADDR PORT";
once every listener is bound it prints "ready". Every request is appended
to DIR/NAME.log: the request line, every header line as received, a line
"basic: USER:PASSWORD" for Basic credentials (decoded), the
body, and a line "--" (flushed at once). One thread per connection;
HTTP/1.1 keep-alive.

Paths (any listener, any method):
  /ok                 200 application/json {"status":"ok"}
  /to?u=URL&code=N    N (default 302) with "Location: URL" (URL as given,
                      percent-decoded from the query), body "moved"
  /echo-header?pad=N&v=TEXT   200 {"status":"ok"} with a header
                      "X-Echo: " + N 'x' + TEXT (a server echoing a token
                      deep in a long header line)
  /fail?pad=N&v=TEXT  500, text/plain body N 'x' + TEXT (an error page
                      echoing a token)
  anything else       404 {"error":"not found"}
"""
import argparse
import base64
import http.server
import os
import socket
import ssl
import sys
import threading
from urllib.parse import parse_qs, urlsplit


def make_handler(name, logdir, lock):
    path = os.path.join(logdir, name + ".log")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "logsrv/1"
        sys_version = ""

        def log_message(self, fmt, *args):
            pass

        def record(self, body):
            lines = [self.requestline]
            for k, v in self.headers.items():
                lines.append("%s: %s" % (k, v))
                if k.lower() == "authorization" and v.lower().startswith("basic "):
                    try:
                        dec = base64.b64decode(v[6:].strip()).decode("latin-1")
                        lines.append("basic: " + dec)
                    except ValueError:
                        pass
            lines.append(body.decode("latin-1"))
            lines.append("--")
            with lock, open(path, "a", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")

        def reply(self, code, body, ctype="application/json", headers=()):
            body = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def handle_any(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n > 0 else b""
            self.record(body)
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            pad = "x" * int(q.get("pad", "0"))
            if url.path == "/ok":
                self.reply(200, '{"status":"ok"}')
            elif url.path == "/to":
                self.reply(int(q.get("code", "302")), "moved", "text/plain",
                           [("Location", q.get("u", "/ok"))])
            elif url.path == "/echo-header":
                self.reply(200, '{"status":"ok"}',
                           headers=[("X-Echo", pad + q.get("v", ""))])
            elif url.path == "/fail":
                self.reply(500, pad + q.get("v", ""), "text/plain")
            else:
                self.reply(404, '{"error":"not found"}')

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = handle_any

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logdir", required=True)
    ap.add_argument("--listen", action="append", required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    lock = threading.Lock()
    servers = []
    for spec in a.listen:
        name, addr = spec.split("=", 1)
        tls = addr.endswith(":tls")
        addr = addr[:-4] if tls else addr
        if not (addr.startswith("127.") or addr == "::1"):
            sys.exit("logsrv: loopback addresses only")
        Server.address_family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        srv = Server((addr, 0), make_handler(name, a.logdir, lock))
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(a.tls_cert, a.tls_key)
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        print("listen %s %s %d" % (name, addr, srv.server_address[1]), flush=True)
        servers.append(srv)
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
