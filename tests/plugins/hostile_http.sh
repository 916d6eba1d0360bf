#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The hostile-server matrix over HTTP (issue 8): every network plugin that
# speaks HTTP (check_api; check_login's client-credentials flow against a
# hostile token URL; check_stream progressive, its HLS playlist URL and an
# HLS segment URL being hostile) against faulthttp servers that accept and
# never answer, trickle the body or the status line and headers one byte a
# second, send endless headers, an endless body, a 1 GiB Content-Length
# (fast and slow), reset mid-body, break chunked encoding, cut the header
# block, stall the TLS handshake or redirect in a loop.
#
# Memory bombs inside the documented limits, served by filehttp.py (files
# to GET and POST alike: a token endpoint is POSTed to): JSON bodies
# of 4 MB ([{},{},...], [[],[],...], [1,1,...], deep nesting, one long
# string, many keys) to check_api and check_login, DASH MPDs of 8 MB (838k
# <S d="1"/>, 2M unknown elements) and an HLS playlist one segment past
# its limit to check_stream.
#
# Each run asserts: the exit code of the right state (CRITICAL, or what
# -t STATE says on a timeout; UNKNOWN naming the limit for a bomb), the
# state word and the stage in the first line, WALL below -t plus a margin
# (the deadline is a correctness property), perfdata that parses, and
# memory bounded by design: the peak RSS /usr/bin/time measures is at most
# 64 MiB (65536 KiB) and the run ends with its clean result line (never a
# crash, never an exit code above 3). prlimit --as=1 GiB stays only as a
# safety net for the machine. Under ASan (or valgrind, make
# check-valgrind) neither prlimit nor the RSS bound can work: the other
# assertions then run alone, each said by a diag line; under valgrind
# lib.sh skips the time bounds, and a run memcheck slows past its own
# deadline may end on the -t alarm's line ("timed out after 3 s", no
# stage, no perfdata).
#
# Runs go in parallel batches (most of them wait out -t). Each prints a
# "# table: plugin|server|state|key text|wall s (-t)" line: the table of
# docs/reliability.md.
# shellcheck disable=SC2086 # $API, $R, ... are command words on purpose
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/plugins/hostile_lib.sh"
need_cmd prlimit "prlimit (util-linux) not found"
need_cmd /usr/bin/time "/usr/bin/time (Debian package time) not found"
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
http_start_fault S 127.0.0.1 --stall-tls || bail_out "faulthttp --stall-tls did not start"
mkdir -p "$LAB_DIR/bombs"
F=$FAULT_URL_F
TLS=$FAULT_URL_S # https://, the handshake never starts
BATCH=10 # runs at once
hostile_init "$PLUGINDIR/check_api"

sec=$LAB_DIR/client.secret
printf 'h0stile-client-secret\n' >"$sec"
API="$PLUGINDIR/check_api -t $T"
LOGIN="$PLUGINDIR/check_login --client-id hostile --client-secret-file $sec -t $T"
# --duration 1: a 5 s sample does not fit in -t 3 (UNKNOWN, conventions.md)
PROG="$PLUGINDIR/check_stream --type progressive --duration 1 -t $T"
DASH="$PLUGINDIR/check_stream --type dash -t $T"
HLS="$PLUGINDIR/check_stream --type hls -t $T"

# hls_seg PATH: faulthttp's good HLS playlist whose one segment is PATH
hls_seg() { printf '%s/hls?seg=%s' "$F" "$(printf '%s' "$1" | sed 's/?/%3F/; s/&/%26/g; s/=/%3D/g')"; }

# memory_bombs DIR: the bodies of the memory rows, each within the limit
# its plugin documents (check_api --max-size 4 MiB, MPD and HLS 8 MiB)
memory_bombs() {
  "$LAB_PY" - "$1" <<'EOF' || bail_out "could not write the memory bombs"
import sys
d, n = sys.argv[1], 4 * 1024 * 1024
def rep(item):
    return "[" + ",".join([item] * ((n - 2) // (len(item) + 1))) + "]"
def put(name, text):
    with open(d + "/" + name, "w") as f:
        f.write(text)
put("objects.json", rep("{}"))
put("arrays.json", rep("[]"))
put("ones.json", rep("1"))
put("deep.json", "[" * 100000 + "]" * 100000)
put("string.json", '{"s":"' + "a" * (n - 16) + '"}')
put("keys.json", "{" + ",".join('"k%d":1' % i for i in range(300000)) + "}")
head = ('<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" '
        'type="static" mediaPresentationDuration="PT10H"><Period>'
        '<AdaptationSet mimeType="audio/mp4"><SegmentTemplate timescale="1" '
        'media="s$Number$.m4s"><SegmentTimeline><S d="1"/>')
tail = ('</SegmentTimeline></SegmentTemplate><Representation id="a" '
        'bandwidth="1"/></AdaptationSet></Period></MPD>')
room = 8 * 1024 * 1024 - len(head) - len(tail)
put("s.mpd", head + '<S d="1"/>' * (room // 10) + tail)
put("unknown.mpd", head + "<x/>" * (room // 4) + tail)
put("segments.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n" +
    "#EXTINF:2,\ns.ts\n" * 50001 + "#EXT-X-ENDLIST\n")
EOF
}
memory_bombs "$LAB_DIR/bombs"
lab_spawn_ready W "$LAB_PY" "$top_srcdir/tests/plugins/filehttp.py" --addr 127.0.0.1 --dir "$LAB_DIR/bombs" ||
  bail_out "filehttp.py did not start"
B=http://127.0.0.1:$LAB_READY_PORT # the bombs, as files

# --- the matrix ---------------------------------------------------------
# accepts, reads the request, never answers
K='timeout after 2\.[0-9] s waiting for first byte from '
row check_api blackhole 2 API CRITICAL "GET $K" $API -u "$F/blackhole"
row check_login blackhole 2 LOGIN CRITICAL "step 1/1 POST /blackhole: $K" $LOGIN -u "$F/blackhole"
row "check_stream progressive" blackhole 2 STREAM CRITICAL "$K" $PROG -u "$F/blackhole"
row "check_stream HLS playlist" blackhole 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/blackhole"
row "check_stream HLS segment" blackhole 2 STREAM CRITICAL "segment blackhole: $K" $HLS -u "$(hls_seg /blackhole)"
# the same with -t 3:warning: the state on expiry is what -t says
row check_api "blackhole, -t 3:warning" 1 API WARNING "GET $K" $API:warning -u "$F/blackhole"
row check_login "blackhole, -t 3:unknown" 3 LOGIN UNKNOWN "step 1/1 POST /blackhole: $K" $LOGIN:unknown -u "$F/blackhole"
row "check_stream progressive" "blackhole, -t 3:warning" 1 STREAM WARNING "$K" $PROG:warning -u "$F/blackhole"

# 200 and Content-Length: 100000000 at once, then one byte a second
K='timeout after 2\.[0-9] s reading the body of '
row check_api "body 1 byte/s" 2 API CRITICAL "GET $K" $API -u "$F/trickle"
row check_login "body 1 byte/s" 2 LOGIN CRITICAL "step 1/1 POST /trickle: $K" $LOGIN -u "$F/trickle"
# (progressive: the 1 s sample ends first and judges what came)
row "check_stream progressive" "body 1 byte/s" 2 STREAM CRITICAL "not audio: application/json" $PROG -u "$F/trickle"
row "check_stream HLS playlist" "body 1 byte/s" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/trickle"
row "check_stream HLS segment" "body 1 byte/s" 2 STREAM CRITICAL "segment trickle: $K" $HLS -u "$(hls_seg /trickle)"

# status line and headers one byte a second
K='timeout after 2\.[0-9] s reading the headers of '
row check_api "headers 1 byte/s" 2 API CRITICAL "GET $K" $API -u "$F/trickle-head"
row check_login "headers 1 byte/s" 2 LOGIN CRITICAL "step 1/1 POST /trickle-head: $K" $LOGIN -u "$F/trickle-head"
row "check_stream progressive" "headers 1 byte/s" 2 STREAM CRITICAL "$K" $PROG -u "$F/trickle-head"
row "check_stream HLS playlist" "headers 1 byte/s" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/trickle-head"
row "check_stream HLS segment" "headers 1 byte/s" 2 STREAM CRITICAL "segment trickle-head: $K" $HLS -u "$(hls_seg /trickle-head)"

# a header block that never ends
K='reading headers failed: Too large response headers'
row check_api "endless headers" 2 API CRITICAL "GET .*/endless-headers: $K" $API -u "$F/endless-headers"
row check_login "endless headers" 2 LOGIN CRITICAL "step 1/1 POST /endless-headers: $K" $LOGIN -u "$F/endless-headers"
row "check_stream progressive" "endless headers" 2 STREAM CRITICAL "$K" $PROG -u "$F/endless-headers"
row "check_stream HLS playlist" "endless headers" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/endless-headers"
row "check_stream HLS segment" "endless headers" 2 STREAM CRITICAL "segment endless-headers: $K" $HLS -u "$(hls_seg /endless-headers)"

# no Content-Length, a body that never ends, as fast as it is read
K='reading body failed: larger than --max-size \([0-9]+ bytes read\)'
row check_api "endless body" 2 API CRITICAL "GET .*/endless-body: $K" $API -u "$F/endless-body"
row check_login "endless body" 2 LOGIN CRITICAL "step 1/1 POST /endless-body: $K" $LOGIN -u "$F/endless-body"
row "check_stream progressive" "endless body (x bytes)" 2 STREAM CRITICAL "not audio: " $PROG -u "$F/endless-body"
row "check_stream progressive" "endless body (MP3), --duration 1" 0 STREAM OK "progressive live MP3 128 kb/s, [0-9]+ bytes at [0-9.]+x real time" \
  $PROG -u "$F/endless-body?mp3=1"
# a playlist past HLS_MAX_BYTES is check_stream's limit (UNKNOWN); segments
# are judged as they stream, never buffered whole
P="playlist: larger than 8388608 bytes, check_stream's limit for it"
row "check_stream HLS playlist" "endless body" 3 STREAM UNKNOWN "$P" $HLS -u "$F/endless-body"
row "check_stream HLS segment" "endless body" 2 STREAM CRITICAL "segment endless-body: timeout after 2\.[0-9] s reading the body of " $HLS -u "$(hls_seg /endless-body)"

# Content-Length: 1 GiB, sent as fast as it is read
row check_api "1 GiB Content-Length, fast" 2 API CRITICAL "GET .*/gigabyte: $K" $API -u "$F/gigabyte"
row check_login "1 GiB Content-Length, fast" 2 LOGIN CRITICAL "step 1/1 POST /gigabyte: $K" $LOGIN -u "$F/gigabyte"
row "check_stream progressive" "1 GiB Content-Length (MP3), fast, --duration 1" 0 STREAM OK "progressive MP3 128 kb/s, [0-9]+ bytes at [0-9.]+x real time" \
  $PROG -u "$F/gigabyte?mp3=1"
row "check_stream HLS playlist" "1 GiB Content-Length, fast" 3 STREAM UNKNOWN "$P" $HLS -u "$F/gigabyte"
row "check_stream HLS segment" "1 GiB Content-Length, fast" 2 STREAM CRITICAL "segment gigabyte: not media: text/plain" $HLS -u "$(hls_seg /gigabyte)"

# Content-Length: 1 GiB, then 1 KiB (or one MP3 frame) a second
K='timeout after 2\.[0-9] s reading the body of '
row check_api "1 GiB Content-Length, 1 KiB/s" 2 API CRITICAL "GET $K" $API -u "$F/gigabyte?interval=1"
row check_login "1 GiB Content-Length, 1 KiB/s" 2 LOGIN CRITICAL "step 1/1 POST /gigabyte\?interval=1: $K" $LOGIN -u "$F/gigabyte?interval=1"
row "check_stream progressive" "1 GiB Content-Length (MP3), 1 frame/s" 2 STREAM CRITICAL "media arrives at 0\.[0-9]+x real time \(--rate-critical: below 1x\)" $PROG -u "$F/gigabyte?mp3=1&interval=1"
row "check_stream HLS playlist" "1 GiB Content-Length, 1 KiB/s" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/gigabyte?interval=1"
row "check_stream HLS segment" "1 GiB Content-Length, 1 KiB/s" 2 STREAM CRITICAL "segment gigabyte: $K" $HLS -u "$(hls_seg '/gigabyte?interval=1')"

# TCP reset in the middle of the body
K='reading body failed: Connection reset by peer'
row check_api "reset mid-body" 2 API CRITICAL "GET .*/reset: $K" $API -u "$F/reset"
row check_login "reset mid-body" 2 LOGIN CRITICAL "step 1/1 POST /reset: $K" $LOGIN -u "$F/reset"
row "check_stream progressive" "reset mid-body (MP3)" 2 STREAM CRITICAL "$K" $PROG -u "$F/reset?mp3=1&after=50000"
row "check_stream HLS playlist" "reset mid-body" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/reset"
row "check_stream HLS segment" "reset mid-body" 2 STREAM CRITICAL "segment reset: $K" $HLS -u "$(hls_seg /reset)"

# a chunk-size line that is not hexadecimal
K='reading body failed: Illegal or missing hexadecimal sequence in chunked-encoding'
row check_api "broken chunked encoding" 2 API CRITICAL "GET .*/bad-chunked: $K" $API -u "$F/bad-chunked"
row check_login "broken chunked encoding" 2 LOGIN CRITICAL "step 1/1 POST /bad-chunked: $K" $LOGIN -u "$F/bad-chunked"
row "check_stream progressive" "broken chunked encoding" 2 STREAM CRITICAL "$K" $PROG -u "$F/bad-chunked"
row "check_stream HLS playlist" "broken chunked encoding" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/bad-chunked"
row "check_stream HLS segment" "broken chunked encoding" 2 STREAM CRITICAL "segment bad-chunked: $K" $HLS -u "$(hls_seg /bad-chunked)"

# status line and one header, then the connection closes
K='reading headers failed: connection closed before the end of the headers'
row check_api "header block cut short" 2 API CRITICAL "GET .*/close: $K" $API -u "$F/close"
row check_login "header block cut short" 2 LOGIN CRITICAL "step 1/1 POST /close: $K" $LOGIN -u "$F/close"
row "check_stream progressive" "header block cut short" 2 STREAM CRITICAL "$K" $PROG -u "$F/close"
row "check_stream HLS playlist" "header block cut short" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/close"
row "check_stream HLS segment" "header block cut short" 2 STREAM CRITICAL "segment close: $K" $HLS -u "$(hls_seg /close)"

# TCP accepted, the TLS handshake never starts
K='timeout after 2\.[0-9] s in the TLS handshake with https://'
row check_api "TLS handshake stalled" 2 API CRITICAL "GET $K" $API -u "$TLS/json"
row check_login "TLS handshake stalled" 2 LOGIN CRITICAL "step 1/1 POST /token: $K" $LOGIN -u "$TLS/token"
row "check_stream progressive" "TLS handshake stalled" 2 STREAM CRITICAL "$K" $PROG -u "$TLS/live.mp3"
row "check_stream HLS playlist" "TLS handshake stalled" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$TLS/live.m3u8"
row "check_stream HLS segment" "TLS handshake stalled" 2 STREAM CRITICAL "segment seg0\.ts: $K" $HLS -u "$(hls_seg "$TLS/seg0.ts")"

# 302 to itself, for ever (a token endpoint is not followed: the 302 is
# the login service's error)
K='redirect failed: too many redirects'
row check_api "redirect loop" 2 API CRITICAL "GET .*/redirect-loop: $K" $API -u "$F/redirect-loop"
row check_login "redirect loop" 2 LOGIN CRITICAL "login service error: HTTP 302 Found \(from " $LOGIN -u "$F/redirect-loop"
row "check_stream progressive" "redirect loop" 2 STREAM CRITICAL "$K" $PROG -u "$F/redirect-loop"
row "check_stream HLS playlist" "redirect loop" 2 STREAM CRITICAL "playlist: $K" $HLS -u "$F/redirect-loop"
row "check_stream HLS segment" "redirect loop" 2 STREAM CRITICAL "segment redirect-loop: $K" $HLS -u "$(hls_seg /redirect-loop)"
# memory bombs within the documented limits: the parsers' budgets refuse
# them as UNKNOWN naming the limit (not a CRITICAL about the service),
# or parse them, and the peak RSS stays under 64 MiB either way
K='more than the 40 MiB this check parses \(limit\)'
row check_api "4 MB JSON [{},{},...]" 3 API UNKNOWN "JSON body has 1398101 values \(1398100 objects, 1 arrays\) needing about [0-9]+ MiB, $K" $API -u "$B/objects.json" -j /0
row check_api "4 MB JSON [[],[],...]" 3 API UNKNOWN "JSON body has 1398101 values \(0 objects, 1398101 arrays\) needing about [0-9]+ MiB, $K" $API -u "$B/arrays.json" -j /0
row check_api "4 MB JSON [1,1,...]" 3 API UNKNOWN "JSON body has 2097152 values .*$K" $API -u "$B/ones.json" -j /0
row check_api "4 MB JSON, 300000 keys" 3 API UNKNOWN "JSON body has 300001 values .*$K" $API -u "$B/keys.json" -j /k1
row check_api "JSON nested 100000 deep" 3 API UNKNOWN "JSON nested deeper than 64 levels \(limit\)" $API -u "$B/deep.json" -j /0
row check_api "4 MB JSON string" 0 API OK "1 assertion holds" $API -u "$B/string.json" -j /s
row check_login "4 MB JSON [{},{},...] as token" 3 LOGIN UNKNOWN "token response not judged: JSON body has 1398101 values .*$K" $LOGIN -u "$B/objects.json"
row "check_stream DASH" "8 MB MPD of <S d=\"1\"/>" 3 STREAM UNKNOWN "MPD has 838[0-9]{3} elements, more than the 120000 this check parses \(limit\)" $DASH -u "$B/s.mpd"
row "check_stream DASH" "8 MB MPD of unknown elements" 3 STREAM UNKNOWN "MPD has 2097[0-9]{3} elements, more than the 120000 this check parses \(limit\)" $DASH -u "$B/unknown.mpd"
row "check_stream HLS playlist" "50001 segments" 3 STREAM UNKNOWN "more than 50000 segments \(limit\)" $HLS -u "$B/segments.m3u8"
hostile_assert
plan_done
