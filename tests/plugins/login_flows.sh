#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_login against streamlab's OAuth2 and form login server: every
# flow, every outcome row, the token cache check_api reads, and no secret
# in any output at -vvv.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/login.sh"
lab_init
login_start L 127.0.0.1 || bail_out "loginsrv did not start"
login_start LT 127.0.0.1 --tls valid || bail_out "loginsrv over TLS did not start"
P=$PLUGINDIR/check_login
U=$LOGIN_URL_L
q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }
sec=$LAB_DIR/secrets
mkdir -p "$sec"
printf '%s\n' "$LOGIN_CLIENT_SECRET" >"$sec/client"     # as echo writes it
printf '%s' "$LOGIN_PASSWORD" >"$sec/password"          # no newline
printf '%s\r\n' "$LOGIN_REFRESH" >"$sec/refresh"        # as an editor may
CC="--client-id $LOGIN_CLIENT_ID --client-secret-file $sec/client"

run "$P" -u "$U/token" $CC -w 1 -c 3
is_rc 0 "client-credentials: exit 0"
first_line_matches "^LOGIN OK - client-credentials as labclient at $(q "$U")/token in [0-9.]+ s, token valid 3600 s \|" \
  "client-credentials: summary"
perf_ok "perfdata parses"
is "$(perf_value token_ttl)" 3600 "token_ttl=3600"
is "$(perf_value steps)" 1 "steps=1"
is "$(perf_field time 4)" 1 "time carries -w"
perf_value time_step1 | grep -Eq '^0\.[0-9]+$'
ok $? "time_step1 measured"

run env S="$LOGIN_CLIENT_SECRET" "$P" -u "$U/token" --client-id labclient --client-secret-env S \
  --client-auth post --scope read
is_rc 0 "client secret in the form (--client-auth post), from the environment: exit 0"
run "$P" -u "$U/token" --client-id "$LOGIN_ODD_CLIENT_ID" --client-secret "$LOGIN_ODD_CLIENT_SECRET"
is_rc 0 "id and secret form-urlencoded inside Basic (RFC 6749 2.3.1): exit 0"

run "$P" -u "$U/token" --client-id labclient --client-secret wrong-secret
is_rc 2 "wrong client secret: exit 2"
first_line_matches "^LOGIN CRITICAL - credentials rejected: invalid_client \(HTTP 401 from $(q "$U")/token\)" \
  "invalid_client named"
run "$P" -u "$U/token" --client-id labclient --client-secret wrong-secret --rejected-state warning
is_rc 1 "--rejected-state warning: exit 1"

run "$P" -u "$U/token" --flow password $CC --username alice --password-file "$sec/password"
is_rc 0 "password grant: exit 0"
first_line_matches "^LOGIN OK - password as alice at " "password grant: the user named"
run "$P" -u "$U/token" --flow password $CC --username alice --password not-hers
is_rc 2 "wrong password: exit 2"
first_line_matches "credentials rejected: invalid_grant \(HTTP 400 " "invalid_grant named"

run "$P" -u "$U/token" --flow refresh-token $CC --refresh-token-file "$sec/refresh" -v
is_rc 0 "refresh token (file with CRLF): exit 0"
line_matches '^\\_ \[OK\] a new refresh token was issued \(not shown' "a new refresh token noted, not shown"
run "$P" -u "$U/token" --flow refresh-token $CC --refresh-token rt-bogus
is_rc 2 "bad refresh token: exit 2"
first_line_matches "credentials rejected: invalid_grant" "bad refresh token: invalid_grant"
run "$P" -u "$U/token" --flow refresh-token $CC --refresh-token-file "$sec/refresh" \
  --save-refresh-token "$LAB_DIR/rt.new"
is_rc 0 "--save-refresh-token: exit 0"
is "$(stat -c %a "$LAB_DIR/rt.new")" 600 "the saved refresh token is mode 0600"
run "$P" -u "$U/token" --flow refresh-token $CC --refresh-token-file "$LAB_DIR/rt.new"
is_rc 0 "the saved refresh token works"

for f in 500 503; do
  run "$P" -u "$U/fault/$f/token" $CC
  is_rc 2 "token endpoint $f: exit 2"
  first_line_matches "^LOGIN CRITICAL - login service error: HTTP $f " "$f: login service error"
done
run "$P" -u "$U/fault/429/token" $CC
is_rc 1 "429: exit 1"
first_line_matches '^LOGIN WARNING - rate limited \(Retry-After 17 s\)' "429 with Retry-After"
run "$P" -u "$U/fault/html/token" $CC
is_rc 2 "HTML instead of JSON: exit 2"
first_line_matches 'login service error: response is not JSON \(text/html' "HTML named"
run "$P" -u "$U/fault/nojson/token" $CC
is_rc 2 "no access_token: exit 2"
first_line_matches '^LOGIN CRITICAL - no access_token in response' "missing access_token named"
run "$P" -u "$U/fault/notbearer/token" $CC
is_rc 2 "token_type mac: exit 2"
first_line_matches 'token_type is not Bearer' "token type named"
run "$P" -u "$U/fault/zero/token" $CC
is_rc 2 "expires_in 0: exit 2"
run "$P" -u "$U/fault/short/token" $CC --ttl-warning 300: --ttl-critical 60:
is_rc 1 "token valid 120 s, --ttl-warning 300:: exit 1"
line_matches '^\\_ \[WARNING\] token valid 120 s \(--ttl-warning: below 300 s\)$' "TTL threshold named with what it alerts on"
first_line_matches '^LOGIN WARNING - token valid 120 s \(--ttl-warning: below 300 s\); client-credentials as ' \
  "the first line says why it is WARNING"
is "$(perf_field token_ttl 4)" 300: "token_ttl carries the TTL ranges"
# A bare number is a floor, as check_http -C reads days (issue 13): the
# 3600 s token is fine with --ttl-warning 300, where it once was WARNING
# "valid only 3600 s".
run "$P" -u "$U/token" $CC --ttl-warning 300 --ttl-critical 60
is_rc 0 "--ttl-warning 300 on a 3600 s token: exit 0"
no_line_matches 'ttl-warning' "--ttl-warning 300 on a 3600 s token: nothing said"
is "$(perf_field token_ttl 4)" 300: "--ttl-warning 300 is the floor 300: in perfdata"
is "$(perf_field token_ttl 5)" 60: "--ttl-critical 60 is the floor 60: in perfdata"
run "$P" -u "$U/fault/short/token" $CC --ttl-warning 300 --ttl-critical 200
is_rc 2 "--ttl-critical 200 on a 120 s token: exit 2"
first_line_matches '^LOGIN CRITICAL - token valid 120 s \(--ttl-critical: below 200 s\); ' "--ttl-critical named"
run "$P" -u "$U/token" $CC --ttl-warning @3000:4000
is_rc 1 "--ttl-warning @3000:4000 (a range) on 3600 s: exit 1"
first_line_matches '\(--ttl-warning: inside 3000 s\.\.4000 s\)' "a range is read as a Nagios range"

# -v: each step's answer and time; the summary's time is perfdata's.
run "$P" -u "$U/token" $CC -v
is_rc 0 "-v: exit 0"
line_matches '^\\_ \[OK\] step 1/1 POST /token: HTTP 200 OK, application/json, [0-9]+ B, 0 redirects in [0-9.]+ s$' \
  "-v: the step's answer and time"
t_text=$(first_line | sed -n 's/.* in \([0-9.]*\) s, token valid.*/\1/p')
t_perf=$(perf_value time)
awk -v a="$t_text" -v b="$t_perf" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 0.0005 && (a + 0 > 0 || b + 0 == 0)) }'
ok $? "summary time $t_text s agrees with perfdata time=$t_perf"
run "$P" -u "$U/token" $CC
no_line_matches 'step 1/1' "without -v: no step line"
run "$P" -u "$U/token" $CC -vv
line_matches '^> POST /token HTTP/1\.1$' "-vv: the request made"
run "$P" -u "$U/fault/slow/token?s=5" $CC -t 1
is_rc 2 "slow token endpoint, -t 1: exit 2"
first_line_matches "^LOGIN CRITICAL - step 1/1 POST /fault/slow/token\?s=5: timeout after $(elapsed '(0\.[0-9]|1\.0)') s waiting for first byte" \
  "the step and its phase named"
wall_below 1.0 "returns before -t 1"

# Basic, with and without --verify-rejects.
run "$P" --flow basic -u "$U/basic/protected" --username alice --password-file "$sec/password" --verify-rejects
is_rc 0 "basic with --verify-rejects: exit 0"
line_matches '^\\_ \[OK\] refused without credentials \(HTTP 401\)$' "the door is shut without credentials"
is "$(perf_value steps)" 2 "steps=2"
run "$P" --flow basic -u "$U/open/protected" --username alice --password-file "$sec/password" --verify-rejects
is_rc 2 "an open door: exit 2"
first_line_matches "^LOGIN CRITICAL - open door: $(q "$U")/open/protected answers HTTP 200 without credentials" "open door named"
run "$P" --flow basic -u "$U/basic/protected" --username alice --password nope
is_rc 2 "basic, wrong password: exit 2"
first_line_matches "credentials rejected: HTTP 401 from " "basic rejection named"

# The HTML form, with its CSRF token, cookies and redirects.
FORM="--flow form --username alice --password-file $sec/password --csrf-field csrf_token"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back, alice' --cookie-jar "$LAB_DIR/jar"
is_rc 0 "form login: exit 0"
first_line_matches "^LOGIN OK - form as alice at $(q "$U")/login in [0-9.]+ s \|" "form: summary"
is "$(perf_value steps)" 2 "form: two steps"
is "$(stat -c %a "$LAB_DIR/jar")" 600 "the cookie jar is mode 0600"
grep -q 'session' "$LAB_DIR/jar"
ok $? "the session cookie was kept in the jar"
run "$P" -u "$U/login" $FORM --success-regex 'Welcome back, [a-z]+' --success-url "$U/account"
is_rc 0 "form with --success-url and a regex: exit 0"
is "$(perf_value steps)" 3 "three steps"
run "$P" -u "$U/login" --flow form --username alice --password wrong --csrf-field csrf_token \
  --success-string 'Welcome back' --failure-string 'Invalid username or password'
is_rc 2 "form, wrong password: exit 2"
first_line_matches "^LOGIN CRITICAL - credentials rejected: 'Invalid username or password' on " "form rejection named"
run "$P" -u "$U/changed/login" $FORM --success-string 'Welcome back' --success-url "$U/account"
is_rc 2 "the CSRF field was renamed: exit 2"
first_line_matches '^LOGIN CRITICAL - login page changed: no field csrf_token' "changed form named"
# every step the flow plans has its label in every run (issue 13)
is "$(perf_value time_step2)" U "the POST not made: time_step2=U"
is "$(perf_value time_step3)" U "--success-url not reached: time_step3=U"
is "$(perf_value steps)" 1 "steps=1"
perf_ok "a flow cut short: perfdata parses"
run "$P" -u "$U/changed/login" --flow form --username alice --password-file "$sec/password" \
  --csrf-field authenticity_token --csrf-regex 'name="authenticity_token" value="([^"]+)"' \
  --success-string 'Welcome back'
is_rc 0 "--csrf-regex takes the token from the page: exit 0"
run "$P" -u "$U/login" --flow form --username alice --password-file "$sec/password" \
  --success-string 'Welcome back'
is_rc 0 "without --csrf-field the form's hidden fields (its CSRF token too) are posted: exit 0"

run "$P" -u "$U/slowpost/login" $FORM --success-string 'Welcome back' -t 1.5
is_rc 2 "the login POST hangs, -t 1.5: exit 2"
first_line_matches '^LOGIN CRITICAL - step 2/2 POST /slowpost/login: timeout after 1\.[0-9] s waiting for first byte' \
  "the hanging step named with its phase"
wall_below 1.5 "returns before -t"
run "$P" --flow basic --digest -u "$U/digest/protected" --username alice --password-file "$sec/password"
is_rc 0 "--digest (RFC 7616): exit 0"

# TLS: verified against the test CA.
run "$P" -u "$LOGIN_URL_LT/token" $CC --ca-file "$TLS_CA"
is_rc 0 "over TLS with the test CA: exit 0"
perf_value time_tls | grep -Eq '^[0-9]+\.[0-9]+$'
ok $? "time_tls measured"
run "$P" -u "$LOGIN_URL_LT/token" $CC
is_rc 2 "over TLS without the CA: exit 2"
first_line_matches 'step 1/1 POST /token: TLS handshake failed: unable to get local issuer certificate' \
  "TLS failure names the step and the phase"

# The token cache: check_login writes it, check_api uses it.
cache=$LAB_DIR/token.cache
run "$P" -u "$U/token" $CC --token-cache "$cache"
is_rc 0 "--token-cache: exit 0"
is "$(stat -c %a "$cache")" 600 "the token cache is mode 0600"
run "$PLUGINDIR/check_api" -u "$U/api/me" --token-cache "$cache" -j /user
is_rc 0 "check_api --token-cache: the cached token is accepted"
line_matches "^\\\\_ \[OK\] bearer token from $(q "$cache"), valid 3[0-9]{3} s more$" "check_api says where the token came from"
sed 's/^expires_at=.*/expires_at=1000/' "$cache" >"$cache.old"
run "$PLUGINDIR/check_api" -u "$U/api/me" --token-cache "$cache.old"
is_rc 3 "check_api with a stale cache: UNKNOWN"
first_line_matches "^API UNKNOWN - --token-cache: the token in .* expired [0-9]+ s ago" "stale cache named"
run "$PLUGINDIR/check_api" -u "$U/api/me" --token-cache "$LAB_DIR/none"
is_rc 3 "check_api with no cache: UNKNOWN"
first_line_matches "^API UNKNOWN - --token-cache: cannot read " "missing cache named"

# expires_in from the server: judged exactly, never overflowed or clamped
# (1e300 and INT64_MAX once overflowed time() + ttl under UBSan, wrote a
# bogus expires_at and printed token_ttl=9223372036854775808).
uenc() { "$LAB_PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
now=$(date +%s)
ttlcache=$LAB_DIR/ttl.cache
for v in '3600:3600' '"3600":3600' '3600.0:3600' '1E3:1000' '315360000:315360000' '"0003600":3600'; do
  raw=${v%:*} want=${v##*:}
  rm -f "$ttlcache"
  run "$P" -u "$U/fault/ttl/token?v=$(uenc "$raw")" $CC --token-cache "$ttlcache"
  is_rc 0 "expires_in $raw: exit 0"
  first_line_matches "token valid $want s \|" "expires_in $raw: valid $want s"
  is "$(perf_value token_ttl)" "$want" "expires_in $raw: token_ttl=$want"
  at=$(sed -n 's/^expires_at=//p' "$ttlcache")
  [ -n "$at" ] && [ "$at" -ge $((now + want)) ] && [ "$at" -le $((now + want + 60)) ]
  ok $? "expires_in $raw: the cache expires at now + $want ($at)"
done
for v in '1e300:more than 10 years' '9223372036854775807:more than 10 years' \
    '18446744073709551616:more than 10 years' '-9223372036854775809:no positive' \
    '315360001:more than 10 years' '"99999999999999999999":more than 10 years' \
    '1e400:more than 10 years' '-1:no positive' '0:no positive' '-0.5:no positive' \
    '1.5:not a whole number of seconds \(1\.5\)' '"3600x":not a number' \
    '"+3600":not a number' '" 3600":not a number' '"":not a number' 'true:not a number' \
    'null:no positive' '[3600]:not a number' '{}:not a number'; do
  raw=${v%%:*} why=${v#*:}
  rm -f "$ttlcache"
  run "$P" -u "$U/fault/ttl/token?v=$(uenc "$raw")" $CC --token-cache "$ttlcache"
  is_rc 2 "expires_in $raw: exit 2"
  first_line_matches "^LOGIN CRITICAL - .*$why" "expires_in $raw: $why"
  first_line_matches "expires_in" "expires_in $raw: the field named"
  is "$(perf_value token_ttl)" U "expires_in $raw: token_ttl=U"
  perf_ok "expires_in $raw: perfdata parses"
  [ ! -e "$ttlcache" ]
  ok $? "expires_in $raw: no token cache written"
done

# An --cookie-jar planted as a symbolic link: libcurl would open it with
# fopen(path, "w") when the session ends and truncate what it names.
victim=$LAB_DIR/victim
printf 'precious\n' >"$victim"
ln -s "$victim" "$LAB_DIR/jar-link"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back' --cookie-jar "$LAB_DIR/jar-link"
is_rc 3 "--cookie-jar a symbolic link: exit 3"
first_line_matches "^LOGIN UNKNOWN - --cookie-jar: .*jar-link is a symbolic link" "--cookie-jar link: named"
is "$(cat "$victim")" precious "--cookie-jar link: the file it names is untouched"
ln -s "$LAB_DIR/not-there" "$LAB_DIR/jar-dangling"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back' --cookie-jar "$LAB_DIR/jar-dangling"
is_rc 3 "--cookie-jar a dangling symbolic link: exit 3"
[ ! -e "$LAB_DIR/not-there" ]
ok $? "--cookie-jar dangling link: nothing created where it points"
mkfifo "$LAB_DIR/jar-fifo"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back' --cookie-jar "$LAB_DIR/jar-fifo" -t 3
is_rc 3 "--cookie-jar a FIFO: exit 3"
first_line_matches "^LOGIN UNKNOWN - --cookie-jar: .*jar-fifo is not a regular file" "--cookie-jar FIFO: named"
wall_below 2 "--cookie-jar FIFO: no wait"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back' --cookie-jar "$LAB_DIR"
is_rc 3 "--cookie-jar a directory: exit 3"
ln "$victim" "$LAB_DIR/jar-hard"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back' --cookie-jar "$LAB_DIR/jar-hard"
is_rc 3 "--cookie-jar with another hard link: exit 3"
is "$(cat "$victim")" precious "--cookie-jar hard link: the other file is untouched"
printf '# Netscape HTTP Cookie File\n' >"$LAB_DIR/jar-open"
chmod 644 "$LAB_DIR/jar-open"
run "$P" -u "$U/login" $FORM --success-string 'Welcome back' --cookie-jar "$LAB_DIR/jar-open"
is_rc 0 "--cookie-jar readable by others: exit 0"
is "$(stat -c %a "$LAB_DIR/jar-open")" 600 "--cookie-jar: made owner-only"
run "$P" -u "$U/token" $CC --cookie-jar "$LAB_DIR/jar-cc"
is_rc 3 "--cookie-jar with a token flow: exit 3 (it keeps no session)"
[ ! -e "$LAB_DIR/jar-cc" ]
ok $? "--cookie-jar with a token flow: no file made"

# A body past the 4 MiB limit: no login service answers that much, so
# it is the service's fault, CRITICAL, the stage named.
run "$P" -u "$U/fault/big/token" $CC
is_rc 2 "a 5 MiB token response: exit 2"
first_line_matches "^LOGIN CRITICAL - step 1/1 POST /fault/big/token: reading body failed: larger than " "a 5 MiB token response: named"

# A hidden field longer than check_login keeps (ASP.NET's __VIEWSTATE can
# be): the limit named, UNKNOWN, never a cut value posted.
run "$P" -u "$U/xform/login?pad=1000" $FORM --success-string 'Welcome back'
is_rc 0 "a hidden field of 1000 characters: exit 0"
run "$P" -u "$U/xform/login?pad=1024" $FORM --success-string 'Welcome back'
is_rc 3 "a hidden field of 1024 characters: exit 3"
first_line_matches "^LOGIN UNKNOWN - login page: __VIEWSTATE is longer than the 1023 bytes check_login keeps" \
  "a hidden field too long: the field and the limit named"

# URL userinfo: the basic flow's credentials, never shown; refused by the
# flows that would not use it.
run "$P" --flow basic -u "http://$LOGIN_USER:$LOGIN_PASSWORD@${U#http://}/basic/protected"
is_rc 0 "basic flow with the credentials in -u: exit 0"
no_line_matches "$LOGIN_PASSWORD" "userinfo: the password is not shown"
no_line_matches "$LOGIN_USER:" "userinfo: no user:password@ in the URL shown"
run "$P" -u "http://labclient:$LOGIN_CLIENT_SECRET@${U#http://}/token" $CC
is_rc 3 "userinfo with a token flow: exit 3"
first_line_matches "^LOGIN UNKNOWN - -u: a user name or password in the URL is not used by the client-credentials flow" "userinfo with a token flow: named"
no_line_matches "$LOGIN_CLIENT_SECRET" "userinfo with a token flow: not shown"

# Secrets from an --extra-opts ini section work like any other option.
ini=$LAB_DIR/plugins.ini
printf '[login_lab]\nurl=%s/token\nclient-id=%s\nclient-secret=%s\n' "$U" \
  "$LOGIN_CLIENT_ID" "$LOGIN_CLIENT_SECRET" >"$ini"
run "$P" --extra-opts="login_lab@$ini"
is_rc 0 "client secret from an --extra-opts section: exit 0"
no_line_matches "$LOGIN_CLIENT_SECRET" "the ini secret is not printed"

# No secret in any output, even at -vvv.
all=$LAB_DIR/all-output
: >"$all"
for args in "-u $U/token $CC" "-u $U/token --flow password $CC --username alice --password-file $sec/password" \
    "-u $U/token --flow refresh-token $CC --refresh-token-file $sec/refresh" \
    "--flow basic -u $U/basic/protected --username alice --password-file $sec/password" \
    "-u $U/login $FORM --success-string Welcome" "-u $U/token --client-id labclient --client-secret wrong-secret"; do
  # shellcheck disable=SC2086
  "$P" $args -vvv >>"$all" 2>&1
done
"$PLUGINDIR/check_api" -u "$U/api/me" --token-cache "$cache" -vvv >>"$all" 2>&1
grep -q '^> POST /token' "$all"
ok $? "the -vvv trace was produced"
token=$(sed -n 's/^access_token=//p' "$cache")
for s in "$LOGIN_CLIENT_SECRET" "$LOGIN_PASSWORD" "$LOGIN_REFRESH" "$token" wrong-secret \
    "$(printf '%s' "labclient:$LOGIN_CLIENT_SECRET" | base64)"; do
  grep -qF -- "$s" "$all"
  ok $((1 - $?)) "no secret in any output (${#s} characters)"
done

plan_done
