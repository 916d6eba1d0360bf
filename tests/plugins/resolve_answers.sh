#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_resolve against a real dnsmasq serving stream.test: every answer
# type, expectations (-a, -L, -n, -A), NODATA and NXDOMAIN, TCP, and
# output that a hostile TXT record cannot forge.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
lab_init
dns_start_dnsmasq A 127.0.0.53 a || bail_out "dnsmasq did not start"
P=$PLUGINDIR/check_resolve
S=$DNS_SERVER_A
LS=$(printf '%s' "$S" | sed 's/\./\\./g')
# a perfdata label part: every byte outside [A-Za-z0-9_-] is '_'
lbl() { printf '%s' "$1" | sed 's/[^A-Za-z0-9_-]/_/g'; }

run "$P" -H api.stream.test -s "$S"
is_rc 0 "A: exit 0"
first_line_matches "^RESOLVE OK - api\.stream\.test A: 10\.1\.2\.[45], 10\.1\.2\.[45] \(TTL 300, [0-9.]+ ms\) \|" \
  "A: both addresses with TTL and time"
line_matches "^\\\\_ \[OK\] api\.stream\.test @$LS: 10\.1\.2\.[45], 10\.1\.2\.[45] \(TTL 300, [0-9.]+ ms\)$" \
  "A: sub-check line"
perf_ok "A: perfdata parses"
is "$(perf_value failed)" 0 "A: failed=0"
is "$(perf_value answers)" 2 "A: answers=2"
is "$(perf_value ttl_min)" 300 "A: ttl_min=300"
perf_value time | grep -Eq '^0\.[0-9]+$'
ok $? "A: one name on one resolver: 'time' measured in seconds"

run "$P" -H www.stream.test -s "$S" -v
is_rc 0 "CNAME chain: exit 0"
first_line_matches "A: 10\.1\.3\.1 \(TTL 300, [0-9.]+ ms\) via www\.stream\.test\. -> edge\.stream\.test\." \
  "CNAME chain: final address, chain shown at -v"

run "$P" -H www.stream.test -s "$S" -q CNAME -a edge.stream.test
is_rc 0 "-q CNAME -a target without the dot: exit 0"
first_line_matches "CNAME: edge\.stream\.test\. \(TTL 300" "-q CNAME: target shown with its dot"

run "$P" -H v6.stream.test -s "$S" -q AAAA -a 2001:db8::/32
is_rc 0 "AAAA in a CIDR: exit 0"
first_line_matches "AAAA: 2001:db8::10 \(TTL 300" "AAAA answer"

run "$P" -H stream.test -s "$S" -q MX -a mx.stream.test.
is_rc 0 "MX with -a target: exit 0"
first_line_matches "MX: 10 mx\.stream\.test\. \(TTL 300" "MX preference and exchanger"

run "$P" -H stream.test -s "$S" -q mx -a other.example.
is_rc 2 "MX with the wrong -a: exit 2"
first_line_matches "^RESOLVE CRITICAL - stream\.test MX: unexpected answer 10 mx\.stream\.test\. \(expected other\.example\.\) from $LS \(1/1 failed\)" \
  "MX: unexpected answer named with the expectation"

run "$P" -H _hls._tcp.stream.test -s "$S" -q SRV -a edge.stream.test
is_rc 0 "SRV: exit 0"
first_line_matches "SRV: 10 5 443 edge\.stream\.test\. \(TTL 300" "SRV priority weight port target"

run "$P" -H txt.stream.test -s "$S" -q TXT -a "v=stream1 region=eu"
is_rc 0 "TXT with the whole text as -a: exit 0"
first_line_matches "TXT: v=stream1 region=eu \(TTL 300" "TXT text"

run "$P" -H evil.stream.test -s "$S" -q TXT
is_rc 0 "hostile TXT: exit 0"
is "$(lines_count)" 2 "hostile TXT: no extra output line"
is "$(first_line | tr -cd '|' | wc -c | tr -d ' ')" 1 "hostile TXT: one '|' only, the perfdata separator"
first_line_matches "TXT: evil/x=1\?RESOLVE OK - forged\?\[31mred \(TTL" "hostile TXT: '|' and control characters replaced"
perf_ok "hostile TXT: perfdata parses"

run "$P" -H v6.stream.test -s "$S"
is_rc 2 "NODATA: exit 2"
first_line_matches "^RESOLVE CRITICAL - v6\.stream\.test A: no A records from $LS \(1/1 failed\)" "NODATA: no A records"
is "$(perf_value answers)" 0 "NODATA: answers=0"
is "$(perf_value ttl_min)" U "NODATA: ttl_min=U"

run "$P" -H gone.stream.test -s "$S"
is_rc 2 "NXDOMAIN: exit 2"
first_line_matches "^RESOLVE CRITICAL - gone\.stream\.test A: NXDOMAIN from $LS \(1/1 failed\) \|" "NXDOMAIN named"
is "$(perf_value failed)" 1 "NXDOMAIN: failed=1"

run "$P" -H gone.stream.test -s "$S" -n
is_rc 0 "-n with NXDOMAIN: exit 0"
first_line_matches "^RESOLVE OK - gone\.stream\.test A: NXDOMAIN as expected" "-n: NXDOMAIN is OK"
perf_ok "-n: perfdata parses"
is "$(perf_value answers)" 0 "-n: answers=0"
! perf_field ttl_min 1 >/dev/null
ok $? "-n: no ttl_min (a healthy -n check has no TTL to report)"

run "$P" -H api.stream.test -s "$S" -n
is_rc 2 "-n with an existing name: exit 2"
first_line_matches "exists \(expected NXDOMAIN\): 10\.1\.2\.[45]" "-n: existing name is CRITICAL"

run "$P" -H api.stream.test -s "$S" -a 10.9.0.0/16
is_rc 2 "-a CIDR mismatch: exit 2"
first_line_matches "unexpected answer 10\.1\.2\.[45] \(expected 10\.9\.0\.0/16\)" "-a mismatch named"

run "$P" -H api.stream.test -s "$S" -a 10.1.2.4
is_rc 0 "-a one of two addresses: any match is OK"

run "$P" -H api.stream.test -s "$S" -a 10.1.2.4 -L
is_rc 2 "-L with an answer not covered: exit 2"
first_line_matches "unexpected answer 10\.1\.2\.5 \(expected 10\.1\.2\.4\)" "-L names the uncovered answer"

run "$P" -H api.stream.test -s "$S" -a 10.1.2.4 -a 10.1.2.5 -L
is_rc 0 "-L with every answer covered: exit 0"

run "$P" -H api.stream.test -s "$S" -A
is_rc 0 "-A: dnsmasq answers its local zone with AA"

run "$P" -H api.stream.test -s "$S" --tcp
is_rc 0 "--tcp: exit 0"
first_line_matches "A: 10\.1\.2\.[45], 10\.1\.2\.[45] \(TTL 300" "--tcp: same answer"
grep -q 'query\[A\] api.stream.test' "$LAB_DIR/A.log"
ok $? "dnsmasq logged the query"

run "$P" -H api.stream.test -s "$S" --no-recursion
is_rc 0 "--no-recursion: authoritative local zone still answers"

run "$P" -H api.stream.test -H www.stream.test -H stream.test -s "$S" -w 0.5 -c 1
is_rc 2 "three names, one NODATA (A of stream.test): exit 2"
first_line_matches "^RESOLVE CRITICAL - stream\.test A: no A records from $LS \(1/3 failed\)" \
  "only the failing name in the summary"
line_matches "^\\\\_ \[CRITICAL\] stream\.test @" "failing line first"
perf_ok "three names: perfdata parses"
perf_field "time_www_stream_test_$(lbl "$S")" 4 | grep -qx '0.5'
ok $? "time perfdata carries -w"
perf_field "time_www_stream_test_$(lbl "$S")" 5 | grep -qx '1'
ok $? "time perfdata carries -c"
is "$(perf_field failed 7)" 3 "failed max = number of queries"

# check_dns's comma list (issue 13): "-a 10.1.2.4,10.1.2.5" was one text
# no answer could equal, a CRITICAL "unexpected answer" about a healthy
# name. It is the exact answer set, as check_dns takes it.
run "$P" -H api.stream.test -s "$S" -a 10.1.2.4,10.1.2.5
is_rc 0 "-a A,B (check_dns list), answers exactly A and B: exit 0"
first_line_matches "^RESOLVE OK - api\.stream\.test A: 10\.1\.2\.[45], 10\.1\.2\.[45] \(TTL 300" \
  "-a A,B: OK with both answers"
perf_ok "-a A,B: perfdata parses"
run "$P" -H api.stream.test -s "$S" -a 10.1.2.5,10.1.2.4,10.1.2.9
is_rc 2 "-a list with a value not answered: exit 2"
first_line_matches "^RESOLVE CRITICAL - api\.stream\.test A: 10\.1\.2\.9 missing from the answers \(expected exactly 10\.1\.2\.5,10\.1\.2\.4,10\.1\.2\.9\) from $LS \(1/1 failed\)" \
  "-a list: the missing value is named"
run "$P" -H api.stream.test -s "$S" -a 10.1.2.4,10.1.2.6
is_rc 2 "-a list that the answers go past: exit 2"
first_line_matches "unexpected answer 10\.1\.2\.5 \(expected exactly 10\.1\.2\.4,10\.1\.2\.6\)" \
  "-a list: the answer outside it is named"
run "$P" -H api.stream.test -s "$S" -a 10.9.9.9 -a 10.1.2.4,10.1.2.5
is_rc 0 "-a X -a A,B: OK when any -a is met"
run "$P" -H txt.stream.test -s "$S" -q TXT -a "v=stream1 region=eu,x"
is_rc 2 "-q TXT: a comma is part of the text, not a list"
first_line_matches "unexpected answer v=stream1 region=eu \(expected v=stream1 region=eu,x\)" \
  "-q TXT: the whole text is the expectation"

plan_done
