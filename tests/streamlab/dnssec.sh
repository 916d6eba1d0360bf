# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab DNSSEC and geo-DNS: knotd (authoritative) serving zones signed
# at test time with ldns-signzone and a zone that answers by client subnet
# (knot's mod-geoip, subnet mode, ECS on), and unbound validating them
# (trust anchors made from the keys just generated) with its subnetcache
# passing the client's subnet on.
# shellcheck shell=sh disable=SC2034
# POSIX sh (dash); source after lab.sh and dns.sh and call lab_init first:
#
#   dnssec_have_lab || skip_all "$DNSSEC_MISSING not installed"
#   dnssec_start_knot K 127.0.0.57 || exit 1      # DNS_SERVER_K
#   dnssec_start_unbound U 127.0.0.58 K || exit 1 # DNS_SERVER_U
#   check_resolve --dnssec -H www.signed.test -s "$DNS_SERVER_U"
#
# Both starters return once the server answers and set the DNS_* variables
# of dns.sh (DNS_ADDR_<NAME>, DNS_PORT_<NAME>, DNS_SERVER_<NAME>, LAB_PID_
# <NAME>). Logs: $LAB_DIR/NAME.log; files in $LAB_DIR/NAME/.
#
# Zones of dnssec_start_knot (all TTLs 300, each with SOA and NS):
#   signed.test   signed (ECDSAP256SHA256, one key), www A 192.0.2.10;
#                 any other name under it: NXDOMAIN (signed denial)
#   bogus.test    signed, then the A of www, tls and https changed to
#                 192.0.2.67 (signed as 192.0.2.66): unbound says SERVFAIL,
#                 EDE 6 DNSSEC Bogus (unbound 1.17: only when it validates;
#                 the same SERVFAIL from its cache comes without the EDE)
#   expired.test  signed with signatures that expired in 2020: unbound says
#                 SERVFAIL, EDE 7 Signature Expired
#   geo.test      unsigned; www A 192.0.2.99 for everyone else, and by the
#                 ECS option's subnet (knot answers with scope /16, /48):
#                   10.1.0.0/16      -> 192.0.2.1 (TTL 60)
#                   10.2.0.0/16      -> 192.0.2.2 (TTL 60)
#                   2001:db8:1::/48  -> 192.0.2.61 (TTL 60)
#                 other subnets: 192.0.2.99 with scope /0
# Knot sets AA, answers ECS queries with an ECS option (scope /0 outside
# geo.test), and sends the RRSIGs to DO queries.
#
# dnssec_start_unbound NAME ADDR KNOT: validating resolver (trust anchors:
# the DS of signed.test, bogus.test and expired.test) with stub zones for
# the four at KNOT's address, EDE on (ede: yes), subnetcache forwarding
# the client's ECS option to knot and answering with knot's scope. AD on
# www.signed.test; none on geo.test (no trust anchor: insecure). When
# tls_make_certs (tls.sh) was called, it also speaks DNS over TLS and over
# HTTPS (path /dns-query) with tls.sh's valid certificate, and sets
# DNS_DOT_<NAME> (tls://ADDR:PORT) and DNS_DOH_<NAME> (https://ADDR:PORT/
# dns-query): the same resolver through check_resolve's encrypted paths.

KNOTD=${KNOTD:-/usr/sbin/knotd}
DNSSEC_GEOIP_SO=${DNSSEC_GEOIP_SO:-/usr/lib/x86_64-linux-gnu/knot/modules-3.2/geoip.so}

# true when everything the lab needs is there; else DNSSEC_MISSING names it
dnssec_have_lab() {
  DNSSEC_MISSING=
  for _ds_t in "$KNOTD" "$UNBOUND"; do
    [ -x "$_ds_t" ] || DNSSEC_MISSING="$DNSSEC_MISSING $_ds_t"
  done
  for _ds_t in ldns-keygen ldns-signzone; do
    command -v "$_ds_t" >/dev/null 2>&1 || DNSSEC_MISSING="$DNSSEC_MISSING $_ds_t"
  done
  # knot-module-geoip: the module is a shared object beside knotd's
  ls "${DNSSEC_GEOIP_SO%/*}"/geoip.so >/dev/null 2>&1 ||
    DNSSEC_MISSING="$DNSSEC_MISSING knot-module-geoip"
  [ -z "$DNSSEC_MISSING" ]
}

# dnssec__zone DIR NAME ADDR: the unsigned zone file DIR/NAME.zone
dnssec__zone() {
  {
    echo "\$ORIGIN $2."
    echo "\$TTL 300"
    echo "@ IN SOA ns1.$2. hostmaster.$2. 2026120701 3600 600 604800 300"
    echo "@ IN NS ns1.$2."
    echo "ns1 IN A $3"
    case $2 in
      signed.test) echo "www IN A 192.0.2.10" ;;
      bogus.test) printf '%s IN A 192.0.2.66\n' www tls https ;;
      expired.test) echo "www IN A 192.0.2.66" ;;
      geo.test) echo "www IN A 192.0.2.99" ;;
    esac
  } >"$1/$2.zone"
}

# dnssec__sign DIR NAME [ldns-signzone options]: a key, its DS appended to
# DIR/anchors.ds, DIR/NAME.zone.signed
dnssec__sign() {
  _ds_dir=$1
  _ds_zone=$2
  shift 2
  _ds_key=$(cd "$_ds_dir" && ldns-keygen -a ECDSAP256SHA256 -k "$_ds_zone") || return 1
  cat "$_ds_dir/$_ds_key.ds" >>"$_ds_dir/anchors.ds" || return 1
  (cd "$_ds_dir" && ldns-signzone "$@" "$_ds_zone.zone" "$_ds_key") || return 1
}

dnssec_start_knot() {
  [ $# -eq 2 ] || { echo "usage: dnssec_start_knot NAME ADDR" >&2; return 1; }
  dns__check_name "$1" || return 1
  _ds_dir=$LAB_DIR/$1
  mkdir -p "$_ds_dir/run" "$_ds_dir/db" || return 1
  : >"$_ds_dir/anchors.ds"
  for _ds_z in signed.test bogus.test expired.test geo.test; do
    dnssec__zone "$_ds_dir" "$_ds_z" "$2" || return 1
  done
  dnssec__sign "$_ds_dir" signed.test || return 1
  dnssec__sign "$_ds_dir" bogus.test || return 1
  # the signed A records changed afterwards: their RRSIGs no longer verify
  awk 'BEGIN { FS = OFS = "\t" }
    $4 == "A" && $1 != "ns1.bogus.test." { $5 = "192.0.2.67" } { print }' \
    "$_ds_dir/bogus.test.zone.signed" >"$_ds_dir/bogus.test.tampered" || return 1
  grep -q '192\.0\.2\.67' "$_ds_dir/bogus.test.tampered" || {
    echo "dnssec_start_knot: could not tamper with bogus.test" >&2
    return 1
  }
  dnssec__sign "$_ds_dir" expired.test -i 20200101000000 -e 20200201000000 || return 1
  cat >"$_ds_dir/geo.conf" <<'EOF'
www.geo.test:
  - net: 10.1.0.0/16
    A: 192.0.2.1
  - net: 10.2.0.0/16
    A: 192.0.2.2
  - net: 2001:db8:1::/48
    A: 192.0.2.61
EOF
  _ds_try=0
  while [ $_ds_try -lt 5 ]; do
    _ds_try=$((_ds_try + 1))
    _ds_port=$(lab_free_port "$2") || return 1
    cat >"$_ds_dir/knot.conf" <<EOF
server:
    rundir: $_ds_dir/run
    listen: $2@$_ds_port
    edns-client-subnet: on
database:
    storage: $_ds_dir/db
log:
  - target: stderr
    any: info
mod-geoip:
  - id: geo
    config-file: $_ds_dir/geo.conf
    ttl: 60
    mode: subnet
template:
  - id: default
    storage: $_ds_dir
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: signed.test
    file: signed.test.zone.signed
  - domain: bogus.test
    file: bogus.test.tampered
  - domain: expired.test
    file: expired.test.zone.signed
  - domain: geo.test
    file: geo.test.zone
    module: mod-geoip/geo
EOF
    lab_spawn "$1" "$KNOTD" -c "$_ds_dir/knot.conf"
    if lab_wait_log "$1" 'server started' "$LAB_PID" 2>/dev/null &&
      lab_wait_udp_dns "$2" "$_ds_port" "$LAB_PID" 2>/dev/null &&
      lab_alive "$LAB_PID" && ! grep -q 'cannot bind' "$LAB_DIR/$1.log"; then
      dns__export "$1" "$2" "$_ds_port"
      return 0
    fi
    grep -qi 'in use' "$LAB_DIR/$1.log" || break # not a port clash
    lab_stop "$1"
  done
  echo "dnssec_start_knot $1 $2: knotd does not answer; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$1.log" >&2
  lab_stop "$1"
  return 1
}

dnssec_start_unbound() {
  [ $# -eq 3 ] || { echo "usage: dnssec_start_unbound NAME ADDR KNOT" >&2; return 1; }
  dns__check_name "$1" || return 1
  eval "_ds_kaddr=\$DNS_ADDR_$3 _ds_kport=\$DNS_PORT_$3"
  [ -n "$_ds_kport" ] || { echo "dnssec_start_unbound: start knot '$3' first" >&2; return 1; }
  _ds_dir=$LAB_DIR/$1
  mkdir -p "$_ds_dir" || return 1
  _ds_try=0
  while [ $_ds_try -lt 5 ]; do
    _ds_try=$((_ds_try + 1))
    _ds_port=$(lab_free_port "$2") || return 1
    _ds_dot= _ds_doh=
    if [ -n "${TLS_DIR:-}" ]; then
      _ds_dot=$(lab_free_port "$2") && _ds_doh=$(lab_free_port "$2") || return 1
      [ "$_ds_dot" != "$_ds_port" ] && [ "$_ds_doh" != "$_ds_port" ] &&
        [ "$_ds_dot" != "$_ds_doh" ] || continue
    fi
    {
      cat <<EOF
server:
  interface: $2@$_ds_port
  port: $_ds_port
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$_ds_dir"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 1
  num-threads: 1
  so-reuseport: no
  do-ip6: no
  do-not-query-localhost: no
  qname-minimisation: no
  local-zone: "test." nodefault
  module-config: "subnetcache validator iterator"
  send-client-subnet: $_ds_kaddr
  trust-anchor-file: "$LAB_DIR/$3/anchors.ds"
  trust-anchor-signaling: no
  ede: yes
  val-log-level: 2
remote-control:
  control-enable: no
EOF
      [ -z "$_ds_dot" ] || printf '%s\n' "server:" "  interface: $2@$_ds_dot" \
        "  interface: $2@$_ds_doh" "  tls-port: $_ds_dot" "  https-port: $_ds_doh" \
        '  http-endpoint: "/dns-query"' "  tls-service-key: \"$TLS_DIR/valid.key\"" \
        "  tls-service-pem: \"$TLS_DIR/valid.pem\""
      for _ds_z in signed.test bogus.test expired.test geo.test; do
        printf 'stub-zone:\n  name: %s\n  stub-addr: %s@%s\n' "$_ds_z" "$_ds_kaddr" "$_ds_kport"
      done
    } >"$_ds_dir/unbound.conf"
    lab_spawn "$1" "$UNBOUND" -d -c "$_ds_dir/unbound.conf"
    if lab_wait_log "$1" 'start of service' "$LAB_PID" 2>/dev/null &&
      lab_wait_udp_dns "$2" "$_ds_port" "$LAB_PID" 2>/dev/null &&
      { [ -z "$_ds_dot" ] || { lab_wait_tcp "$2" "$_ds_dot" "$LAB_PID" &&
        lab_wait_tcp "$2" "$_ds_doh" "$LAB_PID"; } 2>/dev/null; } &&
      lab_alive "$LAB_PID"; then
      dns__export "$1" "$2" "$_ds_port"
      if [ -n "$_ds_dot" ]; then
        eval "DNS_DOT_$1=tls://\$2:\$_ds_dot; DNS_DOH_$1=https://\$2:\$_ds_doh/dns-query"
      fi
      return 0
    fi
    grep -qi 'in use' "$LAB_DIR/$1.log" || break
    lab_stop "$1"
  done
  echo "dnssec_start_unbound $1 $2: unbound does not answer; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$1.log" >&2
  lab_stop "$1"
  return 1
}
