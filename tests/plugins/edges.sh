#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --all-addresses (check_api, check_login, check_stream): a name that
# resolves to six loopback edges (dnsmasq's "edges" zone: 127.0.0.21-25
# and ::1) served by one nginx (http_start_edges), 127.0.0.25 with nothing
# listening. Every edge is tested with Host and SNI kept; one broken edge
# is named; the count of failing edges decides the state; perfdata labels
# stay the same whatever happens.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/tls.sh"
. "$top_srcdir/tests/streamlab/http.sh"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
http_have_nginx || skip_all "nginx not installed"
need_cmd openssl "openssl not installed"
lab_init
dns_start_dnsmasq D 127.0.0.53 edges || bail_out "dnsmasq did not start"
R=$DNS_SERVER_D
# 127.0.0.24 holds a certificate for another name: a TLS failure
http_start_edges E "127.0.0.21 127.0.0.22 127.0.0.23 127.0.0.24=wrongname ::1" ||
  bail_out "the edges did not start"
URL=http://api.stream.test:$EDGE_PORT
TURL=https://api.stream.test:$EDGE_TLS_PORT
LOG=$LAB_DIR/E/access.log
API=$PLUGINDIR/check_api
labels() { perf_values | cut -f1 | tr '\n' ' '; }
STABLE="edges edges_failed edge_time_fastest edge_time_slowest "

# ------------------------------------------------------------ check_api
run "$API" -u "$URL/v1/health" --all-addresses --resolver "$R" -4
is_rc 2 "IPv4 edges, one with nothing listening: CRITICAL (--edge-fail-critical 0)"
first_line_matches "^API CRITICAL - 1/5 edges of api\.stream\.test failing: 127\.0\.0\.25 connect failed: Connection refused \(--edge-fail-critical: .*\) \|" \
  "the summary names the edge that refuses, the phase and the threshold (not the URL again)"
line_matches "^\\\\_ \[CRITICAL\] 127\.0\.0\.25: GET http://api\.stream\.test:$EDGE_PORT/v1/health: connect failed" \
  "its line has the whole text"
line_matches '^\\_ \[CRITICAL\] 127\.0\.0\.25: ' "its line is CRITICAL"
for a in 21 22 23 24; do
  line_matches "^\\\\_ \[OK\] 127\.0\.0\.$a: GET http://api\.stream\.test:$EDGE_PORT/v1/health 200 in " "edge 127.0.0.$a: a line, OK"
done
perf_ok "perfdata parses"
is "$(labels)" "$STABLE" "stable labels only"
is "$(perf_value edges)" 5 "edges=5 (IPv4 only)"
is "$(perf_value edges_failed)" 1 "edges_failed=1"
is "$(perf_field edges_failed 5)" 0 "edges_failed carries the critical range"
perf_value edge_time_fastest | grep -Eq '^0\.[0-9]+$'
ok $? "edge_time_fastest is a time"
for a in 21 22 23 24; do
  grep -q "^127\.0\.0\.$a \"GET /v1/health HTTP/1\.1\" 200 \"api\.stream\.test:$EDGE_PORT\"" "$LOG"
  ok $? "edge 127.0.0.$a was asked, with the URL's Host"
done

run "$API" -u "$URL/v1/health" --all-addresses --resolver "$R" -4 --edge-fail-critical 1
is_rc 0 "one failing edge with --edge-fail-critical 1: OK, the edge still named"
first_line_matches "^API OK - 1/5 edges of api\.stream\.test failing: 127\.0\.0\.25 connect failed" "named"
line_matches '^\\_ \[OK\] 127\.0\.0\.25: ' "its line takes the count's state"

run "$API" -u "$URL/v1/health" --all-addresses --resolver "$R" -4 --edge-fail-warning 0 --edge-fail-critical 2
is_rc 1 "one of five failing, --edge-fail-warning 0 --edge-fail-critical 2: WARNING"
line_matches '^\\_ \[WARNING\] 127\.0\.0\.25: ' "the failing edge's line says WARNING"

# IPv6 only: the ::1 edge, bracketed in the pin, plain in the text
run "$API" -u "$URL/v1/health" --all-addresses --resolver "$R" -6 --edge-perfdata
is_rc 0 "IPv6 only: the one edge OK"
first_line_matches "^API OK - 1/1 edges of api\.stream\.test OK, fastest ::1 [0-9.]+ s \|" "summary names ::1"
is "$(labels)" "${STABLE}edge_--1_time " "--edge-perfdata: edge_--1_time"
grep -q '^::1 "GET /v1/health HTTP/1\.1" 200' "$LOG"
ok $? "::1 was asked"

# One edge broken (503): named, others OK; the per-address series
: >"$LAB_DIR/E/down-127.0.0.22"
run "$API" -u "$URL/v1/health" --all-addresses --resolver "$R" --edge-perfdata --edge-fail-critical 1:1
is_rc 2 "edge .25 refusing and .22 down with 503: 2 failing, CRITICAL"
first_line_matches "^API CRITICAL - 2/6 edges of api\.stream\.test failing: 127\.0\.0\.22 HTTP 503.*, 127\.0\.0\.25 " \
  "both failing edges named, in address order"
line_matches '^\\_ \[OK\] ::1: GET .* 200 in ' "the IPv6 edge is OK"
is "$(labels)" "${STABLE}edge_127_0_0_21_time edge_127_0_0_22_time edge_127_0_0_23_time edge_127_0_0_24_time edge_127_0_0_25_time edge_--1_time " \
  "a graph-safe series per address"
is "$(perf_value edge_127_0_0_22_time)" U "the failing edge's time is U"
perf_value edge_127_0_0_21_time | grep -Eq '^0\.[0-9]+$'
ok $? "a working edge's time is measured"
rm -f "$LAB_DIR/E/down-127.0.0.22"

# TLS: Host and SNI kept; the edge with another name's certificate fails
# verification and is named with the phase
run "$API" -u "$TURL/v1/health" --ca-file "$TLS_DIR/ca.pem" --all-addresses --resolver "$R" -4
is_rc 2 "TLS: the wrong certificate and the silent edge: CRITICAL"
first_line_matches "^API CRITICAL - 2/5 edges of api\.stream\.test failing: 127\.0\.0\.24 .*(certificate|TLS).*, 127\.0\.0\.25 " \
  "the edge with the wrong certificate is named"
line_matches '^\\_ \[OK\] 127\.0\.0\.21: GET https://.* 200 in ' "an edge with the right certificate is OK"
grep -q "^127\.0\.0\.23 \"GET /v1/health HTTP/1\.1\" 200 \"api\.stream\.test:$EDGE_TLS_PORT\" \"api\.stream\.test\"" "$LOG"
ok $? "SNI is the URL's host name on the pinned edge"

# -w on each edge: a slow edge warns on its own line (not counted failing)
run "$API" -u "$URL/v1/health" --all-addresses --resolver "$R" -4 -w 0.000001
is_rc 2 "-w below every time: the failing count is still what is CRITICAL"
line_matches '^\\_ \[WARNING\] 127\.0\.0\.21: ' "a working but slow edge says WARNING"
is "$(perf_value edges_failed)" 1 "a WARNING edge is not failing"

# DNS: nothing for the name
run "$API" -u "http://gone.stream.test:$EDGE_PORT/" --all-addresses --resolver "$R"
is_rc 2 "a name that does not resolve: CRITICAL"
first_line_matches "^API CRITICAL - DNS: no address for gone\.stream\.test from 127\.0\.0\.53:[0-9]+: NXDOMAIN \|" \
  "DNS named with the resolver and the rcode"
is "$(labels)" "$STABLE" "the same labels"
is "$(perf_value edges)" 0 "edges=0"

# An address as the host: one edge, no DNS
run "$API" -u "http://127.0.0.21:$EDGE_PORT/v1/health" --all-addresses
is_rc 0 "an address as host: one edge"
first_line_matches "^API OK - 1/1 edges of 127\.0\.0\.21 OK" "summary"

# Configurations that cannot work: UNKNOWN naming the option
run "$API" -u "$URL/" --all-addresses --connect-to 127.0.0.21
is_rc 3 "--all-addresses with --connect-to: UNKNOWN"
first_line_matches "^API UNKNOWN - --all-addresses: not with --connect-to" "names both"
for o in "--resolver $R" --edge-perfdata "--edge-fail-warning 1" "--edge-fail-critical 2"; do
  # shellcheck disable=SC2086
  run "$API" -u "$URL/" $o
  is_rc 3 "$o without --all-addresses: UNKNOWN"
  first_line_matches "^API UNKNOWN - ${o%% *}: only with --all-addresses" "$o: named"
done
run "$API" -u "$URL/" --all-addresses --resolver not-an-address
is_rc 3 "a resolver given by name: UNKNOWN"
first_line_matches "^API UNKNOWN - --resolver: invalid address 'not-an-address'" "names --resolver"
run "$API" -u "$URL/" --all-addresses --edge-fail-critical x
is_rc 3 "a bad range: UNKNOWN"
first_line_matches "^API UNKNOWN - --edge-fail-critical: " "names --edge-fail-critical"

# ------------------------------------------------------------ check_login
LOGIN=$PLUGINDIR/check_login
printf '%s\n' "$EDGE_PASSWORD" >"$LAB_DIR/pw"
run "$LOGIN" -u "$URL/private/" --flow basic --username edge --password-file "$LAB_DIR/pw" \
  --all-addresses --resolver "$R" -4
is_rc 2 "check_login basic on every edge: the silent one is CRITICAL"
first_line_matches "^LOGIN CRITICAL - 1/5 edges of api\.stream\.test failing: 127\.0\.0\.25 " "named"
line_matches '^\\_ \[OK\] 127\.0\.0\.23: ' "a working edge's login is OK"
no_line_matches "$EDGE_PASSWORD" "the password is never shown"
is "$(labels)" "$STABLE" "login: the stable labels"
grep -q '^127\.0\.0\.23 "GET /private/ HTTP/1\.1" 200' "$LOG"
ok $? "edge 127.0.0.23 got the login"
run "$LOGIN" -u "$URL/token" --client-id c --client-secret-file "$LAB_DIR/pw" \
  --all-addresses --token-cache "$LAB_DIR/tc"
is_rc 3 "check_login --all-addresses with a file each edge would write: UNKNOWN"
first_line_matches "^LOGIN UNKNOWN - --all-addresses: not with --token-cache" "names both"

# ------------------------------------------------------------ check_stream
if [ -n "${FFMPEG:-}" ] || command -v ffmpeg >/dev/null 2>&1; then
  . "$top_srcdir/tests/streamlab/media.sh"
  media_file "$LAB_DIR/E/www/media/tone.mp3" mp3 tone 3 || bail_out "no mp3"
  run "$PLUGINDIR/check_stream" -u "$URL/media/tone.mp3" --all-addresses --resolver "$R" \
    -4 --duration 1
  is_rc 2 "check_stream on every edge: the silent one is CRITICAL"
  first_line_matches "^STREAM CRITICAL - 1/5 edges of api\.stream\.test failing: 127\.0\.0\.25 " "named"
  line_matches '^\\_ \[OK\] 127\.0\.0\.21: ' "a working edge's stream is OK"
  is "$(labels)" "$STABLE" "stream: the stable labels"
else
  skip_one "check_stream on every edge" "ffmpeg not installed"
fi
plan_done
