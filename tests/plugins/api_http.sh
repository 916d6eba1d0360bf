#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_api against real nginx answers and the fault server: status sets,
# JSON assertions and metrics, body checks, rate limits, redirects, the
# deadline against slow and trickling servers, the body bound, headers and
# bearer tokens really sent, output no server string can forge.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
http_have_nginx || skip_all "nginx not installed"
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
http_start_nginx W 127.0.0.1 F || bail_out "nginx did not start"
P=$PLUGINDIR/check_api
W=$HTTP_URL_W
F=$FAULT_URL_F
q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }

run "$P" -u "$W/v1/health" -j '/status==ok' -j /tracks/items/1/id -j '/live==true' \
  -j '/tracks/total==2' -M 'lat=/latency_ms;20;50' -w 0.5 -c 1
is_rc 0 "health: exit 0"
first_line_matches "^API OK - GET $(q "$W")/v1/health 200 in [0-9.]+ s, 4 assertions hold \|" "health: summary"
line_matches '^\\_ \[OK\] /status is "ok"$' "health: assertion line"
line_matches '^\\_ \[OK\] lat = 12\.5 \(/latency_ms\)$' "health: metric line"
perf_ok "health: perfdata parses"
is "$(perf_value size)" 171 "size=171B"
is "$(perf_field size 3)" B "size in bytes"
is "$(perf_value status)" 200 "status=200"
is "$(perf_value lat)" 12.5 "metric lat=12.5"
is "$(perf_field lat 4)" 20 "metric carries its warning range"
is "$(perf_field time 4)" 0.5 "time carries -w"
for ph in time_dns time_connect time_ttfb time_transfer; do
  perf_value $ph | grep -Eq '^[0-9]+(\.[0-9]+)?$'
  ok $? "$ph measured"
done
perf_value time_tls >/dev/null
ok $((1 - $?)) "no time_tls for plain HTTP"

run "$P" -u "$W/v1/health" -M 'lat=/latency_ms;5;10'
is_rc 2 "metric over its critical range: exit 2"
first_line_matches "^API CRITICAL - lat = 12\.5 \(/latency_ms; -M critical: outside 0\.\.10\) " \
  "metric named with what its range alerts on"

# Every -M label in every run, U when unmeasured (issue 13): a status
# not in -e, a value missing, a failed request. A '.' in a label is '_'
# in perfdata (graphing backends split at '.'), and the text says the
# label as perfdata has it.
run "$P" -u "$W/v1/health" -M 'api.lat=/latency_ms' -M 'gone=/nothing/here'
is_rc 2 "-M on a missing value: exit 2"
is "$(perf_value api_lat)" 12.5 "-M 'api.lat': perfdata label api_lat"
perf_value api.lat >/dev/null
ok $((1 - $?)) "-M 'api.lat': no label with a '.'"
is "$(perf_value gone)" U "-M on a missing value: U"
line_matches '^\\_ \[OK\] api_lat = 12\.5 \(/latency_ms\)$' "-M line names the perfdata label"
perf_ok "-M with U: perfdata parses"
run "$P" -u "$W/nope" -M 'lat=/latency_ms;5;10'
is_rc 2 "404 with -M: exit 2"
is "$(perf_value lat)" U "404 with -M: lat is still there, U"
is "$(perf_field lat 4)" 5 "404 with -M: lat keeps its warning range"
perf_ok "404 with -M: perfdata parses"

# The summary's time is the perfdata's, not "0.000 s" beside 0.00039s.
run "$P" -u "$W/v1/health"
t_text=$(first_line | sed -n 's/.* 200 in \([0-9.]*\) s.*/\1/p')
t_perf=$(perf_value time)
awk -v a="$t_text" -v b="$t_perf" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 0.0005 && (a + 0 > 0 || b + 0 == 0)) }'
ok $? "summary time $t_text s agrees with perfdata time=$t_perf"

# -v: one more line, the answer and its phases; not without -v.
run "$P" -u "$W/v1/health" -v
is_rc 0 "-v: exit 0"
line_matches '^\\_ \[OK\] answer HTTP 200 OK, application/json, 171 B, 0 redirects; phases: DNS [0-9.]+ s, connect [0-9.]+ s, first byte [0-9.]+ s, transfer [0-9.]+ s$' \
  "-v: the answer and every phase"
run "$P" -u "$W/v1/health"
no_line_matches 'phases:' "without -v: no phases line"
run "$P" -u "$W/v1/health" -vv
line_matches '^> GET /v1/health HTTP/1\.1$' "-vv: the request made"

run "$P" -u "$W/v1/degraded" -j '/status==ok'
is_rc 2 "degraded: exit 2"
first_line_matches '^API CRITICAL - /status is "degraded", expected "ok" \(GET .* 200 in [0-9.]+ s, 0 of 1 assertions hold\)' \
  "degraded: the failing assertion leads"

run "$P" -u "$W/index.html" -j /status
is_rc 2 "HTML with -j: exit 2"
first_line_matches '^API CRITICAL - response is not JSON \(text/html\)' "HTML named by its type"

run "$P" -u "$F/invalid-json" -j /status
is_rc 2 "truncated JSON: exit 2"
first_line_matches 'response is not JSON \(application/json\)' "invalid JSON named"

run "$P" -u "$W/nope"
is_rc 2 "404: exit 2"
first_line_matches '^API CRITICAL - HTTP 404 Not Found \(expected 200-299\)' "404 with what was expected"
run "$P" -u "$W/nope" -e 404
is_rc 0 "-e 404: exit 0"
run "$P" -u "$W/v1/health" -e 201,204
is_rc 2 "-e 201,204 with 200: exit 2"
first_line_matches 'HTTP 200 OK \(expected 201,204\)' "the -e list named"

run "$P" -u "$W/v1/maint"
is_rc 2 "nginx 503: exit 2"
first_line_matches '^API CRITICAL - HTTP 503 Service Temporarily Unavailable: \{"error":"maintenance"\}' \
  "5xx with the start of its body"

run "$P" -u "$F/503"
is_rc 2 "503 with '|' and a newline in the body: exit 2"
is "$(lines_count)" 2 "the body adds no output line"
is "$(first_line | tr -cd '|' | wc -c | tr -d ' ')" 1 "the body adds no '|'"
first_line_matches 'HTTP 503 Service Unavailable: upstream down: db/cache\?second line' "body excerpt sanitised"
perf_ok "503: perfdata parses"

run "$P" -u "$F/evil" -j '/status==ok'
is "$(lines_count)" 3 "hostile JSON string: no extra line"
is "$(first_line | tr -cd '|' | wc -c | tr -d ' ')" 1 "hostile JSON string: no extra '|'"

run "$P" -u "$F/429"
is_rc 1 "429: WARNING"
first_line_matches '^API WARNING - rate limited \(Retry-After 30 s\)' "429 with Retry-After"
run "$P" -u "$F/429" --rate-limit-state critical
is_rc 2 "--rate-limit-state critical: exit 2"

run "$P" -u "$F/redirect/2"
is_rc 0 "two redirects followed: exit 0"
run "$P" -u "$F/redirect/2" -f warning
is_rc 1 "-f warning on a 302: exit 1"
first_line_matches '^API WARNING - HTTP 302 Found to /redirect/1 ' "redirect target named"
run "$P" -u "$F/redirect-loop"
is_rc 2 "redirect loop: exit 2"
first_line_matches 'redirect failed: too many redirects' "redirect loop named"

run "$P" -u "$W/v1/health" -s '"live":true'
is_rc 0 "-s found: exit 0"
run "$P" -u "$W/v1/health" -s 'maintenance'
is_rc 2 "-s missing: exit 2"
first_line_matches "^API CRITICAL - body does not contain 'maintenance'" "-s named"
run "$P" -u "$W/v1/health" -s 'maintenance' --invert
is_rc 0 "-s --invert, absent: exit 0"
run "$P" -u "$W/v1/health" -r '"version":"1\.[0-9]+\.[0-9]+"'
is_rc 0 "-r matches: exit 0"
run "$P" -u "$W/v1/health" -r 'degrad' --invert
is_rc 0 "-r --invert, no match: exit 0"
run "$P" -u "$W/v1/degraded" -r 'degrad' --invert
is_rc 2 "-r --invert, match: exit 2"

run "$P" -u "$F/slow-ttfb?s=0.3" -w 0.1 -c 5
is_rc 1 "0.3 s first byte, -w 0.1: exit 1"
first_line_matches '^API WARNING - took 0\.[0-9]+ s \(-w: outside 0 s\.\.0\.1 s\)' "time threshold named with what it alerts on"

run "$P" -u "$F/slow-ttfb?s=5" -t 1
is_rc 2 "no first byte within -t 1: exit 2"
first_line_matches "^API CRITICAL - GET timeout after $(elapsed '(0\.[0-9]|1\.0)') s waiting for first byte from $(q "$F")/slow-ttfb" \
  "timeout names the phase"
wall_below 1.0 "returns before -t 1"
is "$(perf_value time_ttfb)" U "time_ttfb is U"

run "$P" -u "$F/trickle" -t 2:warning
is_rc 1 "trickling body, -t 2:warning: exit 1"
first_line_matches "^API WARNING - GET timeout after $(elapsed '1\.[0-9]') s reading the body of " "trickle: reading the body"
wall_below 2.0 "trickle: returns before -t 2"

run "$P" -u "$F/blackhole" -t 1.5
is_rc 2 "black hole: exit 2"
first_line_matches 'timeout after 1\.[0-9] s waiting for first byte' "black hole: waiting for first byte"
wall_below 1.5 "black hole: returns before -t"

run "$P" -u "$F/huge" --max-size 100000
is_rc 2 "20 MiB body, --max-size 100000: exit 2"
first_line_matches 'reading body failed: larger than --max-size' "body bound named"

run "$P" -u "$F/echo" -X POST -d '{"a":1}' -k 'X-Probe: streamwatch' -j '/method==POST' \
  -j '/headers/x-probe==streamwatch' -j '/body~=^\{"a":1\}$' -j '/body_length==7'
is_rc 0 "-X POST -d -k really sent: exit 0"
first_line_matches ', 4 assertions hold' "method, header and body arrived"

tok=$LAB_DIR/token
printf 's3cr3t-token\n' >"$tok"
run "$P" -u "$F/bearer" --bearer-file "$tok" -vvv
is_rc 0 "--bearer-file with a trailing newline: accepted"
line_matches '^> Authorization: \*\*\*\*$' "-vvv shows the header masked"
no_line_matches 's3cr3t-token' "-vvv never shows the token"
run env TOKEN=wrong "$P" -u "$F/bearer" --bearer-env TOKEN
is_rc 2 "wrong token: exit 2"
first_line_matches 'HTTP 401 Unauthorized \(expected 200-299\)' "401 named"
run "$P" -u "$F/bearer" --bearer s3cr3t-token -vv
is_rc 0 "--bearer literal: accepted"
no_line_matches 's3cr3t-token' "-vv never shows the token"

run "$P" -u "http://api.stream.test:$HTTP_PORT_W/v1/health" --connect-to 127.0.0.1
is_rc 0 "--connect-to with a name that does not resolve: exit 0"
tail -n 1 "$LAB_DIR/W/access.log" | grep -q '"api.stream.test:'
ok $? "--connect-to keeps the Host header"

run "$P" -u http://api.stream.test/echo --proxy "$F" -j '/path==http://api.stream.test/echo' \
  -j '/headers/host==api.stream.test'
is_rc 0 "--proxy: the request went through the proxy, absolute URI and Host"

http_start_nginx V6 ::1 || bail_out "nginx on ::1 did not start"
run "$P" -u "$HTTP_URL_V6/v1/health" -6 -j '/status==ok'
is_rc 0 "IPv6 literal with -6: exit 0"
first_line_matches '^API OK - GET http://\[::1\]:[0-9]+/v1/health 200 ' "IPv6 URL shown"
run "$P" -u "$HTTP_URL_V6/v1/health" -4
is_rc 2 "IPv6 literal with -4: exit 2"
first_line_matches 'connect failed: ' "-4 refuses the IPv6 address, named as the connect phase"

lab_stop F
run "$P" -u "$F/json" -M 'lat=/latency_ms'
is_rc 2 "stopped server: exit 2"
first_line_matches "^API CRITICAL - GET $(q "$F")/json: connect failed: Connection refused" "connection refused named"
is "$(perf_value lat)" U "stopped server: -M's label is there, U"
is "$(perf_value size)" U "stopped server: size U"
perf_ok "stopped server: perfdata parses"

plan_done
