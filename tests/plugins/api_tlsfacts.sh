#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_api's TLS facts and where a connection comes from and goes to,
# against real nginx servers: the version and cipher as a line and
# perfdata, a stapled OCSP response (--ocsp-required), the chain's first
# certificate to expire (an intermediate that expires before its leaf),
# --certificate-only (no request reaches nginx), --source-address
# (nginx's $remote_addr), --prefer-ipv6/--prefer-ipv4 with their fallback
# (a name from streamlab's dnsmasq with A and AAAA, and one with A only).
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/http.sh"
http_have_nginx || skip_all "nginx not installed"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
need_cmd openssl "openssl not installed"
lab_init
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
dns_start_dnsmasq D 127.0.0.53 edges || bail_out "dnsmasq did not start"
P=$PLUGINDIR/check_api
R=$DNS_SERVER_D

# A chain whose intermediate expires in 20 days, before its leaf (365),
# signed under tls.sh's CA, and an OCSP response for the leaf that nginx
# staples (ssl_stapling_file: no responder needed).
T=$LAB_DIR/chain
mkdir -p "$T"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/$1.key" 2>/dev/null; }
printf '%s\n' 'basicConstraints=critical,CA:TRUE' 'keyUsage=critical,keyCertSign,cRLSign' \
  'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' >"$T/int.ext"
printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
  'extendedKeyUsage=serverAuth' 'subjectAltName=DNS:api.stream.test,IP:127.0.0.1' >"$T/leaf.ext"
: >"$T/index.txt"
{ key int && key leaf &&
  openssl req -new -key "$T/int.key" -subj '/CN=streamlab short intermediate' -out "$T/int.csr" &&
  openssl x509 -req -in "$T/int.csr" -CA "$TLS_CA" -CAkey "$TLS_DIR/ca.key" -days 20 \
    -extfile "$T/int.ext" -out "$T/int.pem" &&
  openssl req -new -key "$T/leaf.key" -subj '/CN=api.stream.test' -out "$T/leaf.csr" &&
  openssl x509 -req -in "$T/leaf.csr" -CA "$T/int.pem" -CAkey "$T/int.key" -days 365 \
    -extfile "$T/leaf.ext" -out "$T/leaf.pem" &&
  cat "$T/leaf.pem" "$T/int.pem" >"$T/chain.pem" &&
  openssl ocsp -index "$T/index.txt" -rsigner "$T/int.pem" -rkey "$T/int.key" -CA "$T/int.pem" \
    -issuer "$T/int.pem" -cert "$T/leaf.pem" -respout "$T/ocsp.der" -ndays 2; } \
  >"$T/openssl.log" 2>&1 || bail_out "openssl: $(tail -n 3 "$T/openssl.log")"

# a black hole on ::1 (port PB): its accept queue full, so that a
# connect there hangs
lab_spawn H "$LAB_PY" -c '
import socket, time
s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); s.listen(0)
port, held = s.getsockname()[1], []
while True:
    c = socket.socket(socket.AF_INET6); c.settimeout(0.3); held.append(c)
    try:
        c.connect(("::1", port))
    except OSError:
        break
print("ready ::1", port, flush=True)
while True:
    time.sleep(60)
'
lab_wait_log H '^ready ' "$LAB_PID" || bail_out "the black hole did not start"
PB=$(sed -n 's/^ready ::1 //p' "$LAB_DIR/H.log")

# nginx N: the chain with its staple (PS), TLS 1.2 only (P12), plain HTTP
# logging $remote_addr (PH), and for the families: PD on 127.0.0.21 and
# ::1, P4 on 127.0.0.21 only, P6 on ::1 only, PB on 127.0.0.21 (the black
# hole on ::1)
PS=$(lab_free_port 127.0.0.1)
P12=$(lab_free_port 127.0.0.1)
PH=$(lab_free_port 127.0.0.1)
PD=$(lab_free_port 127.0.0.21)
P4=$(lab_free_port 127.0.0.21)
P6=$(lab_free_port ::1)
N=$LAB_DIR/N
mkdir -p "$N/tmp"
{
  http_conf_head "$N" '$remote_addr "$request" $status'
  cat <<EOF
    default_type application/json;
    server {
        listen 127.0.0.1:$PS ssl;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_certificate $T/chain.pem;
        ssl_certificate_key $T/leaf.key;
        ssl_stapling on;
        ssl_stapling_file $T/ocsp.der;
        location / { return 200 '{"status":"ok"}\n'; }
    }
    server {
        listen 127.0.0.1:$P12 ssl;
        ssl_protocols TLSv1.2;
        ssl_certificate $TLS_DIR/valid.pem;
        ssl_certificate_key $TLS_DIR/valid.key;
        location / { return 200 '{"status":"ok"}\n'; }
    }
    server {
        listen 127.0.0.1:$PH;
        listen 127.0.0.21:$PD;
        listen [::1]:$PD;
        listen 127.0.0.21:$P4;
        listen [::1]:$P6;
        listen 127.0.0.21:$PB;
        location / { return 200 '{"status":"ok"}\n'; }
    }
}
EOF
} >"$N/nginx.conf"
lab_spawn N "$NGINX" -p "$N/" -c "$N/nginx.conf" -e stderr
lab_wait_log N 'start worker process' "$LAB_PID" || bail_out "nginx N did not start: $(cat "$LAB_DIR/N.log")"
for hp in 127.0.0.1:$PS 127.0.0.1:$P12 127.0.0.1:$PH 127.0.0.21:$PD ::1:$PD 127.0.0.21:$P4 ::1:$P6 127.0.0.21:$PB; do
  lab_wait_tcp "${hp%:*}" "${hp##*:}" "$LAB_PID" || bail_out "nginx N: $hp does not accept"
done
lastlog() { tail -n 1 "$N/access.log"; }

# ------------------------------------------------------------ TLS facts
eval "port=\$HTTPS_PORT_W_valid"
run "$P" -u "https://api.stream.test:$port/v1/health" --connect-to 127.0.0.1 --ca-file "$TLS_CA"
is_rc 0 "TLS 1.3 against nginx W: exit 0"
line_matches '^\\_ \[OK\] TLS 1\.3, TLS_AES_(256_GCM_SHA384|128_GCM_SHA256|CHACHA20_POLY1305_SHA256)$' \
  "the version and cipher on a line"
line_matches '^\\_ \[OK\] no OCSP response stapled$' "no staple said, OK without --ocsp-required"
line_matches '^\\_ \[OK\] certificate expires in 36[45]\.[0-9] days$' "a leaf alone: the line as before"
perf_ok "perfdata parses"
is "$(perf_value tls_version)" "1.3" "perfdata tls_version 1.3"
is "$(perf_value ocsp_stapled)" "0" "perfdata ocsp_stapled 0"
is "$(perf_field ocsp_stapled 6)/$(perf_field ocsp_stapled 7)" "0/1" "ocsp_stapled's min and max"

run "$P" -u "https://api.stream.test:$port/v1/health" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --ocsp-required
is_rc 1 "--ocsp-required without a staple: WARNING"
first_line_matches '^API WARNING - no OCSP response stapled \(--ocsp-required\) \(GET https://api\.stream\.test:[0-9]+/v1/health 200 in ' \
  "the summary names the missing staple and the option"

CHAIN="-u https://api.stream.test:$PS/ --connect-to 127.0.0.1 --ca-file $TLS_CA"
# shellcheck disable=SC2086
run "$P" $CHAIN --ocsp-required
is_rc 0 "a stapled OCSP response, an intermediate 20 days from expiry: OK"
line_matches '^\\_ \[OK\] OCSP response stapled$' "the staple is said"
line_matches '^\\_ \[OK\] certificate 2 of 2 in the chain \(CN = streamlab short intermediate\) expires in (19\.9|20\.0) days, before the leaf$' \
  "the chain's first to expire is named: the intermediate, not the leaf"
is "$(perf_value ocsp_stapled)" "1" "perfdata ocsp_stapled 1"
perf_value cert_days | grep -Eq '^(19\.9|20(\.0)?)[0-9]*$'
ok $? "perfdata cert_days is the chain's minimum (20, not the leaf's 365)"

# shellcheck disable=SC2086
run "$P" $CHAIN --cert-warning 30
is_rc 1 "--cert-warning 30 on the 20-day intermediate: WARNING"
first_line_matches '^API WARNING - certificate 2 of 2 in the chain \(CN = streamlab short intermediate\) expires in [0-9.]+ days, before the leaf \(--cert-warning: below 30 days\) \(GET ' \
  "the summary names the intermediate and the threshold"

run "$P" -u "https://api.stream.test:$P12/" --connect-to 127.0.0.1 --ca-file "$TLS_CA"
is_rc 0 "nginx with TLS 1.2 only: OK"
line_matches '^\\_ \[OK\] TLS 1\.2, TLS_ECDHE_ECDSA_WITH_[A-Z0-9_]+$' "TLS 1.2 and its cipher (IANA name) said"
is "$(perf_value tls_version)" "1.2" "perfdata tls_version 1.2"
run "$P" -u "https://api.stream.test:$P12/" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --tls-min 1.3
is_rc 2 "--tls-min 1.3 against TLS 1.2 only: CRITICAL"
first_line_matches '^API CRITICAL - GET https://api\.stream\.test:[0-9]+/: TLS handshake failed' "in the TLS handshake"
perf_ok "a failed handshake: perfdata parses"
is "$(perf_value tls_version)/$(perf_value ocsp_stapled)" "U/U" "no handshake: tls_version and ocsp_stapled U"

# ------------------------------------------------------------ --certificate-only
before=$(wc -l <"$N/access.log")
# shellcheck disable=SC2086
run "$P" $CHAIN --certificate-only --ocsp-required
is_rc 0 "--certificate-only: OK"
first_line_matches '^API OK - certificate of api\.stream\.test:[0-9]+ expires in 36[45]\.[0-9] days, its chain.s certificate 2 expires in (19\.9|20\.0) days \(TLS 1\.3\) \|' \
  "the certificate, its chain and the TLS version in the summary"
line_matches '^\\_ \[OK\] TLS 1\.3, ' "the TLS line"
line_matches '^\\_ \[OK\] OCSP response stapled$' "the staple"
is "$(wc -l <"$N/access.log")" "$before" "no request reached nginx"
is "$(perf_value status)/$(perf_value size)/$(perf_value time_ttfb)" "U/U/U" "no answer: status, size, time_ttfb U"
is "$(perf_value tls_version)" "1.3" "tls_version measured"

eval "port=\$HTTPS_PORT_W_expiring5"
run "$P" -u "https://api.stream.test:$port/" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --certificate-only
is_rc 2 "--certificate-only, 5 days left: CRITICAL"
first_line_matches '^API CRITICAL - certificate expires in [45]\.[0-9] days \(--cert-critical: below 7 days\) \(certificate of api\.stream\.test:[0-9]+ expires in' \
  "the threshold named, then the certificate"
eval "port=\$HTTPS_PORT_W_expired"
run "$P" -u "https://api.stream.test:$port/" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --certificate-only
is_rc 2 "--certificate-only, expired: CRITICAL"
first_line_matches '^API CRITICAL - connect to https://api\.stream\.test:[0-9]+/: TLS handshake failed: certificate has expired' \
  "the handshake's failure named"

run "$P" -u "http://127.0.0.1:$PH/" --certificate-only
is_rc 3 "--certificate-only with http://: UNKNOWN"
first_line_matches '^API UNKNOWN - --certificate-only: needs an https:// URL' "names the option"
for o in "-s ok" "-r ok" "-j /status" "-e 200" "--expect-header Server:" "--max-age 60"; do
  # shellcheck disable=SC2086
  run "$P" $CHAIN --certificate-only $o
  is_rc 3 "--certificate-only with $o: UNKNOWN"
  first_line_matches "^API UNKNOWN - --certificate-only: not with ${o%% *} \\(it judges an answer" "names ${o%% *}"
done
run "$P" -u "http://127.0.0.1:$PH/" --ocsp-required
is_rc 3 "--ocsp-required with http://: UNKNOWN"

# ------------------------------------------------------------ --source-address
run "$P" -u "http://127.0.0.1:$PH/" --source-address 127.0.0.2
is_rc 0 "--source-address 127.0.0.2: OK"
case $(lastlog) in '127.0.0.2 "GET / HTTP/1.1" 200') r=0 ;; *) r=1 ;; esac
ok $r "nginx saw the request from 127.0.0.2" "log: $(lastlog)"
run "$P" -u "http://127.0.0.1:$PH/" --source-address 192.0.2.1
is_rc 2 "--source-address not of this host: CRITICAL"
first_line_matches '^API CRITICAL - GET http://127\.0\.0\.1:[0-9]+/: ' "a transport failure named"
run "$P" -u "http://127.0.0.1:$PH/" --source-address localhost
is_rc 3 "--source-address by name: UNKNOWN"
first_line_matches "^API UNKNOWN - --source-address: 'localhost' is not a numeric IPv4 or IPv6 address" "names the option"
run "$P" -u "http://127.0.0.1:$PH/" --source-address ::1 -4
is_rc 3 "--source-address ::1 with -4: UNKNOWN"
first_line_matches '^API UNKNOWN - --source-address: ::1 is an IPv6 address, and -4 asks for IPv4' "names both"

# ------------------------------------------------------------ --prefer-ipv6/-ipv4
run "$P" -u "http://api.stream.test:$PD/" --prefer-ipv6 --resolver "$R"
is_rc 0 "--prefer-ipv6, both families listen: OK"
line_matches '^\\_ \[OK\] IPv6 ::1 used \(preferred\)$' "IPv6 used"
case $(lastlog) in '::1 '*) r=0 ;; *) r=1 ;; esac
ok $r "nginx saw it over IPv6" "log: $(lastlog)"
run "$P" -u "http://api.stream.test:$PD/" --prefer-ipv4 --resolver "$R"
line_matches '^\\_ \[OK\] IPv4 127\.0\.0\.21 used \(preferred\)$' "--prefer-ipv4: IPv4 used"
run "$P" -u "http://api.stream.test:$P4/" --prefer-ipv6 --resolver "$R"
is_rc 0 "--prefer-ipv6, nothing on ::1: OK over IPv4"
line_matches '^\\_ \[OK\] IPv4 127\.0\.0\.21 used: IPv6 ::1 failed \(connect failed: Connection refused\)$' \
  "the fallback and why"
run "$P" -u "http://api.stream.test:$P6/" --prefer-ipv4 --resolver "$R"
line_matches '^\\_ \[OK\] IPv6 ::1 used: IPv4 127\.0\.0\.21 failed \(connect failed: Connection refused\)$' \
  "--prefer-ipv4 falls back to IPv6"
case $(lastlog) in '::1 '*) r=0 ;; *) r=1 ;; esac
ok $r "nginx saw the fallback over IPv6" "log: $(lastlog)"
run "$P" -u "http://api.stream.test:$PB/" --prefer-ipv6 --resolver "$R" -t 3
is_rc 0 "--prefer-ipv6, ::1 a black hole: OK over IPv4 within -t"
line_matches '^\\_ \[OK\] IPv4 127\.0\.0\.21 used: IPv6 ::1 failed \(timeout after [0-9.]+ s connecting to http://api\.stream\.test:[0-9]+/\)$' \
  "the fallback names the IPv6 connect's timeout"
wall_below 3 "half of -t for the black hole, the rest for IPv4"
run "$P" -u "http://v4.stream.test:$P4/" --prefer-ipv6 --resolver "$R"
is_rc 0 "--prefer-ipv6 on a name without AAAA: OK"
line_matches '^\\_ \[OK\] IPv4 127\.0\.0\.21 used: v4\.stream\.test has no IPv6 address$' "no IPv6 address said"
run "$P" -u "http://gone.stream.test:$P4/" --prefer-ipv6 --resolver "$R"
is_rc 2 "--prefer-ipv6 on a name that does not resolve: CRITICAL"
first_line_matches '^API CRITICAL - DNS: ' "DNS named"
perf_ok "DNS failure: perfdata parses"
for o in -4 "--connect-to 127.0.0.1" --all-addresses --prefer-ipv4; do
  # shellcheck disable=SC2086
  run "$P" -u "http://api.stream.test:$PD/" --prefer-ipv6 $o
  is_rc 3 "--prefer-ipv6 with $o: UNKNOWN"
done
first_line_matches '^API UNKNOWN - --prefer-ipv4: --prefer-ipv6 is given too' "two preferences named"

plan_done
