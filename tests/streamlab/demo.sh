#!/bin/sh
# make demo: starts streamlab's DNS on loopback and runs check_resolve
# against it, first healthy, then with each kind of DNS outage of the
# story this project exists for. Everything it starts is stopped at exit.
set -u
: "${PLUGINDIR:?PLUGINDIR must name the built plugins}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export top_srcdir
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
lab_init || exit 1

dns_start_dnsmasq A 127.0.0.53 a || exit 1
dns_start_dnsmasq B 127.0.0.54 b || exit 1
dns_start_fake F 127.0.0.55 || exit 1
dns_start_fake BH 127.0.0.56 --mode silent || exit 1

show() {
  title=$1
  shift
  printf '\n== %s\n$ check_resolve %s\n' "$title" "$*"
  "$PLUGINDIR/check_resolve" "$@"
  printf '(exit %d)\n' $?
}

R1=$DNS_SERVER_A
show "healthy: two names, one resolver" \
  -H api.stream.test -H www.stream.test -s "$R1" -a 10.1.0.0/16 -w 0.5 -c 1
show "healthy: MX with the expected exchanger" \
  -H stream.test -q MX -s "$R1" -a mx.stream.test.
show "outage: the resolver fleet answers SERVFAIL" \
  -H servfail.fault.test -s "$DNS_SERVER_F"
show "outage: a config push removed the record (NXDOMAIN)" \
  -H login.stream.test -s "$R1"
show "outage: one resolver points api at the wrong address" \
  -H api.stream.test -s "$R1" -s "$DNS_SERVER_B" -a 10.1.2.0/24
show "outage: one of three resolvers is a black hole (-t 2)" \
  -H api.stream.test -s "$R1" -s "$DNS_SERVER_B" -s "$DNS_SERVER_BH" -t 2 \
  --fail-warning 0 --fail-critical 1
show "drift: resolvers disagree (-C)" \
  -H api.stream.test -s "$R1" -s "$DNS_SERVER_B" -C
show "a name that must not exist (-n)" \
  -H old.stream.test -s "$R1" -n
exit 0
