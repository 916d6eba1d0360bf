# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab DNS: dnsmasq serving stream.test, and fakedns.py for faults.
# shellcheck shell=sh disable=SC2034
# POSIX sh (dash); source after lab.sh and call lab_init first:
#
#   . "$top_srcdir/tests/streamlab/lab.sh"; . "$top_srcdir/tests/streamlab/dns.sh"
#   lab_init
#   dns_have_dnsmasq || skip_all "dnsmasq not installed"
#   dns_start_dnsmasq A 127.0.0.53 a || exit 1
#   dns_start_dnsmasq B 127.0.0.54 b || exit 1
#   dns_start_fake F 127.0.0.55 || exit 1
#   dns_start_fake BH 127.0.0.56 --mode silent || exit 1
#   check_resolve -H api.stream.test -s "$DNS_SERVER_A" -s "$DNS_SERVER_B"
#
# Interface. Both starters return only once the server answers (they poll),
# and set, for NAME (letters, digits, _), in the calling shell (so do not
# call them inside $(...)):
#   DNS_ADDR_<NAME>    the address given, e.g. 127.0.0.53 or ::1
#   DNS_PORT_<NAME>    the port it listens on (UDP and TCP), e.g. 40517
#   DNS_SERVER_<NAME>  ADDR:PORT, [ADDR]:PORT for IPv6: check_resolve's -s form
#   LAB_PID_<NAME>     its pid (lab_stop NAME stops it)
# and DNS_ADDR, DNS_PORT, DNS_SERVER for the one started last. Its log is
# $LAB_DIR/NAME.log (dnsmasq logs every query there; DNS_LOG_QUERIES=0 turns
# that off, e.g. for benchmarks), dnsmasq's config $LAB_DIR/NAME.conf.
#
#   dns_start_dnsmasq NAME ADDR VARIANT [PORT]   VARIANT a or b; PORT: use
#                       that one (no retry), e.g. to bring a server back on
#                       its old port after lab_stop NAME, or to swap a for b
#   dns_start_fake NAME ADDR [--mode MODE] [--delay SECONDS] [--port PORT]
#   dns_have_dnsmasq                        true when $DNSMASQ runs
#   DNSMASQ                                 default /usr/sbin/dnsmasq
#
# Zone stream.test (variant a; all TTLs 300):
#   api.stream.test       A 10.1.2.4, A 10.1.2.5 (order rotates between queries)
#   www.stream.test       CNAME edge.stream.test.
#   edge.stream.test      A 10.1.3.1
#   v6.stream.test        AAAA 2001:db8::10; A is NODATA
#   ipv4only.stream.test  A 10.1.2.9; AAAA is NODATA
#   stream.test           MX 10 mx.stream.test. (A, NS, SOA of stream.test: NODATA)
#   mx.stream.test        A 10.1.2.20
#   _hls._tcp.stream.test SRV 10 5 443 edge.stream.test.
#   txt.stream.test       TXT "v=stream1 region=eu"
#   evil.stream.test      TXT with '|', a newline and ESC [31m:
#                         evil|x=1<LF>RESOLVE OK - forged<ESC>[31mred
#                         (dig shows "evil|x=1\010RESOLVE OK - forged\027[31mred")
#   evil.stream.test has no A record (A is NODATA).
#   zone.stream.test      SOA ns1.stream.test. hostmaster.stream.test.
#                         2026120701 3600 600 604800 300 (dnsmasq dns-rr:
#                         the serial of a zone, for --compare-serial)
#   Any other name under stream.test: NXDOMAIN (local=/stream.test/).
#   Names outside stream.test: REFUSED (no upstream servers).
# Variant b is the same but api.stream.test A 10.9.9.9 (one record) and
# zone.stream.test's SOA serial 2026120601 (a day older): a second
# resolver that disagrees, a zone change applied on one server only.
#
# Flags (dnsmasq 2.90, checked with dig, with and without +norec):
#   AA is SET on positive answers from the zone (A, AAAA, CNAME chain, MX,
#   SRV, TXT); AA is CLEAR on NXDOMAIN and on NODATA answers, and on
#   REFUSED. RA is always set. dnsmasq adds an EDNS OPT to its replies when
#   the query had one. A records come back in rotating order.
#
# fakedns (tests/streamlab/fakedns.py, see its header), names under
# fault.test, first label picks the behaviour: servfail refused formerr
# notimp nxdomain nodata ok slow silent tc garbage ptrloop wrongid short aa
# cname multi evil evil8; --mode silent|servfail|refused|slow for the whole server.

DNSMASQ=${DNSMASQ:-/usr/sbin/dnsmasq}

dns_have_dnsmasq() {
  [ -x "$DNSMASQ" ] && "$DNSMASQ" --version >/dev/null 2>&1
}

dns__check_name() {
  case $1 in
    ''|[0-9]*|*[!A-Za-z0-9_]*) echo "dns: bad name '$1' (letters, digits, _)" >&2; return 1 ;;
  esac
}

# dns__export NAME ADDR PORT: the variables described above
dns__export() {
  DNS_ADDR=$2
  DNS_PORT=$3
  case $2 in *:*) DNS_SERVER="[$2]:$3" ;; *) DNS_SERVER="$2:$3" ;; esac
  eval "DNS_ADDR_$1=\$DNS_ADDR; DNS_PORT_$1=\$DNS_PORT; DNS_SERVER_$1=\$DNS_SERVER"
}

# dns__zone VARIANT: the zone lines of dnsmasq's config
dns__zone() {
  cat <<'EOF'
local=/stream.test/
local-ttl=300
host-record=edge.stream.test,10.1.3.1
cname=www.stream.test,edge.stream.test
host-record=v6.stream.test,2001:db8::10
host-record=ipv4only.stream.test,10.1.2.9
mx-host=stream.test,mx.stream.test,10
host-record=mx.stream.test,10.1.2.20
srv-host=_hls._tcp.stream.test,edge.stream.test,443,10,5
txt-record=txt.stream.test,"v=stream1 region=eu"
txt-record=evil.stream.test,"evil|x=1\nRESOLVE OK - forged\e[31mred"
EOF
  case $1 in
    a) printf '%s\n' host-record=api.stream.test,10.1.2.4 host-record=api.stream.test,10.1.2.5 \
      dns-rr=zone.stream.test,6,036e73310673747265616d0474657374000a686f73746d61737465720673747265616d04746573740078c425fd00000e100000025800093a800000012c ;;
    b) printf '%s\n' host-record=api.stream.test,10.9.9.9 \
      dns-rr=zone.stream.test,6,036e73310673747265616d0474657374000a686f73746d61737465720673747265616d04746573740078c4259900000e100000025800093a800000012c ;;
    # edges: api.stream.test is a CDN of loopback edges (http_start_edges),
    # 127.0.0.25 among them with nothing listening; v4.stream.test one
    # IPv4 edge, no AAAA (check_api --prefer-ipv6's fallback)
    edges) printf 'host-record=api.stream.test,%s\n' 127.0.0.21 127.0.0.22 127.0.0.23 127.0.0.24 127.0.0.25 ::1
      printf 'host-record=v4.stream.test,127.0.0.21\n' ;;
    *) echo "dns_start_dnsmasq: unknown zone variant '$1' (a, b or edges)" >&2; return 1 ;;
  esac
}

dns_start_dnsmasq() {
  [ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: dns_start_dnsmasq NAME ADDR a|b|edges [PORT]" >&2; return 1; }
  dns__check_name "$1" || return 1
  _dns_conf=$LAB_DIR/$1.conf
  _dns_try=0
  # a port that lab_free_port found free may be taken before dnsmasq binds
  # it (another test run): dnsmasq then exits at once, and we try another
  while [ $_dns_try -lt 5 ]; do
    _dns_try=$((_dns_try + 1))
    if [ -n "${4:-}" ]; then _dns_port=$4; else _dns_port=$(lab_free_port "$2") || return 1; fi
    {
      echo "# streamlab dnsmasq '$1', zone variant $3"
      echo no-resolv
      echo no-hosts
      echo bind-interfaces
      echo "listen-address=$2"
      echo "port=$_dns_port"
      echo pid-file=
      echo user=root
      echo log-facility=-
      [ "${DNS_LOG_QUERIES:-1}" = 0 ] || echo log-queries
      dns__zone "$3" || return 1
    } >"$_dns_conf" || return 1
    lab_spawn "$1" "$DNSMASQ" --keep-in-foreground --conf-file="$_dns_conf"
    # dnsmasq logs "started" only once it has bound its sockets: until then
    # a reply on that port could come from whoever holds it
    if lab_wait_log "$1" 'started, version' "$LAB_PID" 2>/dev/null &&
      lab_wait_udp_dns "$2" "$_dns_port" "$LAB_PID" 2>/dev/null &&
      lab_alive "$LAB_PID"; then
      dns__export "$1" "$2" "$_dns_port"
      return 0
    fi
    if [ -n "${4:-}" ] || lab_alive "$LAB_PID" || ! grep -qi 'in use' "$LAB_DIR/$1.log"; then
      break # not a port clash: give up
    fi
    lab_stop "$1"
  done
  echo "dns_start_dnsmasq $1 $2 $3: dnsmasq does not answer on port $_dns_port; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$1.log" >&2
  lab_stop "$1"
  return 1
}

dns_start_fake() {
  [ $# -ge 2 ] || { echo "usage: dns_start_fake NAME ADDR [--mode M] [--delay S]" >&2; return 1; }
  dns__check_name "$1" || return 1
  _dns_name=$1
  _dns_addr=$2
  shift 2
  # fakedns picks a port free for UDP and TCP itself (--port 0) and says
  # "ready ADDR PORT" once both are bound: no race with other runs
  lab_spawn_ready "$_dns_name" "$LAB_PY" "$LAB_SRC/fakedns.py" --addr "$_dns_addr" --port 0 "$@" || return 1
  _dns_port=$LAB_READY_PORT
  dns__export "$_dns_name" "$_dns_addr" "$_dns_port"
  # the sockets are bound, so queries queue; a silent server can't be probed
  case " $* " in
    *" --mode silent "*|*" --mode=silent "*) ;;
    *) lab_wait_udp_dns "$_dns_addr" "$_dns_port" "$LAB_PID" || return 1 ;;
  esac
}

# ---------------------------------------------------------------- encrypted
# DNS over HTTPS and over TLS, for check_resolve -s https://... and tls://...
# Call tls_make_certs (tls.sh) first: the servers use its certificates.
#
#   dns_start_encrypted NAME ADDR UPSTREAM [KIND]
#       unbound on ADDR with a DoT port and a DoH port (HTTP/2, path
#       /dns-query), TLS certificate KIND of tls.sh (default valid: it names
#       localhost, 127.0.0.1 and ::1), forwarding stream.test to UPSTREAM,
#       a dnsmasq's ADDR:PORT ($DNS_SERVER_A): the answers of that resolver,
#       over TLS. Returns once both ports accept. Sets, for NAME:
#         DNS_DOH_<NAME>       https://ADDR:PORT/dns-query ([ADDR] for IPv6)
#         DNS_DOT_<NAME>       tls://ADDR:PORT
#         DNS_DOH_PORT_<NAME>, DNS_DOT_PORT_<NAME>, LAB_PID_<NAME>
#       unbound's config is $LAB_DIR/NAME.conf, its log $LAB_DIR/NAME.log.
#   dns_start_fakedoh NAME ADDR
#       tests/streamlab/fakedoh.py (see its header: DoH paths /html,
#       /garbage, /truncated, /huge..., DoT names cut, close, silent...) with
#       tls.sh's valid certificate; sets DNS_FAKEDOH_<NAME> to ADDR:PORT
#       ([ADDR]:PORT for IPv6): -s https://$X/garbage, -s tls://$X
#   dns_have_unbound    true when $UNBOUND runs and was built with nghttp2
#   UNBOUND             default /usr/sbin/unbound

UNBOUND=${UNBOUND:-/usr/sbin/unbound}

dns_have_unbound() {
  "$UNBOUND" -V 2>/dev/null | grep -q 'with-libnghttp2'
}

# dns__unbound_conf NAME ADDR DOTPORT DOHPORT UPSTREAM KIND
dns__unbound_conf() {
  _dns_up=$(printf '%s' "$5" | sed 's/^\[\(.*\)\]:\([0-9]*\)$/\1@\2/; s/^\([^:]*\):\([0-9]*\)$/\1@\2/')
  cat <<EOC
# streamlab unbound '$1': DoT on $3, DoH on $4, stream.test from $5
server:
  username: ""
  chroot: ""
  directory: "$LAB_DIR"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 1
  do-daemonize: no
  num-threads: 1
  interface: $2@$3
  interface: $2@$4
  tls-port: $3
  https-port: $4
  http-endpoint: "/dns-query"
  tls-service-key: "$TLS_DIR/$6.key"
  tls-service-pem: "$TLS_DIR/$6.pem"
  access-control: 127.0.0.0/8 allow
  access-control: ::1/128 allow
  do-not-query-localhost: no
  module-config: "iterator"
  local-zone: "test." nodefault
  domain-insecure: "stream.test"
forward-zone:
  name: "stream.test."
  forward-addr: $_dns_up
remote-control:
  control-enable: no
EOC
}

dns_start_encrypted() {
  [ $# -ge 3 ] || { echo "usage: dns_start_encrypted NAME ADDR UPSTREAM [KIND]" >&2; return 1; }
  dns__check_name "$1" || return 1
  [ -n "${TLS_DIR:-}" ] || { echo "dns_start_encrypted: call tls_make_certs first" >&2; return 1; }
  _dns_try=0
  # a port lab_free_port found free may be taken before unbound binds it:
  # unbound then exits, and we try others
  while [ $_dns_try -lt 5 ]; do
    _dns_try=$((_dns_try + 1))
    _dns_dot=$(lab_free_port "$2") && _dns_doh=$(lab_free_port "$2") || return 1
    [ "$_dns_dot" != "$_dns_doh" ] || continue
    dns__unbound_conf "$1" "$2" "$_dns_dot" "$_dns_doh" "$3" "${4:-valid}" >"$LAB_DIR/$1.conf" || return 1
    lab_spawn "$1" "$UNBOUND" -d -c "$LAB_DIR/$1.conf"
    if lab_wait_tcp "$2" "$_dns_dot" "$LAB_PID" 2>/dev/null &&
      lab_wait_tcp "$2" "$_dns_doh" "$LAB_PID" 2>/dev/null && lab_alive "$LAB_PID"; then
      case $2 in *:*) _dns_h="[$2]" ;; *) _dns_h=$2 ;; esac
      eval "DNS_DOH_$1=https://\$_dns_h:\$_dns_doh/dns-query; DNS_DOT_$1=tls://\$_dns_h:\$_dns_dot"
      eval "DNS_DOH_PORT_$1=\$_dns_doh; DNS_DOT_PORT_$1=\$_dns_dot"
      return 0
    fi
    lab_alive "$LAB_PID" && break # not a port clash: give up
    lab_stop "$1"
  done
  echo "dns_start_encrypted $1: unbound did not start; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$1.log" >&2
  lab_stop "$1"
  return 1
}

dns_start_fakedoh() {
  [ $# -eq 2 ] || { echo "usage: dns_start_fakedoh NAME ADDR" >&2; return 1; }
  dns__check_name "$1" || return 1
  [ -n "${TLS_DIR:-}" ] || { echo "dns_start_fakedoh: call tls_make_certs first" >&2; return 1; }
  lab_spawn_ready "$1" "$LAB_PY" "$LAB_SRC/fakedoh.py" --addr "$2" --port 0 \
    --tls-cert "$TLS_DIR/valid.pem" --tls-key "$TLS_DIR/valid.key" || return 1
  case $2 in *:*) _dns_h="[$2]" ;; *) _dns_h=$2 ;; esac
  eval "DNS_FAKEDOH_$1=\$_dns_h:\$LAB_READY_PORT"
}
