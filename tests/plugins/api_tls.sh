#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_api over TLS against nginx with certificates made at test time:
# verification on by default, every broken certificate named in the TLS
# handshake phase, expiry thresholds, --insecure said out loud, SNI and
# Host kept by --connect-to, HTTP/2, a handshake that never starts.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
http_have_nginx || skip_all "nginx not installed"
lab_init
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
http_start_fault S 127.0.0.1 --stall-tls || bail_out "faulthttp did not start"
P=$PLUGINDIR/check_api
url() { printf 'https://api.stream.test:%s/v1/health' "$1"; }
api() { run "$P" -u "$(url "$1")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" "$@"; }

eval "port=\$HTTPS_PORT_W_valid"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" -j '/status==ok'
is_rc 0 "valid certificate: exit 0"
first_line_matches '^API OK - GET https://api\.stream\.test:[0-9]+/v1/health 200 in [0-9.]+ s, 1 assertion holds \|' \
  "valid: summary"
line_matches '^\\_ \[OK\] certificate expires in 36[45]\.[0-9] days$' "valid: expiry shown"
perf_ok "valid: perfdata parses"
perf_value cert_days | grep -Eq '^36[45](\.[0-9]+)?$'
ok $? "cert_days about 365"
perf_value time_tls | grep -Eq '^[0-9]+\.[0-9]+$'
ok $? "time_tls measured"
tail -n 1 "$LAB_DIR/W/access.log" | grep -q '"api.stream.test:[0-9]*" "-" "api.stream.test"'
ok $? "--connect-to keeps Host and SNI (nginx saw both)"

for kind in expired notyet wrongname selfsigned; do
  eval "port=\$HTTPS_PORT_W_$kind"
  run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA"
  is_rc 2 "$kind: exit 2"
  case $kind in
    expired) why='certificate has expired' ;;
    notyet) why='certificate is not yet valid' ;;
    wrongname) why="no alternative certificate subject name matches target host name 'api\.stream\.test'" ;;
    selfsigned) why='self-signed certificate' ;;
  esac
  first_line_matches "^API CRITICAL - GET https://api\.stream\.test:$port/v1/health: TLS handshake failed: $why \|" \
    "$kind: the TLS handshake and the reason named"
  perf_ok "$kind: perfdata parses"
done

eval "port=\$HTTPS_PORT_W_selfsigned"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --insecure
is_rc 0 "--insecure on a self-signed certificate: exit 0"
first_line_matches '\[TLS verification off\] \|' "--insecure is said in the output"

eval "port=\$HTTPS_PORT_W_valid"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1
is_rc 2 "verification is on by default (system CAs do not know the test CA): exit 2"
first_line_matches 'TLS handshake failed: unable to get local issuer certificate' "unknown issuer named"

eval "port=\$HTTPS_PORT_W_expiring5"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA"
is_rc 2 "expires in 5 days, default --cert-critical 7: exit 2"
first_line_matches '^API CRITICAL - certificate expires in [45]\.[0-9] days \(--cert-critical: below 7 days\)' "expiry named with what the threshold alerts on"
is "$(perf_field cert_days 4)" 14: "the default --cert-warning is the floor 14:"
is "$(perf_field cert_days 5)" 7: "the default --cert-critical is the floor 7:"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --cert-warning 10 --cert-critical 3
is_rc 1 "--cert-warning 10 --cert-critical 3: exit 1"
first_line_matches '^API WARNING - certificate expires in [45]\.[0-9] days \(--cert-warning: below 10 days\)' "warning named"
is "$(perf_field cert_days 4)" 10: "a bare --cert-warning 10 is the floor 10: in perfdata"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --cert-warning 10:30 --cert-critical 1:
is_rc 1 "--cert-warning 10:30 (a range) on 5 days: exit 1"
first_line_matches '\(--cert-warning: outside 10 days\.\.30 days\)' "a range is read as a Nagios range"

eval "port=\$HTTPS_PORT_W_valid"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --cert-warning 400 -v
is_rc 1 "--cert-warning 400 on a 365-day certificate: exit 1"
first_line_matches '^API WARNING - certificate expires in 36[45]\.[0-9] days \(--cert-warning: below 400 days\)' \
  "--cert-warning 400: a floor, the text says below"
line_matches '^\\_ \[OK\] answer HTTP 200( OK)?, .* phases: DNS [0-9.]+ s, connect [0-9.]+ s, TLS [0-9.]+ s, ' "-v over https: the TLS phase too"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --http-version 2 -vv
is_rc 0 "--http-version 2: exit 0"
line_matches '^> GET /v1/health HTTP/2$' "HTTP/2 used"
run "$P" -u "$(url "$port")" --connect-to 127.0.0.1 --ca-file "$TLS_CA" --tls-min 1.3 -vvv
is_rc 0 "--tls-min 1.3: exit 0"
line_matches '^\* SSL connection using TLSv1\.3' "TLS 1.3 negotiated"

run "$P" -u "https://api.stream.test:$FAULT_PORT_S/json" --connect-to 127.0.0.1 --ca-file "$TLS_CA" -t 1.5
is_rc 2 "handshake never starts: exit 2"
first_line_matches "^API CRITICAL - GET timeout after 1\.[0-9] s in the TLS handshake with https://api\.stream\.test:$FAULT_PORT_S/json" \
  "stalled handshake named"
wall_below 1.5 "stalled handshake: returns before -t"

plan_done
