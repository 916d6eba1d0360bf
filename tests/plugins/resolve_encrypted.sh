#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_resolve over encrypted resolvers: DNS over HTTPS and over TLS
# against a real unbound (forwarding to streamlab's dnsmasq, certificate
# of the lab's CA, so verification really happens), with a UDP resolver in
# the same run; and the faults no real server makes from fakedoh.py (wrong
# content type, garbage and truncated bodies, a DoT reply cut short).
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/tls.sh"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
dns_have_unbound || skip_all "unbound (with DNS over HTTPS) not installed"
tls_have_openssl || skip_all "openssl not installed"
lab_init
tls_make_certs || bail_out "tls_make_certs failed"
dns_start_dnsmasq A 127.0.0.53 a || bail_out "dnsmasq A did not start"
dns_start_encrypted E 127.0.0.1 "$DNS_SERVER_A" || bail_out "unbound did not start"
dns_start_fakedoh F 127.0.0.1 || bail_out "fakedoh did not start"
dns_start_encrypted W 127.0.0.1 "$DNS_SERVER_A" wrongname || bail_out "unbound W did not start"
P=$PLUGINDIR/check_resolve
DOH=$DNS_DOH_E DOT=$DNS_DOT_E FK=$DNS_FAKEDOH_F
CA=$TLS_CA
q() { printf '%s' "$1" | sed 's/[].[]/\\&/g'; }
labels() { perf_values | cut -f1 | tr '\n' ' '; }
API='10\.1\.2\.[45], 10\.1\.2\.[45]'

# ---------------------------------------------------------------- healthy
run "$P" -H api.stream.test -s "$DOH" --ca-file "$CA" -vv
is_rc 0 "DoH: exit 0"
first_line_matches "^RESOLVE OK - api\.stream\.test A: $API \(TTL [0-9]+, [0-9.]+ ms\) \|" \
  "DoH: the answers, TTL and time"
line_matches "^\\\\_ \[OK\] api\.stream\.test @$(q "$DOH"): $API" "DoH: its line names the URL"
line_matches "^query api\.stream\.test A to $(q "$DOH") over DoH \(POST\), RD=1, id 0x0000$" \
  "DoH: -vv shows the POST with ID 0 (RFC 8484 4.1)"
line_matches "^DoH reply from $(q "$DOH") for api\.stream\.test: HTTP/2 200, [0-9]+ bytes, on a new connection$" \
  "DoH: over HTTP/2"
perf_ok "DoH: perfdata parses"
perf_value time | grep -Eq '^0\.[0-9]+$'
ok $? "DoH: time measured in seconds"
is "$(perf_value failed)" 0 "DoH: failed=0"
is "$(perf_value answers)" 2 "DoH: answers=2"

run "$P" -H api.stream.test -s "$DOT" --ca-file "$CA" -vv
is_rc 0 "DoT: exit 0"
first_line_matches "^RESOLVE OK - api\.stream\.test A: $API \(TTL [0-9]+, [0-9.]+ ms\) \|" \
  "DoT: the answers, TTL and time"
line_matches "^query api\.stream\.test A to $(q "$DOT") over DoT, RD=1, id 0x[0-9a-f]{4}$" \
  "DoT: -vv shows the query and its random ID"
perf_value time | grep -Eq '^0\.[0-9]+$'
ok $? "DoT: time measured in seconds"
is "$(perf_value answers)" 2 "DoT: answers=2"

# both encrypted resolvers and the UDP one in one run, all at once;
# unnamed resolvers get doh_/dot_ labels, named ones their names
run "$P" -H api.stream.test -H www.stream.test -s "$DOH" -s "$DOT" -s "$DNS_SERVER_A" \
  --ca-file "$CA" -C
is_rc 0 "DoH, DoT and UDP in one run, -C: exit 0"
first_line_matches "^RESOLVE OK - 2 names on 3 resolvers in [0-9.]+ ms max \|" "mixed: overview"
is "$(lines_count)" 7 "mixed: a line per query"
perf_ok "mixed: perfdata parses"
is "$(labels)" "time_api_stream_test_doh_127_0_0_1_${DNS_DOH_PORT_E} time_api_stream_test_dot_127_0_0_1_${DNS_DOT_PORT_E} time_api_stream_test_$(printf '%s' "$DNS_SERVER_A" | tr .: __) time_www_stream_test_doh_127_0_0_1_${DNS_DOH_PORT_E} time_www_stream_test_dot_127_0_0_1_${DNS_DOT_PORT_E} time_www_stream_test_$(printf '%s' "$DNS_SERVER_A" | tr .: __) failed answers ttl_min " \
  "mixed: labels doh_HOST_PORT and dot_HOST_PORT"
is "$(perf_field failed 7)" 6 "mixed: failed max=6"
line_matches "^\\\\_ \[OK\] www\.stream\.test @$(q "$DOT"): 10\.1\.3\.1 \(TTL [0-9]+, [0-9.]+ ms\)$" \
  "mixed: DoT follows the CNAME like the others"

# HTTP/2: four names on one connection, a stream each
run "$P" -H api.stream.test -H www.stream.test -H edge.stream.test -H mx.stream.test \
  -s "$DOH" --ca-file "$CA" -vv
is_rc 0 "DoH, four names: exit 0"
is "$(printf '%s\n' "$OUT" | grep -c 'HTTP/2 200, [0-9]* bytes, on a new connection$')" 1 \
  "DoH, four names: one connection"
is "$(printf '%s\n' "$OUT" | grep -c 'HTTP/2 200, [0-9]* bytes, on a shared connection$')" 3 \
  "DoH, four names: the other three share it (HTTP/2 streams)"

run "$P" -H api.stream.test -s "doh=$DOH" -s "dot=$DOT" -s "udp=$DNS_SERVER_A" --ca-file "$CA"
is_rc 0 "named encrypted resolvers: exit 0"
is "$(labels)" "time_api_stream_test_doh time_api_stream_test_dot time_api_stream_test_udp failed answers ttl_min " \
  "named encrypted resolvers: their names in the labels"
line_matches "^\\\\_ \[OK\] api\.stream\.test @dot \($(q "$DOT")\): " "named: name and URL on the line"

# IPv6: unbound on [::1]; a name (localhost) resolved by libcurl with -6
dns_start_encrypted E6 ::1 "$DNS_SERVER_A" || bail_out "unbound on ::1 did not start"
run "$P" -H api.stream.test -s "$DNS_DOH_E6" -s "$DNS_DOT_E6" --ca-file "$CA"
is_rc 0 "DoH and DoT on [::1]: exit 0"
is "$(labels)" "time_api_stream_test_doh___1_${DNS_DOH_PORT_E6} time_api_stream_test_dot___1_${DNS_DOT_PORT_E6} failed answers ttl_min " \
  "[::1]: labels as an IPv6 resolver's (brackets dropped)"
line_matches "^\\\\_ \[OK\] api\.stream\.test @tls://\[::1\]:${DNS_DOT_PORT_E6}: $API" "[::1]: the URL on the line"
run "$P" -H api.stream.test -s "https://localhost:$DNS_DOH_PORT_E6/dns-query" --ca-file "$CA" -6
is_rc 0 "-6 and a DoH resolver by name on ::1 only: exit 0"
lab_stop E6

# ---------------------------------------------------------------- TLS
for s in "$DOH" "$DOT"; do
  run "$P" -H api.stream.test -s "$s" --ca-file "$TLS_DIR/selfsigned.pem"
  is_rc 2 "$s, another CA: exit 2"
  first_line_matches "^RESOLVE CRITICAL - api\.stream\.test A: TLS handshake failed: .*certificate.* from $(q "$s") \(1/1 failed\)" \
    "$s, another CA: TLS handshake failed, libcurl's reason"
  is "$(perf_value time)" U "$s, another CA: time U"
done
run "$P" -H api.stream.test -s "$DOT" -s "$DOH"
is_rc 2 "the system's CAs only: exit 2"
first_line_matches "TLS handshake failed: unable to get local issuer certificate from $(q "$DOT")" \
  "the system's CAs only: verification is on by default"
run "$P" -H api.stream.test -s "$DOT" -s "$DOH" --insecure
is_rc 0 "--insecure: exit 0"
first_line_matches "^RESOLVE OK - 1 name on 2 resolvers in [0-9.]+ ms max \[TLS verification off\] \|" \
  "--insecure: said in the summary"
# the host as given is what the certificate must name (and the SNI)
run "$P" -H api.stream.test -s "tls://localhost:$DNS_DOT_PORT_E" \
  -s "https://localhost:$DNS_DOH_PORT_E/dns-query" --ca-file "$CA"
is_rc 0 "by name (localhost, in the certificate): exit 0"
is "$(labels)" "time_api_stream_test_dot_localhost_${DNS_DOT_PORT_E} time_api_stream_test_doh_localhost_${DNS_DOH_PORT_E} failed answers ttl_min " \
  "by name: labels dot_localhost_PORT, doh_localhost_PORT"
run "$P" -H api.stream.test -s "$DNS_DOT_W" -s "$DNS_DOH_W" --ca-file "$CA"
is_rc 2 "a certificate for another name: exit 2"
first_line_matches "A: TLS handshake failed: .*(name|match).* from $(q "$DNS_DOT_W"), TLS handshake failed: .*(name|match).* from " \
  "a certificate for another name: the name mismatch named"
run "$P" -H api.stream.test -s "$DNS_DOT_W" -s "$DNS_DOH_W" --ca-file "$CA" --insecure
is_rc 0 "a certificate for another name, --insecure: exit 0"
# --ca-path: a hashed directory holding the lab CA verifies both
mkdir -p "$LAB_DIR/cadir" && cp "$CA" "$LAB_DIR/cadir/lab.pem" &&
  openssl rehash "$LAB_DIR/cadir" 2>/dev/null || bail_out "openssl rehash failed"
run "$P" -H api.stream.test -s "$DOT" -s "$DOH" --ca-path "$LAB_DIR/cadir"
is_rc 0 "--ca-path with the lab CA: exit 0"
first_line_matches "^RESOLVE OK - 1 name on 2 resolvers " "--ca-path: both verified"
run "$P" -H api.stream.test -s "$DOT" --ca-file "$CA" --tls-min 1.3
is_rc 0 "--tls-min 1.3: exit 0 (unbound speaks TLS 1.3)"

# ---------------------------------------------------------------- DoH faults
run "$P" -H api.stream.test -s "https://127.0.0.1:$DNS_DOH_PORT_E/wrong" --ca-file "$CA"
is_rc 2 "DoH 404 (unbound, another path): exit 2"
first_line_matches "^RESOLVE CRITICAL - api\.stream\.test A: HTTP 404 \(expected 200\) from " \
  "DoH 404: the status named"
run "$P" -H api.stream.test -s "https://$FK/html" --ca-file "$CA"
is_rc 2 "DoH text/html: exit 2"
first_line_matches "A: wrong content type 'text/html; charset=utf-8' \(expected application/dns-message\) from " \
  "DoH text/html: wrong content type, both named"
run "$P" -H api.stream.test -s "https://$FK/none" --ca-file "$CA"
first_line_matches "A: wrong content type: none \(expected application/dns-message\)" \
  "DoH without Content-Type: named"
run "$P" -H api.stream.test -s "https://$FK/garbage" --ca-file "$CA" -v
is_rc 2 "DoH garbage body: exit 2"
first_line_matches "A: malformed response: .* from " "DoH garbage body: malformed response"
run "$P" -H api.stream.test -s "https://$FK/truncated" --ca-file "$CA"
is_rc 2 "DoH truncated body: exit 2"
first_line_matches "A: reading body failed: connection closed before the end from " \
  "DoH truncated body: the phase named"
run "$P" -H api.stream.test -s "https://$FK/huge" --ca-file "$CA"
is_rc 2 "DoH 70000-byte body: exit 2"
first_line_matches "A: malformed response: a body over 65535 bytes \(a DNS message's limit\)" \
  "DoH body past a DNS message: refused, bounded"
# memory: 16 names, each body refused at one DNS message's size
names=
for i in $(seq 16); do names="$names -H n$i.stream.test"; done
# shellcheck disable=SC2086 # names are words on purpose
run /usr/bin/time -f %M -o "$LAB_DIR/rss" "$P" $names -s "https://$FK/huge" --ca-file "$CA"
is_rc 2 "16 oversized DoH bodies at once: exit 2"
first_line_matches "\(16/16 failed\)" "16 oversized DoH bodies: each refused"
if [ "$SW_BUILD" = plain ]; then
  rss=$(tail -n 1 "$LAB_DIR/rss")
  [ "$rss" -le 65536 ]
  ok $? "16 oversized DoH bodies: peak RSS $rss KiB, at most 64 MiB"
else
  skip_one "16 oversized DoH bodies: peak RSS at most 64 MiB" "$SW_BUILD build: its own memory is in the RSS"
fi
run "$P" -H api.stream.test -s "https://$FK/dns-query" --ca-file "$CA" -vv
is_rc 0 "fakedoh's good path over HTTP/1.1: exit 0"
line_matches "HTTP/1\.1 200, [0-9]+ bytes, on a new connection$" "a server without HTTP/2: HTTP/1.1"

# ---------------------------------------------------------------- DoT faults
run "$P" -H cut.fault.test -s "tls://$FK" --ca-file "$CA"
is_rc 2 "DoT reply cut short: exit 2"
first_line_matches "A: reading reply failed: connection closed mid-reply \(after [0-9]+ of [0-9]+ bytes\) from " \
  "DoT reply cut short: named with the bytes"
run "$P" -H close.fault.test -s "tls://$FK" --ca-file "$CA"
first_line_matches "A: reading reply failed: connection closed before a reply from " \
  "DoT closed without a reply: named"
run "$P" -H ok.fault.test -H cut.fault.test -s "tls://$FK" --ca-file "$CA"
is_rc 2 "DoT: one answered, then the reply to the other cut: exit 2"
line_matches "^\\\\_ \[OK\] ok\.fault\.test @tls://" "DoT: the answer before the cut counts"

run "$P" -H flood.fault.test -s "tls://$FK" --ca-file "$CA" -vv
is_rc 0 "DoT: 100000 messages for no query, then the reply: exit 0"
is "$(printf '%s\n' "$OUT" | grep -c 'matches no query: dropped$')" 3 \
  "DoT flood: three dropped messages traced, not 100000"
line_matches "^DoT: 100000 messages from tls://.* matched no query in all$" "DoT flood: then counted"

# ---------------------------------------------------------------- deadline
run "$P" -H silent.fault.test -s "tls://$FK" --ca-file "$CA" -t 1
is_rc 2 "DoT silent, -t 1: exit 2"
first_line_matches "A: no answer within 0\.[0-9] s \(waiting for the reply\) from " \
  "DoT silent: no answer within -t, the phase named"
wall_below 1.0 "DoT silent: returns before -t 1"
run "$P" -H api.stream.test -s "https://$FK/silent" -s "$DNS_SERVER_A" --ca-file "$CA" -t 1
is_rc 2 "DoH silent beside a UDP resolver, -t 1: exit 2"
first_line_matches "A: no answer within 0\.[0-9] s \(waiting for the reply\) from https://" \
  "DoH silent: the phase named"
line_matches "^\\\\_ \[OK\] api\.stream\.test @$(q "$DNS_SERVER_A"): " "DoH silent: the UDP resolver still answers"
wall_below 1.0 "DoH silent: returns before -t 1"
lab_start_blackhole H 127.0.0.1 || bail_out "blackhole did not start"
run "$P" -H api.stream.test -s "tls://127.0.0.1:$HOLE_PORT" -s "https://127.0.0.1:$HOLE_PORT/dns-query" -t 1
is_rc 2 "TLS handshake never answered, -t 1: exit 2"
first_line_matches "A: no answer within 0\.[0-9] s \(in the TLS handshake\) from tls://.*, no answer within 0\.[0-9] s \(in the TLS handshake\) from https://" \
  "TLS handshake stalled: both named in the handshake"
wall_below 1.0 "TLS handshake stalled: returns before -t 1"
CLOSED=$(lab_free_port 127.0.0.1)
run "$P" -H api.stream.test -s "tls://127.0.0.1:$CLOSED" -s "https://127.0.0.1:$CLOSED/dns-query"
is_rc 2 "nothing listening: exit 2"
first_line_matches "A: connect failed: Connection refused from tls://127\.0\.0\.1:$CLOSED, connect failed: Connection refused from https://" \
  "nothing listening: connect failed"

# ---------------------------------------------------------------- bad -s
for bad in "https://127.0.0.1" "https://127.0.0.1:8443" "tls://127.0.0.1/dns-query" \
  "https://user:pw@127.0.0.1/dns-query" "https://[::1/dns-query" "tls://127.0.0.1:99999" \
  "tls://127.0.0.1:" "https://127.0.0.1/dns-query?dns=x" "https:///dns-query" "tls://a b" \
  "tls://bad!host" "https://127.0.0.1/a|b" "https://127.0.0.1/dns-query#x"; do
  run "$P" -H api.stream.test -s "$bad"
  is_rc 3 "-s $bad: exit 3"
  first_line_matches "^RESOLVE UNKNOWN - -s: invalid DNS over (HTTPS|TLS) resolver '" \
    "-s $bad: UNKNOWN naming -s"
done
run "$P" -H api.stream.test -s "$DOT" -s "$DOT"
is_rc 3 "the same DoT resolver twice: exit 3"
first_line_matches "^RESOLVE UNKNOWN - -s: tls://.* given twice" "twice: named"
run "$P" -H api.stream.test -s "$DNS_SERVER_A" --ca-file "$CA"
is_rc 3 "--ca-file without an encrypted resolver: exit 3"
first_line_matches "^RESOLVE UNKNOWN - --ca-file: only for encrypted resolvers" \
  "--ca-file without an encrypted resolver: UNKNOWN naming it"
run "$P" -H api.stream.test -s "$DNS_SERVER_A" --insecure
first_line_matches "^RESOLVE UNKNOWN - --insecure: only for encrypted resolvers" \
  "--insecure without an encrypted resolver: UNKNOWN naming it"
run "$P" -H api.stream.test -s "tls://[::1]" -4
is_rc 3 "-4 with an IPv6 DoT resolver: exit 3"
first_line_matches "^RESOLVE UNKNOWN - -s: tls://\[::1\] is not an IPv4 address" "-4 with tls://[::1]: named"

plan_done
