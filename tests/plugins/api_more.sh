#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_api's options from check_curl and blackbox_exporter (issue 16),
# against a real nginx: response header assertions (--expect-header,
# --header-absent, within the bounds kept), the document's age from
# Last-Modified or Date (--max-age), the body size range (--size), HTTP
# Basic from a file or the environment (--auth-file, --auth-env: sent
# to the origin only, never shown), --user-agent, -R, --max-redirects,
# and --sticky redirects that keep the --connect-to address; faulthttp
# only for header bytes no real server sends.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
http_have_nginx || skip_all "nginx not installed"
need_cmd openssl
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
P=$PLUGINDIR/check_api
F=$FAULT_URL_F
q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }

# --- one nginx: A on 127.0.0.1 (the API), B on 127.0.0.1 (another
# origin), and the same two ports on 127.0.0.2 (the pinned edge)
D=$LAB_DIR/m
mkdir -p "$D/www" "$D/tmp"
A=$(lab_free_port 127.0.0.1) || bail_out "no port"
B=$(lab_free_port 127.0.0.1) || bail_out "no port"
[ "$A" != "$B" ] || B=$(lab_free_port 127.0.0.1) || bail_out "no port"
AUTH_USER=monitor
AUTH_PASS='b4sic-Pw/x+Yz=9qK7mLr'
printf '%s:%s\n' "$AUTH_USER" "$(openssl passwd -apr1 "$AUTH_PASS")" >"$D/htpasswd"
printf 'old page\n' >"$D/www/old.txt"
printf 'fresh page\n' >"$D/www/fresh.txt"
printf 'welcome\n' >"$D/www/auth.txt"
touch -d '2 days ago' "$D/www/old.txt"
MANY=
i=0
while [ $i -lt 140 ]; do
  MANY="$MANY add_header X-Many-$i v$i;"
  i=$((i + 1))
done
{
  http_conf_head "$D" '$server_addr:$server_port "$request" $status "$http_authorization" "$http_user_agent"'
  cat <<EOF
    default_type text/plain;
    server {
        listen 127.0.0.1:$A;
        root $D/www;
        location = /hdr {
            add_header X-Cache "HIT from edge-7";
            add_header Cache-Control "public, max-age=60";
            add_header X-Pipe "a|b c";
            add_header Set-Cookie "sid=SESSIONv4lue-0123456789";
            return 200 "headers\n";
        }
        location = /many { $MANY add_header X-Last yes; return 200 "many\n"; }
        location = /badlm { add_header Last-Modified "yesterday-ish"; return 200 "x\n"; }
        location = /auth.txt {
            auth_basic "streamlab";
            auth_basic_user_file $D/htpasswd;
        }
        location = /auth-away { return 302 http://127.0.0.1:$B/landing; }
        location = /r3 { return 302 /r2; }
        location = /r2 { return 302 /r1; }
        location = /r1 { return 302 /hdr; }
        location = /ua { return 200 "ua\n"; }
    }
    server {
        listen 127.0.0.1:$B;
        location = /landing { return 200 "not-sticky\n"; }
    }
    server {
        listen 127.0.0.2:$A;
        listen [::1]:$A;
        location = /hop { return 302 http://localhost:$B/landing; }
        location = /path { return 302 /landing-a; }
        location = /landing-a { return 200 "edge-a\n"; }
    }
    server {
        listen 127.0.0.2:$B;
        listen [::1]:$B;
        location = /landing { return 200 "edge-b\n"; }
    }
}
EOF
} >"$D/nginx.conf"
lab_spawn M "$NGINX" -p "$D/" -c "$D/nginx.conf" -e stderr
for hp in 127.0.0.1:$A 127.0.0.1:$B 127.0.0.2:$A 127.0.0.2:$B ::1:$A ::1:$B; do
  lab_wait_tcp "${hp%:*}" "${hp##*:}" "$LAB_PID" || bail_out "nginx does not answer on $hp"
done
W=http://127.0.0.1:$A

# --- --expect-header / --header-absent
run "$P" -u "$W/hdr" --expect-header 'X-Cache: ^HIT' \
  --expect-header 'cache-control: max-age=[0-9]+' --expect-header 'X-Pipe:' \
  --header-absent X-Debug
is_rc 0 "headers as expected: exit 0"
first_line_matches "^API OK - GET $(q "$W")/hdr 200 in [0-9.]+ s \|" "headers as expected: summary"
line_matches '^\\_ \[OK\] header X-Cache matches /\^HIT/$' "--expect-header: the line says it matched"
line_matches '^\\_ \[OK\] header cache-control matches /max-age=\[0-9\]\+/$' "header names ignore case"
line_matches '^\\_ \[OK\] header X-Pipe present$' "'Name:' alone: present"
line_matches '^\\_ \[OK\] header X-Debug absent$' "--header-absent: absent"
perf_ok "headers: perfdata parses"

run "$P" -u "$W/hdr" --expect-header 'X-Cache: ^MISS' --expect-header 'X-Pipe: ^z'
is_rc 2 "header value not matching: exit 2"
first_line_matches '^API CRITICAL - header X-Cache is "HIT from edge-7", expected /\^MISS/; header X-Pipe is "a/b c", expected /\^z/ \(GET ' \
  "the header, what it was (its '|' replaced) and what was expected"
perf_ok "header mismatch: perfdata parses"
is "$(perf_value status)" 200 "header mismatch: status=200"

run "$P" -u "$W/hdr" --expect-header 'X-Edge: .' --header-absent Set-Cookie
is_rc 2 "missing header, unwanted header: exit 2"
first_line_matches '^API CRITICAL - header X-Edge missing \(expected /\./\); header Set-Cookie present: \(a credential, not shown\) \(expected absent\)' \
  "missing and unwanted headers named"
no_line_matches 'SESSIONv4lue' "a Set-Cookie value is never shown"

# the server's bytes: ESC, BEL and a byte 0xFE in a header value
run "$P" -u "$F/evil-headers" -f critical -e 302 --expect-header 'X-Evil: ^z'
is_rc 2 "hostile header value: exit 2"
first_line_matches '^API CRITICAL - header X-Evil is "a/b[^|"]*", expected /\^z/ ' "hostile header value sanitised"
is "$(lines_count)" 3 "hostile header value: no line of its own"
perf_ok "hostile header value: perfdata parses"

# bounded: 140 headers and more; the 128 lines kept do not hold X-Last
run "$P" -u "$W/many" --header-absent X-Last --expect-header 'X-Many-3: ^v3$'
is_rc 3 "a header past the lines kept: exit 3 (this check's limit)"
line_matches '^\\_ \[UNKNOWN\] header X-Last absent among the header lines kept \(limit: 32768 bytes, 128 lines\)$' \
  "the limit is named"
line_matches '^\\_ \[OK\] header X-Many-3 matches /\^v3\$/$' "headers within the bound are judged"

# --- --max-age: Last-Modified, else Date
run "$P" -u "$W/old.txt" --max-age 1d
is_rc 2 "two days old, --max-age 1d: exit 2"
first_line_matches '^API CRITICAL - document is 2\.0 d old \(Last-Modified\), more than --max-age 1d \(GET ' \
  "age, where it came from and the threshold"
perf_ok "--max-age: perfdata parses"
age=$(perf_value age)
awk -v a="$age" 'BEGIN { exit !(a >= 172790 && a <= 172900) }'
ok $? "perfdata age=$age about two days"
is "$(perf_field age 3)" s "age in seconds"
is "$(perf_field age 5)" 86400 "age's critical threshold in seconds"
run "$P" -u "$W/old.txt" --max-age 3d
is_rc 0 "two days old, --max-age 3d: exit 0"
line_matches '^\\_ \[OK\] document is 2\.0 d old \(Last-Modified\)$' "--max-age OK line"
run "$P" -u "$W/fresh.txt" --max-age 300
is_rc 0 "fresh file, --max-age 300: exit 0"
run "$P" -u "$W/ua" --max-age 5m
is_rc 0 "no Last-Modified: the Date header is the age"
line_matches '^\\_ \[OK\] document is [0-9] s old \(Date\)$' "age from Date"
run "$P" -u "$W/badlm" --max-age 5m
is_rc 2 "Last-Modified not a date: exit 2"
first_line_matches '^API CRITICAL - document age unknown: Last-Modified "yesterday-ish" is not an HTTP date' \
  "a Last-Modified that is not a date is named"
is "$(perf_value age)" U "unknown age: U"
run "$P" -u "http://127.0.0.1:$B/nothing" --max-age 5m
is "$(perf_value age)" U "404: age still in the perfdata, U"
run "$P" -u "http://127.0.0.1:1/" --max-age 5m -t 2
is_rc 2 "refused with --max-age: exit 2"
is "$(perf_value age)" U "no answer: age U"
perf_ok "no answer with --max-age: perfdata parses"

# --- --size MIN[:MAX]
run "$P" -u "$W/old.txt" --size 5:100
is_rc 0 "9 bytes within 5:100: exit 0"
line_matches '^\\_ \[OK\] body is 9 B$' "--size OK line"
is "$(perf_field size 5)" 5:100 "size carries --size as its critical range"
run "$P" -u "$W/old.txt" --size 10
is_rc 2 "9 bytes, --size 10 (at least 10): exit 2"
first_line_matches '^API CRITICAL - body is 9 B \(--size: below 10 B\) \(GET ' "below the floor named"
run "$P" -u "$W/old.txt" --size 1:4
is_rc 2 "9 bytes, --size 1:4: exit 2"
first_line_matches '^API CRITICAL - body is 9 B \(--size: outside 1 B\.\.4 B\)' "outside the range named"
perf_ok "--size: perfdata parses"

# --- -R: case-insensitive body regex
run "$P" -u "$W/old.txt" -R '^OLD PAGE'
is_rc 0 "-R ignores case: exit 0"
line_matches '^\\_ \[OK\] body matches /\^OLD PAGE/i$' "-R's line marks the regex /i"
run "$P" -u "$W/old.txt" -r '^OLD PAGE'
is_rc 2 "-r does not ignore case: exit 2"
run "$P" -u "$W/old.txt" -R 'old' --invert
is_rc 2 "-R with --invert: exit 2"

# --- HTTP Basic from a file and from the environment
printf '%s:%s\n' "$AUTH_USER" "$AUTH_PASS" >"$LAB_DIR/auth"
run "$P" -u "$W/auth.txt"
is_rc 2 "no credentials: 401, exit 2"
run "$P" -u "$W/auth.txt" --auth-file "$LAB_DIR/auth" -s welcome -vvv
is_rc 0 "--auth-file: 200, exit 0"
B64=$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64)
grep -q "\"Basic $B64\"" "$D/access.log"
ok $? "--auth-file: nginx got the Basic credentials"
printf '%s\n%s\n' "$OUT" "$ERR" | grep -F -e "$AUTH_PASS" -e "$B64" >/dev/null
ok $((1 - $?)) "--auth-file at -vvv: neither the password nor its Basic form shown"
run env SW_TEST_AUTH="$AUTH_USER:$AUTH_PASS" "$P" -u "$W/auth.txt" --auth-env SW_TEST_AUTH
is_rc 0 "--auth-env: 200, exit 0"
run env SW_TEST_AUTH="$AUTH_USER:wrong" "$P" -u "$W/auth.txt" --auth-env SW_TEST_AUTH
is_rc 2 "--auth-env, wrong password: 401, exit 2"
first_line_matches '^API CRITICAL - HTTP 401 Unauthorized \(expected 200-299\)' "a wrong password is a 401"
: >"$D/access.log.b"
run "$P" -u "$W/auth-away" --auth-file "$LAB_DIR/auth"
is_rc 1 "credentials kept from another origin: exit 1"
first_line_matches "^API WARNING - credentials not sent to http://127\.0\.0\.1:$B/ \(another origin\)" \
  "the hop to another origin got no credentials, and says so"
grep "127.0.0.1:$B \"GET /landing" "$D/access.log" | grep -q '"-"'
ok $? "the other origin's log: no Authorization"

# --- --user-agent
run "$P" -u "$W/ua?default"
grep -q "\"GET /ua?default HTTP/1.1\" 200 \"-\" \"check_api/[0-9.]* (streamwatch)\"" "$D/access.log"
ok $? "default User-Agent check_api/VERSION (streamwatch)"
run "$P" -u "$W/ua?mine" --user-agent 'Mozilla/5.0 (monitoring)'
grep -q '"GET /ua?mine HTTP/1.1" 200 "-" "Mozilla/5.0 (monitoring)"' "$D/access.log"
ok $? "--user-agent sent as given"

# --- --max-redirects
run "$P" -u "$W/r3" --max-redirects 3 --expect-header 'X-Cache: HIT'
is_rc 0 "3 redirects, --max-redirects 3: exit 0"
line_matches '^\\_ \[OK\] header X-Cache matches /HIT/$' "headers judged on the final answer"
run "$P" -u "$W/r3" --max-redirects 2
is_rc 2 "3 redirects, --max-redirects 2: exit 2"
first_line_matches '^API CRITICAL - GET .*: redirect failed: too many redirects \(more than 2\)' \
  "too many redirects named with the bound"

# --- --sticky: a redirect to the same host name on another port
run "$P" -4 -u "http://localhost:$A/hop" --connect-to 127.0.0.2 -s edge-b
is_rc 2 "without --sticky the other port is not pinned: exit 2"
first_line_matches "^API CRITICAL - body does not contain 'edge-b'" "without --sticky: another server answered"
run "$P" -4 -u "http://localhost:$A/hop" --connect-to 127.0.0.2 --sticky -s edge-b
is_rc 0 "--sticky keeps the edge for another port: exit 0"
grep -q "^127.0.0.2:$B \"GET /landing" "$D/access.log"
ok $? "--sticky: the edge's other port got the hop"
run "$P" -u "http://localhost:$A/hop" --connect-to '[::1]' --sticky -s edge-b
is_rc 0 "--sticky with an IPv6 --connect-to: exit 0"
grep -q "^::1:$B \"GET /landing" "$D/access.log"
ok $? "--sticky: the IPv6 edge's other port got the hop"
run "$P" -4 -u "http://localhost:$A/path" --connect-to 127.0.0.2 -s edge-a
is_rc 0 "another path on the pinned port stays pinned (no --sticky needed)"

# --- bad values: UNKNOWN naming the option
bad() {
  _opt=$1
  shift
  run "$P" -u "$W/hdr" "$@"
  is_rc 3 "$* : exit 3"
  first_line_matches "^API UNKNOWN - $(q "$_opt"): " "$* : names $_opt"
}
bad --expect-header --expect-header 'X-Cache'
bad --expect-header --expect-header 'X Cache: a'
bad --expect-header --expect-header 'X-Cache: ('
bad --header-absent --header-absent 'X:Y'
bad --max-age --max-age 5x
bad --max-age --max-age 0
bad --max-age --max-age=-5
bad --size --size 10:5
bad --size --size abc
bad --size --size 5000000
bad --user-agent --user-agent "$(printf 'a\rb')"
bad --user-agent --user-agent ''
bad --max-redirects --max-redirects 51
bad --max-redirects --max-redirects 3 -f ok
bad --sticky --sticky
bad --sticky --sticky --connect-to 127.0.0.2 -f critical
bad -R -r a -R b
bad --auth-file --auth-file "$LAB_DIR/nope"
printf 'no-colon-here\n' >"$LAB_DIR/auth-bad"
bad --auth-file --auth-file "$LAB_DIR/auth-bad"
no_line_matches 'no-colon' "a bad credentials file is not shown"
bad --auth-env --auth-env SW_TEST_UNSET_VAR
run "$P" -u "http://u:p@127.0.0.1:$A/auth.txt" --auth-file "$LAB_DIR/auth"
is_rc 3 "userinfo and --auth-file: exit 3"
run "$P" -u "$W/auth.txt" --auth-file "$LAB_DIR/auth" --bearer-env HOME
is_rc 3 "bearer and --auth-file: exit 3"

plan_done
