#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_resolve with many resolvers: one down, one silent, one that
# disagrees; failure counting with --fail-warning/--fail-critical; many
# names at once.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
lab_init
dns_start_dnsmasq A 127.0.0.53 a || bail_out "dnsmasq A did not start"
dns_start_dnsmasq B 127.0.0.54 b || bail_out "dnsmasq B did not start"
dns_start_dnsmasq C 127.0.0.57 a || bail_out "dnsmasq C did not start"
dns_start_fake BH 127.0.0.56 --mode silent || bail_out "fakedns did not start"
P=$PLUGINDIR/check_resolve
A=$DNS_SERVER_A B=$DNS_SERVER_B C=$DNS_SERVER_C BH=$DNS_SERVER_BH
q() { printf '%s' "$1" | sed 's/\./\\./g'; }
# a perfdata label part: every byte outside [A-Za-z0-9_-] is '_'
lbl() { printf '%s' "$1" | sed 's/[^A-Za-z0-9_-]/_/g'; }
labels() { perf_values | cut -f1 | tr '\n' ' '; }

run "$P" -H api.stream.test -H www.stream.test -s "$A" -s "$C"
is_rc 0 "2 names x 2 resolvers: exit 0"
first_line_matches "^RESOLVE OK - 2 names on 2 resolvers in [0-9.]+ ms max \|" "overview summary"
is "$(lines_count)" 5 "one line per query"
perf_ok "perfdata parses"
for n in api www; do
  for s in "$A" "$C"; do
    perf_value "time_${n}_stream_test_$(lbl "$s")" | grep -Eq '^0\.[0-9]+$'
    ok $? "time_${n}_stream_test_$(lbl "$s") present"
  done
done
is "$(perf_field failed 7)" 4 "failed max=4"

# Named resolvers (issue 13): labels and summary use the name, lines
# give name and address; no port in a label (dnsmasq's port changes
# from run to run); the same labels whatever happens.
run "$P" -H api.stream.test -H www.stream.test -s "ns1=$A" -s "ns-c=$C"
is_rc 0 "named resolvers: exit 0"
perf_ok "named resolvers: perfdata parses"
is "$(labels)" "time_api_stream_test_ns1 time_api_stream_test_ns-c time_www_stream_test_ns1 time_www_stream_test_ns-c failed answers ttl_min " \
  "named resolvers: time_NAME_RESOLVER with the given names"
line_matches "^\\\\_ \[OK\] api\.stream\.test @ns-c \($(q "$C")\): 10\.1\.2\." \
  "named resolver's line: name and address"
healthy=$(labels)

# One of three resolvers down (stopped: connection refused).
lab_stop C
run "$P" -H api.stream.test -H www.stream.test -s "ns1=$A" -s "ns-c=$C"
is_rc 2 "named resolver down: CRITICAL"
first_line_matches "^RESOLVE CRITICAL - api\.stream\.test A: connection refused from ns-c; www\.stream\.test A: connection refused from ns-c \(2/4 failed\)" \
  "named resolver down: the summary uses its name"
is "$(labels)" "$healthy" "named resolver down: the same labels as when healthy"
perf_ok "named resolver down: perfdata parses"

run "$P" -H api.stream.test -s "$A" -s "$B" -s "$C"
is_rc 2 "one resolver down: CRITICAL by default"
first_line_matches "^RESOLVE CRITICAL - api\.stream\.test A: connection refused from $(q "$C") \(1/3 failed\)" \
  "the resolver that is down is named"
line_matches "^\\\\_ \[CRITICAL\] api\.stream\.test @$(q "$C"): connection refused" "its line is first"
is "$(printf '%s\n' "$OUT" | sed -n 2p | cut -d' ' -f2)" '[CRITICAL]' "worst line first"

run "$P" -H api.stream.test -s "$A" -s "$B" -s "$C" --fail-warning 0 --fail-critical 1
is_rc 1 "one of three down with --fail-warning 0 --fail-critical 1: WARNING"
line_matches "^\\\\_ \[WARNING\] api\.stream\.test @$(q "$C"): connection refused" "its line says WARNING"
is "$(perf_field failed 4)" 0 "failed perfdata carries the warning range"
is "$(perf_field failed 5)" 1 "failed perfdata carries the critical range"

run "$P" -H api.stream.test -H gone.stream.test -s "$A" -s "$C" --fail-warning 0 --fail-critical 1
is_rc 2 "three of four failed: CRITICAL"
first_line_matches "api\.stream\.test A: connection refused from $(q "$C"); gone\.stream\.test A: NXDOMAIN from $(q "$A"), connection refused from $(q "$C") \(3/4 failed\)" \
  "failures grouped by name"

# One of three is a black hole: the deadline holds and names it.
run "$P" -H api.stream.test -s "$A" -s "$B" -s "$BH" -t 2
is_rc 2 "black hole, -t 2: CRITICAL"
first_line_matches "api\.stream\.test A: no answer within 1\.[0-9] s from $(q "$BH") \(1/3 failed\)" \
  "the silent resolver is named"
wall_below 2.0 "returns before -t 2"
is "$(perf_value "time_api_stream_test_$(lbl "$BH")")" U "the silent resolver's time is U"
no_line_matches "@$(q "$BH"): no answer within [0-9.]+ s \(" "no time shown next to U"
line_matches "^\\\\_ \[OK\] api\.stream\.test @$(q "$A"): 10\.1\.2\." "the others answered meanwhile"

run "$P" -H api.stream.test -s "$A" -s "$B" -s "$BH" -t 2 --fail-warning 0 --fail-critical 1
is_rc 1 "black hole with --fail-warning 0 --fail-critical 1: WARNING"

# Resolvers that disagree.
run "$P" -H api.stream.test -s "$A" -s "$B"
is_rc 0 "different answers without -C: OK (CDNs differ)"
run "$P" -H api.stream.test -s "$A" -s "$B" -C
is_rc 1 "-C with different answers: WARNING"
first_line_matches "^RESOLVE WARNING - resolvers disagree on api\.stream\.test: $(q "$A") says 10\.1\.2\.4, 10\.1\.2\.5, $(q "$B") says 10\.9\.9\.9" \
  "-C: both answer sets named"
perf_ok "-C: perfdata parses"
run "$P" -H www.stream.test -s "$A" -s "$B" -C
is_rc 0 "-C with equal answers: OK"

# --compare-serial: zone.stream.test's SOA serial is 2026120701 on the a
# zone, 2026120601 on the b zone (a change applied on one server only).
dns_start_dnsmasq D 127.0.0.58 a || bail_out "dnsmasq D did not start"
D=$DNS_SERVER_D
run "$P" -H zone.stream.test -s ns1="$A" -s ns2="$B" --compare-serial
is_rc 1 "--compare-serial, serials differ: WARNING"
first_line_matches "^RESOLVE WARNING - zone\.stream\.test: SOA serials differ: ns1 2026120701, ns2 2026120601; " \
  "--compare-serial: both servers and their serials named"
perf_ok "--compare-serial: perfdata parses"
is "$(perf_value serials)" 2 "--compare-serial: serials=2"
run "$P" -H zone.stream.test -s ns1="$A" -s ns4="$D" --compare-serial
is_rc 0 "--compare-serial, same serial: OK"
first_line_matches "^RESOLVE OK - 1 name on 2 resolvers" "--compare-serial, same serial: OK summary"
is "$(perf_value serials)" 1 "--compare-serial, same serial: serials=1"
line_matches "^\\\\_ \[OK\] zone\.stream\.test @ns4 \([^)]*\): ns1\.stream\.test\. hostmaster\.stream\.test\. 2026120701 " \
  "--compare-serial: each server's SOA shown"
run "$P" -H zone.stream.test -s ns1="$A" --compare-serial
is_rc 3 "--compare-serial with one server: UNKNOWN"
first_line_matches "^RESOLVE UNKNOWN - --compare-serial: needs two or more servers" \
  "--compare-serial with one server: names the option and the fix"
run "$P" -H zone.stream.test -s "$A" -s "$D" --compare-serial -q A
is_rc 3 "--compare-serial -q A: UNKNOWN"
first_line_matches "^RESOLVE UNKNOWN - --compare-serial: compares SOA answers; drop -q A" \
  "--compare-serial -q A: names the conflict"

plan_done
