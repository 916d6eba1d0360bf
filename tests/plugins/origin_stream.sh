#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Credentials stay with their origin (docs/check_stream.1): each credential
# kind check_stream has (bearer, -k credential header, Basic from URL
# userinfo) x each way a stream names another origin (HLS variant, segment,
# init segment, key, DASH BaseURL, .pls entry, a redirect, https -> http).
# Servers that log every header they receive (logsrv_stream.py): the
# secret must reach the origin of -u and never the other one, and the
# output must name the other origin (and the clear-text hop, WARNING).
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/tls.sh"
. "$top_srcdir/tests/streamlab/media.sh"
media_have_ffmpeg || skip_all "ffmpeg missing"
lab_init
tls_make_certs || bail_out "no test certificates"
P=$PLUGINDIR/check_stream
W=$LAB_DIR/www
mkdir -p "$W/hls" "$W/f4" "$W/dash" "$W/auth" || bail_out "mkdir"

# The media, once: 4 s of a sine as HLS (MPEG-TS and fMP4), DASH, MP3.
ff() { "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel error -y \
  -f lavfi -i sine=frequency=440:duration=4 -c:a aac -b:a 64k "$@"; }
ff -f hls -hls_time 1 -hls_playlist_type vod \
  -hls_segment_filename "$W/hls/seg%03d.ts" "$W/hls/index.m3u8" &&
  ff -f hls -hls_time 1 -hls_playlist_type vod -hls_segment_type fmp4 \
    -hls_fmp4_init_filename init.mp4 -hls_segment_filename "$W/f4/seg%03d.m4s" \
    "$W/f4/index.m3u8" &&
  ff -f dash -seg_duration 1 "$W/dash/manifest.mpd" &&
  "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel error -y -f lavfi \
    -i sine=frequency=440:duration=3 -c:a libmp3lame -b:a 128k "$W/tone.mp3" ||
  bail_out "ffmpeg could not make the media"
cp "$W/hls/seg000.ts" "$W/auth/seg000.ts" || bail_out "cp"

# Origin A (the -u URL's, plain and TLS) and another origin B.
start() { # start NAME ADDR [tls]: sets URL_<NAME>
  if [ -n "${3:-}" ]; then
    lab_spawn_ready "$1" "$LAB_PY" "$LAB_SRC/logsrv_stream.py" --addr "$2" \
      --root "$W" --tls-cert "$TLS_DIR/valid.pem" --tls-key "$TLS_DIR/valid.key" ||
      bail_out "logsrv_stream $1 did not start"
    eval "URL_$1=https://$2:$LAB_READY_PORT"
  else
    lab_spawn_ready "$1" "$LAB_PY" "$LAB_SRC/logsrv_stream.py" --addr "$2" \
      --root "$W" || bail_out "logsrv_stream $1 did not start"
    eval "URL_$1=http://$2:$LAB_READY_PORT"
  fi
  lab_wait_tcp "$2" "$LAB_READY_PORT" "$LAB_PID" || bail_out "$1 does not answer"
}
start A 127.0.0.1
start B 127.0.0.2
start T 127.0.0.1 tls
B_ORIGIN=$URL_B

# Each way to another origin: a document on A naming B.
sed "s|^seg|$URL_B/hls/seg|" "$W/hls/index.m3u8" >"$W/segment.m3u8"
printf '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=70000\n%s/hls/index.m3u8\n' \
  "$URL_B" >"$W/variant.m3u8"
sed -e "s|URI=\"init.mp4\"|URI=\"$URL_B/f4/init.mp4\"|" -e 's|^seg|f4/seg|' \
  "$W/f4/index.m3u8" >"$W/init.m3u8"
sed -e "s|^#EXTINF|#EXT-X-KEY:METHOD=AES-128,URI=\"$URL_B/key.bin\"\n#EXTINF|" \
  -e 's|^seg|hls/seg|' "$W/hls/index.m3u8" |
  awk '!done && /^#EXT-X-KEY/ { print; done = 1; next } !/^#EXT-X-KEY/' >"$W/key.m3u8"
sed "s|<Period \([^>]*\)>|<Period \1><BaseURL>$URL_B/dash/</BaseURL>|" \
  "$W/dash/manifest.mpd" >"$W/baseurl.mpd"
printf '[playlist]\nNumberOfEntries=1\nFile1=%s/tone.mp3\n' "$URL_B" >"$W/radio.pls"
sed "s|^seg\(.*\)|$URL_A/redirect?to=$URL_B/hls/seg\1|" "$W/hls/index.m3u8" >"$W/redirect.m3u8"
# https -> http: the TLS origin's playlist names its segments over http
sed "s|^seg|$URL_A/hls/seg|" "$W/hls/index.m3u8" >"$W/clear.m3u8"
sed "s|^seg|$URL_B/auth/seg|" "$W/hls/index.m3u8" >"$W/denied.m3u8"
grep -q '<BaseURL>' "$W/baseurl.mpd" && grep -q 'EXT-X-KEY' "$W/key.m3u8" &&
  grep -q "URI=\"$URL_B/f4/init.mp4\"" "$W/init.m3u8" ||
  bail_out "the documents naming another origin were not written"

N=0
# secret KIND: a new secret for each run, so a log line is this run's
secret() {
  N=$((N + 1))
  SECRET=s3cr3t-$1-$N-$$
  B64=$(printf 'user:%s' "$SECRET" | base64 | tr -d '\n')
}
# run_creds KIND URL [OPTION...]: check_stream with a credential kind
run_creds() {
  _k=$1 _u=$2
  shift 2
  case $_k in
    bearer) run "$P" -u "$_u" --bearer "$SECRET" "$@" ;;
    header) run "$P" -u "$_u" -k "X-Api-Key: $SECRET" -k 'X-Trace: plain' "$@" ;;
    basic) run "$P" -u "$(printf '%s' "$_u" | sed "s|://|://user:$SECRET@|")" "$@" ;;
  esac
}
# got_secret NAME: did server NAME receive this run's secret (any form)?
got_secret() {
  grep -qF -e "$SECRET" -e "$B64" "$LAB_DIR/$1.log"
}

# matrix WAY PATH ORIGINSERVER OTHER EXPECT_RC STATE OTHERLINE
matrix() {
  for kind in bearer header basic; do
    secret "$kind"
    run_creds "$kind" "$2" --ca-file "$TLS_CA" -t 8 --duration 2
    is_rc "$5" "$1, $kind: exit $5"
    first_line_matches "^STREAM $6 - " "$1, $kind: $6"
    perf_ok "$1, $kind: perfdata parses"
    ! got_secret "$4"
    ok $? "$1, $kind: the secret never reached the other origin ($4)"
    if [ "$1" != "key" ] || [ "$kind" != basic ]; then
      got_secret "$3"
      ok $? "$1, $kind: the -u origin got it ($3)"
    fi
    if [ -n "$7" ]; then
      line_matches "$7" "$1, $kind: the other origin named"
      if [ "$kind" != header ]; then
        no_line_matches "$SECRET|$B64" "$1, $kind: the secret is not in the output"
      fi
    fi
    no_line_matches 'user:' "$1, $kind: no URL userinfo shown"
  done
}

OTHER='^\\_ \[OK\] [0-9]+ requests? to another origin than -u.s: http://127\.0\.0\.2:[0-9]+ \((.*)\); credentials not sent there$'
# --token-cache: the bearer check_login saved goes where --bearer goes,
# to -u's origin only
secret cache
printf '# streamwatch token cache (check_login); do not edit\ntoken_type=Bearer\nexpires_at=%s\naccess_token=%s\n' \
  "$(($(date +%s) + 3600))" "$SECRET" >"$LAB_DIR/token.cache"
run "$P" -u "$URL_A/segment.m3u8" --token-cache "$LAB_DIR/token.cache" -t 8 --duration 2
is_rc 0 "HLS segment, token cache: exit 0"
first_line_matches '^STREAM OK - ' "HLS segment, token cache: OK"
perf_ok "HLS segment, token cache: perfdata parses"
got_secret A
ok $? "HLS segment, token cache: the -u origin got the cached bearer"
! got_secret B
ok $? "HLS segment, token cache: the other origin did not"
line_matches '^\\_ \[OK\] bearer token from .*/token\.cache, valid [0-9]+ s more$' \
  "HLS segment, token cache: the cache and its time left named"
no_line_matches "$SECRET" "HLS segment, token cache: the token is not in the output"
matrix "HLS variant" "$URL_A/variant.m3u8" A B 0 OK "$OTHER"
matrix "HLS segment" "$URL_A/segment.m3u8" A B 0 OK "$OTHER"
matrix "init segment" "$URL_A/init.m3u8" A B 0 OK "$OTHER"
# check_stream does not fetch keys (segments are checked for arrival and
# size only): the key's origin gets nothing at all
matrix "key" "$URL_A/key.m3u8" A B 0 OK ""
matrix "DASH BaseURL" "$URL_A/baseurl.mpd" A B 0 OK "$OTHER"
matrix ".pls entry" "$URL_A/radio.pls" A B 0 OK "$OTHER"
# (the origin the credentials were held back from, or the hop itself)
HOP='^\\_ \[OK\] [0-9]+ requests? to another origin than -u.s: (http://127\.0\.0\.2:[0-9]+|http://127\.0\.0\.1:[0-9]+/ -> http://127\.0\.0\.2:[0-9]+/hls/seg00[0-9]\.ts) \(segment redirect\)'
matrix "redirect" "$URL_A/redirect.m3u8" A B 0 OK "$HOP; credentials not sent there\$"
matrix "https -> http" "$URL_T/clear.m3u8" T A 1 WARNING \
  '^\\_ \[WARNING\] clear text: https -> http, https://127\.0\.0\.1:[0-9]+/clear\.m3u8 names http://127\.0\.0\.1:[0-9]+/hls/seg000\.ts \(players on https pages refuse it as mixed content; credentials not sent\)$'
first_line_matches '^STREAM WARNING - clear text: https -> http' "https -> http: the summary names the clear-text hop"

# The other origin refuses media without credentials: the summary says
# they were withheld, so nobody hunts a broken CDN.
secret bearer
run_creds bearer "$URL_A/denied.m3u8"
is_rc 2 "403 from the other origin: exit 2"
first_line_matches "^STREAM CRITICAL - segment seg000\.ts: HTTP 403 Forbidden \(credentials withheld from http://127\.0\.0\.2:[0-9]+: another origin than -u's\)" \
  "403 from the other origin: credentials withheld named"
perf_ok "403: perfdata parses"
! got_secret B
ok $? "403: the secret never reached the other origin"

# --connect-to pins the -u URL's host, not the hosts its playlist names:
# the segments on B are fetched from B, not sent to A's address.
b_before=$(wc -l <"$LAB_DIR/B.log")
run "$P" -u "http://stream.test:${URL_A##*:}/segment.m3u8" --connect-to 127.0.0.1
is_rc 0 "--connect-to with segments on another host: exit 0"
first_line_matches '^STREAM OK - HLS MPEG-TS, 2 segments' "--connect-to: the other host's segments fetched"
tail -n +"$((b_before + 1))" "$LAB_DIR/B.log" | grep -q '^REQ GET /hls/seg000.ts'
ok $? "--connect-to: B got its segment requests"
grep -q '"Host": "stream.test:' "$LAB_DIR/A.log"
ok $? "--connect-to: A got the playlist under the -u host name"

# A secret holding a '/' echoed in a segment's path: masked before the
# segment's name is cut from the URL (its tail alone is no match for a
# mask once cut).
printf '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\np/head-%s/tail-%s\n#EXT-X-ENDLIST\n' \
  "$$" "$$" >"$W/echo.m3u8"
run "$P" -u "$URL_A/echo.m3u8" --bearer "head-$$/tail-$$"
is_rc 2 "secret in a segment path: exit 2 (404)"
first_line_matches '^STREAM CRITICAL - segment \*+: HTTP 404 ' "the segment named, masked"
no_line_matches "tail-$$" "no tail of the secret in the output"

# Without credentials, a redirect to another origin is named too (the hop).
run "$P" -u "$URL_A/redirect.m3u8"
is_rc 0 "redirect without credentials: exit 0"
line_matches "$HOP\$" "redirect without credentials: the hop named"

# Without credentials, another origin is still named (no "not sent").
run "$P" -u "$URL_A/segment.m3u8"
is_rc 0 "no credentials: exit 0"
line_matches '^\\_ \[OK\] [0-9]+ requests to another origin than -u.s: http://127\.0\.0\.2:[0-9]+ \(segment seg000\.ts\)$' \
  "no credentials: the other origin named"
[ -n "$B_ORIGIN" ]
ok $? "origin B was up"

plan_done
