#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_resolve against the faults no real server makes on demand, from
# streamlab's scriptable responder: every rcode, silence (the deadline),
# TC (retry over TCP), malformed replies, wrong IDs, refused connections.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
lab_init
dns_start_fake F 127.0.0.55 --delay 0.3 || bail_out "fakedns did not start"
P=$PLUGINDIR/check_resolve
S=$DNS_SERVER_F
LS=$(printf '%s' "$S" | sed 's/\./\\./g')

for rcode in SERVFAIL REFUSED FORMERR NOTIMP; do
  name=$(printf '%s' "$rcode" | tr 'A-Z' 'a-z').fault.test
  run "$P" -H "$name" -s "$S"
  is_rc 2 "$rcode: exit 2"
  first_line_matches "^RESOLVE CRITICAL - $name A: $rcode from $LS \(1/1 failed\) \|" \
    "$rcode: named in the summary"
  line_matches "^\\\\_ \[CRITICAL\] $name @$LS: $rcode \([0-9.]+ ms\)$" "$rcode: sub-check line"
  perf_ok "$rcode: perfdata parses"
  is "$(perf_value failed)" 1 "$rcode: failed=1"
done

run "$P" -H nodata.fault.test -s "$S" -q AAAA
is_rc 2 "NODATA AAAA: exit 2"
first_line_matches "nodata\.fault\.test AAAA: no AAAA records from" "NODATA names the type"

run "$P" -H silent.fault.test -s "$S" -t 2
is_rc 2 "silence, -t 2: exit 2"
first_line_matches "^RESOLVE CRITICAL - silent\.fault\.test A: no answer within 1\.[0-9] s from $LS \(1/1 failed\)" \
  "silence: no answer within the deadline"
wall_below 2.0 "silence: the plugin returns before -t 2 expires"
is "$(perf_value time)" U "silence: time is U"
no_line_matches 'silent\.fault\.test @.*\([0-9.]+ ms\)' "silence: no time in the text where perfdata says U"

run "$P" -H silent.fault.test -s "$S" -t 1:warning
is_rc 1 "silence, -t 1:warning: exit 1"
first_line_matches "^RESOLVE WARNING - silent\.fault\.test A: no answer within 0\.[0-9] s" "-t STATE used on expiry"
wall_below 1.0 "silence: returns before -t 1"

run "$P" -H silent.fault.test -s "$S" -t 1:unknown --retries 3
is_rc 3 "silence, -t 1:unknown, 3 tries: exit 3"
wall_below 1.0 "three tries still fit inside -t"

run "$P" -H tc.fault.test -s "$S"
is_rc 0 "TC over UDP: retried over TCP, exit 0"
first_line_matches "tc\.fault\.test A: 10\.2\.0\.2 \(TTL 300" "TC: the TCP answer is used"

run "$P" -H garbage.fault.test -s "$S"
is_rc 2 "record cut short: exit 2"
first_line_matches "garbage\.fault\.test A: malformed response from $LS" "cut record: malformed response"

run "$P" -H ptrloop.fault.test -s "$S" -v
is_rc 2 "compression loop: exit 2"
first_line_matches "ptrloop\.fault\.test A: malformed response: answer record 1 is malformed from" \
  "compression loop: malformed response, detail at -v"

run "$P" -H wrongid.fault.test -s "$S" -t 1
is_rc 2 "reply with the wrong ID is ignored: exit 2"
first_line_matches "wrongid\.fault\.test A: no answer within" "wrong ID: treated as no answer"

run "$P" -H short.fault.test -s "$S" -t 1
is_rc 2 "5-byte reply: exit 2"
first_line_matches "short\.fault\.test A: no answer within" "5-byte reply is dropped, no answer"

run "$P" -H multi.fault.test -s "$S"
is_rc 0 "three records: exit 0"
is "$(perf_value answers)" 3 "answers=3"
is "$(perf_value ttl_min)" 60 "ttl_min is the smallest TTL"
first_line_matches "10\.2\.0\.1, 10\.2\.0\.2, 10\.2\.0\.3 \(TTL 60," "TTL shown is the smallest"

run "$P" -H ok.fault.test -s "$S" -A
is_rc 2 "-A against a non-authoritative answer: exit 2"
first_line_matches "not authoritative \(AA flag clear\)" "-A: AA flag named"
run "$P" -H aa.fault.test -s "$S" -A
is_rc 0 "-A with the AA flag: exit 0"

run "$P" -H slow.fault.test -s "$S" -w 0.1 -c 5
is_rc 1 "0.3 s answer, -w 0.1: exit 1"
first_line_matches "^RESOLVE WARNING - slowest answer 3[0-9][0-9]\.[0-9] ms from $LS for slow\.fault\.test \(-w: outside 0 s\.\.0\.1 s\); slow\.fault\.test A: 10\.2\.0\.1" \
  "-w: slowest answer named with what -w alerts on"
run "$P" -H slow.fault.test -s "$S" -w 0.1 -c 0.2
is_rc 2 "0.3 s answer, -c 0.2: exit 2"
first_line_matches "\(-c: outside 0 s\.\.0\.2 s\)" "-c named with what it alerts on"
run "$P" -H slow.fault.test -s "$S" -w 0.2: -c 5
is_rc 0 "0.3 s answer, -w 0.2: (alert below 0.2 s): OK"
run "$P" -H slow.fault.test -s "$S" -c @0.2:1
is_rc 2 "0.3 s answer, -c @0.2:1: exit 2"
first_line_matches "\(-c: inside 0\.2 s\.\.1 s\)" "-c @range: 'inside', never 'outside'"
is "$(perf_field time 5)" '@0.2:1' "-c @range as given in perfdata"

run "$P" -H evil.fault.test -s "$S" -q TXT
is_rc 0 "TXT with '|', newline, ESC: exit 0"
is "$(lines_count)" 2 "hostile TXT: no extra line"
first_line_matches "TXT: a/b\?c\?\[31m \(TTL" "hostile TXT sanitised"

run "$P" -H cname.fault.test -s "$S" -v
is_rc 0 "CNAME then A: exit 0"
first_line_matches "10\.2\.0\.1 \(TTL 300, [0-9.]+ ms\) via cname\.fault\.test\. -> ok\.fault\.test\." "chain at -v"

run "$P" -H ok.fault.test -s "$S" -vvv
is_rc 0 "-vvv: exit 0"
first_line_matches "^RESOLVE OK - " "-vvv: the status line stays first"
line_matches "^reply from $LS for ok\.fault\.test, [0-9]+ bytes:" "-vvv: reply dump follows"

run "$P" -H ok.fault.test -H cname.fault.test -s "$S" -vv --tcp
is_rc 0 "-vv: exit 0"
line_matches "^query ok\.fault\.test A to $LS over TCP, RD=1, id 0x[0-9a-f]{4}$" "-vv: each query sent is listed"
is "$(printf '%s\n' "$OUT" | sed -n 's/.*, id //p' | sort -u | wc -l | tr -d ' ')" 2 "-vv: every query has its own id"

# IPv6: a resolver on [::1], and -6 picking it from a resolv.conf
dns_start_fake F6 ::1 || bail_out "fakedns on ::1 did not start"
run "$P" -H ok.fault.test -q AAAA -s "$DNS_SERVER_F6"
is_rc 0 "resolver on [::1]: exit 0"
first_line_matches "^RESOLVE OK - ok\.fault\.test AAAA: 2001:db8::1 \(TTL 300" "AAAA over IPv6"
line_matches "^\\\\_ \[OK\] ok\.fault\.test @\[::1\]:$DNS_PORT_F6: " "IPv6 resolver labelled [::1]:PORT"
perf_ok "IPv6 label in perfdata parses"

lab_stop F
run "$P" -H ok.fault.test -s "$S"
is_rc 2 "stopped server: exit 2"
first_line_matches "ok\.fault\.test A: connection refused from $LS" "connection refused"

plan_done
