#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Credentials stay with their origin (conventions.md), check_api through
# the shared HTTP core: each credential kind (bearer file, -k X-Api-Key,
# -k Authorization, Basic from the URL, -k Cookie) x each way to leave the origin
# (redirect to another host, to another port, https -> http, a 307 that
# re-posts a body), against a server that logs what it receives. The
# secret must never reach the other origin, must reach its own, and the
# output names the hop. Also: the method rules of RFC 9110 15.4, a bearer
# beyond 8 KB, and secrets a server echoes where the output cuts text.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/tls.sh"
. "$top_srcdir/tests/plugins/hostile_lib.sh"
tls_have_openssl || skip_all "openssl not installed"
lab_init
tls_make_certs || bail_out "tls_make_certs failed"
LOGS=$LAB_DIR/reqs
mkdir -p "$LOGS" || bail_out "mkdir failed"
# A: the origin (http), P: the same host on another port, H: another host
# (127.0.0.2), S: the origin over https (the test CA's certificate)
lab_spawn logsrv "$LAB_PY" "$LAB_SRC/logsrv.py" --logdir "$LOGS" \
  --tls-cert "$TLS_DIR/valid.pem" --tls-key "$TLS_DIR/valid.key" \
  --listen A=127.0.0.1 --listen P=127.0.0.1 --listen H=127.0.0.2 \
  --listen S=127.0.0.1:tls
lab_wait_log logsrv '^ready$' "$LAB_PID" || bail_out "logsrv did not start"
port() { sed -n "s/^listen $1 [^ ]* \([0-9]*\)$/\1/p" "$LAB_DIR/logsrv.log"; }
A=http://127.0.0.1:$(port A)
P=http://127.0.0.1:$(port P)
H=http://127.0.0.2:$(port H)
S=https://127.0.0.1:$(port S)
CHECK=$PLUGINDIR/check_api
# every run of the matrix records its peak RSS (conventions.md, Bounded
# by design: 64 MiB), except where ASan or valgrind are in the RSS
TIME=/usr/bin/time
RSS_MAX=65536
RSS_SKIP=
[ -x "$TIME" ] || RSS_SKIP="/usr/bin/time (Debian package time) not found"
[ -z "${SW_VALGRIND:-}" ] || RSS_SKIP="valgrind's own memory is in the RSS"
[ "$SW_BUILD" != sanitizer ] || RSS_SKIP="ASan's shadow memory is in the RSS"
# run_rss CMD...: run, under time(1) for its peak RSS; rss_ok DESC: that
# peak RSS at most RSS_MAX KiB
run_rss() {
  if [ -n "$RSS_SKIP" ]; then run "$@"; else run "$TIME" -f %M -o "$LAB_DIR/rss" "$@"; fi
}
rss_ok() {
  if [ -n "$RSS_SKIP" ]; then
    skip_one "$1" "$RSS_SKIP"
    return 0
  fi
  _rss=$(tail -n 1 "$LAB_DIR/rss")
  case $_rss in '' | *[!0-9]*) _rss=unmeasured ;; esac
  [ "$_rss" != unmeasured ] && [ "$_rss" -le "$RSS_MAX" ]
  ok $? "$1: peak RSS $_rss KiB, at most $RSS_MAX KiB"
}
q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }
# received NAME: what listener NAME was sent (every request, all lines)
received() { cat "$LOGS/$1.log" 2>/dev/null; }
clear_logs() { rm -f "$LOGS"/*.log; }

BEARER=Brr-7f3kQ9x2-tok
APIKEY=Key-9d2LmQ4v-api
AUTHZ=Aut-5Hs8pW1z-hdr
PASSWD=Pw-3Nc6Tb0y-basic
SID=Ck-8Rt2Yx5-sess
printf '%s\n' "$BEARER" >"$LAB_DIR/bearer"

# secret KIND: the text that must not reach another origin
secret() {
  case $1 in
    bearer) echo "$BEARER" ;; apikey) echo "$APIKEY" ;;
    authz) echo "$AUTHZ" ;; basic) echo "$PASSWD" ;; cookie) echo "$SID" ;;
  esac
}
# with_user KIND URL: URL with svc:PASSWD@ for the basic kind
with_user() {
  if [ "$1" = basic ]; then printf '%s' "$2" | sed "s#://#://svc:$PASSWD@#"
  else printf '%s' "$2"
  fi
}

for kind in bearer apikey authz basic cookie; do
  sec=$(secret $kind)
  for way in host port https 307; do
    clear_logs
    origin=$A other=H data='' ca=''
    case $way in
      host) to=$H/ok ;;
      port) to=$P/ok other=P ;;
      https) origin=$S to=$P/ok other=P ca=1 ;;
      307) to=$H/ok data='{"q":1}' ;;
    esac
    origin_name=A
    [ "$origin" = "$S" ] && origin_name=S
    url=$(with_user $kind "$origin/to?u=$to")
    [ "$way" = 307 ] && url=$(with_user $kind "$origin/to?code=307&u=$to")
    set -- -u "$url" -k 'X-Probe: visible'
    case $kind in
      bearer) set -- "$@" --bearer-file "$LAB_DIR/bearer" ;;
      apikey) set -- "$@" -k "X-Api-Key: $APIKEY" ;;
      authz) set -- "$@" -k "Authorization: Token $AUTHZ" ;;
      cookie) set -- "$@" -k "Cookie: sid=$SID" ;;
    esac
    [ -z "$ca" ] || set -- "$@" --ca-file "$TLS_CA"
    [ -z "$data" ] || set -- "$@" -d "$data"
    run_rss "$CHECK" "$@"
    t="$kind/$way"
    rss_ok "$t"
    received $origin_name | grep -q -- "$sec"
    ok $? "$t: the secret reached its own origin"
    received $other | grep -q '^[A-Z]* /ok HTTP'
    ok $? "$t: the redirect was followed to the other origin"
    ! received $other | grep -q -- "$sec"
    ok $? "$t: the secret never reached the other origin" "$(received $other)"
    received $other | grep -q '^X-Probe: visible$'
    ok $? "$t: a header that is no credential still went along"
    no_line_matches "$(q "$sec")|svc:" "$t: the output shows no secret and no userinfo"
    o=$(q "${to%/ok}")
    if [ $way = https ]; then
      is_rc 2 "$t: a clear-text hop is CRITICAL"
      first_line_matches "^API CRITICAL - clear-text hop $(q "$S")/ -> $o/ok; credentials not sent to $o/ \\(another origin\\) \\(GET $(q "$S")/to" \
        "$t: the clear-text hop and the withheld credentials named"
      perf_value cert_days | grep -Eq '^[0-9]+(\.[0-9]+)?$'
      ok $? "$t: cert_days of the https origin"
    else
      is_rc 1 "$t: credentials withheld is WARNING"
      first_line_matches "^API WARNING - credentials not sent to $o/ \\(another origin\\) \\(" \
        "$t: the withheld credentials named"
      line_matches "^\\\\_ \\[OK\\] redirected to another origin: $(q "$A")/ -> $o/ok$" "$t: the hop named"
    fi
    perf_ok "$t: perfdata parses"
    if [ $way = 307 ]; then
      received $other | grep -q '^POST /ok HTTP'
      ok $? "$t: 307 keeps the method"
      received $other | grep -q '^{"q":1}$'
      ok $? "$t: 307 keeps the body (not a secret)"
    fi
  done
done

# Same origin: the credential goes along with every hop.
clear_logs
run "$CHECK" -u "$A/to?u=/to%3Fu%3D/ok" -k "X-Api-Key: $APIKEY" -j '/status==ok' -vv
is_rc 0 "same origin: exit 0"
first_line_matches "^API OK - GET $(q "$A")/to\\?u=/to%3Fu%3D/ok 200 in [0-9.]+ s, 1 assertion holds \\|" "same origin: OK"
is "$(received A | grep -c -- "$APIKEY")" 3 "same origin: the key went with all 3 requests"
line_matches "^\\* redirect: HTTP 302 to $(q "$A")/ok$" "-vv names each redirect"
is "$(perf_value status)" 200 "status of the final hop"

clear_logs
run "$CHECK" -u "$A/to?u=$H/ok" -k "X-Api-Key: $APIKEY" -vv
line_matches "^\\* redirect: HTTP 302 to $(q "$H")/ok \\(credentials not sent: another origin\\)$" \
  "-vv says the credentials were not sent"

# Up from http to https on the same host is another origin too (the
# scheme and the port differ): the credentials given for http stay there.
clear_logs
run "$CHECK" -u "$A/to?u=$S/ok" -k "X-Api-Key: $APIKEY" --ca-file "$TLS_CA"
is_rc 1 "http -> https: WARNING"
first_line_matches "^API WARNING - credentials not sent to $(q "$S")/ \\(another origin\\)" "http -> https: named"
! received S | grep -q -- "$APIKEY"
ok $? "http -> https: the key stayed with http"

# Away and back: the credentials come back with the origin.
clear_logs
run "$CHECK" -u "$A/to?u=$H/to%3Fu%3D$A/ok" -k "X-Api-Key: $APIKEY"
is "$(received A | grep -c -- "$APIKEY")" 2 "away and back: the key went with both requests to the origin"
! received H | grep -q -- "$APIKEY"
ok $? "away and back: never to the other host"
is_rc 1 "away and back: still WARNING (they were held back once)"

# --connect-to pins the host -u names, not a host a redirect names.
clear_logs
run "$CHECK" -u "http://api.stream.test:$(port A)/to?u=$H/ok" --connect-to 127.0.0.1 -j '/status==ok'
is_rc 0 "--connect-to, redirect to another host: exit 0"
received A | grep -q '^Host: api.stream.test:'
ok $? "--connect-to: the -u host's request went to the pinned address"
received H | grep -q '^GET /ok HTTP'
ok $? "--connect-to: the other host was reached at its own address"

# RFC 9110 15.4: the method of the next hop.
for c in 301 302 303 307 308; do
  clear_logs
  run "$CHECK" -u "$A/to?code=$c&u=/ok" -d 'a=1'
  case $c in 301|302|303) m=GET ;; *) m=POST ;; esac
  received A | grep -q "^$m /ok HTTP"
  ok $? "POST then $c: the next request is a $m" "$(received A)"
done
clear_logs
run "$CHECK" -u "$A/to?code=303&u=/ok" -X HEAD
received A | grep -q "^HEAD /ok HTTP"
ok $? "HEAD then 303: stays HEAD"
clear_logs
run "$CHECK" -u "$A/to?code=301&u=/ok" -X PUT -d 'a=1'
received A | grep -q "^PUT /ok HTTP"
ok $? "PUT then 301: stays PUT"
run "$CHECK" -u "$A/to?u=/to%3Fu%3D/ok" -f ok
is_rc 0 "-f ok: the redirect is the answer"
first_line_matches '^API OK - HTTP 302 Found to /to\?u=/ok ' "-f ok: the 3xx judged, not followed"

# A bearer beyond 8 KB (large JWTs): sent whole; past the limit: UNKNOWN.
clear_logs
big=$(head -c 15000 /dev/zero | tr '\0' 'J')
printf '%s\n' "$big" >"$LAB_DIR/bigbearer"
run "$CHECK" -u "$A/ok" --bearer-file "$LAB_DIR/bigbearer" -j '/status==ok'
is_rc 0 "15000-byte bearer: exit 0"
received A | grep -q "^Authorization: Bearer $big$"
ok $? "15000-byte bearer: sent whole"
run env BIG="$(head -c 70000 /dev/zero | tr '\0' 'J')" "$CHECK" -u "$A/ok" --bearer-env BIG
is_rc 3 "70000-byte bearer: UNKNOWN"
first_line_matches '^API UNKNOWN - .*(bearer|65536)' "70000-byte bearer: the limit named"
no_line_matches 'JJJJJJJJ' "70000-byte bearer: not shown"

# A server echoing a secret where the output cuts text: masked first.
run "$CHECK" -u "$A/echo-header?pad=984&v=$APIKEY" -k "X-Api-Key: $APIKEY" -vvv
is_rc 0 "echoed in a 1000-character trace line: exit 0"
line_matches '^< X-Echo: x+\*' "the trace line is there, masked"
no_line_matches "Key-9d" "no part of the key in a cut trace line"
run "$CHECK" -u "$A/fail?pad=70&v=$APIKEY" -k "X-Api-Key: $APIKEY"
is_rc 2 "echoed in a 5xx body: exit 2"
first_line_matches '^API CRITICAL - HTTP 500 Internal Server Error: x+\*' "the excerpt is there, masked"
no_line_matches "Key-9d" "no part of the key in the 80-character excerpt"
run "$CHECK" -u "$(with_user basic "$A/fail?v=$PASSWD")" -vvv
is_rc 2 "the URL's password echoed in a 5xx body: exit 2"
first_line_matches "^API CRITICAL - HTTP 500 Internal Server Error: \\*+ \\(expected 200-299\\) \\(GET $(q "$A")/fail\\?v=\\*+ " \
  "the URL's password masked, its userinfo not shown"
no_line_matches "Pw-3Nc6|svc:" "no part of the URL's password anywhere"

plan_done
