#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab login self-test (not part of `make check`): starts loginsrv.py
# (plain on 127.0.0.1 and ::1, TLS with the valid certificate), probes every
# endpoint and fault with python3 (urllib, http.cookiejar, ssl with $TLS_CA)
# and says whether each answer is what loginsrv.py's header promises.
#   sh tests/streamlab/loginselftest.sh      (from anywhere)
# Exit status: number of failed checks (0 = all good).
# shellcheck disable=SC1091,SC2034
set -u
here=$(cd "$(dirname "$0")" && pwd)
STREAMLAB_DIR=$here
. "$here/lab.sh"
. "$here/login.sh"

tls_have_openssl || { echo "loginselftest: openssl is needed" >&2; exit 1; }
lab_init || exit 1
failed=0

echo "== starting"
login_start L 127.0.0.1 || exit 1
login_start L6 ::1 || exit 1
login_start LT 127.0.0.1 --tls valid || exit 1
echo "  L: $LOGIN_URL_L (pid $LAB_PID_L)  L6: $LOGIN_URL_L6  LT: $LOGIN_URL_LT"
export TLS_CA LOGIN_CLIENT_ID LOGIN_CLIENT_SECRET LOGIN_USER LOGIN_PASSWORD LOGIN_REFRESH \
  LOGIN_ODD_CLIENT_ID LOGIN_ODD_CLIENT_SECRET

"$LAB_PY" - <<'EOF'
import base64, http.cookiejar, json, os, re, ssl, sys, time
import urllib.error, urllib.parse, urllib.request
E = os.environ
failed = 0
def res(ok, desc, extra=""):
    global failed
    print("    %s %s%s" % ("PASS" if ok else "FAIL", desc, (" (" + extra + ")") if extra and not ok else ""))
    failed += 0 if ok else 1

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

CA = ssl.create_default_context(cafile=E["TLS_CA"])
def req(url, method="GET", headers=None, data=None, form=None, follow=False, opener=None, timeout=10):
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if opener is None:
        hs = [urllib.request.HTTPSHandler(context=CA)]
        if not follow:
            hs.append(NoRedirect)
        opener = urllib.request.build_opener(*hs)
    r = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    t0 = time.monotonic()
    try:
        f = opener.open(r, timeout=timeout)
        st, h, b = f.status, f.headers, f.read()
    except urllib.error.HTTPError as e:
        st, h, b = e.code, e.headers, e.read()
    return st, h, b, time.monotonic() - t0

def basic(cid, sec, encode=True):
    if encode:
        cid, sec = urllib.parse.quote_plus(cid), urllib.parse.quote_plus(sec)
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (cid, sec)).encode()).decode()}

CID, SEC = E["LOGIN_CLIENT_ID"], E["LOGIN_CLIENT_SECRET"]
BA = basic(CID, SEC)

def tok_ok(desc, st, h, b, ttl=3600, ttype="Bearer", scope=None, refresh=False):
    try:
        j = json.loads(b)
    except ValueError:
        return res(False, desc, "%s %r" % (st, b[:200])), None
    ok = (st == 200 and h.get("Content-Type") == "application/json"
          and h.get("Cache-Control") == "no-store"
          and re.fullmatch(r"[0-9a-f]{32}", j.get("access_token", "")) is not None
          and j.get("token_type") == ttype and j.get("expires_in") == ttl
          and j.get("scope") == scope
          and (re.fullmatch(r"rt-good-\d+", j.get("refresh_token", "")) is not None) == refresh)
    res(ok, desc, "%s %s %s %r" % (st, h.get("Content-Type"), h.get("Cache-Control"), b[:200]))
    return j

def tok_err(desc, st, h, b, code, error):
    try:
        j = json.loads(b)
    except ValueError:
        j = {}
    ok = st == code and h.get("Content-Type") == "application/json" and j.get("error") == error \
        and h.get("Cache-Control") == "no-store"
    if code == 401:
        ok = ok and h.get("WWW-Authenticate") == 'Basic realm="lab"'
    res(ok, desc, "%s %s %r" % (st, h.get("WWW-Authenticate"), b[:200]))

def me(base, token):
    return req(base + "/api/me", headers={"Authorization": "Bearer " + token} if token else {})

for name in ("L", "L6", "LT"):
    base = E["LOGIN_URL_" + name]
    T = base + "/token"
    print("  == %s %s: token endpoint" % (name, base))
    j = tok_ok("client_credentials, Basic", *req(T, "POST", BA, form={"grant_type": "client_credentials"})[:3])
    if j:
        st, h, b, _ = me(base, j["access_token"])
        res(st == 200 and json.loads(b) == {"user": CID, "client": CID, "grant_type": "client_credentials", "scope": None},
            "  its token works on /api/me", "%s %r" % (st, b))
    j = tok_ok("client_credentials, post, scope echoed", *req(T, "POST", form={
        "grant_type": "client_credentials", "client_id": CID, "client_secret": SEC, "scope": "read write"})[:3],
        scope="read write")
    tok_ok("client_credentials, Basic + client_id field", *req(T, "POST", BA, form={
        "grant_type": "client_credentials", "client_id": CID})[:3])
    tok_ok("odd client, Basic form-urlencoded (RFC 6749 2.3.1)", *req(T, "POST",
        basic(E["LOGIN_ODD_CLIENT_ID"], E["LOGIN_ODD_CLIENT_SECRET"]), form={"grant_type": "client_credentials"})[:3])
    tok_err("odd client, Basic NOT encoded -> 401 invalid_client", *req(T, "POST",
        basic(E["LOGIN_ODD_CLIENT_ID"], E["LOGIN_ODD_CLIENT_SECRET"], False), form={"grant_type": "client_credentials"})[:3],
        401, "invalid_client")
    tok_ok("odd client, post", *req(T, "POST", form={"grant_type": "client_credentials",
        "client_id": E["LOGIN_ODD_CLIENT_ID"], "client_secret": E["LOGIN_ODD_CLIENT_SECRET"]})[:3])
    tok_err("wrong secret (Basic) -> 401 invalid_client", *req(T, "POST", basic(CID, "nope"),
        form={"grant_type": "client_credentials"})[:3], 401, "invalid_client")
    tok_err("wrong secret (post) -> 401 invalid_client", *req(T, "POST", form={
        "grant_type": "client_credentials", "client_id": CID, "client_secret": "nope"})[:3], 401, "invalid_client")
    tok_err("unknown client -> 401 invalid_client", *req(T, "POST", basic("who", SEC),
        form={"grant_type": "client_credentials"})[:3], 401, "invalid_client")
    tok_err("no client auth -> 401 invalid_client", *req(T, "POST",
        form={"grant_type": "client_credentials"})[:3], 401, "invalid_client")
    tok_err("two client auth methods -> 400 invalid_request", *req(T, "POST", BA, form={
        "grant_type": "client_credentials", "client_id": CID, "client_secret": SEC})[:3], 400, "invalid_request")
    tok_err("no grant_type -> 400 invalid_request", *req(T, "POST", BA, form={"scope": "x"})[:3], 400, "invalid_request")
    tok_err("grant_type twice -> 400 invalid_request", *req(T, "POST", dict(BA, **{"Content-Type": "application/x-www-form-urlencoded"}),
        data=b"grant_type=client_credentials&grant_type=password")[:3], 400, "invalid_request")
    tok_err("JSON body -> 400 invalid_request", *req(T, "POST", dict(BA, **{"Content-Type": "application/json"}),
        data=b'{"grant_type":"client_credentials"}')[:3], 400, "invalid_request")
    st, h, b, _ = req(T, "GET", BA)
    res(st == 405 and h.get("Allow") == "POST" and json.loads(b)["error"] == "invalid_request",
        "GET /token -> 405 invalid_request", "%s %r" % (st, b))
    tok_err("unknown grant -> 400 unsupported_grant_type", *req(T, "POST", BA,
        form={"grant_type": "urn:ietf:params:oauth:grant-type:device_code"})[:3], 400, "unsupported_grant_type")
    j = tok_ok("refresh_token rt-good-1 -> new refresh token", *req(T, "POST", BA, form={
        "grant_type": "refresh_token", "refresh_token": E["LOGIN_REFRESH"]})[:3], refresh=True)
    if j:
        res(j["refresh_token"] != E["LOGIN_REFRESH"], "  it is a new one (%s)" % j["refresh_token"])
        tok_ok("  the new refresh token works (post auth, scope)", *req(T, "POST", form={
            "grant_type": "refresh_token", "refresh_token": j["refresh_token"], "client_id": CID,
            "client_secret": SEC, "scope": "read"})[:3], refresh=True, scope="read")
        st, h, b, _ = me(base, j["access_token"])
        res(st == 200 and json.loads(b).get("user") == "alice", "  its access token is alice's on /api/me", "%s %r" % (st, b))
    tok_ok("  rt-good-1 still works", *req(T, "POST", BA, form={
        "grant_type": "refresh_token", "refresh_token": E["LOGIN_REFRESH"]})[:3], refresh=True)
    tok_err("bad refresh token -> 400 invalid_grant", *req(T, "POST", BA, form={
        "grant_type": "refresh_token", "refresh_token": "rt-bad"})[:3], 400, "invalid_grant")
    tok_err("refresh, wrong secret -> 401 invalid_client", *req(T, "POST", basic(CID, "x"), form={
        "grant_type": "refresh_token", "refresh_token": E["LOGIN_REFRESH"]})[:3], 401, "invalid_client")
    tok_err("refresh, no refresh_token -> 400 invalid_request", *req(T, "POST", BA, form={
        "grant_type": "refresh_token"})[:3], 400, "invalid_request")
    j = tok_ok("password grant alice", *req(T, "POST", BA, form={
        "grant_type": "password", "username": E["LOGIN_USER"], "password": E["LOGIN_PASSWORD"]})[:3], refresh=True)
    if j:
        st, h, b, _ = me(base, j["access_token"])
        res(st == 200 and json.loads(b).get("user") == "alice", "  /api/me says alice", "%s %r" % (st, b))
    tok_err("password grant, wrong password -> 400 invalid_grant", *req(T, "POST", BA, form={
        "grant_type": "password", "username": "alice", "password": "x"})[:3], 400, "invalid_grant")
    tok_err("password grant, unknown user -> 400 invalid_grant", *req(T, "POST", BA, form={
        "grant_type": "password", "username": "bob", "password": "x"})[:3], 400, "invalid_grant")
    tok_err("password grant, no password -> 400 invalid_request", *req(T, "POST", BA, form={
        "grant_type": "password", "username": "alice"})[:3], 400, "invalid_request")
    tok_err("password grant, wrong client -> 401 invalid_client", *req(T, "POST", basic(CID, "x"), form={
        "grant_type": "password", "username": "alice", "password": E["LOGIN_PASSWORD"]})[:3], 401, "invalid_client")

    print("  == %s: /api/me" % name)
    st, h, b, _ = me(base, None)
    res(st == 401 and h.get("WWW-Authenticate") == 'Bearer realm="lab"', "no token -> 401 Bearer realm", "%s %s" % (st, h.get("WWW-Authenticate")))
    st, h, b, _ = me(base, "0" * 32)
    res(st == 401 and 'error="invalid_token"' in h.get("WWW-Authenticate", "") and json.loads(b) == {"error": "invalid_token"},
        "unknown token -> 401 invalid_token", "%s %s" % (st, h.get("WWW-Authenticate")))

    print("  == %s: faults" % name)
    F = base + "/fault/"
    cc = {"grant_type": "client_credentials"}
    st, h, b, _ = req(F + "500/token", "POST", BA, form=cc)
    res(st == 500 and h.get("Content-Type") == "text/plain" and b == b"internal error", "500", "%s %r" % (st, b))
    st, h, b, _ = req(F + "503/token", "POST", BA, form=cc)
    res(st == 503 and h.get("Content-Type") == "text/plain", "503", "%s %r" % (st, b))
    st, h, b, _ = req(F + "429/token", "POST", BA, form=cc)
    res(st == 429 and h.get("Retry-After") == "17", "429 Retry-After: 17", "%s %s" % (st, h.get("Retry-After")))
    st, h, b, _ = req(F + "html/token", "POST", BA, form=cc)
    res(st == 200 and h.get("Content-Type", "").startswith("text/html") and b"<form" in b, "html: 200 text/html", "%s %s" % (st, h.get("Content-Type")))
    st, h, b, _ = req(F + "nojson/token", "POST", BA, form=cc)
    res(st == 200 and json.loads(b) == {"token_type": "Bearer", "expires_in": 3600}, "nojson: no access_token", "%s %r" % (st, b))
    tok_err("nojson, wrong secret -> still 401", *req(F + "nojson/token", "POST", basic(CID, "x"), form=cc)[:3], 401, "invalid_client")
    tok_ok("notbearer: token_type mac", *req(F + "notbearer/token", "POST", BA, form=cc)[:3], ttype="mac")
    j = tok_ok("zero: expires_in 0", *req(F + "zero/token", "POST", BA, form=cc)[:3], ttl=0)
    if j:
        res(me(base, j["access_token"])[0] == 401, "  a dead token on /api/me -> 401")
    j = tok_ok("short: expires_in 120", *req(F + "short/token", "POST", BA, form=cc)[:3], ttl=120)
    if j:
        res(me(base, j["access_token"])[0] == 200, "  works on /api/me")
    r = req(F + "slow/token?s=1.2", "POST", BA, form=cc)
    tok_ok("slow?s=1.2: a token", *r[:3])
    res(1.2 <= r[3] < 3, "  after 1.2 s (%.2f s)" % r[3])
    try:
        req(F + "slow/token?s=2", "POST", BA, form=cc, timeout=0.5)
        res(False, "slow?s=2 with a 0.5 s timeout times out")
    except Exception as e:
        res("timed out" in str(e), "slow?s=2 with a 0.5 s timeout times out", repr(e))
    st, h, b, _ = req(F + "nosuch/token", "POST", BA, form=cc)
    res(st == 404, "unknown fault -> 404", str(st))

    print("  == %s: Basic / Digest" % name)
    P = base + "/basic/protected"
    st, h, b, _ = req(P)
    res(st == 401 and h.get("WWW-Authenticate") == 'Basic realm="lab"', "basic: no credentials -> 401 Basic realm=lab", "%s %s" % (st, h.get("WWW-Authenticate")))
    st, h, b, _ = req(P, headers=basic("alice", "nope", False))
    res(st == 401, "basic: wrong password -> 401", str(st))
    st, h, b, _ = req(P, headers=basic("alice", E["LOGIN_PASSWORD"], False))
    res(st == 200 and b == b"welcome alice\n", "basic: alice -> 200 welcome alice", "%s %r" % (st, b))
    pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    pm.add_password(None, base, "alice", E["LOGIN_PASSWORD"])
    op = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA), urllib.request.HTTPBasicAuthHandler(pm))
    st, h, b, _ = req(P, opener=op)
    res(st == 200, "basic: urllib's HTTPBasicAuthHandler -> 200", str(st))
    st, h, b, _ = req(base + "/open/protected")
    res(st == 200 and b == b"welcome anyone\n", "open/protected -> 200 always", "%s %r" % (st, b))
    D = base + "/digest/protected"
    st, h, b, _ = req(D)
    wa = h.get("WWW-Authenticate", "")
    res(st == 401 and wa.startswith('Digest realm="lab", qop="auth", algorithm=MD5, nonce="'), "digest: challenge", "%s %s" % (st, wa))
    for pw, want in ((E["LOGIN_PASSWORD"], 200), ("nope", 401)):
        pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        pm.add_password(None, base, "alice", pw)
        op = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA), urllib.request.HTTPDigestAuthHandler(pm))
        try:
            st, h, b, _ = req(D, opener=op)
        except ValueError as e:  # urllib gives up after retrying a rejected digest
            st, b = 401, str(e).encode()
        res(st == want, "digest: urllib HTTPDigestAuthHandler, %s password -> %d" % ("right" if want == 200 else "wrong", want), "%s %r" % (st, b))
    # a replay with a nonce the server never issued
    st, h, b, _ = req(D, headers={"Authorization": 'Digest username="alice", realm="lab", nonce="00", uri="/digest/protected", '
                                                     'qop=auth, nc=00000001, cnonce="1", response="00"'})
    res(st == 401, "digest: made-up nonce -> 401", str(st))

    print("  == %s: form login" % name)
    for prefix, field in (("", "csrf_token"), ("/changed", "authenticity_token")):
        jar = http.cookiejar.CookieJar()
        op = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA), urllib.request.HTTPCookieProcessor(jar))
        st, h, b, _ = req(base + prefix + "/login", opener=op)
        page = b.decode()
        m = re.search(r'<input type="hidden" name="%s" value="([^"]+)">' % field, page)
        res(st == 200 and h.get("Content-Type") == "text/html; charset=utf-8" and m is not None
            and 'action="%s/login" method="post"' % prefix in page and 'name="next" value="/account"' in page
            and any(c.name == "presession" for c in jar), "%s/login: form with %s, presession cookie" % (prefix, field), "%s %r" % (st, page[:300]))
        if not m:
            continue
        other = "authenticity_token" if field == "csrf_token" else "csrf_token"
        res(('name="%s"' % other) not in page, "  no %s field" % other)
        csrf = m.group(1)
        st, h, b, _ = req(base + prefix + "/login", "POST", opener=op, form={field: "forged", "next": "/account", "username": "alice", "password": E["LOGIN_PASSWORD"]})
        res(st == 403 and b"CSRF check failed" in b, "  wrong CSRF token -> 403 CSRF check failed", "%s %r" % (st, b[:200]))
        st, h, b, _ = req(base + prefix + "/login", "POST", opener=op, form={"next": "/account", "username": "alice", "password": E["LOGIN_PASSWORD"]})
        res(st == 403 and b"CSRF check failed" in b, "  no CSRF token -> 403", str(st))
        st, h, b, _ = req(base + prefix + "/login", "POST", form={field: csrf, "next": "/account", "username": "alice", "password": E["LOGIN_PASSWORD"]})
        res(st == 403, "  right token, no presession cookie -> 403", str(st))
        st, h, b, _ = req(base + prefix + "/login", "POST", opener=op, form={field: csrf, "next": "/account", "username": "alice", "password": "nope"})
        m2 = re.search(r'name="%s" value="([^"]+)"' % field, b.decode())
        res(st == 200 and b"Invalid username or password" in b and m2 and m2.group(1) != csrf,
            "  wrong password -> 200 page, 'Invalid username or password', new CSRF token", "%s %r" % (st, b[:300]))
        csrf = m2.group(1) if m2 else csrf
        # the login, step by step (no redirects followed)
        np = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA), urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        st, h, b, _ = req(base + "/account", opener=np)
        res(st == 302 and h.get("Location") == "/login", "  /account without session -> 302 /login", "%s %s" % (st, h.get("Location")))
        st, h, b, _ = req(base + prefix + "/login", "POST", opener=np, form={field: csrf, "next": "/account", "username": "alice", "password": E["LOGIN_PASSWORD"]})
        sc = h.get("Set-Cookie", "")
        res(st == 302 and h.get("Location") == "/login/done" and re.fullmatch(r"session=[0-9a-f]{32}; HttpOnly; Path=/", sc) is not None,
            "  right password -> 302 /login/done, Set-Cookie session; HttpOnly; Path=/", "%s %s %s" % (st, h.get("Location"), sc))
        st, h, b, _ = req(base + "/login/done", opener=np)
        res(st == 302 and h.get("Location") == "/account", "  /login/done -> 302 /account", "%s %s" % (st, h.get("Location")))
        st, h, b, _ = req(base + "/account", opener=np)
        res(st == 200 and b"Welcome back, alice" in b, "  /account -> 200 Welcome back, alice", "%s %r" % (st, b[:200]))
        st, h, b, _ = req(base + prefix + "/login", "POST", opener=np, form={field: csrf, "username": "alice", "password": E["LOGIN_PASSWORD"]})
        res(st == 403, "  the CSRF token is used up -> 403", str(st))
        st, h, b, _ = req(base + "/logout", opener=np)
        st2, h2, b2, _ = req(base + "/account", opener=np)
        res(st == 302 and st2 == 302 and h2.get("Location") == "/login", "  /logout ends the session", "%s %s" % (st, st2))
    # whole flow, following redirects with the cookie jar
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA), urllib.request.HTTPCookieProcessor(jar))
    st, h, b, _ = req(base + "/login", opener=op)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', b.decode()).group(1)
    st, h, b, _ = req(base + "/login", "POST", opener=op, form={"csrf_token": csrf, "next": "/account", "username": "alice", "password": E["LOGIN_PASSWORD"]})
    res(st == 200 and b"Welcome back, alice" in b, "followed redirects: POST /login ends on Welcome back, alice", "%s %r" % (st, b[:200]))

    if name == "L":
        print("  == %s: slow forms" % name)
        jar = http.cookiejar.CookieJar()
        op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        st, h, b, t = req(base + "/slowform/login?s=1", opener=op)
        m = re.search(r'name="csrf_token" value="([^"]+)"', b.decode())
        res(st == 200 and m and 'action="/slowform/login"' in b.decode() and 1 <= t < 2.5, "slowform GET ?s=1: after %.2f s" % t)
        st, h, b, t = req(base + "/slowform/login", "POST", opener=op, form={"csrf_token": m.group(1), "username": "alice", "password": E["LOGIN_PASSWORD"]})
        res(st == 200 and b"Welcome back, alice" in b and 3 <= t < 5, "slowform POST: logged in after %.2f s" % t, "%s %r" % (st, b[:100]))
        st, h, b, t = req(base + "/slowform/login", opener=op)
        res(st == 200 and 3 <= t < 5, "slowform GET: after %.2f s" % t)
        st, h, b, t = req(base + "/slowpost/login", opener=op)
        m = re.search(r'name="csrf_token" value="([^"]+)"', b.decode())
        res(st == 200 and t < 1, "slowpost GET: at once (%.2f s)" % t)
        st, h, b, t = req(base + "/slowpost/login", "POST", opener=op, form={"csrf_token": m.group(1), "username": "alice", "password": E["LOGIN_PASSWORD"]})
        res(st == 200 and b"Welcome back, alice" in b and 3 <= t < 5, "slowpost POST: after %.2f s" % t)

sys.exit(failed)
EOF
py_failed=$?
failed=$((failed + py_failed))

echo "== logs: one line per request, no secrets"
if grep -Eq '^127\.0\.0\.1 "POST /token" 200 grant_type=client_credentials client_id=labclient$' "$LAB_DIR/L.log"; then
  echo "    PASS log line format"
else
  echo "    FAIL log line format"; failed=$((failed + 1)); tail -n 5 "$LAB_DIR/L.log" | sed 's/^/      | /'
fi
if grep -Eq '"POST /fault/slow/token" 200' "$LAB_DIR/L.log" && ! grep -q 's=1.2' "$LAB_DIR/L.log"; then
  echo "    PASS log has paths without query"
else
  echo "    FAIL log has paths without query"; failed=$((failed + 1))
fi
leak=$(grep -h -e "$LOGIN_CLIENT_SECRET" -e "$LOGIN_PASSWORD" -e "$LOGIN_REFRESH" -e 'rt-good-[2-9]' \
  -e 'session=' -e 'presession' -e 'Authorization' -e 'Basic ' -E -e '[0-9a-f]{32}' \
  "$LAB_DIR/L.log" "$LAB_DIR/L6.log" "$LAB_DIR/LT.log" | head -n 5)
if [ -z "$leak" ]; then
  echo "    PASS no secret, password, token or cookie in the logs"
else
  echo "    FAIL secrets in the logs:"; printf '%s\n' "$leak" | sed 's/^/      | /'; failed=$((failed + 1))
fi

echo "== stopping L: connection refused"
lab_stop L
O=$("$LAB_PY" -c '
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2); print("connected")
except ConnectionRefusedError:
    print("refused")
' "$LOGIN_PORT_L" 2>&1)
if [ "$O" = refused ]; then echo "    PASS refused"; else echo "    FAIL $O"; failed=$((failed + 1)); fi

echo
if [ $failed = 0 ]; then echo "loginselftest: all checks passed"; else echo "loginselftest: $failed checks FAILED"; lab_logs 10; fi
exit $failed
