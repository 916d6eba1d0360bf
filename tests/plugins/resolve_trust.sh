#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_resolve --client-subnet (EDNS Client Subnet, RFC 7871) and
# --dnssec (DO bit, AD expected, RFC 8914 Extended DNS Errors) against
# real servers: knotd answering geo.test by client subnet and serving
# zones signed at test time (one tampered with, one expired), unbound
# validating them with trust anchors made from the fresh keys and passing
# the subnet on (subnetcache), dnsmasq as the resolver that neither
# validates nor knows ECS; fakedns.py for the malformed OPT/ECS/EDE no
# real server sends. The same unbound over DNS over TLS and HTTPS: the
# encrypted paths send the same DO bit and ECS option.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/dnssec.sh"
. "$top_srcdir/tests/streamlab/tls.sh"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
dnssec_have_lab || skip_all "not installed:$DNSSEC_MISSING"
tls_have_openssl || skip_all "openssl not installed"
lab_init
tls_make_certs || bail_out "tls_make_certs failed"
dnssec_start_knot K 127.0.0.61 || bail_out "knotd did not start"
# on 127.0.0.1: the name tls.sh's certificate holds, for DoT and DoH
dnssec_start_unbound U 127.0.0.1 K || bail_out "unbound did not start"
dns_start_dnsmasq D 127.0.0.63 a || bail_out "dnsmasq did not start"
dns_start_fake F 127.0.0.64 || bail_out "fakedns did not start"
P=$PLUGINDIR/check_resolve
K=$DNS_SERVER_K U=$DNS_SERVER_U D=$DNS_SERVER_D F=$DNS_SERVER_F
DOT=$DNS_DOT_U DOH=$DNS_DOH_U
q() { printf '%s' "$1" | sed 's/\./\\./g'; }

# ------------------------------------------- ECS: answers by subnet
run "$P" -H www.geo.test -s "$K" --client-subnet 10.1.0.0/16
is_rc 0 "ECS 10.1.0.0/16 at the authority: OK"
first_line_matches "^RESOLVE OK - www\.geo\.test A: 192\.0\.2\.1 \(TTL 60, [0-9.]+ ms, scope /16\) \|" \
  "region 1's answer and its scope"
perf_ok "ECS: perfdata parses"
is "$(perf_value ecs_scope)" 16 "ecs_scope=16"
is "$(perf_field ecs_scope 7)" 32 "ecs_scope's max is an IPv4 prefix's"
a1=$(first_line | sed 's/.*A: \([0-9.]*\) .*/\1/')

run "$P" -H www.geo.test -s "$K" --client-subnet 10.2.0.0/16
is_rc 0 "ECS 10.2.0.0/16: OK"
first_line_matches "A: 192\.0\.2\.2 \(TTL 60, [0-9.]+ ms, scope /16\)" "region 2's answer"
a2=$(first_line | sed 's/.*A: \([0-9.]*\) .*/\1/')
[ -n "$a1" ] && [ "$a1" != "$a2" ]
ok $? "two subnets, two answers ($a1, $a2)"

# through the validating resolver, which passes the subnet on
run "$P" -H www.geo.test -s "$U" --client-subnet 10.2.0.0/16
is_rc 0 "ECS through unbound: OK"
first_line_matches "A: 192\.0\.2\.2 \(TTL [0-9]+, [0-9.]+ ms, scope /16\)" \
  "unbound answers for the subnet with the authority's scope"
run "$P" -H www.geo.test -s "$U" --client-subnet 2001:db8:1::/56
is_rc 0 "IPv6 subnet: OK"
first_line_matches "A: 192\.0\.2\.61 \(TTL [0-9]+, [0-9.]+ ms, scope /48\)" \
  "an IPv6 subnet's answer, scope /48"
is "$(perf_value ecs_scope)" 48 "ecs_scope=48"
is "$(perf_field ecs_scope 7)" 128 "ecs_scope's max is an IPv6 prefix's"

# a region's expectation (-a) judges the answer the subnet gets
run "$P" -H www.geo.test -s "$K" --client-subnet 10.2.0.0/16 -a 192.0.2.1
is_rc 2 "-a of region 1 asked as region 2: CRITICAL"
first_line_matches "unexpected answer 192\.0\.2\.2 \(expected 192\.0\.2\.1\)" "the other region's answer named"

run "$P" -H www.geo.test -s "$K" --client-subnet 10.3.0.0/16
is_rc 0 "a subnet the zone does not tailor: OK"
first_line_matches "A: 192\.0\.2\.99 \(TTL 300, [0-9.]+ ms\); ECS scope /0 \(the same answer for every subnet\)" \
  "scope /0 said so"
is "$(perf_value ecs_scope)" 0 "ecs_scope=0"

# a resolver that ignores ECS: OK with a note (-a judges the answer)
run "$P" -H api.stream.test -s "$D" --client-subnet 10.1.0.0/16
is_rc 0 "resolver without ECS: still OK"
first_line_matches "A: 10\.1\.2\.[45], 10\.1\.2\.[45] \(TTL 300, [0-9.]+ ms\); ECS ignored \(no ECS option in the reply\)" \
  "the resolver that ignores ECS is said to"
is "$(perf_value ecs_scope)" 0 "ignored counts as scope 0"
run "$P" -H api.stream.test -s "$D"
no_line_matches "ECS|scope" "without --client-subnet nothing is said of ECS"
is "$(perf_value ecs_scope)" "" "and there is no ecs_scope"

run "$P" -H www.geo.test -s "$K" --client-subnet 10.1.0.0/16 -vv
line_matches "^query www\.geo\.test A to $(q "$K") over UDP, RD=1, id 0x[0-9a-f]{4}, ECS 10\.1\.0\.0/16$" \
  "-vv: the query carries the subnet"

# ----------------------------------------------------- DNSSEC
run "$P" -H www.signed.test -s "$U" --dnssec
is_rc 0 "--dnssec, validating resolver, signed zone: OK"
first_line_matches "^RESOLVE OK - www\.signed\.test A: 192\.0\.2\.10 \(TTL [0-9]+, [0-9.]+ ms, validated\) \|" \
  "validated"
is "$(perf_value validated)" 1 "validated=1"
is "$(perf_field validated 7)" 1 "validated's max is the number of queries"

run "$P" -H api.stream.test -s "$D" --dnssec
is_rc 1 "--dnssec, non-validating dnsmasq: WARNING"
first_line_matches "^RESOLVE WARNING - api\.stream\.test A: not validated \(no AD bit\) from $(q "$D") \|" \
  "the summary names it"
line_matches "^\\\\_ \[WARNING\] api\.stream\.test @$(q "$D"): 10\.1\.2\.[45], 10\.1\.2\.[45] \(TTL 300, [0-9.]+ ms\); not validated \(no AD bit\)$" \
  "the line shows the answer and why it warns"
is "$(perf_value validated)" 0 "validated=0"
is "$(perf_value failed)" 0 "not a failure: failed=0"

# ------------------------------- the same over DNS over TLS and HTTPS
# (before any query without ECS: knot's scope /0 answer for unbound's own
# subnet would be cached for every subnet)
run "$P" -H www.signed.test -s "udp=$U" -s "dot=$DOT" -s "doh=$DOH" --ca-file "$TLS_CA" --dnssec
is_rc 0 "--dnssec over UDP, DoT and DoH: OK"
for s in udp dot doh; do
  line_matches "^\\\\_ \[OK\] www\.signed\.test @$s \([^)]*\): 192\.0\.2\.10 \(TTL [0-9]+, [0-9.]+ ms, validated\)$" \
    "$s: validated"
done
is "$(perf_value validated)" 3 "validated=3 of 3"
run "$P" -H tls.bogus.test -s "$DOT" --ca-file "$TLS_CA" --dnssec
is_rc 2 "bogus zone over DoT: CRITICAL"
first_line_matches "SERVFAIL: DNSSEC validation failed \(EDE 6 DNSSEC Bogus: validation failure <tls\.bogus\.test\. A IN>" \
  "over DoT: EDE 6"
run "$P" -H www.geo.test -s "$DOH" --ca-file "$TLS_CA" --client-subnet 10.2.0.0/16
is_rc 0 "ECS over DoH: OK"
first_line_matches "A: 192\.0\.2\.2 \(TTL [0-9]+, [0-9.]+ ms, scope /16\)" "over DoH: region 2's answer and scope"

run "$P" -H www.geo.test -s "$U" --dnssec
is_rc 1 "--dnssec on an unsigned zone: WARNING"
first_line_matches "www\.geo\.test A: not validated \(no AD bit\)" "unsigned zone: not validated"

run "$P" -H www.signed.test -s u="$U" -s k="$K" --dnssec
is_rc 1 "validating and authoritative server together: WARNING"
first_line_matches "^RESOLVE WARNING - www\.signed\.test A: not validated \(no AD bit\) from k \|" \
  "only the server that does not validate is named"
line_matches "^\\\\_ \[OK\] www\.signed\.test @u \($(q "$U")\): 192\.0\.2\.10 \(TTL [0-9]+, [0-9.]+ ms, validated\)" \
  "the validating one is OK"
is "$(perf_value validated)" 1 "validated=1 of 2"

run "$P" -H nope.signed.test -s "$U" --dnssec -n
is_rc 0 "signed denial with -n: OK"
first_line_matches "nope\.signed\.test A: NXDOMAIN as expected \(validated\)" "a validated NXDOMAIN"

run "$P" -H www.bogus.test -s "$U" --dnssec
is_rc 2 "bogus zone: CRITICAL"
first_line_matches "^RESOLVE CRITICAL - www\.bogus\.test A: SERVFAIL: DNSSEC validation failed \(EDE 6 DNSSEC Bogus: validation failure <www\.bogus\.test\. A IN>: [^)]*\) from $(q "$U") \(1/1 failed\)" \
  "SERVFAIL named as a DNSSEC failure, unbound's EDE 6 and its text"
is "$(perf_value failed)" 1 "failed=1"
# unbound 1.17 sends the EDE only when it validates: the same SERVFAIL from
# its cache comes without one, and is still named as DNSSEC's
run "$P" -H www.bogus.test -s "$U" --dnssec
is_rc 2 "bogus zone again (from unbound's cache): CRITICAL"
first_line_matches "www\.bogus\.test A: SERVFAIL(: DNSSEC validation failed \(EDE 6 DNSSEC Bogus: | \(DNSSEC validation failed\?\) from)" \
  "from the cache: still a DNSSEC failure"

run "$P" -H www.expired.test -s "$U" --dnssec
is_rc 2 "expired signatures: CRITICAL"
first_line_matches "www\.expired\.test A: SERVFAIL: DNSSEC validation failed \(EDE 7 Signature Expired: " \
  "EDE 7 Signature Expired"

run "$P" -H www.signed.test -s "$U" --dnssec --client-subnet 10.1.0.0/16 -vv
is_rc 0 "--dnssec and --client-subnet together: OK"
first_line_matches "A: 192\.0\.2\.10 \(TTL [0-9]+, [0-9.]+ ms, validated\); ECS scope /0" "both judged"
line_matches "^query www\.signed\.test A to $(q "$U") over UDP, RD=1, id 0x[0-9a-f]{4}, DO, ECS 10\.1\.0\.0/16$" \
  "-vv: DO and ECS sent"
perf_ok "both: perfdata parses"

# --------------------------------------------- bad --client-subnet
for v in 10.1.0.0/33 2001:db8::/129 10.1.0.0 10.1.0.0/ 10.1.0.0/-1 \
  10.1.0.0/16x host.example/24 /24 10.1/16 ''; do
  run "$P" -H www.geo.test -s "$K" --client-subnet "$v"
  is_rc 3 "--client-subnet '$v': UNKNOWN"
  first_line_matches "^RESOLVE UNKNOWN - --client-subnet: " "--client-subnet '$v': the option is named"
done
run "$P" -H www.geo.test -s "$K" --client-subnet 10.1.2.3/16
is_rc 3 "host bits set: UNKNOWN"
first_line_matches "--client-subnet: '10\.1\.2\.3/16' has host bits set past /16 \(the network is 10\.1\.0\.0/16\)" \
  "host bits set: the network is named"
run "$P" -H www.geo.test -s "$K" --client-subnet 2001:db8::1/64
first_line_matches "\(the network is 2001:db8::/64\)" "IPv6 host bits: the network is named"

# ------------------------------------- hostile OPT, ECS and EDE
run "$P" -H ecsbad.fault.test -s "$F" --client-subnet 10.1.0.0/16
is_rc 2 "malformed ECS option: CRITICAL"
first_line_matches "A: malformed ECS option in the reply \(ECS option whose address length is not its prefix's\) from" \
  "the malformed option is named"
run "$P" -H ecsbad.fault.test -s "$F"
is_rc 0 "the same reply without --client-subnet: OK (not asked)"
run "$P" -H ecswrong.fault.test -s "$F" --client-subnet 10.1.0.0/16
is_rc 2 "ECS echo of another subnet: CRITICAL"
first_line_matches "reply's ECS option is for 10\.99\.0\.0/16, not the 10\.1\.0\.0/16 asked \(RFC 7871 7\.3: discarded\)" \
  "both subnets named"
run "$P" -H optpast.fault.test -s "$F" --dnssec -v
is_rc 2 "an option past the OPT RR: CRITICAL"
first_line_matches "A: malformed response: OPT record's options run past its data from" "malformed, why at -v"
run "$P" -H twoopt.fault.test -s "$F" --dnssec -v
is_rc 2 "two OPT RRs: CRITICAL"
first_line_matches "malformed response: two OPT records" "two OPT records named"
run "$P" -H edebogus.fault.test -s "$F" --dnssec
is_rc 2 "EDE with hostile text: CRITICAL"
first_line_matches "SERVFAIL: DNSSEC validation failed \(EDE 6 DNSSEC Bogus: x/y\?RESOLVE OK - forged\?\[31m\?z+\.\.\.\)" \
  "its text sanitised ('|', newline, ESC, 0xFF) and cut"
is "$(lines_count)" 2 "no forged line"
perf_ok "hostile EDE: perfdata parses"
run "$P" -H edeshort.fault.test -s "$F" --dnssec
is_rc 2 "EDE too short for its code: CRITICAL SERVFAIL"
first_line_matches "A: SERVFAIL \(DNSSEC validation failed\?\) from" \
  "SERVFAIL without an EDE under --dnssec: a DNSSEC failure, maybe"
run "$P" -H servfail.fault.test -s "$F"
first_line_matches "A: SERVFAIL from" "without --dnssec a SERVFAIL is just that"

plan_done
