#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_stream against icecast2 fed live by ffmpeg (MP3, AAC, Opus), a
# relay that stalls or throttles the stream, and the faults of a stream
# URL: source gone, HTML instead of audio, playlists (.pls, .m3u).
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/media.sh"
media_have_icecast && media_have_ffmpeg || skip_all "icecast2 or ffmpeg missing"
lab_init
media_start_icecast ICE 127.0.0.1 || bail_out "icecast2 did not start"
media_feed MP3 ICE /live.mp3 mp3 || bail_out "the MP3 source did not start"
media_feed AAC ICE /live.aac aac || bail_out "the AAC source did not start"
media_feed OPUS ICE /live.opus opus || bail_out "the Opus source did not start"
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
P=$PLUGINDIR/check_stream

run "$P" -u "$MEDIA_URL_MP3" --expect-format mp3 --duration 3 -w 1 -c 2
is_rc 0 "Icecast MP3: exit 0"
first_line_matches '^STREAM OK - progressive live MP3 128 kb/s "streamlab MP3", [0-9]+ bytes at (0\.9[5-9]|1\.0[0-5])x real time, ttfb [0-9.]+ s \|' \
  "MP3: real time, after the connect burst"
perf_ok "MP3: perfdata parses"
is "$(perf_value stalls)" 0 "MP3: no stall"
is "$(perf_value bitrate)" 128000 "MP3: bitrate from the frame headers"
is "$(perf_field rate 4)" 0.95: "live default warning range on rate"
is "$(perf_field ttfb 4)" 1 "ttfb carries -w"
# a progressive stream has no playlist: its labels are not in any of its
# runs (an Icinga writer warns on every U), and every other label is
perf_value playlist_age >/dev/null
is "$?" 1 "no playlist_age for a progressive stream"
perf_value segments >/dev/null
is "$?" 1 "no segments for a progressive stream"
perf_value frames | grep -Eq '^[1-9][0-9]+$'
ok $? "MP3 frames counted"

# the summary's ttfb is the perfdata's (to its 3 decimals)
t=$(first_line | sed -n 's/.*, ttfb \([0-9.]*\) s.*/\1/p')
awk -v s="$t" -v p="$(perf_value ttfb)" 'BEGIN { d = s - p; exit !(s != "" && d < 0.0006 && d > -0.0006) }'
ok $? "MP3: summary ttfb $t s is perfdata's $(perf_value ttfb)"
# -v adds one line: the answer, what the frames say, where the time went
run "$P" -u "$MEDIA_URL_MP3" --duration 2 -v
is_rc 0 "MP3 -v: exit 0"
line_matches '^\\_ \[OK\] GET http://127\.0\.0\.1:[0-9]+/live\.mp3: HTTP 200, audio/mpeg, icy-br 128, 44100 Hz 2 ch, [0-9]+ B in [0-9.]+ s \([0-9.]+ s of media, [0-9]+ frames\); connect [0-9.]+ s, first byte [0-9.]+ s, sample ended by check_stream$' \
  "MP3 -v: the answer, the frames, the phases"
is "$(lines_count)" 2 "MP3 -v: one line more than without"
# Threshold texts say what the range means, from lib's one wording:
# --rate-warning 0.95 alerts OUTSIDE 0..0.95, so a healthy stream at
# about 1.0x warns, and the text says why (it once said "warning below
# 0.95" beside 0.99x).
run "$P" -u "$MEDIA_URL_MP3" --duration 3 --rate-warning 0.95
is_rc 1 "--rate-warning 0.95 on a stream at real time: exit 1"
first_line_matches '^STREAM WARNING - media arrives at (0\.9[5-9]|1\.[0-9]+)x real time \(--rate-warning: outside 0x\.\.0\.95x\) ' \
  "--rate-warning 0.95: 'outside 0x..0.95x', not 'below'"
is "$(perf_field rate 4)" 0.95 "--rate-warning as given in the warn field"
run "$P" -u "$MEDIA_URL_MP3" --duration 2 -w 0.000001
is_rc 1 "-w 0.000001 on ttfb: exit 1"
line_matches '^\\_ \[WARNING\] first media byte after [0-9.]+ s \(-w: outside 0 s\.\.0\.000001 s\)$' \
  "-w: what the range alerts on"
run "$P" -u "$MEDIA_URL_AAC" --expect-format aac --duration 3
is_rc 0 "Icecast AAC (ADTS): exit 0"
first_line_matches '^STREAM OK - progressive live AAC ' "AAC named"
run "$P" -u "$MEDIA_URL_OPUS" --expect-format opus --duration 3
is_rc 0 "Icecast Ogg/Opus: exit 0"
first_line_matches '^STREAM OK - progressive live Ogg/Opus ' "Ogg/Opus named"
run "$P" -u "$MEDIA_URL_MP3" --expect-format aac --duration 2
is_rc 2 "--expect-format aac on MP3: exit 2"
first_line_matches '^STREAM CRITICAL - format is MP3, expected AAC ' "format mismatch named"
run "$P" -u "$MEDIA_URL_MP3" --min-bitrate 192 --duration 2
is_rc 1 "--min-bitrate 192 on 128 kb/s: exit 1"
first_line_matches '^STREAM WARNING - bitrate 128 kb/s is below 192 kb/s' "bitrate floor named"

run "$P" -u "$MEDIA_URL_MP3" -k 'Icy-MetaData: 1' --duration 2 -v
is_rc 0 "ICY metadata in band (icy-metaint): stripped before the frames, exit 0"
no_line_matches 'MP3 frame header broken' "no frame error from metadata"

# A stall of 2 s in the middle of the stream.
media_start_relay STALL "$ICECAST_URL_ICE" --stall-after 40000 --stall 2 || bail_out "relay did not start"
run "$P" -u "$RELAY_URL_STALL/live.mp3" --duration 4
is_rc 2 "2 s stall: exit 2"
first_line_matches '^STREAM CRITICAL - stalled 1 time, longest 2\.[0-9] s \(--stall-critical: other than 0\) ' "the stall, its length and the range named"
is "$(perf_value stalls)" 1 "stalls=1"
run "$P" -u "$RELAY_URL_STALL/live.mp3" --duration 4 --stall 3
is_rc 0 "--stall 3 tolerates a 2 s gap: exit 0"

# Delivery throttled to 12000 B/s: 0.75 of a 128 kb/s stream's 16000.
media_start_relay SLOW "$ICECAST_URL_ICE" --throttle 12000 --burst 65536 || bail_out "relay did not start"
run "$P" -u "$RELAY_URL_SLOW/live.mp3" --duration 4
is_rc 2 "throttled below real time: exit 2"
first_line_matches '^STREAM CRITICAL - media arrives at 0\.7[0-9]x real time \(--rate-critical: below 0\.8x\)' \
  "the rate is measured after the burst (0.75 within 5 %)"

# Faults of the stream URL.
run "$P" -u "$FAULT_URL_F/html"
is_rc 2 "HTML at the stream URL: exit 2"
first_line_matches '^STREAM CRITICAL - not audio: text/html ' "not audio named"
run "$P" -u "$FAULT_URL_F/slow-ttfb?s=30" -t 2 --duration 1
is_rc 2 "no first byte within -t 2: exit 2"
first_line_matches 'timeout after 1\.[0-9] s waiting for first byte' "the phase named"
wall_below 2.0 "returns before -t"

# A SHOUTcast 1 server (DNAS 1.x, no Debian package: faulthttp speaks its
# wire format): "ICY 200 OK" is its status line, and a full server
# answers "ICY 401 Service Unavailable".
run "$P" -u "$FAULT_URL_F/shoutcast?s=4" -k 'Icy-MetaData: 1' --duration 2
is_rc 0 "SHOUTcast 1 (ICY 200 OK, in-band metadata): exit 0"
first_line_matches '^STREAM OK - progressive live MP3 128 kb/s "streamlab shoutcast", [0-9]+ bytes at' \
  "SHOUTcast: the stream named and judged"
perf_ok "SHOUTcast: perfdata parses"
is "$(perf_value bitrate)" 128000 "SHOUTcast: bitrate from the frame headers"
run "$P" -u "$FAULT_URL_F/shoutcast?code=401" --duration 2
is_rc 2 "SHOUTcast full (ICY 401): exit 2"
first_line_matches '^STREAM CRITICAL - reading headers failed: not an HTTP response \(no HTTP status line\)' \
  "ICY 401 is no 200: the phase named"
perf_ok "ICY 401: perfdata parses"

# Playlists pointing at the stream.
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
printf '[playlist]\nNumberOfEntries=1\nFile1=%s\n' "$MEDIA_URL_MP3" >"$LAB_DIR/W/www/radio.pls"
printf '#EXTM3U\n#EXTINF:-1,streamlab\n%s\n' "$MEDIA_URL_AAC" >"$LAB_DIR/W/www/radio.m3u"
run "$P" -u "$HTTP_URL_W/radio.pls" --duration 2
is_rc 0 ".pls followed to the stream: exit 0"
first_line_matches '^STREAM OK - progressive live MP3 ' ".pls: the MP3 stream judged"
run "$P" -u "$HTTP_URL_W/radio.m3u" --duration 2 -v
is_rc 0 ".m3u followed: exit 0"
line_matches '^\\_ \[OK\] playlist: first of 1 entries is ' ".m3u: the entry shown"

# A stream joined mid-frame: an MP3 cut where a byte '{', '[' or '<' starts
# it, far from the next frame sync, served by nginx as audio/mpeg. The
# first bytes look like JSON or XML for one character only: it is MP3, not
# "not audio: application/json".
media_serve W || bail_out "nginx /media/ did not start"
"$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel error -y -f lavfi \
  -i sine=frequency=440:duration=4 -c:a libmp3lame -b:a 128k "$MEDIA_ROOT/whole.mp3" ||
  bail_out "ffmpeg could not make the MP3"
cut=$("$LAB_PY" -c '
import re, sys
b = open(sys.argv[1], "rb").read()
syncs = [m.start() for m in re.finditer(rb"\xff[\xfa\xfb]", b)]
for at in range(1024, len(b) - 8192):
    nxt = min([s for s in syncs if s > at] or [len(b)])
    if b[at:at + 1] in (b"{", b"[", b"<") and nxt - at > 120:
        open(sys.argv[2], "wb").write(b[at:])
        print(at, chr(b[at]))
        break
' "$MEDIA_ROOT/whole.mp3" "$MEDIA_ROOT/joined.mp3")
[ -n "$cut" ] || bail_out "no cut point in the MP3"
diag "MP3 cut at byte $cut"
run "$P" -u "$HTTP_URL_W/media/joined.mp3" --duration 1 --expect-format mp3
is_rc 0 "MP3 joined mid-frame at '${cut#* }': exit 0"
first_line_matches '^STREAM OK - progressive MP3 128 kb/s, [0-9]+ bytes at [0-9.]+x real time' \
  "joined mid-frame: MP3, not text"
perf_ok "joined mid-frame: perfdata parses"
# The same stream joined at 50 offsets over the file, an MP3 and an
# AAC (ADTS) one, all served by nginx as audio/mpeg: among them the first
# cut at '{', '[' and '<', and ones at a false frame sync whose frame
# length runs past the real frames (the ADTS stream once lost its sync
# there: "no ADTS frame sync in the first 4096 bytes"). Every one is OK,
# judged on its frames.
"$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel error -y -f lavfi \
  -i sine=frequency=440:duration=4 -c:a aac -b:a 128k -f adts "$MEDIA_ROOT/whole.aac" ||
  bail_out "ffmpeg could not make the ADTS stream"
mkdir -p "$MEDIA_ROOT/at"
for kind in mp3 aac; do
  # under memcheck (the unit test test_frames.c walks every offset) only
  # the telling ones: '{', '[', '<', the false syncs and two more
  want=50
  [ "$SW_BUILD" != valgrind ] || want=9
  offsets=$("$LAB_PY" - "$MEDIA_ROOT/whole.$kind" "$kind" "$MEDIA_ROOT/at" "$want" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
adts = sys.argv[2] == "aac"
starts, i = set(), 0  # the real frame starts, by walking the frames
while i + 10 <= len(b):
    if b[i:i + 3] == b"ID3":
        i += 10 + (b[i + 6] << 21 | b[i + 7] << 14 | b[i + 8] << 7 | b[i + 9])
        continue
    starts.add(i)
    if adts:
        step = (b[i + 3] & 3) << 11 | b[i + 4] << 3 | b[i + 5] >> 5
    else:
        kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][b[i + 2] >> 4]
        step = 144 * kbps * 1000 // 44100 + (b[i + 2] >> 1 & 1)
    if step <= 0:
        break
    i += step
def false_sync(p):  # a header-looking 0xFFF that is no frame, with a long length
    if p in starts or b[p] != 0xFF or (b[p + 1] & 0xF6) != 0xF0 or (b[p + 2] >> 2 & 15) > 12:
        return False
    return ((b[p + 3] & 3) << 11 | b[p + 4] << 3 | b[p + 5] >> 5) > 4200
end = len(b) - 16384
want = int(sys.argv[4])
offs = set()
for ch in b"{[<":
    offs.update([p for p in range(1024, end) if b[p] == ch and p not in starts][:1])
offs.update([p for p in range(1024, end) if false_sync(p)][:4])
offs.update(range(1024, end, (end - 1024) // max(want - len(offs), 2)))
for p in sorted(offs)[:want]:
    open("%s/%s-%d.mp3" % (sys.argv[3], sys.argv[2], p), "wb").write(b[p:])
    print(p)
PY
  ) || bail_out "could not cut the $kind stream"
  bad= n=0
  for at in $offsets; do
    n=$((n + 1))
    run "$P" -u "$HTTP_URL_W/media/at/$kind-$at.mp3" --duration 1
    case $RC:$(first_line) in
      "0:STREAM OK - progressive "*)
        first_line | perl "$PERFCHECK" >/dev/null 2>&1 || bad="$bad $at(perfdata)" ;;
      *) bad="$bad $at" && diag "$kind at $at: $(first_line)" ;;
    esac
  done
  [ "$n" -ge $((want - 5)) ] || bad="$bad (only $n offsets)"
  is "${bad:-none}" none \
    "$kind joined at $n offsets ('{', '[', '<', false syncs), served as audio/mpeg: every one OK"
done
# The real thing stays caught: JSON served as audio/mpeg is not audio.
printf '{"error": "no such mount", "code": 404}\n' >"$MEDIA_ROOT/error.mp3"
run "$P" -u "$HTTP_URL_W/media/error.mp3" --duration 1
is_rc 2 "JSON labelled audio/mpeg: exit 2"
first_line_matches '^STREAM CRITICAL - not audio: application/json ' "JSON labelled audio/mpeg: not audio"
printf '<!DOCTYPE html>\n<html><head><title>503</title></head><body>Caf\351 ferm\351</body></html>\n' \
  >"$MEDIA_ROOT/busy.mp3"
run "$P" -u "$HTTP_URL_W/media/busy.mp3" --duration 1
is_rc 2 "HTML (Latin-1) labelled audio/mpeg: exit 2"
first_line_matches '^STREAM CRITICAL - not audio: text/html ' "HTML labelled audio/mpeg: not audio"

# Bytes of no format check_stream reads: under an audio type (FLAC on
# Icecast, no icy-br on a /raw mount) a stream whose frames are not
# checked, not "0.00x real time"; under application/octet-stream, not audio.
media_feed FLAC ICE /raw.flac flac || bail_out "the FLAC source did not start"
run "$P" -u "$MEDIA_URL_FLAC" --duration 2
is_rc 0 "FLAC on Icecast: exit 0"
first_line_matches '^STREAM OK - progressive live no media "streamlab FLAC", [0-9]+ bytes, ttfb ' \
  "FLAC: no rate invented"
line_matches '^\\_ \[OK\] audio/flac: frames not checked \(a format check_stream does not read\)$' \
  "FLAC: frames not checked, said"
is "$(perf_value rate)" U "FLAC: rate U (no frames, no nominal bitrate)"
# --type hls on it: what arrived named at once, not audio read as a
# playlist to -t
run "$P" -u "$MEDIA_URL_FLAC" --type hls
is_rc 3 "--type hls on FLAC: exit 3"
first_line_matches '^STREAM UNKNOWN - --type hls does not match what the URL serves: audio/flac media \(use --type progressive, or auto\)' \
  "--type hls on FLAC: UNKNOWN naming --type and what arrived"
wall_below 2 "--type hls on FLAC: no reading for seconds"
run "$P" -u "$MEDIA_URL_FLAC" --duration 2 --expect-format mp3
is_rc 2 "FLAC with --expect-format mp3: exit 2"
first_line_matches '^STREAM CRITICAL - format is audio/flac, expected MP3 ' \
  "FLAC is not the MP3 expected (frames not checked is no pass)"
head -c 20000 /dev/urandom | tr '\377' '\376' >"$MEDIA_ROOT/noise.bin"
run "$P" -u "$HTTP_URL_W/media/noise.bin" --duration 1
is_rc 2 "binary noise as application/octet-stream: exit 2"
first_line_matches '^STREAM CRITICAL - not audio: no MP3, AAC, Ogg, MPEG-TS or fMP4 frame \(Content-Type application/octet-stream\) ' \
  "noise: not audio, said so (not a rate)"

# --type that does not match what arrives is a configuration mistake:
# UNKNOWN naming --type, at once (not after reading a live stream to -t).
run "$P" -u "$MEDIA_URL_MP3" --type hls
is_rc 3 "--type hls on an Icecast MP3 stream: exit 3"
first_line_matches '^STREAM UNKNOWN - --type hls does not match what the URL serves: MP3 media \(use --type progressive, or auto\)' \
  "--type hls on MP3: UNKNOWN naming --type"
wall_below 3 "--type hls on MP3: no wait for -t"
run "$P" -u "$MEDIA_URL_MP3" --type dash
is_rc 3 "--type dash on an Icecast MP3 stream: exit 3"
first_line_matches '^STREAM UNKNOWN - --type dash does not match' "--type dash on MP3: UNKNOWN naming --type"

# The source goes away: Icecast drops the mount.
media_stop MP3
run "$P" -u "$MEDIA_URL_MP3"
is_rc 2 "source gone: exit 2"
first_line_matches '^STREAM CRITICAL - HTTP 404 ' "source gone: 404 named"

plan_done
