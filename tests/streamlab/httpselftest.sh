#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab HTTP/TLS self-test (not part of `make check`): makes the test
# certificates, starts faulthttp (plain, TLS, stalled TLS) and nginx (on
# 127.0.0.1 and ::1), probes every endpoint with python3 (urllib, raw
# sockets, ssl with $TLS_CA) and every TLS port with openssl s_client, and
# says whether each answer is what tls.sh, http.sh and faulthttp.py promise.
#   sh tests/streamlab/httpselftest.sh      (from the top of the source tree)
# Exit status: number of failed checks (0 = all good).
# shellcheck disable=SC1091,SC2015,SC2034,SC2154
set -u
here=$(cd "$(dirname "$0")" && pwd)
STREAMLAB_DIR=$here
. "$here/lab.sh"
. "$here/tls.sh"
. "$here/http.sh"

tls_have_openssl || { echo "httpselftest: openssl is needed" >&2; exit 1; }
http_have_nginx || { echo "httpselftest: nginx is needed ($NGINX)" >&2; exit 1; }
lab_init || exit 1
failed=0
pass() { echo "    PASS $1"; }
fail() { echo "    FAIL $1"; failed=$((failed + 1)); }
# check DESC ERE [NOT]: $O must (not) match ERE
check() {
  if printf '%s\n' "$O" | grep -Eq -- "$2"; then m=1; else m=0; fi
  [ "${3:-}" = NOT ] && m=$((1 - m))
  if [ $m = 1 ]; then pass "$1"; else fail "$1"; printf '%s\n' "$O" | sed 's/^/      | /' | head -n 15; fi
}

echo "== starting"
set -a # the python probes below read the variables from the environment
t0=$(date +%s%N)
tls_make_certs || exit 1
echo "  certificates in $TLS_DIR ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
http_start_fault F 127.0.0.1 || exit 1
http_start_fault FT 127.0.0.1 --tls valid || exit 1
http_start_fault ST 127.0.0.1 --stall-tls || exit 1
http_start_nginx W 127.0.0.1 F || exit 1
http_start_nginx W6 ::1 || exit 1
set +a
echo "  nginx W: $HTTP_URL_W (pid $LAB_PID_W); W6: $HTTP_URL_W6"
for k in $TLS_KINDS; do eval "echo \"    $k: \$HTTPS_URL_W_$k\""; done
echo "  faulthttp F: $FAULT_URL_F  FT: $FAULT_URL_FT  ST: $FAULT_URL_ST"

echo "== certificates (openssl x509 / verify)"
for k in $TLS_KINDS; do
  O=$(openssl verify -CAfile "$TLS_CA" "$TLS_DIR/$k.pem" 2>&1)
  case $k in
    valid|wrongname|expiring5) check "$k verifies against the CA" ': OK$' ;;
    expired) check "expired: error 10" 'error 10 .*certificate has expired' ;;
    notyet) check "notyet: error 9" 'error 9 .*certificate is not yet valid' ;;
    selfsigned) check "selfsigned: error 18" 'error 18 .*self-signed certificate' ;;
  esac
done
O=$(openssl x509 -in "$TLS_DIR/valid.pem" -noout -ext subjectAltName)
check "valid SAN" 'DNS:api.stream.test, DNS:localhost, IP Address:127.0.0.1'
O=$(openssl x509 -in "$TLS_DIR/wrongname.pem" -noout -subject -ext subjectAltName)
check "wrongname: other.example only" 'DNS:other.example$'
check "wrongname: no api.stream.test" 'api.stream.test' NOT
O=$(openssl x509 -in "$TLS_DIR/expired.pem" -noout -dates)
check "expired 2020-01-01..2021-01-01" 'notBefore=Jan  1 00:00:00 2020 GMT'
check "  notAfter 2021" 'notAfter=Jan  1 00:00:00 2021 GMT'
O=$(openssl x509 -in "$TLS_DIR/notyet.pem" -noout -startdate)
check "notyet from 2099" 'notBefore=Jan  1 00:00:00 2099 GMT'
O=$(openssl x509 -in "$TLS_DIR/expiring5.pem" -noout -checkend $((5 * 86400)) 2>&1)
check "expiring5: still valid in 5 days" 'will not expire'
O=$(openssl x509 -in "$TLS_DIR/expiring5.pem" -noout -checkend $((6 * 86400)) 2>&1)
check "expiring5: expired in 6 days" 'will expire'
O=$(openssl x509 -in "$TLS_DIR/valid.pem" -noout -checkend $((300 * 86400)) 2>&1)
check "valid: still valid in 300 days" 'will not expire'

echo "== TLS ports (openssl s_client -verify_return_error)"
# sc KIND [extra s_client options]: handshake with nginx's KIND port
sc() {
  eval "_p=\$HTTPS_PORT_W_$1"
  shift
  O=$(openssl s_client -connect "127.0.0.1:$_p" -servername api.stream.test \
    -CAfile "$TLS_CA" -verify_return_error "$@" </dev/null 2>&1)
}
sc valid -verify_hostname api.stream.test
check "valid: verifies" 'Verify return code: 0 \(ok\)'
check "valid: subject" 'subject=CN = api.stream.test'
sc expired
check "expired: certificate has expired" 'certificate has expired'
check "expired: handshake fails" 'Verify return code: 0 \(ok\)' NOT
sc notyet
check "notyet: not yet valid" 'certificate is not yet valid'
sc wrongname -verify_hostname api.stream.test
check "wrongname: hostname mismatch" 'hostname mismatch'
sc wrongname
check "wrongname: chain alone verifies" 'Verify return code: 0 \(ok\)'
sc selfsigned
check "selfsigned: self-signed error" 'self-signed certificate'
sc expiring5 -verify_hostname api.stream.test
check "expiring5: verifies" 'Verify return code: 0 \(ok\)'
O=$(echo | openssl s_client -connect "127.0.0.1:$HTTPS_PORT_W_expiring5" -servername api.stream.test 2>/dev/null |
  openssl x509 -noout -enddate)
end=${O#notAfter=}
days=$(( ($(date -u -d "$end" +%s) - $(date -u +%s)) / 86400 ))
[ "$days" = 5 ] && pass "expiring5: notAfter $end, $days days away" || fail "expiring5: notAfter $end is $days days away, not 5"
sc valid -alpn h2
check "valid: ALPN h2" 'ALPN protocol: h2'
sc valid -tls1_2
check "valid: TLS 1.2" 'Protocol *: TLSv1.2'
sc valid -tls1_3
check "valid: TLS 1.3" 'New, TLSv1.3|Protocol *: TLSv1.3'
O=$(openssl s_client -connect "[::1]:$HTTPS_PORT_W6_valid" -servername api.stream.test \
  -CAfile "$TLS_CA" -verify_return_error -verify_ip ::1 </dev/null 2>&1)
check "::1 valid: verifies with IP ::1" 'Verify return code: 0 \(ok\)'
O=$(openssl s_client -connect "127.0.0.1:$FAULT_PORT_FT" -servername api.stream.test \
  -CAfile "$TLS_CA" -verify_return_error </dev/null 2>&1)
check "faulthttp --tls valid: verifies" 'Verify return code: 0 \(ok\)'

echo "== HTTP (python3)"
"$LAB_PY" - <<'EOF'
import json, os, socket, ssl, sys, threading, time, urllib.request, urllib.error
E = os.environ
failed = 0
def res(ok, desc, extra=""):
    global failed
    print("    %s %s%s" % ("PASS" if ok else "FAIL", desc, (" (" + extra + ")") if extra and not ok else ""))
    failed += 0 if ok else 1

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

def get(url, follow=False, ctx=None, timeout=10, method="GET", headers=None, data=None):
    handlers = [urllib.request.HTTPSHandler(context=ctx)] if ctx else []
    if not follow:
        handlers.append(NoRedirect)
    op = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    t0 = time.monotonic()
    try:
        r = op.open(req, timeout=timeout)
        st, h, b = r.status, r.headers, r.read()
        reason = r.reason
    except urllib.error.HTTPError as e:
        st, h, b, reason = e.code, e.headers, e.read(), e.reason
    return st, reason, h, b, time.monotonic() - t0

def expect(url, desc, status, ctype=None, body=None, **kw):
    try:
        st, reason, h, b, t = get(url, **kw)
    except Exception as e:
        return res(False, desc, repr(e))
    ok = st == status and (ctype is None or (h.get("Content-Type") or "").startswith(ctype)) \
        and (body is None or b == body)
    res(ok, desc, "got %s %s %s %r" % (st, reason, h.get("Content-Type"), b[:120]))
    return st, reason, h, b, t

health = b'{"status":"ok","version":"1.4.2","tracks":{"items":[{"id":"t1","title":"Sine 440"},{"id":"t2","title":"Sine 880"}],"total":2},"latency_ms":12.5,"live":true,"region":null}\n'
ca = ssl.create_default_context(cafile=E["TLS_CA"])
for name, base, ctx in (("W", E["HTTP_URL_W"], None), ("W6", E["HTTP_URL_W6"], None),
                        ("W valid", E["HTTPS_URL_W_valid"], ca)):
    print("  nginx %s %s" % (name, base))
    expect(base + "/v1/health", "/v1/health", 200, "application/json", health, ctx=ctx)
    try:
        d = json.loads(get(base + "/v1/health", ctx=ctx)[3])
        res(d["tracks"]["items"][1]["title"] == "Sine 880" and d["region"] is None, "/v1/health parses")
    except Exception as e:
        res(False, "/v1/health parses", repr(e))
    expect(base + "/v1/degraded", "/v1/degraded", 200, "application/json",
           b'{"status":"degraded","tracks":{"items":[],"total":0}}\n', ctx=ctx)
    expect(base + "/v1/empty.json", "/v1/empty.json", 200, "application/json", b"{}\n", ctx=ctx)
    expect(base + "/v1/ratio", "/v1/ratio", 200, "application/json", b'{"ratio": 0.97, "errors": 3}\n', ctx=ctx)
    r = expect(base + "/index.html", "/index.html", 200, "text/html", ctx=ctx)
    res(r and b"<title>streamlab API</title>" in r[3], "  title streamlab API")
    expect(base + "/", "/ (index)", 200, "text/html", ctx=ctx)
    r = expect(base + "/v1/maint", "/v1/maint 503", 503, "application/json", b'{"error":"maintenance"}', ctx=ctx)
    res(r and r[1] == "Service Temporarily Unavailable", "  reason Service Temporarily Unavailable (nginx's)", r and r[1])
    r = expect(base + "/old", "/old 301", 301, ctx=ctx)
    res(r and r[2].get("Location") == base + "/v1/health", "  Location %s/v1/health" % base, r and r[2].get("Location"))
    expect(base + "/old", "/old followed", 200, "application/json", health, follow=True, ctx=ctx)
    r = expect(base + "/nope", "unknown path 404 (nginx page)", 404, "text/html", ctx=ctx)
    res(r and b"<center>nginx" in r[3], "  nginx's own 404 page")

# the same over api.stream.test (SNI and Host), as check_api --connect-to does
port = int(E["HTTPS_PORT_W_valid"])
s = ca.wrap_socket(socket.create_connection(("127.0.0.1", port), 5), server_hostname="api.stream.test")
s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: api.stream.test\r\nConnection: close\r\n\r\n")
data = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    data += c
res(data.startswith(b"HTTP/1.1 200 OK") and data.endswith(health), "valid: https://api.stream.test via 127.0.0.1 (SNI + hostname check)")
for kind, err in (("expired", "certificate has expired"), ("notyet", "certificate is not yet valid"),
                  ("wrongname", "IP address mismatch"), ("selfsigned", "self-signed certificate")):
    try:
        get("https://127.0.0.1:%s/v1/health" % E["HTTPS_PORT_W_" + kind], ctx=ca)
        res(False, "%s: python ssl refuses" % kind, "it accepted")
    except Exception as e:
        res(err in str(e), "%s: python ssl refuses: %s" % (kind, err), str(e))
try:
    ca.wrap_socket(socket.create_connection(("127.0.0.1", int(E["HTTPS_PORT_W_wrongname"])), 5),
                   server_hostname="api.stream.test")
    res(False, "wrongname: python ssl refuses api.stream.test", "it accepted")
except ssl.SSLError as e:
    res("Hostname mismatch" in str(e), "wrongname: python ssl refuses api.stream.test: Hostname mismatch", str(e))
st = get(E["HTTPS_URL_W_expiring5"] + "/v1/health", ctx=ca)[0]
res(st == 200, "expiring5: python ssl accepts")

print("  nginx /fault/ proxy")
expect(E["HTTP_URL_W"] + "/fault/json", "/fault/json", 200, "application/json", b'{"status":"ok","n":3}')
r = expect(E["HTTPS_URL_W_valid"] + "/fault/echo", "/fault/echo over TLS", 200, "application/json", ctx=ca)
res(r and json.loads(r[3])["path"] == "/echo", "  path /echo at faulthttp")

for name in ("F", "FT"):
    base = E["FAULT_URL_" + name]
    ctx = ca if name == "FT" else None
    print("  faulthttp %s %s" % (name, base))
    expect(base + "/json", "/json", 200, "application/json", b'{"status":"ok","n":3}', ctx=ctx)
    for code, reason in ((500, "Internal Server Error"), (502, "Bad Gateway"), (404, "Not Found"),
                         (418, "I'm a Teapot"), (599, "Unknown"), (401, "Unauthorized")):
        r = expect(base + "/status/%d" % code, "/status/%d" % code, code, "application/json", b'{"error":"x"}', ctx=ctx)
        res(r and r[1] == reason, "  reason %s" % reason, r and r[1])
    r = expect(base + "/503", "/503", 503, "text/plain", b"upstream down: db|cache\nsecond line", ctx=ctx)
    res(r and r[1] == "Service Unavailable", "  reason Service Unavailable")
    r = expect(base + "/429", "/429", 429, "application/json", b'{"error":"rate limited"}', ctx=ctx)
    res(r and r[1] == "Too Many Requests" and r[2].get("Retry-After") == "30", "  Too Many Requests, Retry-After: 30")
    r = expect(base + "/429-date", "/429-date", 429, ctx=ctx)
    import email.utils
    ra = r and r[2].get("Retry-After")
    try:
        delta = email.utils.parsedate_to_datetime(ra).timestamp() - time.time()
    except Exception:
        delta = -1
    res(110 < delta <= 121, "  Retry-After HTTP date ~120 s ahead", ra)
    r = expect(base + "/slow-ttfb?s=0.7", "/slow-ttfb?s=0.7", 200, "application/json", ctx=ctx)
    res(r and 0.65 < r[4] < 1.5, "  took ~0.7 s", r and "%.3f" % r[4])
    r = expect(base + "/redirect-loop", "/redirect-loop", 302, ctx=ctx)
    res(r and r[2].get("Location") == "/redirect-loop", "  Location: /redirect-loop")
    r = get(base + "/redirect-loop", follow=True, ctx=ctx)
    res(r[0] == 302 and "infinite loop" in r[1], "  following: urllib detects the loop", r[1])
    r = expect(base + "/redirect/3", "/redirect/3", 302, ctx=ctx)
    res(r and r[2].get("Location") == "/redirect/2", "  Location: /redirect/2")
    r = expect(base + "/redirect/1", "/redirect/1", 302, ctx=ctx)
    res(r and r[2].get("Location") == "/json", "  Location: /json")
    expect(base + "/redirect/3", "/redirect/3 followed", 200, body=b'{"status":"ok","n":3}', follow=True, ctx=ctx)
    expect(base + "/html", "/html", 200, "text/html", ctx=ctx)
    expect(base + "/invalid-json", "/invalid-json", 200, "application/json", b'{"status": "ok",', ctx=ctx)
    r = expect(base + "/evil", "/evil", 200, "application/json", b'{"status":"a|b\\nc\\u001b[31m"}', ctx=ctx)
    res(r and r[2].get("X-Evil") == "a|b" and json.loads(r[3])["status"] == "a|b\nc\x1b[31m", "  X-Evil: a|b, decoded has LF and ESC")
    expect(base + "/evil-raw", "/evil-raw", 500, "text/plain", b"a|b\nc\x1b[31mred", ctx=ctx)
    r = expect(base + "/echo?x=1", "/echo", 200, "application/json", ctx=ctx,
               method="POST", data=b"a=1&b=2", headers={"Authorization": "Bearer abc", "X-Test": "t"})
    try:
        d = json.loads(r[3])
        res(d["method"] == "POST" and d["path"] == "/echo?x=1" and d["headers"]["authorization"] == "Bearer abc"
            and d["headers"]["x-test"] == "t" and d["headers"]["host"].startswith("127.0.0.1:")
            and d["body"] == "a=1&b=2" and d["body_length"] == 7, "  echoes method, path, headers, body", repr(d))
    except Exception as e:
        res(False, "  echo parses", repr(e))
    r = expect(base + "/bearer", "/bearer without token: 401", 401, "application/json", b'{"error":"invalid_token"}', ctx=ctx)
    res(r and r[2].get("WWW-Authenticate") == 'Bearer realm="streamlab", error="invalid_token"', "  WWW-Authenticate")
    expect(base + "/bearer", "/bearer wrong token: 401", 401, ctx=ctx, headers={"Authorization": "Bearer nope"})
    expect(base + "/bearer", "/bearer s3cr3t-token: 200", 200, "application/json", b'{"status":"ok","user":"svc"}',
           ctx=ctx, headers={"Authorization": "Bearer s3cr3t-token"})
    st, reason, h, b, t = get(base + "/huge", ctx=ctx, timeout=30)
    res(st == 200 and len(b) == 20971520 and h.get("Content-Length") == "20971520" and b.endswith(b'x"}'),
        "/huge: 20 MiB with Content-Length in %.2f s" % t, "%d bytes" % len(b))
    st, reason, h, b, t = get(base + "/huge?chunked=1", ctx=ctx, timeout=30)
    res(st == 200 and len(b) == 20971520 and h.get("Transfer-Encoding") == "chunked" and json.loads(b)["data"][:3] == "xxx",
        "/huge?chunked=1: 20 MiB chunked, valid JSON, in %.2f s" % t, "%d bytes" % len(b))
    try:
        op = urllib.request.build_opener(*([urllib.request.HTTPSHandler(context=ctx)] if ctx else []))
        t0 = time.monotonic()
        r = op.open(base + "/trickle?interval=0.2", timeout=5)
        th = time.monotonic() - t0
        got = r.read(3)
        tb = time.monotonic() - t0
        res(r.headers.get("Content-Length") == "100000000" and got == b'{"d' and th < 0.5 and 0.3 < tb < 1.5,
            "/trickle: headers at once (%.2f s), 3 bytes in %.2f s" % (th, tb), repr(got))
        r.close()
    except Exception as e:
        res(False, "/trickle", repr(e))

    # black hole: no answer, and it holds up nobody else
    host, port = base.split("//")[1].rsplit(":", 1)
    sk = socket.create_connection((host, int(port)), 5)
    if ctx:
        sk = ctx.wrap_socket(sk, server_hostname="127.0.0.1")
    sk.sendall(b"GET /blackhole HTTP/1.1\r\nHost: x\r\n\r\n")
    sk.settimeout(1.0)
    t0 = time.monotonic()
    try:
        d = sk.recv(100)
        res(False, "/blackhole: no answer in 1 s", repr(d))
    except (socket.timeout, ssl.SSLError):
        st, _, _, _, t = get(base + "/json", ctx=ctx)
        res(st == 200 and t < 0.5, "/blackhole: no answer in 1 s; /json meanwhile in %.3f s" % t)
    sk.close()

print("  faulthttp --stall-tls %s" % E["FAULT_URL_ST"])
sk = socket.create_connection(("127.0.0.1", int(E["FAULT_PORT_ST"])), 5)
sk.settimeout(1.0)
t0 = time.monotonic()
try:
    ca.wrap_socket(sk, server_hostname="api.stream.test")
    res(False, "stall-tls: handshake never completes")
except (socket.timeout, TimeoutError, ssl.SSLError) as e:
    res(time.monotonic() - t0 >= 0.9 and "timed out" in str(e), "stall-tls: handshake times out after 1 s", repr(e))
sk.close()
sys.exit(failed)
EOF
py_failed=$?
failed=$((failed + py_failed))

echo "== openssl s_client against faulthttp --stall-tls (2 s)"
t0=$(date +%s%N)
O=$(timeout 2 openssl s_client -connect "127.0.0.1:$FAULT_PORT_ST" -servername api.stream.test </dev/null 2>&1)
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc = 124 ] && pass "no handshake: s_client still waiting after $ms ms" || fail "s_client ended ($rc) after $ms ms"

echo "== logs"
O=$(cat "$LAB_DIR/W/access.log")
check "nginx access log has the requests" '"GET /v1/health HTTP/1.1" 200 171'
O=$(cat "$LAB_DIR/F.log")
check "faulthttp logs requests" '"GET /json HTTP/1.1" 200'

echo "== stopping nginx W: connection refused"
lab_stop W
O=$("$LAB_PY" -c '
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2); print("connected")
except ConnectionRefusedError:
    print("refused")
' "$HTTP_PORT_W" 2>&1)
check "refused" '^refused$'

echo
if [ $failed = 0 ]; then echo "httpselftest: all checks passed"; else echo "httpselftest: $failed checks FAILED"; lab_logs 10; fi
exit $failed
