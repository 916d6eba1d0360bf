#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_stream against ffmpeg's HLS and DASH muxers writing live and VOD
# into nginx: variants, segments, a live playlist that must move, and the
# faults: stale playlist, 404 segment, broken TS sync, slow segments.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/media.sh"
media_have_ffmpeg || skip_all "ffmpeg missing"
http_have_nginx || skip_all "nginx missing"
lab_init
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
media_start_hls LIVE W live ts || bail_out "live HLS did not start"
media_start_hls VOD W vod ts || bail_out "VOD HLS did not start"
media_start_hls F4 W vod fmp4 || bail_out "fMP4 HLS did not start"
media_start_dash DV W vod || bail_out "VOD DASH did not start"
media_start_dash DL W live || bail_out "live DASH did not start"
P=$PLUGINDIR/check_stream

run "$P" -u "$HLS_URL_LIVE" --expect-format ts
is_rc 0 "HLS live: exit 0"
first_line_matches '^STREAM OK - HLS live MPEG-TS \(variant 1/3, 140800 b/s\), 2 segments, [0-9]+ bytes at [0-9.]+x real time' \
  "HLS live: lowest variant, two segments"
line_matches '^\\_ \[OK\] playlist moving \([0-9]+ new segments?\)$' "the live playlist moves"
perf_ok "HLS live: perfdata parses"
is "$(perf_value segments)" 2 "segments=2"
is "$(perf_field rate 4)" 1.5: "download default warning range on rate"
is "$(perf_value bitrate)" 140800 "bitrate: the variant's BANDWIDTH (video frames carry none)"
# playlist_age in every run of one configuration, measured with
# fractions and never below 0: from the program date-times (HLS) or
# availabilityStartTime (DASH), when the playlist arrived. (A whole-second
# clock made it negative, so U, in most runs.) A segment listed a few ms
# before its end (ffmpeg's DASH muxer under load) is age 0, never below.
for url in "$HLS_URL_LIVE" "$DASH_URL_DL"; do
  ages= bad=
  for i in 1 2 3 4 5 6; do
    run "$P" -u "$url"
    a=$(perf_value playlist_age)
    ages="$ages $a"
    [ "$RC" = 0 ] && printf '%s\n' "$a" | grep -Eq '^([0-9]+\.[0-9]+|0)$' &&
      awk -v a="$a" 'BEGIN { exit !(a >= 0 && a <= 2.5) }' || bad="$bad run$i:$RC:$a"
    printf '%s\n' "$(first_line)" | grep -Eq 'playlist_age=[0-9.]+s segments=[0-9]+' ||
      bad="$bad run$i:labels"
  done
  is "${bad:-none}" none "$url: playlist_age in 6 of 6 runs, with fractions, 0..2.5 s:$ages"
done
# -v: one line with the media playlist and the segments fetched
run "$P" -u "$HLS_URL_LIVE" -v
is_rc 0 "HLS -v: exit 0"
line_matches '^\\_ \[OK\] media playlist: live, target duration 1 s, media sequence [0-9]+, [0-9]+ segments listed, program date-time; fetched: seg[0-9]+\.ts [0-9]+ B in [0-9.]+ s, seg[0-9]+\.ts [0-9]+ B in [0-9.]+ s$' \
  "HLS -v: the playlist and each segment fetched"
is "$(lines_count)" 3 "HLS -v: one line more than without"
run "$P" -u "$DASH_URL_DL" -v
line_matches '^\\_ \[OK\] MPD: dynamic, 3 representations, segments from number [0-9]+; fetched: init-stream0\.m4s [0-9]+ B in [0-9.]+ s, chunk-stream0-[0-9]+\.m4s ' \
  "DASH -v: the MPD and each segment fetched"
run "$P" -u "$HLS_URL_LIVE" --min-bitrate 200
is_rc 1 "--min-bitrate above the variant's: exit 1"
first_line_matches '^STREAM WARNING - bitrate 141 kb/s is below 200 kb/s ' \
  "--min-bitrate: the fallback to a low variant named"
run "$P" -u "$HLS_URL_LIVE" --variant highest --segments 3
is_rc 0 "--variant highest --segments 3: exit 0"
first_line_matches '\(variant 3/3, 281600 b/s\), 3 segments' "highest variant, three segments"
run "$P" -u "$HLS_URL_LIVE" --variant 200000
first_line_matches '\(variant 1/3, 140800 b/s\)' "--variant BANDWIDTH: the highest not above it"

run "$P" -u "$HLS_URL_VOD"
is_rc 0 "HLS VOD: exit 0"
first_line_matches '^STREAM OK - HLS MPEG-TS \(variant 1/3' "VOD is not live"
# A media playlist declares no bitrate: the segments' weight per second
# of media stands in (bytes * 8 over the first two EXTINF durations).
run "$P" -u "$HLS_MEDIA_URL_VOD"
is_rc 0 "HLS media playlist: exit 0"
secs=$(sed -n 's/^#EXTINF:\([0-9.]*\).*/\1/p' "$HLS_DIR_VOD/v0/index.m3u8" | head -n 2 |
  awk '{ s += $1 } END { print s }')
awk -v b="$(perf_value bytes)" -v s="$secs" -v r="$(perf_value bitrate)" \
  'BEGIN { e = b * 8 / s; exit !(s > 0 && r > 0 && r - e < 1 && e - r < 1) }'
ok $? "bitrate: the segments' weight ($(perf_value bitrate) b/s over $secs s)"
run "$P" -u "$HLS_URL_F4" --expect-format fmp4
is_rc 0 "HLS fMP4 (EXT-X-MAP): exit 0"
first_line_matches '^STREAM OK - HLS fMP4 ' "fMP4 segments named"

run "$P" -u "$DASH_URL_DV" --expect-format fmp4
is_rc 0 "DASH VOD: exit 0"
first_line_matches '^STREAM OK - DASH fMP4 \(representation 0, 128000 b/s\), 3 segments' \
  "DASH: init segment and two media segments"
is "$(perf_value bitrate)" 128000 "bitrate: the representation's @bandwidth"
run "$P" -u "$DASH_URL_DL"
is_rc 0 "DASH live (SegmentTimeline): exit 0"
first_line_matches '^STREAM OK - DASH live fMP4 ' "DASH live named"
line_matches '^\\_ \[OK\] MPD moving \(newest segment [0-9]+\)$' "the live MPD moves"
media_freeze DL
run "$P" -u "$DASH_URL_DL"
is_rc 2 "stale live MPD: exit 2"
first_line_matches '^STREAM CRITICAL - live MPD stuck: no new segment in [0-9.]+ s ' "stuck MPD named"
media_thaw DL

# A playlist behind a redirect (a load balancer sending players to an
# edge): its relative URIs resolve against where it ended up, as players
# do (RFC 3986 5.1.3), not against the URL asked for (404s there).
run "$P" -u "$HTTP_URL_W/moved/VOD/master.m3u8"
is_rc 0 "HLS master behind a 302: exit 0"
first_line_matches '^STREAM OK - HLS MPEG-TS \(variant 1/3' "HLS behind a 302: variant and segments found"
run "$P" -u "$HTTP_URL_W/moved/DV/manifest.mpd"
is_rc 0 "DASH MPD behind a 302: exit 0"
first_line_matches '^STREAM OK - DASH fMP4 ' "DASH behind a 302: segments found"

# Slow segments: nginx limit_rate at 8000 B/s, below the 16000 B/s of a
# 128 kb/s variant.
run "$P" -u "$(printf '%s' "$HLS_URL_VOD" | sed 's|/media/|/slow/8000/media/|')" -t 8
is_rc 2 "segments delivered below real time: exit 2"
first_line_matches '^STREAM CRITICAL - media arrives at 0\.[0-9]+x real time \(--rate-critical: below 1x\)' \
  "slow segments: the rate named"

# An encrypted media playlist (EXT-X-KEY): segments are checked for
# arrival and size only (their bytes are not media until decrypted).
enc=$HLS_DIR_VOD/v0/encrypted.m3u8
sed 's|^#EXTINF|#EXT-X-KEY:METHOD=AES-128,URI="key.bin"\n#EXTINF|' "$HLS_DIR_VOD/v0/index.m3u8" |
  awk '!done && /^#EXT-X-KEY/ { print; done = 1; next } !/^#EXT-X-KEY/' >"$enc"
run "$P" -u "$(dirname "$HLS_MEDIA_URL_VOD")/encrypted.m3u8" -v
is_rc 0 "EXT-X-KEY: exit 0"
line_matches '^\\_ \[OK\] encrypted \(AES-128\): segments checked for arrival and size only$' \
  "encryption noted"

# Segments of bytes no player decodes (no TS, fMP4 or audio frame; a
# type that is not audio or video): not media, not "OK, no media".
head -c 30000 /dev/urandom | tr '\107\377' '\106\376' >"$HLS_DIR_VOD/v0/noise.bin"
printf '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\nnoise.bin\n#EXT-X-ENDLIST\n' \
  >"$HLS_DIR_VOD/v0/noise.m3u8"
run "$P" -u "$(dirname "$HLS_MEDIA_URL_VOD")/noise.m3u8"
is_rc 2 "segment of noise: exit 2"
first_line_matches '^STREAM CRITICAL - segment noise\.bin: not media: no MP3, AAC, Ogg, MPEG-TS or fMP4 frame \(Content-Type application/octet-stream\) ' \
  "segment of noise: not media, said"

# A segment too short for the junk limit (4096 bytes) with no packet in
# it, served as video/mp2t: no frame at all is not "OK, no media".
head -c 150 /dev/urandom | tr '\107' '\106' >"$HLS_DIR_VOD/v0/short.ts"
printf '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\nshort.ts\n#EXT-X-ENDLIST\n' \
  >"$HLS_DIR_VOD/v0/short.m3u8"
run "$P" -u "$(dirname "$HLS_MEDIA_URL_VOD")/short.m3u8"
is_rc 2 "150 bytes without a TS packet: exit 2"
first_line_matches '^STREAM CRITICAL - segment short\.ts: no MPEG-TS frame in 150 bytes ' \
  "150 bytes without a TS packet: said"

# A short (empty) segment.
media_start_hls SHORT W vod ts || bail_out "VOD HLS did not start"
first_seg=$(sed -n '/^seg/{p;q}' "$HLS_DIR_SHORT/v0/index.m3u8")
: >"$HLS_DIR_SHORT/v0/$first_seg"
run "$P" -u "$HLS_URL_SHORT"
is_rc 2 "empty segment: exit 2"
first_line_matches "^STREAM CRITICAL - segment $first_seg: empty " "the empty segment named"

media_corrupt_segment VOD first
run "$P" -u "$HLS_URL_VOD"
is_rc 2 "broken TS sync: exit 2"
first_line_matches "^STREAM CRITICAL - segment $MEDIA_CORRUPT_VOD: lost MPEG-TS sync at byte 376 " \
  "the segment and the byte named"

media_break_segment VOD first
run "$P" -u "$HLS_URL_VOD"
is_rc 2 "404 segment: exit 2"
first_line_matches "^STREAM CRITICAL - segment $MEDIA_BROKEN_VOD: HTTP 404 Not Found " "the 404 segment named"

# --type that does not match what arrives: UNKNOWN naming --type.
run "$P" -u "$HLS_URL_VOD" --type dash
is_rc 3 "--type dash on an HLS playlist: exit 3"
first_line_matches '^STREAM UNKNOWN - --type dash does not match what the URL serves: an HLS playlist \(use --type hls, or auto\)' \
  "--type dash on HLS: UNKNOWN naming --type"
run "$P" -u "$DASH_URL_DV" --type hls
is_rc 3 "--type hls on a DASH MPD: exit 3"
first_line_matches '^STREAM UNKNOWN - --type hls does not match what the URL serves: a DASH MPD \(use --type dash, or auto\)' \
  "--type hls on DASH: UNKNOWN naming --type"
run "$P" -u "$DASH_URL_DV" --type progressive
is_rc 3 "--type progressive on a DASH MPD: exit 3"
first_line_matches '^STREAM UNKNOWN - --type progressive does not match' \
  "--type progressive on DASH: UNKNOWN naming --type"

# check_stream's own limits are named, UNKNOWN, never a CRITICAL about
# the service: a media playlist of more segments than it reads, and one
# larger than it keeps.
big=$HLS_DIR_VOD/v0/huge.m3u8
max=$(sed -n 's/^#define HLS_MAX_SEGMENTS \([0-9]*\).*/\1/p' "$top_srcdir/plugins/stream/hls.h")
awk -v n="$((max + 1))" 'BEGIN { print "#EXTM3U"; print "#EXT-X-TARGETDURATION:2"
  for (i = 0; i < n; i++) { print "#EXTINF:1.0,"; printf "s%d.ts\n", i % 10 }
  print "#EXT-X-ENDLIST" }' >"$big"
# -t 50: memcheck takes more than the default 10 s to read 50001 entries
run "$P" -u "$(dirname "$HLS_MEDIA_URL_VOD")/huge.m3u8" -t 50
is_rc 3 "$((max + 1)) segments: exit 3"
first_line_matches "^STREAM UNKNOWN - playlist: .*$max.*: a limit of check_stream \\(see check_stream\\(1\\)\\), not a fault of the service" \
  "$((max + 1)) segments: the limit named"
perf_ok "limit: perfdata parses"
awk 'BEGIN { print "#EXTM3U"; print "#EXT-X-TARGETDURATION:2"
  pad = sprintf("%0200d", 0)
  for (i = 0; i < 11000; i++) { printf "#EXT-X-X-PAD:%s%s\n", pad, pad; printf "#EXT-X-X-PAD:%s%s\n", pad, pad }
  for (i = 0; i < 10; i++) { print "#EXTINF:1.0,"; printf "seg%05d.ts\n", i }
  print "#EXT-X-ENDLIST" }' >"$big"
run "$P" -u "$(dirname "$HLS_MEDIA_URL_VOD")/huge.m3u8"
is_rc 3 "a playlist over 8 MiB: exit 3"
first_line_matches '^STREAM UNKNOWN - playlist: larger than 8388608 bytes, check_stream.s limit for it \(see check_stream\(1\)\)' \
  "a playlist over 8 MiB: the limit named"

# A CDN edge the newest segment has not reached yet (404 there for a
# moment): a player starts three target durations from the end (RFC 8216
# 6.3.3), and so does check_stream.
media_start_relay EDGE "$HTTP_URL_W" --hide-newest || bail_out "relay did not start"
run "$P" -u "$RELAY_URL_EDGE/media/LIVE/master.m3u8"
is_rc 0 "newest segment not on the edge yet: exit 0"
first_line_matches '^STREAM OK - HLS live MPEG-TS \(variant 1/3, 140800 b/s\), 2 segments' \
  "newest segment not on the edge: the player's segments judged"

# A live playlist whose program date-times lag our clock by a minute (a
# packager's clock behind, or a delayed channel keeping its times) but
# that moves: alive, not "stuck" (the date-times only estimate when it
# last moved; two fetches see it).
media_start_relay PDT "$HTTP_URL_W" --pdt-shift 60 || bail_out "relay did not start"
run "$P" -u "$RELAY_URL_PDT/media/LIVE/master.m3u8"
is_rc 0 "moving playlist with date-times 60 s behind: exit 0"
first_line_matches '^STREAM OK - HLS live ' "date-times behind: OK"
line_matches '^\\_ \[OK\] playlist moving \([0-9]+ new segments?\)$' "date-times behind: moving"
awk -v a="$(perf_value playlist_age)" 'BEGIN { exit !(a >= 0 && a <= 2) }'
ok $? "date-times behind: playlist_age at most the wait ($(perf_value playlist_age) s)"

media_freeze LIVE
run "$P" -u "$HLS_URL_LIVE"
is_rc 2 "stale live playlist: exit 2"
first_line_matches '^STREAM CRITICAL - live playlist stuck: no new segment in [0-9.]+ s ' "stuck playlist named"
perf_value playlist_age | grep -Eq '^[0-9.]+$'
ok $? "playlist_age measured"

plan_done
