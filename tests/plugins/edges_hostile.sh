#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --all-addresses against a hostile resolver and hostile edges
# (tests/streamlab/edgelab.py: one scripted DNS server and twelve loopback
# edges on one port). The resolver answers with duplicates, hundreds of
# addresses (a TC reply, then TCP), addresses no edge should be (0.0.0.0,
# multicast, broadcast, ::, link-local without a scope), a CNAME chain
# with an unrelated record, a huge TTL, a reply to another question; the
# edges forge status lines, trickle headers, redirect elsewhere with
# credentials asked for. Nothing crashes, nothing ends past -t, nothing
# forged reaches the output, credentials stay with their origin.
# The red team's findings, each fixed and kept here: the DNS stages
# (one resolver at a time, each given part of -t; A and AAAA at once),
# labels by address, every failing edge in the summary, a pool of edge
# threads, one malloc arena, one playlist parse at a time.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
need_cmd python3 "python3 not installed"
lab_init
EDGES=$(seq -f '127.0.0.%g' 71 82 | tr '\n' ' ')
lab_spawn_ready EL python3 "$top_srcdir/tests/streamlab/edgelab.py" \
  --dns 127.0.0.70 --edges "$EDGES" --big 960000 || bail_out "edgelab did not start"
READY=$(sed -n 's/^ready //p' "$LAB_DIR/EL.log")
R=127.0.0.70:$(echo "$READY" | cut -d' ' -f2)
P=$(echo "$READY" | cut -d' ' -f3)
API=$PLUGINDIR/check_api
labels() { perf_values | cut -f1 | tr '\n' ' '; }
STABLE="edges edges_failed edge_time_fastest edge_time_slowest "
sane() { # no forged line, no crash, perfdata parses, one result line
  perf_ok "$1: perfdata parses"
  is "$(printf '%s\n' "$OUT" | grep -c '^API ')" 1 "$1: one result line"
  printf '%s\n' "$ERR" | grep -Eq 'Sanitizer|runtime error:|Segmentation|Aborted'
  ok $((1 - $?)) "$1: nothing crashed"
}

# ---------------------------------------------------------------- DNS
run "$API" -u "http://dup.edge.test:$P/x" --all-addresses --resolver "$R" --edge-perfdata
is_rc 0 "the same A record five times: one edge"
is "$(perf_value edges)" 2 "duplicates counted once: edges=2"
is "$(labels)" "${STABLE}edge_127_0_0_71_time edge_127_0_0_72_time " "one series per address"
sane duplicates

run "$API" -u "http://many.edge.test:$P/x" --all-addresses --resolver "$R" -t 5
is_rc 2 "400 addresses (TC, then TCP), none listening: CRITICAL"
is "$(perf_value edges)" 64 "at most 64 edges tested"
is "$(perf_value edges_failed)" 64 "all of them failing"
line_matches '^\\_ \[OK\] 336 more addresses of many\.edge\.test not tested \(at most 64\)$' \
  "the addresses left out are counted"
is "$(lines_count)" 66 "a line per tested edge, one for the rest"
wall_below 5 "400 addresses: within -t"
sane "400 addresses"

run "$API" -u "http://manydup.edge.test:$P/x" --all-addresses --resolver "$R" -4 -t 5
is "$(perf_value edges)" 64 "70 addresses in 80 records: 64 tested"
# duplicates past the 64th are not compared with the ones left out
line_matches 'more addresses of manydup' "the rest is counted"
printf '%s\n' "$OUT" | grep -q '^\\_ \[OK\] 6 more addresses of manydup\.edge\.test not tested'
ok $? "the 6 addresses left out counted once each (not 16)"

run "$API" -u "http://weird.edge.test:$P/x" --all-addresses --resolver "$R" -t 5
is_rc 2 "0.0.0.0, multicast, broadcast, ::, fe80::1 (no scope): failing edges, CRITICAL"
# ::ffff:127.0.0.71 is 127.0.0.71, one edge; the unspecified, multicast
# and broadcast answers are never connected to (0.0.0.0 and :: would reach
# this host)
first_line_matches '^API CRITICAL - 6/7 edges of weird\.edge\.test failing: 0\.0\.0\.0 DNS answered the unspecified network 0\.0\.0\.0/8: not tested, 224\.0\.0\.1 DNS answered a multicast address' "named in address order, not tested"
line_matches '^\\_ \[CRITICAL\] fe80::1: GET http://weird\.edge\.test:[0-9]+/x: connect failed' "link-local: the connect phase"
line_matches '^\\_ \[OK\] 127\.0\.0\.71: GET ' "the real edge is OK"
wall_below 5 "weird addresses: within -t"
sane "weird addresses"

run "$API" -u "http://cname.edge.test:$P/x" --all-addresses --resolver "$R"
is_rc 0 "a CNAME chain: its end's two addresses"
is "$(perf_value edges)" 2 "a record owned by an unrelated name is no edge"
no_line_matches '127\.0\.0\.73' "127.0.0.73 (x.evil.) never tested"
sane "CNAME"

run "$API" -u "http://ttl.edge.test:$P/x" --all-addresses --resolver "$R"
is_rc 0 "TTL 4294967295: fine"
sane "huge TTL"

run "$API" -u "http://wrongq.edge.test:$P/x" --all-addresses --resolver "$R" -t 1.5
is_rc 2 "a reply to another question is no reply: CRITICAL"
first_line_matches '^API CRITICAL - DNS: no address for wrongq\.edge\.test from 127\.0\.0\.70:[0-9]+: timeout \|' \
  "DNS named, the resolver and the timeout"
is "$(labels)" "$STABLE" "the stable labels"
wall_below 1.5 "within -t"

# A resolver that answers A but never AAAA: the edge is fine (it answers
# in 0.3 s), yet the AAAA query takes the whole -t and the edge is then
# blamed for a timeout
run "$API" -u "http://noaaaa.edge.test:$P/x?127.0.0.71=slow0.3" --all-addresses --resolver "$R" -t 1.5
[ "$RC" = 0 ]
ok $? "AAAA never answered: the A edge is still tested (OK)"
first_line_matches '^API (OK|WARNING) - 1/1 edges of noaaaa\.edge\.test OK' "the working edge is not blamed"
wall_below 1.5 "AAAA never answered: within -t"

# resolv.conf's second nameserver down (a black hole), the first one
# answering at once: every query is awaited until -t, so the edges get
# no time and all fail (a private mount namespace holds the resolv.conf;
# nameservers are on port 53: root only)
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null &&
  lab_spawn_ready EL53 python3 "$top_srcdir/tests/streamlab/edgelab.py" \
    --dns 127.0.0.66 --dns-port 53 --silent 127.0.0.67 --edges "127.0.0.71 127.0.0.72" 2>/dev/null; then
  P53=$(sed -n 's/^ready [^ ]* [0-9]* //p' "$LAB_DIR/EL53.log")
  printf 'nameserver 127.0.0.66\nnameserver 127.0.0.67\n' >"$LAB_DIR/resolv.conf"
  run unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
    "$LAB_DIR/resolv.conf" "$API" -u "http://e2.edge.test:$P53/x?127.0.0.71=slow0.3" --all-addresses -4 -t 1.5
  [ "$RC" = 0 ]
  ok $? "resolv.conf's second nameserver silent: the first one's answer is used, edges OK"
  wall_below 1.5 "a silent resolv.conf nameserver: within -t"
  printf 'nameserver 127.0.0.66\n' >"$LAB_DIR/resolv1.conf"
  run unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
    "$LAB_DIR/resolv1.conf" "$API" -u "http://e2.edge.test:$P53/x?127.0.0.71=slow0.3" --all-addresses -4 -t 1.5
  is_rc 0 "the same with only the answering nameserver: OK"
  first_line_matches '^API OK - 2/2 edges of e2\.edge\.test OK' "both edges named OK"
else
  for what in "resolv.conf's second nameserver silent" "a silent resolv.conf nameserver: within -t" \
    "the same with only the answering nameserver" "both edges named OK"; do
    skip_one "$what" "needs root, unshare -m and port 53 on 127.0.0.66"
  done
fi

# Two addresses that differ only in how inet_ntop writes them get the same
# graph label: duplicate perfdata labels
run "$API" -u "http://collide.edge.test:$P/x" --all-addresses --resolver "$R" --edge-perfdata -t 3
is_rc 2 "::ffff:127.0.0.1 and ::ffff:127:0:0:1, nothing listening: CRITICAL"
first_line_matches '^API CRITICAL - 2/2 edges of collide\.edge\.test failing: ' "two edges"
first_line | perl "$PERFCHECK" >/dev/null 2>&1
ok $? "--edge-perfdata: a label per edge, no label twice (perfdata parses)"
wall_below 3 "within -t"

# ---------------------------------------------------------------- edges
run "$API" -u "http://e6.edge.test:$P/x?127.0.0.72=reason&127.0.0.73=reason&127.0.0.74=reason" \
  --all-addresses --resolver "$R"
is_rc 2 "three edges answer 503 with a forged reason phrase: CRITICAL"
first_line_matches '^API CRITICAL - 3/6 edges of e6\.edge\.test failing: 127\.0\.0\.72 HTTP 503 down/API OK - forged' \
  "the reason phrase sanitised ('|' and ESC gone)"
no_line_matches '^API OK' "no forged result line"
no_line_matches "$(printf '\033')" "no ESC in the output"
sane "forged reason phrase"
# the summary is cut at 256 characters: the first edge's long text hides
# the other failing edges and the threshold
first_line_matches '127\.0\.0\.73.*127\.0\.0\.74.*\(--edge-fail-critical' \
  "every failing edge and the threshold in the summary, whatever one edge's text"

run "$API" -u "http://e6.edge.test:$P/x?127.0.0.72=trickle&127.0.0.73=trickle" \
  --all-addresses --resolver "$R" -t 1.5
is_rc 2 "two edges trickle their headers: CRITICAL"
first_line_matches '^API CRITICAL - 2/6 edges of e6\.edge\.test failing: 127\.0\.0\.72 GET timeout after [0-9.]+ s reading the headers ' \
  "the phase named"
wall_below 1.5 "trickling edges: within -t"
sane "trickling headers"

# credentials go to each edge of the URL's origin, never to a redirect's
# other origin
printf 's3cr3t-edge\n' >"$LAB_DIR/tok"
LOGN=$(wc -l <"$LAB_DIR/EL.log")
run "$API" -u "http://e3.edge.test:$P/x?127.0.0.72=redirect&to=http://127.0.0.73:$P/landed" \
  --bearer-file "$LAB_DIR/tok" -k "X-Api-Key: k3y" --all-addresses --resolver "$R"
is_rc 1 "an edge redirecting to another origin: WARNING (credentials not sent)"
line_matches '^\\_ \[WARNING\] 127\.0\.0\.72: credentials not sent to http://127\.0\.0\.73:[0-9]+/ \(another origin\)' "said on its line"
tail -n +"$((LOGN + 1))" "$LAB_DIR/EL.log" >"$LAB_DIR/creds.log"
grep -q '^http 127\.0\.0\.73 GET /landed auth=none$' "$LAB_DIR/creds.log"
ok $? "the other origin got no Authorization"
is "$(grep -c 'auth=Bearer s3cr3t-edge$' "$LAB_DIR/creds.log")" 3 "each of the three edges got the bearer"
no_line_matches 's3cr3t-edge|k3y' "no secret in the output"

# check_stream: each edge's playlist names a segment on another host; the
# bearer goes to the six edges (the URL's origin), never to that host
LOGN=$(wc -l <"$LAB_DIR/EL.log")
Q=$(seq -f '127.0.0.%g=hlsseg' 71 82 | tr '\n' '&')
run "$PLUGINDIR/check_stream" -u "http://e6.edge.test:$P/x.m3u8?${Q}seg=http://127.0.0.82:$P/seg.ts" \
  --bearer-file "$LAB_DIR/tok" --all-addresses --resolver "$R" -t 5 -vvv
is_rc 2 "check_stream, segments on another host that are not media: CRITICAL"
first_line_matches '^STREAM CRITICAL - 6/6 edges of e6\.edge\.test failing: 127\.0\.0\.71 segment seg\.ts: not media' \
  "each edge's segment judged"
tail -n +"$((LOGN + 1))" "$LAB_DIR/EL.log" >"$LAB_DIR/creds.log"
is "$(grep -c '^http 127\.0\.0\.82 GET /seg\.ts auth=none$' "$LAB_DIR/creds.log")" 6 "six segment requests, no bearer"
is "$(grep -c 'GET /x\.m3u8?.* auth=Bearer s3cr3t-edge$' "$LAB_DIR/creds.log")" 6 "the bearer on each edge's playlist request"
no_line_matches 's3cr3t-edge' "-vvv with --all-addresses: no secret in the output"
perf_ok "check_stream edges: perfdata parses"

# edges answering one after another: the fan-out runs six at a time in
# batches, so a slow edge in the first batch delays the second batch's
# start; two edges of 0.8 s each under -t 1.5 fail though each fits in -t
run "$API" -u "http://e12.edge.test:$P/x?127.0.0.71=slow0.8&127.0.0.77=slow0.8" \
  --all-addresses --resolver "$R" -t 1.5
[ "$RC" = 0 ]
ok $? "two 0.8 s edges in different batches under -t 1.5: OK"
wall_below 1.5 "slow edges: within -t"

# memory: six edges' JSON trees (check_api's bodies, check_login's token
# responses) are judged one at a time under a lock, yet every edge thread
# keeps its freed tree in its own malloc arena: about 30 MiB each. And
# check_stream parses six 5.5 MB playlists at once, without a lock.
if [ "$SW_BUILD" = plain ] && [ -x /usr/bin/time ]; then
  rss_of() { printf '%s\n' "$ERR" | sed -n 's/^rss=//p'; }
  Q=$(seq -f '127.0.0.%g=big' 71 82 | tr '\n' '&')
  run /usr/bin/time -f 'rss=%M' "$API" -u "http://e6.edge.test:$P/x?$Q" -j /0 \
    --all-addresses --resolver "$R" -t 10
  is_rc 0 "six edges of 1 MB JSON (a 40 MiB tree each): OK"
  rss=$(rss_of)
  [ "${rss:-0}" -le 65536 ]
  ok $? "check_api, six JSON trees: peak RSS ${rss:-?} KiB within 64 MiB"
  printf 'sekrit\n' >"$LAB_DIR/cs"
  run /usr/bin/time -f 'rss=%M' "$PLUGINDIR/check_login" -u "http://e6.edge.test:$P/token?$Q" \
    --client-id c --client-secret-file "$LAB_DIR/cs" --all-addresses --resolver "$R" -t 10
  is_rc 2 "check_login, six token endpoints answering 1 MB of JSON: CRITICAL"
  first_line_matches '^LOGIN CRITICAL - 6/6 edges of e6\.edge\.test failing: 127\.0\.0\.71 no access_token in response' \
    "the token response judged on each edge"
  rss=$(rss_of)
  [ "${rss:-0}" -le 65536 ]
  ok $? "check_login, six token trees: peak RSS ${rss:-?} KiB within 64 MiB"
  Q=$(seq -f '127.0.0.%g=hls' 71 82 | tr '\n' '&')
  run /usr/bin/time -f 'rss=%M' "$PLUGINDIR/check_stream" -u "http://e6.edge.test:$P/x.m3u8?${Q}size=5500000" \
    --all-addresses --resolver "$R" -t 10
  is_rc 2 "check_stream, six 5.5 MB playlists (segments not media): CRITICAL"
  first_line_matches '^STREAM CRITICAL - 6/6 edges of e6\.edge\.test failing: 127\.0\.0\.71 segment s+\.\.\.: not media' \
    "each edge's playlist parsed, its segment judged"
  rss=$(rss_of)
  [ "${rss:-0}" -le 65536 ]
  ok $? "check_stream, six playlists: peak RSS ${rss:-?} KiB within 64 MiB"
else
  for what in "check_api, six JSON trees" "check_login, six token trees" "check_stream, six playlists"; do
    skip_one "$what: peak RSS within 64 MiB" "peak RSS only in a plain build"
  done
fi

# DASH on three edges at once: each MPD is parsed in an edge thread
Q=$(seq -f '127.0.0.%g=mpd' 71 82 | tr '\n' '&')
run "$PLUGINDIR/check_stream" -u "http://e3.edge.test:$P/x.mpd?$Q" --all-addresses --resolver "$R" -t 5
is_rc 2 "three DASH edges whose segment is not media: CRITICAL"
for a in 71 72 73; do
  line_matches "^\\\\_ \\[CRITICAL\\] 127\\.0\\.0\\.$a: segment s1\\.m4s: not media: .*DASH no media \\(representation a" \
    "edge 127.0.0.$a: its MPD parsed, its segment judged"
done
perf_ok "DASH edges: perfdata parses"

# ------------------------------------------------ configurations
run "$API" -u "http://e2.edge.test:$P/x" --all-addresses --resolver "127.0.0.70:99999"
is_rc 3 "--resolver with a bad port: UNKNOWN"
first_line_matches '^API UNKNOWN - --resolver: invalid address' "names --resolver"
plan_done
