#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck disable=SC2086 # $CL: an option list, split on purpose
# A server can't forge a plugin's output or pass for another (issue 8):
# strings with '|', CR/LF, ANSI escapes (CSI and OSC), BEL and invalid UTF-8
# from every plugin's servers -- a JSON value, an error body, an HTTP reason
# phrase, a Location header, other headers at -vvv, an OAuth2 error and
# error_description, ICY names and the in-band StreamTitle, DNS TXT strings
# and a CNAME label -- never add an output line, a '|', a control byte or
# invalid UTF-8, and never reach perfdata; and TLS verification is on unless
# --insecure, for every HTTP plugin, host name included.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/login.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
need_cmd iconv "iconv not installed"
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
http_start_fault FT 127.0.0.1 --tls valid || bail_out "faulthttp over TLS did not start"
login_start L 127.0.0.1 || bail_out "loginsrv did not start"
login_start LT 127.0.0.1 --tls valid || bail_out "loginsrv over TLS did not start"
dns_start_fake D 127.0.0.53 || bail_out "fakedns did not start"
F=$FAULT_URL_F
PA=$PLUGINDIR/check_api
PL=$PLUGINDIR/check_login
PS=$PLUGINDIR/check_stream
PR=$PLUGINDIR/check_resolve
CL="--client-id $LOGIN_CLIENT_ID --client-secret-env CS"
CS=$LOGIN_CLIENT_SECRET
export CS

# clean DESC LINES LABELS LINE_ERE: the last run printed what the plugin
# means and nothing a server forged:
#   LINES     the number of lines (first line + sub-checks), "-" for a
#             trace whose length varies
#   LABELS    ERE every perfdata label must match (the plugin's own)
#   LINE_ERE  ERE every output line must match (the kinds of line the
#             plugin writes: result, sub-checks, trace)
clean() {
  [ "$2" = - ] || is "$(lines_count)" "$2" "$1: $2 lines, none added"
  is "$(first_line | tr -cd '|' | wc -c | tr -d ' ')" 1 "$1: one '|', the perfdata separator"
  printf '%s\n' "$OUT" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1
  ok $? "$1: valid UTF-8"
  ! printf '%s\n' "$OUT" | LC_ALL=C grep -q '[[:cntrl:]]'
  ok $? "$1: no ESC, CR, BEL or other control byte"
  perf_ok "$1: perfdata parses"
  is "$(perf_values | cut -f 1 | grep -Ev -- "$3" | tr '\n' ' ')" "" "$1: only the plugin's own perfdata labels"
  is "$(printf '%s\n' "$OUT" | grep -Ev -- "$4" | head -n 3)" "" "$1: every line is one the plugin writes"
  is "$ERR" "" "$1: nothing on stderr"
}
TRACE='^[*<>] '
SUB='^\\_ \[(OK|WARNING|CRITICAL|UNKNOWN)\] '
API_L='^(time|time_(dns|connect|tls|ttfb|transfer)|size|status|cert_days)$'
LOGIN_L='^(time|time_step[0-9]+|time_(dns|connect|tls|ttfb|transfer)|token_ttl|steps)$'
STREAM_L='^(ttfb|rate|stalls|bytes|frames|bitrate|playlist_age|segments)$'

# --- check_api
run "$PA" -u "$F/evil" -j '/status==ok' -v
is_rc 2 "API: a JSON string with '|', LF, ESC: exit 2 (it is not ok)"
first_line_matches '^API CRITICAL - /status is "a/b\\nc\\u001b\[31m", expected "ok"' "API: the value shown JSON-escaped"
clean "API JSON value" 4 "$API_L" "^API CRITICAL - |$SUB"
run "$PA" -u "$F/evil-raw" -v
is_rc 2 "API: 500 with a raw hostile body: exit 2"
first_line_matches '^API CRITICAL - HTTP 500 Internal Server Error: a/b\?c\?\[31mred ' "API: the body excerpt sanitised"
clean "API error body" 3 "$API_L" "^API CRITICAL - |$SUB"
run "$PA" -u "$F/evil-reason" -vvv
is_rc 2 "API: 503 with a hostile reason phrase: exit 2"
first_line_matches '^API CRITICAL - HTTP 503 a/b\?\[31m\?x: down ' "API: the reason phrase sanitised"
line_matches '^< HTTP/1\.1 503 a/b\?\[31m\?x$' "API: the -vvv status line sanitised"
clean "API reason phrase at -vvv" - "$API_L" "^API CRITICAL - |$SUB|$TRACE"
run "$PA" -u "$F/evil-headers" -f warning -vvv
is_rc 1 "API: a hostile Location with -f warning: exit 1"
first_line_matches '^API WARNING - HTTP 302 Found to /a/b\?\[31m\? ' "API: the Location sanitised"
line_matches '^< X-Evil: a/b\?\]0;t\?\?$' "API: a hostile header sanitised in the trace (OSC, BEL, 0xFE)"
clean "API headers at -vvv" - "$API_L" "^API WARNING - |$SUB|$TRACE"

# --- check_resolve (fakedns: evil8 under fault.test)
run "$PR" -H evil8.fault.test -s "$DNS_SERVER_D" -q TXT -vvv
is_rc 0 "RESOLVE: TXT strings with '|', CR LF, a forged line, 0xFF, OSC, BEL: exit 0"
first_line_matches '^RESOLVE OK - evil8\.fault\.test TXT: x/y\?\?RESOLVE OK - forged / t=1s' "RESOLVE: the TXT text sanitised on the first line"
clean "RESOLVE TXT at -vvv" - '^(time|failed|answers|ttl_min)$' \
  "^RESOLVE OK - |$SUB|^query |^reply |^( [0-9a-f]{2})+$"
run "$PR" -H evil8.fault.test -s "$DNS_SERVER_D" -q CNAME
is_rc 0 "RESOLVE: a CNAME whose label holds '|', ESC, 0xFF: exit 0"
clean "RESOLVE CNAME label" 2 '^(time|failed|answers|ttl_min)$' "^RESOLVE OK - |$SUB"

# --- check_login (loginsrv: /fault/evil, /fault/evilraw)
run "$PL" -u "$LOGIN_URL_L/fault/evil/token" $CL -vvv
is_rc 2 "LOGIN: an OAuth2 error with hostile error/error_description: exit 2"
first_line_matches '^LOGIN CRITICAL - token request refused: invalid_grant/x\?\?\?\[31m\? \(HTTP 400 ' "LOGIN: the error code sanitised"
no_line_matches 'LOGIN OK' "LOGIN: the forged 'LOGIN OK' line is nowhere"
clean "LOGIN OAuth2 error at -vvv" - "$LOGIN_L" "^LOGIN CRITICAL - |$SUB|$TRACE"
run "$PL" -u "$LOGIN_URL_L/fault/evilraw/token" $CL -v
is_rc 2 "LOGIN: 500 with a hostile text body: exit 2"
first_line_matches '^LOGIN CRITICAL - login service error: HTTP 500 ' "LOGIN: 500 named"
clean "LOGIN error body" 2 "$LOGIN_L" "^LOGIN CRITICAL - |$SUB"

# --- check_stream (faulthttp: /evil-icy, /evil-reason)
run "$PS" -u "$F/evil-icy?s=3" -k 'Icy-MetaData: 1' --duration 1 -v
is_rc 0 "STREAM: hostile icy-name/description/genre/url and StreamTitle: exit 0"
first_line_matches '^STREAM OK - progressive live MP3 128 kb/s "icy-name a/b\?\[31m\?\?", ' "STREAM: the ICY name sanitised"
line_matches "^\\\\_ \\[OK\\] .*a/b\\?c\\?\\[31m\\?" "STREAM: the StreamTitle shown sanitised at -v"
clean "STREAM ICY strings" 3 "$STREAM_L" "^STREAM OK - |$SUB"
run "$PS" -u "$F/evil-icy?s=3" --duration 0.5 -vvv
is_rc 0 "STREAM at -vvv: exit 0"
line_matches '^< icy-description: icy-description a/b\?\[31m\?\?$' "STREAM: ICY headers sanitised in the trace"
clean "STREAM ICY headers at -vvv" - "$STREAM_L" "^STREAM OK - |$SUB|$TRACE"
run "$PS" -u "$F/evil-reason" -v
is_rc 2 "STREAM: 503 with a hostile reason phrase: exit 2"
first_line_matches '^STREAM CRITICAL - HTTP 503 a/b\?\[31m\?x from ' "STREAM: the reason phrase sanitised"
clean "STREAM reason phrase" 3 "$STREAM_L" "^STREAM CRITICAL - |$SUB"

# --- TLS verification: on unless --insecure, for every HTTP plugin.
# Servers with streamlab's "valid" certificate (api.stream.test, localhost,
# 127.0.0.1) from its own CA, which the system does not trust.
TA=$FAULT_PORT_FT
TL=$LOGIN_PORT_LT
for p in api login stream; do
  case $p in
    api) svc=API; port=$TA; path=/json; set -- "$PA" ;;
    login) svc=LOGIN; port=$TL; path=/token; set -- "$PL" $CL ;;
    stream) svc=STREAM; port=$TA; path="/evil-icy?s=2"; set -- "$PS" --duration 0.5 ;;
  esac
  url=https://api.stream.test:$port$path
  run "$@" -u "$url" --connect-to 127.0.0.1
  is_rc 2 "$svc over TLS without --ca-file: exit 2"
  first_line_matches "^$svc CRITICAL - .*(TLS handshake failed|certificate).*unable to get local issuer certificate" \
    "$svc: the failed certificate verification named"
  run "$@" -u "$url" --connect-to 127.0.0.1 --ca-file "$TLS_CA"
  is_rc 0 "$svc with the right --ca-file: exit 0"
  first_line_matches "^$svc OK - " "$svc: OK with the CA"
  run "$@" -u "$url" --connect-to 127.0.0.1 --insecure
  is_rc 0 "$svc --insecure: exit 0"
  line_matches 'TLS verification off' "$svc: --insecure is said in the output"
  run "$@" -u "https://wrong.stream.test:$port$path" --connect-to 127.0.0.1 --ca-file "$TLS_CA"
  is_rc 2 "$svc: a certificate for other names (wrong.stream.test): exit 2"
  first_line_matches "^$svc CRITICAL - .*no alternative certificate subject name matches target host name 'wrong\.stream\.test'" \
    "$svc: the host name mismatch named"
done

plan_done
