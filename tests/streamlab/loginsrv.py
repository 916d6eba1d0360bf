#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""loginsrv: a small, real login service for check_login's tests.

Part of streamlab (tests/streamlab). Python 3 stdlib only; one thread per
connection. An OAuth2 token endpoint (RFC 6749) that validates for real,
a bearer-protected API (RFC 6750) that knows the tokens it issued, HTTP
Basic (RFC 7617) and Digest (RFC 7616) protected pages, and an HTML form
login with a CSRF token and cookies, plus the faults a real one shows.

  loginsrv.py --addr 127.0.0.1 --port 0 [--tls-cert F --tls-key F]

Prints "ready ADDR PORT" on stdout once bound. One line per request on
stderr: ADDR "METHOD PATH" STATUS [grant_type=G] [client_id=C] -- the path
without its query, never a secret, password, token, cookie or header.
HTTP/1.1 with keep-alive; every reply has Content-Length; HEAD is GET
without a body. Unknown paths: 404 application/json {"error":"not found"}.

Accounts:
  client  labclient / lab-secret-1        (confidential client)
  client  odd:client / s e+c/r%t:1        (for RFC 6749 2.3.1 encoding:
          in Basic, id and secret are form-urlencoded first)
  user    alice / wonderland-42
  refresh rt-good-1 (labclient, alice); every refresh_token grant issues
          rt-good-2, rt-good-3, ... and the old ones stay valid

POST /token  (Content-Type application/x-www-form-urlencoded, else 400
  invalid_request). Checks, in this order:
    not POST                          405, Allow: POST, invalid_request
    bad Content-Type, a parameter
    given twice, no grant_type        400 invalid_request
    client auth: HTTP Basic (id:secret each form-urlencoded, then base64)
    or client_id + client_secret form fields; both at once -> 400
    invalid_request; none, unknown client or wrong secret -> 401
    invalid_client with WWW-Authenticate: Basic realm="lab"
    grant_type not one of client_credentials, refresh_token, password
                                      400 unsupported_grant_type
    refresh_token / username / password missing  400 invalid_request
    unknown refresh token, wrong user or password  400 invalid_grant
  Errors: application/json {"error":CODE,"error_description":TEXT},
  Cache-Control: no-store, Pragma: no-cache.
  Success: 200 application/json, Cache-Control: no-store, Pragma: no-cache,
    {"access_token":32 hex,"token_type":"Bearer","expires_in":3600
     [,"refresh_token":"rt-good-N"] [,"scope":S]}
    scope: as requested; a refresh without scope keeps the old one; no
    scope requested -> no "scope" member. refresh_token: for the
    refresh_token and password grants, not for client_credentials.

GET /api/me  Authorization: Bearer TOKEN issued here and not expired ->
  200 {"user":U,"client":C,"grant_type":G,"scope":S or null}
  (U: the user, or the client id for client_credentials); no token -> 401,
  WWW-Authenticate: Bearer realm="lab"; unknown/expired -> 401,
  WWW-Authenticate: Bearer realm="lab", error="invalid_token";
  body {"error":"invalid_token"}.

Faults (any method; the body is read and dropped):
  /fault/500/token        500 text/plain "internal error"
  /fault/503/token        503 text/plain "service unavailable"
  /fault/429/token        429 text/plain "rate limited", Retry-After: 17
  /fault/html/token       200 text/html; charset=utf-8, the login page
  and the same token endpoint (same checks and errors) with the success
  reply changed:
  /fault/nojson/token     {"token_type":"Bearer","expires_in":3600}
  /fault/notbearer/token  token_type "mac"
  /fault/zero/token       expires_in 0 (the token is dead at once)
  /fault/short/token      expires_in 120
  /fault/slow/token?s=S   answers after S seconds (float, default 3)
  /fault/evil/token       400 application/json whose error and
                          error_description hold '|', CR LF, ESC, BEL and
                          a raw byte 0xFF (invalid UTF-8), the description
                          with a forged "LOGIN OK - ... | time=1s" line
  /fault/evilraw/token    500, text/plain body of the same hostile bytes

GET /basic/protected   200 text/plain "welcome alice\\n" with
  Authorization: Basic alice:wonderland-42; else 401 text/plain
  "unauthorized\\n", WWW-Authenticate: Basic realm="lab"
GET /open/protected    200 text/plain "welcome anyone\\n", always
GET /digest/protected  200 text/plain "welcome alice\\n" with a valid
  Digest (RFC 7616: MD5, qop=auth, a nonce issued here, uri = request
  target); else 401 "unauthorized\\n", WWW-Authenticate: Digest
  realm="lab", qop="auth", algorithm=MD5, nonce="...", opaque="..."

Form login (text/html; charset=utf-8):
  GET /login     200, Set-Cookie: presession=R; HttpOnly; Path=/ (R new on
                 each GET) and a form: action="/login" method="post",
                 hidden csrf_token (random, bound to R), hidden
                 next=/account, fields username and password
  POST /login    form fields; the CSRF token must be the one bound to the
                 presession cookie, else 403 "CSRF check failed"; then
                 alice/wonderland-42 -> 302 Location: /login/done,
                 Set-Cookie: session=S; HttpOnly; Path=/ (the CSRF token is
                 used up); else 200 the login page again (new CSRF token)
                 with "Invalid username or password"
  GET /login/done  valid session -> 302 Location: NEXT (the form's next
                 when it is a local path, else /account); else 302 /login
  GET /account   valid session -> 200 page with "Welcome back, alice";
                 else 302 Location: /login
  GET|POST /logout   ends the session, 302 Location: /login
  /changed/login     the same, but the hidden field is authenticity_token
                     (and the form's action is /changed/login)
  /slowform/login    the same, every GET and POST answered after 3 s
                     (?s=S on the GET: S seconds)
  /slowpost/login    the same; only the POST answered after 3 s
  Location headers are relative paths.

Origin tests (tests/plugins/origin_login.sh; nothing above changes):
  --dump FILE        every request, whole (request line, headers, body,
                     bytes outside printable ASCII as \\xHH), appended to
                     FILE: what a server on another origin received,
                     secrets included. Tests only: the stderr log stays
                     secret-free.
  /redir/CODE?to=URL   any method: the body is read and dropped, reply
                     CODE (301 302 303 307 308) with Location: URL
  /xform/login?action=URL&pad=N  GET: the login page of /login
                     (presession cookie, csrf_token) whose form posts to
                     URL (default /xform/login), with a hidden __VIEWSTATE
                     of N characters when pad is given;
                     POST /xform/login: as POST /login
  /fault/big/token   200 application/json of 5 MiB (past check_login's
                     4 MiB body limit), any method
  /fault/ttl/token?v=JSON  the token endpoint (same checks) whose success
                     reply has "expires_in": JSON, the text written as
                     given (1e300, 9223372036854775807, "3600", -1, ...)
"""
import base64
import binascii
import hashlib
import html
import json
import re
import secrets
import threading
import time
from urllib.parse import parse_qs, unquote_plus, urlsplit

import labhttp
from labhttp import log

REALM = "lab"
CLIENTS = {"labclient": "lab-secret-1", "odd:client": "s e+c/r%t:1"}
USERS = {"alice": "wonderland-42"}
LOCK = threading.Lock()
REFRESH = {"rt-good-1": {"client": "labclient", "user": "alice", "scope": None}}
REFRESH_SEQ = [1]
TOKENS = {}       # access token -> {user, client, grant_type, scope, expires}
PRESESSIONS = {}  # presession cookie -> csrf token
SESSIONS = {}     # session cookie -> {"user": U, "next": N}
NONCES = set()    # digest nonces issued
FORM_VARIANTS = {  # prefix -> (csrf field name, GET delay, POST delay)
    "": ("csrf_token", 0, 0),
    "/changed": ("authenticity_token", 0, 0),
    "/slowform": ("csrf_token", 3, 3),
    "/slowpost": ("csrf_token", 0, 3),
    "/xform": ("csrf_token", 0, 0),
}
DUMP = [None]  # --dump FILE
TOKEN_FAULTS = ("nojson", "notbearer", "zero", "short", "slow")


def jdump(obj):
    return json.dumps(obj, separators=(",", ":"))


def login_page(prefix, csrf, error=None, action=None):
    field = FORM_VARIANTS[prefix][0]
    if action is None:
        action = prefix + "/login"
    err = '<p class="error">Invalid username or password</p>\n' if error else ""
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            "<title>Sign in - streamlab</title></head>\n<body>\n<h1>Sign in</h1>\n%s"
            "<form action=\"%s\" method=\"post\">\n"
            "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n"
            "<input type=\"hidden\" name=\"next\" value=\"/account\">\n"
            "<label>Username <input type=\"text\" name=\"username\"></label>\n"
            "<label>Password <input type=\"password\" name=\"password\"></label>\n"
            "<button type=\"submit\">Sign in</button>\n"
            "</form>\n</body></html>\n") % (err, html.escape(action), field,
                                              html.escape(csrf))


class OAuthError(Exception):
    def __init__(self, code, error, desc):
        super().__init__(error)
        self.code, self.error, self.desc = code, error, desc


class Handler(labhttp.Handler):
    protocol_version = "HTTP/1.1"
    server_version = "loginsrv/1"
    sys_version = ""

    def version_string(self):
        return self.server_version

    # --- logging: method, path, status, grant_type, client id; nothing else
    def log_request(self, code="-", size="-"):
        extra = ""
        if getattr(self, "grant_type", None):
            extra += " grant_type=%s" % self.grant_type
        if getattr(self, "client_id", None):
            extra += " client_id=%s" % self.client_id
        code = getattr(code, "value", code)
        log('%s "%s %s" %s%s' % (self.address_string(), self.command,
                                 getattr(self, "log_path", "-"), code, extra))

    def log_error(self, fmt, *args):
        # send_error's message may quote the raw request line: leave it out
        log("%s error %s" % (self.address_string(), args[0] if args else "-"))

    def log_message(self, fmt, *args):
        log("%s %s" % (self.address_string(), fmt % args))

    # --- helpers
    def reply(self, code, body=b"", ctype="application/json", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def html(self, code, text, headers=()):
        return self.reply(code, text, "text/html; charset=utf-8", headers)

    def redirect(self, to, headers=()):
        return self.reply(302, "", "text/plain", [("Location", to)] + list(headers))

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def cookies(self):
        jar = {}
        for line in self.headers.get_all("Cookie") or []:
            for part in line.split(";"):
                if "=" in part:
                    k, v = part.split("=", 1)
                    jar.setdefault(k.strip(), v.strip())
        return jar

    def basic_credentials(self):
        """(user, password) from Authorization: Basic, None when absent or
        malformed; the raw (not url-decoded) parts."""
        auth = self.headers.get("Authorization") or ""
        scheme, _, val = auth.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            dec = base64.b64decode(val.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if ":" not in dec:
            return None
        u, _, p = dec.partition(":")
        return u, p

    # --- dispatch
    def dispatch(self):
        url = urlsplit(self.path)
        path = url.path
        self.log_path = path
        self.grant_type = self.client_id = None
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = self.read_body()
        self.dump(body)
        m = re.fullmatch(r"/redir/(301|302|303|307|308)", path)
        if m and "to" in q:
            return self.reply(int(m.group(1)), "", "text/plain", [("Location", q["to"])])
        if path == "/fault/big/token":
            return self.reply(200, b'{"pad":"' + b"x" * (5 << 20) + b'"}')
        if path == "/fault/ttl/token":
            return self.token(body, "ttl", q)
        if path == "/xform/login" and self.command != "POST":
            return self.login_form("/xform", action=q.get("action", "/xform/login"),
                                   pad=int(q.get("pad", "0")))
        if path == "/token":
            return self.token(body, None, q)
        m = re.fullmatch(r"/fault/([a-z0-9]+)/token", path)
        if m:
            kind = m.group(1)
            if kind == "500":
                return self.reply(500, "internal error", "text/plain")
            if kind == "503":
                return self.reply(503, "service unavailable", "text/plain")
            if kind == "429":
                return self.reply(429, "rate limited", "text/plain", [("Retry-After", "17")])
            if kind == "evil":
                return self.reply(400, b'{"error":"invalid_grant|x\\r\\n\\u001b[31m\xff",'
                                  b'"error_description":"bad\\nLOGIN OK - forged | time=1s\\u001b]0;t\\u0007 \xff|"}')
            if kind == "evilraw":
                return self.reply(500, b"oops|x\r\nLOGIN OK - forged | time=1s\x1b[31m\x07\xff",
                                  "text/plain")
            if kind == "html":
                return self.html(200, login_page("", "x" * 32))
            if kind in TOKEN_FAULTS:
                if kind == "slow":
                    time.sleep(float(q.get("s", 3)))
                return self.token(body, kind, q)
        if path == "/api/me":
            return self.api_me()
        if path == "/basic/protected":
            cred = self.basic_credentials()
            if cred and USERS.get(cred[0]) is not None and \
                    secrets.compare_digest(USERS[cred[0]], cred[1]):
                return self.reply(200, "welcome %s\n" % cred[0], "text/plain")
            return self.reply(401, "unauthorized\n", "text/plain",
                              [("WWW-Authenticate", 'Basic realm="%s"' % REALM)])
        if path == "/open/protected":
            return self.reply(200, "welcome anyone\n", "text/plain")
        if path == "/digest/protected":
            return self.digest()
        m = re.fullmatch(r"(|/changed|/slowform|/slowpost|/xform)/login", path)
        if m:
            return self.login(m.group(1), body, q)
        if path == "/login/done":
            s = self.session()
            if s is None:
                return self.redirect("/login")
            return self.redirect(s["next"])
        if path == "/account":
            s = self.session()
            if s is None:
                return self.redirect("/login")
            return self.html(200, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                             "<title>Your account - streamlab</title></head>\n<body>\n"
                             "<h1>Welcome back, %s</h1>\n<p><a href=\"/logout\">Sign out</a></p>\n"
                             "</body></html>\n" % html.escape(s["user"]))
        if path == "/logout":
            sid = self.cookies().get("session")
            with LOCK:
                SESSIONS.pop(sid, None)
            return self.redirect("/login", [("Set-Cookie", "session=; Max-Age=0; HttpOnly; Path=/")])
        return self.reply(404, '{"error":"not found"}')

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)

    def dump(self, body):
        if not DUMP[0]:
            return
        raw = ("%s %s %s\n" % (self.command, self.path, self.request_version)).encode() + \
            b"".join(("%s: %s\n" % (k, v)).encode("utf-8", "replace") for k, v in self.headers.items()) + \
            b"\n" + body + b"\n--\n"
        text = "".join(chr(c) if 32 <= c < 127 or c == 10 else "\\x%02x" % c for c in raw)
        with LOCK, open(DUMP[0], "a") as f:
            f.write(text)

    # --- OAuth2 token endpoint
    def token(self, body, fault, q):
        nostore = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
        try:
            res = self.grant(body)
        except OAuthError as e:
            hdrs = list(nostore)
            if e.code == 401:
                hdrs.append(("WWW-Authenticate", 'Basic realm="%s"' % REALM))
            if e.code == 405:
                hdrs.append(("Allow", "POST"))
            return self.reply(e.code, jdump({"error": e.error, "error_description": e.desc}), headers=hdrs)
        ttl = {"zero": 0, "short": 120}.get(fault, 3600)
        tok = secrets.token_hex(16)
        with LOCK:
            TOKENS[tok] = dict(res, expires=time.monotonic() + ttl)
        out = {"access_token": tok, "token_type": "mac" if fault == "notbearer" else "Bearer",
               "expires_in": ttl}
        if res.get("refresh_token"):
            out["refresh_token"] = res["refresh_token"]
        if res.get("scope") is not None:
            out["scope"] = res["scope"]
        if fault == "nojson":
            out = {"token_type": "Bearer", "expires_in": 3600}
        text = jdump(out)
        if fault == "ttl":  # the value exactly as the test wrote it
            text = text.replace('"expires_in":3600', '"expires_in":' + q.get("v", "3600"))
        return self.reply(200, text, headers=nostore)

    def grant(self, body):
        if self.command != "POST":
            raise OAuthError(405, "invalid_request", "the token endpoint takes POST")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            raise OAuthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        try:
            raw = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            raise OAuthError(400, "invalid_request", "malformed form body")
        dup = [k for k, v in raw.items() if len(v) > 1]
        if dup:
            raise OAuthError(400, "invalid_request", "parameter given more than once: " + dup[0])
        f = {k: v[0] for k, v in raw.items()}
        gt = f.get("grant_type")
        if gt:
            self.grant_type = re.sub(r"[^A-Za-z0-9_:.-]", "?", gt)[:60]
        else:
            raise OAuthError(400, "invalid_request", "missing grant_type")
        # client authentication (RFC 6749 2.3.1)
        basic = self.basic_credentials()
        has_auth = bool(self.headers.get("Authorization"))
        if has_auth and "client_secret" in f:
            raise OAuthError(400, "invalid_request", "more than one client authentication method")
        if has_auth:
            if basic is None:
                raise OAuthError(401, "invalid_client", "malformed client authentication")
            cid, csec = unquote_plus(basic[0]), unquote_plus(basic[1])
            if "client_id" in f and f["client_id"] != cid:
                raise OAuthError(400, "invalid_request", "client_id does not match the authenticated client")
        elif "client_id" in f:
            cid, csec = f["client_id"], f.get("client_secret")
        else:
            raise OAuthError(401, "invalid_client", "no client authentication")
        self.client_id = re.sub(r"[^A-Za-z0-9_:.@-]", "?", cid)[:60]
        want = CLIENTS.get(cid)
        if want is None or csec is None or not secrets.compare_digest(want.encode(), csec.encode()):
            raise OAuthError(401, "invalid_client", "client authentication failed")
        scope = f.get("scope")
        if gt == "client_credentials":
            return {"client": cid, "user": cid, "grant_type": gt, "scope": scope}
        if gt == "refresh_token":
            rt = f.get("refresh_token")
            if not rt:
                raise OAuthError(400, "invalid_request", "missing refresh_token")
            with LOCK:
                old = REFRESH.get(rt)
                if old is None or old["client"] != cid:
                    raise OAuthError(400, "invalid_grant", "refresh token invalid or expired")
                if scope is None:
                    scope = old["scope"]
                REFRESH_SEQ[0] += 1
                new = "rt-good-%d" % REFRESH_SEQ[0]
                REFRESH[new] = {"client": cid, "user": old["user"], "scope": scope}
            return {"client": cid, "user": old["user"], "grant_type": gt, "scope": scope,
                    "refresh_token": new}
        if gt == "password":
            user, pw = f.get("username"), f.get("password")
            if not user or pw is None:
                raise OAuthError(400, "invalid_request", "missing username or password")
            want = USERS.get(user)
            if want is None or not secrets.compare_digest(want.encode(), pw.encode()):
                raise OAuthError(400, "invalid_grant", "invalid resource owner credentials")
            with LOCK:
                REFRESH_SEQ[0] += 1
                new = "rt-good-%d" % REFRESH_SEQ[0]
                REFRESH[new] = {"client": cid, "user": user, "scope": scope}
            return {"client": cid, "user": user, "grant_type": gt, "scope": scope,
                    "refresh_token": new}
        raise OAuthError(400, "unsupported_grant_type", "grant type not supported")

    def api_me(self):
        auth = self.headers.get("Authorization") or ""
        scheme, _, tok = auth.partition(" ")
        if scheme.lower() != "bearer" or not tok.strip():
            return self.reply(401, '{"error":"invalid_token"}', headers=[
                ("WWW-Authenticate", 'Bearer realm="%s"' % REALM)])
        with LOCK:
            t = TOKENS.get(tok.strip())
        if t is None or t["expires"] <= time.monotonic():
            return self.reply(401, '{"error":"invalid_token"}', headers=[
                ("WWW-Authenticate", 'Bearer realm="%s", error="invalid_token"' % REALM)])
        return self.reply(200, jdump({"user": t["user"], "client": t["client"],
                                           "grant_type": t["grant_type"], "scope": t["scope"]}))

    # --- HTTP Digest (RFC 7616, MD5, qop=auth)
    def digest(self):
        auth = self.headers.get("Authorization") or ""
        if auth[:7].lower() == "digest ":
            p = dict((k.lower(), v1 if v1 else v2) for k, v1, v2 in
                     re.findall(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', auth[7:]))
            md5 = lambda s: hashlib.md5(s.encode("utf-8")).hexdigest()
            pw = USERS.get(p.get("username", ""))
            with LOCK:
                known = p.get("nonce") in NONCES
            if pw is not None and known and p.get("realm") == REALM and p.get("qop") == "auth" \
                    and p.get("uri") == self.path and p.get("algorithm", "MD5").upper() == "MD5" \
                    and p.get("nc") and p.get("cnonce"):
                ha1 = md5("%s:%s:%s" % (p["username"], REALM, pw))
                ha2 = md5("%s:%s" % (self.command, p["uri"]))
                want = md5(":".join((ha1, p["nonce"], p["nc"], p["cnonce"], "auth", ha2)))
                if secrets.compare_digest(want, p.get("response", "")):
                    return self.reply(200, "welcome %s\n" % p["username"], "text/plain")
        nonce = secrets.token_hex(16)
        with LOCK:
            NONCES.add(nonce)
        return self.reply(401, "unauthorized\n", "text/plain", [("WWW-Authenticate",
                          'Digest realm="%s", qop="auth", algorithm=MD5, nonce="%s", opaque="%s"'
                          % (REALM, nonce, hashlib.md5(REALM.encode()).hexdigest()))])

    # --- HTML form login
    def session(self):
        with LOCK:
            return SESSIONS.get(self.cookies().get("session"))

    def login(self, prefix, body, q):
        field, get_delay, post_delay = FORM_VARIANTS[prefix]
        if self.command == "POST":
            if post_delay:
                time.sleep(post_delay)
            return self.login_post(prefix, field, body)
        if get_delay:
            time.sleep(float(q.get("s", get_delay)))
        return self.login_form(prefix)

    def login_form(self, prefix, error=False, pre=None, action=None, pad=0):
        csrf = secrets.token_urlsafe(24)
        hdrs = []
        if pre is None:
            pre = secrets.token_hex(16)
            hdrs.append(("Set-Cookie", "presession=%s; HttpOnly; Path=/" % pre))
        with LOCK:
            PRESESSIONS[pre] = csrf
        page = login_page(prefix, csrf, error, action)
        if pad:
            page = page.replace('<input type="hidden" name="next"',
                                '<input type="hidden" name="__VIEWSTATE" value="%s">\n'
                                '<input type="hidden" name="next"' % ("v" * pad), 1)
        return self.html(200, page, hdrs)

    def login_post(self, prefix, field, body):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        f = {}
        if ctype == "application/x-www-form-urlencoded":
            try:
                f = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
            except UnicodeDecodeError:
                f = {}
        pre = self.cookies().get("presession")
        with LOCK:
            want = PRESESSIONS.get(pre)
        got = f.get(field)
        if want is None or got is None or not secrets.compare_digest(want.encode(), got.encode()):
            return self.html(403, "<!DOCTYPE html>\n<html><head><title>Forbidden</title></head>"
                             "<body><h1>CSRF check failed</h1></body></html>\n")
        user, pw = f.get("username", ""), f.get("password", "")
        okpw = USERS.get(user)
        if okpw is None or not secrets.compare_digest(okpw.encode(), pw.encode()):
            return self.login_form(prefix, error=True, pre=pre)
        nxt = f.get("next", "")
        if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
            nxt = "/account"
        sid = secrets.token_hex(16)
        with LOCK:
            PRESESSIONS.pop(pre, None)
            SESSIONS[sid] = {"user": user, "next": nxt}
        return self.redirect("/login/done", [("Set-Cookie", "session=%s; HttpOnly; Path=/" % sid)])


def main():
    ap = labhttp.arguments("streamlab login server (OAuth2 + form login)")
    ap.add_argument("--dump", help="append every request, whole, to this file (tests only)")
    a = ap.parse_args()
    DUMP[0] = a.dump
    labhttp.serve(labhttp.Server, Handler, a)


if __name__ == "__main__":
    main()
