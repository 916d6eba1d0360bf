#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab DNS self-test (not part of `make check`): starts dnsmasq variants
# a and b, fakedns (and one fakedns per --mode), asks each scenario with dig,
# prints what came back and whether it is what dns.sh/fakedns.py promise.
#   sh tests/streamlab/selftest.sh      (from the top of the source tree)
# Exit status: number of failed checks (0 = all good).
set -u
here=$(cd "$(dirname "$0")" && pwd)
STREAMLAB_DIR=$here
. "$here/lab.sh"
. "$here/dns.sh"

command -v dig >/dev/null || { echo "selftest: dig (dnsutils) is needed" >&2; exit 1; }
lab_init || exit 1
failed=0
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# check DESC ERE [NOT]: the last dig output must (not) match ERE
check() {
  if printf '%s\n' "$D" | grep -Eq -- "$2"; then m=1; else m=0; fi
  [ "${3:-}" = NOT ] && m=$((1 - m))
  if [ $m = 1 ]; then echo "    PASS $1"; else echo "    FAIL $1"; failed=$((failed + 1)); fi
}

# q SERVERNAME QNAME QTYPE [dig options]: dig, print a summary, keep output in $D
q() {
  eval "_a=\$DNS_ADDR_$1 _p=\$DNS_PORT_$1"
  _t0=$(now)
  D=$(dig @"$_a" -p "$_p" +time=2 +tries=1 "$2" "$3" ${4:+$4} ${5:+$5} 2>&1)
  _el=$(since "$_t0")
  _st=$(printf '%s\n' "$D" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | tail -n 1)
  _fl=$(printf '%s\n' "$D" | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' | tail -n 1)
  _an=$(printf '%s\n' "$D" | awk '!/^;/ && NF >= 5 { $1 = $1; printf "%s%s", sep, $0; sep = " | " }')
  _wa=$(printf '%s\n' "$D" | grep -E '^;; (Warning|Truncated|communications|connection|no servers|ERROR|Got bad)|timed out|mismatch' | tr '\n' ' ')
  printf '  %s %s %s %s: %s [%s] %s %s(%s s)\n' "$1" "$2" "$3" "${4:-}" "${_st:-no reply}" "$_fl" \
    "${_an:-(no records)}" "${_wa:+<$_wa> }" "$_el"
}

echo "== starting"
dns_start_dnsmasq A 127.0.0.53 a || exit 1
dns_start_dnsmasq B 127.0.0.54 b || exit 1
dns_start_fake F 127.0.0.55 || exit 1
dns_start_fake BH 127.0.0.56 --mode silent || exit 1
dns_start_fake SF 127.0.0.57 --mode servfail || exit 1
dns_start_fake RF 127.0.0.58 --mode refused || exit 1
dns_start_fake SL 127.0.0.59 --mode slow --delay 0.5 || exit 1
dns_start_dnsmasq A6 ::1 a || exit 1
dns_start_fake F6 ::1 || exit 1
for n in A B F BH SF RF SL A6 F6; do eval "echo \"  $n: \$DNS_SERVER_$n pid \$LAB_PID_$n\""; done

echo "== dnsmasq variant a ($DNS_SERVER_A)"
q A api.stream.test A +norec;  check "api: two A, AA" 'flags: qr aa' ; check "10.1.2.4" 'A[[:space:]]+10\.1\.2\.4'; check "10.1.2.5" 'A[[:space:]]+10\.1\.2\.5'; check "TTL 300" 'api\.stream\.test\.[[:space:]]+300'
q A api.stream.test A;         check "AA also with RD" 'flags: qr aa rd ra'
q A api.stream.test A +tcp;    check "over TCP" 'A[[:space:]]+10\.1\.2\.4'
q A www.stream.test A;         check "CNAME chain" 'CNAME[[:space:]]+edge\.stream\.test\.'; check "edge A" 'A[[:space:]]+10\.1\.3\.1'
q A v6.stream.test AAAA;       check "AAAA" 'AAAA[[:space:]]+2001:db8::10'
q A v6.stream.test A;          check "NODATA" 'status: NOERROR.*' ; check "0 answers, AA clear" 'flags: qr rd ra; QUERY: 1, ANSWER: 0'
q A ipv4only.stream.test A;    check "A" 'A[[:space:]]+10\.1\.2\.9'
q A ipv4only.stream.test AAAA; check "NODATA" 'ANSWER: 0'; check "NOERROR" 'status: NOERROR'
q A stream.test MX;            check "MX" 'MX[[:space:]]+10 mx\.stream\.test\.'
q A mx.stream.test A;          check "A" 'A[[:space:]]+10\.1\.2\.20'
q A _hls._tcp.stream.test SRV; check "SRV" 'SRV[[:space:]]+10 5 443 edge\.stream\.test\.'
q A txt.stream.test TXT;       check "TXT" '"v=stream1 region=eu"'
q A evil.stream.test TXT;      check "TXT with | LF ESC" '"evil\|x=1\\010RESOLVE OK - forged\\027\[31mred"'
q A nope.stream.test A;        check "NXDOMAIN, AA clear" 'status: NXDOMAIN'; check "AA clear" 'flags: qr aa' NOT
q A example.com A;             check "outside zone: REFUSED" 'status: REFUSED'

echo "== dnsmasq variant b ($DNS_SERVER_B)"
q B api.stream.test A;         check "10.9.9.9 only" 'A[[:space:]]+10\.9\.9\.9'; check "one record" 'ANSWER: 1,'
q B www.stream.test A;         check "rest as a" 'A[[:space:]]+10\.1\.3\.1'

echo "== dnsmasq on ::1 ($DNS_SERVER_A6)"
q A6 api.stream.test A;        check "api over IPv6" 'A[[:space:]]+10\.1\.2\.4'

echo "== fakedns ($DNS_SERVER_F)"
q F ok.fault.test A;           check "A 10.2.0.1 TTL 300" 'ok\.fault\.test\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.1'; check "AA clear" 'flags: qr aa' NOT
q F ok.fault.test AAAA;        check "AAAA 2001:db8::1" 'AAAA[[:space:]]+2001:db8::1$'
q F ok.fault.test MX;          check "other types NODATA" 'status: NOERROR.*' ; check "0 answers" 'ANSWER: 0'
q F anything.fault.test A;     check "other labels as ok" 'A[[:space:]]+10\.2\.0\.1'
q F ok.fault.test A +tcp;      check "over TCP" 'A[[:space:]]+10\.2\.0\.1'
q F api.stream.test A;         check "outside fault.test: REFUSED" 'status: REFUSED'
for r in servfail refused formerr notimp nxdomain; do
  R=$(echo $r | tr a-z A-Z)
  q F $r.fault.test A;         check "$R" "status: $R"; check "no records" 'ANSWER: 0'
done
q F nodata.fault.test A;       check "NOERROR" 'status: NOERROR'; check "no records" 'ANSWER: 0'
q F slow.fault.test A;         check "answer" 'A[[:space:]]+10\.2\.0\.1'
case $_el in 0.[3-6]*) echo "    PASS took ~0.3 s ($_el)";; *) echo "    FAIL took $_el s, not ~0.3"; failed=$((failed + 1));; esac
# slow must not hold up other queries: 3 slow in the background, one ok now
digs=
for i in 1 2 3; do dig @127.0.0.55 -p "$DNS_PORT_F" +time=2 +tries=1 slow.fault.test >/dev/null & digs="$digs $!"; done
q F ok.fault.test A
case $_el in 0.0*|0.1*) echo "    PASS ok answered at once ($_el s) while 3 slow queries wait";; *) echo "    FAIL ok took $_el s beside slow queries"; failed=$((failed + 1));; esac
wait $digs   # not a bare wait: that would wait for the servers too
q F silent.fault.test A;       check "never answers (UDP)" 'timed out|no servers could be reached'; check "no reply at all" 'status:' NOT
q F silent.fault.test A +tcp;  check "never answers (TCP)" 'timed out|no servers could be reached|end of file'; check "no reply" 'status:' NOT
q F tc.fault.test A;           check "dig retried over TCP" 'Truncated, retrying in TCP mode'; check "TCP answer 10.2.0.2" 'A[[:space:]]+10\.2\.0\.2'
q F tc.fault.test A +ignore;   check "UDP: TC bit" 'flags: qr tc'; check "UDP: no records" 'ANSWER: 0'
q F garbage.fault.test A;      check "malformed (dig complains)" 'malformed|unexpected end of input|FORMERR|bad packet|parse'
q F ptrloop.fault.test A;      check "malformed (dig complains)" 'malformed|unexpected end|bad compression|parse|FORMERR'
q F wrongid.fault.test A;      check "ID mismatch ignored" 'ID mismatch'; check "then timeout" 'timed out|no servers could be reached'
q F short.fault.test A;        check "short reply rejected" 'short|malformed|unexpected end|timed out|no servers'; check "no status" 'status:' NOT
q F aa.fault.test A;           check "AA set" 'flags: qr aa'; check "A" 'A[[:space:]]+10\.2\.0\.1'
q F cname.fault.test A;        check "CNAME" 'cname\.fault\.test\.[[:space:]]+300[[:space:]]+IN[[:space:]]+CNAME[[:space:]]+ok\.fault\.test\.'; check "A" 'ok\.fault\.test\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.1'
q F multi.fault.test A;        check "300" '300[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.1'; check "60" '60[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.2'; check "120" '120[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.3'
q F evil.fault.test TXT;       check "TXT a|b LF c ESC[31m" '"a\|b\\010c\\027\[31m"'
q F evil.fault.test A;         check "A otherwise" 'A[[:space:]]+10\.2\.0\.1'
q F6 ok.fault.test A;          check "fakedns on ::1" 'A[[:space:]]+10\.2\.0\.1'

echo "== fakedns --mode (overrides names)"
q BH ok.fault.test A;          check "silent: black hole" 'timed out|no servers could be reached'
q SF ok.fault.test A;          check "servfail" 'status: SERVFAIL'
q RF ok.fault.test A;          check "refused" 'status: REFUSED'
q SL ok.fault.test A;          check "slow: answer" 'A[[:space:]]+10\.2\.0\.1'
case $_el in 0.[5-8]*) echo "    PASS delayed ~0.5 s ($_el)";; *) echo "    FAIL took $_el s, not ~0.5"; failed=$((failed + 1));; esac

echo "== DNS over TLS and HTTPS: unbound forwarding to dnsmasq a (dig +tls, +https)"
. "$here/tls.sh"
if ! dns_have_unbound; then
  echo "    SKIP unbound with DNS over HTTPS not installed"
elif tls_make_certs && dns_start_encrypted E 127.0.0.1 "$DNS_SERVER_A"; then
  echo "  E: $DNS_DOT_E $DNS_DOH_E pid $LAB_PID_E"
  D=$(dig @127.0.0.1 -p "$DNS_DOT_PORT_E" +tls +tls-ca="$TLS_CA" +tls-hostname=localhost +time=2 +tries=1 api.stream.test A 2>&1)
  check "DoT, verified by the lab CA: 10.1.2.4" 'A[[:space:]]+10\.1\.2\.4'
  D=$(dig @127.0.0.1 -p "$DNS_DOH_PORT_E" +https=/dns-query +tls-ca="$TLS_CA" +tls-hostname=localhost +time=2 +tries=1 www.stream.test A 2>&1)
  check "DoH, verified: the CNAME chain" 'CNAME[[:space:]]+edge\.stream\.test\.'
  D=$(dig @127.0.0.1 -p "$DNS_DOT_PORT_E" +tls +tls-ca=/etc/ssl/certs/ca-certificates.crt +tls-hostname=localhost +time=2 +tries=1 api.stream.test A 2>&1)
  check "DoT with another CA: refused" 'A[[:space:]]+10\.1\.2\.4' NOT
else
  echo "    FAIL dns_start_encrypted"; failed=$((failed + 1))
fi

echo "== stopping one server: connection refused"
lab_stop F
q F ok.fault.test A;           check "ICMP port unreachable" 'connection refused|no servers could be reached|timed out'

echo "== $failed failed"
exit $failed
