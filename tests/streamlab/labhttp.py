# SPDX-License-Identifier: GPL-3.0-or-later
"""labhttp: what streamlab's Python HTTP servers (faulthttp.py, loginsrv.py)
share: logging, a request handler that shrugs off clients that leave, a
threaded server that speaks TLS when given a certificate, and the command
line every one of them has (--addr --port --tls-cert --tls-key), ending in
the "ready ADDR PORT" line the shell starters wait for. Stdlib only."""
import argparse
import http.server
import socket
import socketserver
import ssl
import sys


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Handler(http.server.BaseHTTPRequestHandler):
    """A handler whose client may hang up or break TLS at any moment."""

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError,
                socket.timeout):
            self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """One thread per connection; the TLS handshake is done in that thread,
    so a client that stalls it holds up nobody else."""
    daemon_threads = True
    allow_reuse_address = True
    tls = None

    def process_request_thread(self, request, client_address):
        if self.tls is not None:
            try:
                request.settimeout(30)
                request = self.tls.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (OSError, ssl.SSLError) as e:
                log("%s TLS handshake failed: %s" % (client_address[0], e))
                try:
                    request.close()
                except OSError:
                    pass
                return
        super().process_request_thread(request, client_address)

    def handle_error(self, request, client_address):
        # the type only: a message may quote what a client sent
        log("%s error: %s" % (client_address[0],
                              type(sys.exc_info()[1]).__name__))


def arguments(description):
    """The options every streamlab HTTP server takes; add more to it."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    return ap


def serve(server_class, handler, a, setup=None):
    """Binds (IPv6 when the address has a ':'), sets up TLS, calls
    setup(srv), says "ready ADDR PORT" and serves until interrupted."""
    server_class.address_family = (socket.AF_INET6 if ":" in a.addr
                                   else socket.AF_INET)
    srv = server_class((a.addr, a.port), handler)
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        ctx.set_alpn_protocols(["http/1.1"])
        srv.tls = ctx
    if setup:
        setup(srv)
    print("ready %s %d" % (a.addr, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
