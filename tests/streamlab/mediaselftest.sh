#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab media self-test (not part of `make check`): starts Icecast with
# MP3, AAC, Ogg/Vorbis and Ogg/Opus feeds, live and VOD HLS (TS and fMP4)
# and DASH in nginx, and the relays; proves the streams with ffprobe, and
# every fault media.sh promises (live playlists move, freeze stops them,
# 404 and corrupted segments, nginx and relay throttling measured with
# python, a 2 s stall, source gone) with python3 probes; the signals
# (MEDIA_SIGNAL feeds, media_file files served by nginx) have the levels
# media.sh's header claims, measured by ffmpeg (astats, silencedetect).
#   sh tests/streamlab/mediaselftest.sh      (from the top of the source tree)
# Exit status: number of failed checks (0 = all good).
# shellcheck disable=SC1091,SC2015,SC2034,SC2154
set -u
here=$(cd "$(dirname "$0")" && pwd)
STREAMLAB_DIR=$here
. "$here/lab.sh"
. "$here/http.sh"
. "$here/media.sh"

http_have_nginx || { echo "mediaselftest: nginx is needed ($NGINX)" >&2; exit 1; }
media_have_icecast || { echo "mediaselftest: icecast2 is needed ($ICECAST)" >&2; exit 1; }
media_have_ffmpeg || { echo "mediaselftest: ffmpeg/ffprobe are needed" >&2; exit 1; }
lab_init || exit 1
failed=0
pass() { echo "    PASS $1"; }
fail() { echo "    FAIL $1"; failed=$((failed + 1)); }
# check DESC ERE [NOT]: $O must (not) match ERE
check() {
  if printf '%s\n' "$O" | grep -Eq -- "$2"; then m=1; else m=0; fi
  [ "${3:-}" = NOT ] && m=$((1 - m))
  if [ $m = 1 ]; then pass "$1"; else fail "$1"; printf '%s\n' "$O" | sed 's/^/      | /' | head -n 15; fi
}
ms() { echo $(( ($(date +%s%N) - t0) / 1000000 )); }
# levels URL|FILE [SECONDS]: ffmpeg astats on the decoded float samples of
# all channels, and silencedetect (-60 dB, runs of 1 s or more):
#   "rms R peak P len SECONDS silence START:LENGTH ..." (R, P -inf for
#   digital silence; len from the decoded samples, not a bitrate estimate)
levels() {
  # shellcheck disable=SC2086
  timeout 30 "$MEDIA_FFMPEG" -nostdin -hide_banner -nostats ${2:+-t $2} -i "$1" \
    -af aformat=sample_fmts=flt,astats=measure_perchannel=none,silencedetect=n=-60dB:d=1 \
    -f null - 2>&1 | awk '
      rate == "" && /Stream #0:0.*: Audio: .* Hz/ { sub(/ Hz.*/, ""); rate = $NF }
      /Number of samples:/ { n = $NF }
      /RMS level dB:/ { rms = $NF }
      /Peak level dB:/ { peak = $NF }
      /silence_start:/ { st = $NF }
      /silence_duration:/ { sil = sil sprintf(" %.2f:%.2f", st, $NF) }
      END { printf "rms %s peak %s len %s silence%s\n", rms == "" ? "?" : rms, peak == "" ? "?" : peak,
              n == "" || rate == "" ? "?" : sprintf("%.3f", n / rate), sil }'
}
# fullscale URL|FILE [SECONDS]: "full N of M": decoded to s16, the samples
# (all channels) at full scale (32767 or -32768, -32767)
fullscale() {
  # shellcheck disable=SC2086
  timeout 30 "$MEDIA_FFMPEG" -nostdin -loglevel error ${2:+-t $2} -i "$1" -f s16le -ac 2 - |
    "$LAB_PY" -c '
import array, sys
b = sys.stdin.buffer.read()
a = array.array("h")
a.frombytes(b[:len(b) // 2 * 2])
print("full %d of %d" % (sum(1 for x in a if x >= 32767 or x <= -32767), len(a)))'
}
# field WORD: the word after WORD in $O ("rms" -> R)
field() { printf '%s\n' "$O" | awk -v w="$1" '{ for (i = 1; i < NF; i++) if ($i == w) { print $(i + 1); exit } }'; }
# near DESC VALUE LO HI: LO <= VALUE <= HI (numbers)
near() {
  if printf '%s\n' "$2" | grep -Eq '^-?[0-9]+(\.[0-9]+)?$' &&
    awk -v v="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(v >= lo && v <= hi) }'; then
    pass "$1 ($2)"
  else
    fail "$1: got '$2', not in $3..$4"; printf '%s\n' "$O" | sed 's/^/      | /' | head -n 5
  fi
}

# probe CMD ARGS: python3 measurements (urllib, stdlib only)
cat >"$LAB_DIR/probe.py" <<'EOF'
import re, ssl, sys, time, urllib.error, urllib.request
cmd, a = sys.argv[1], sys.argv[2:]
def get(url, headers=None, timeout=5):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=timeout)
if cmd == "head":            # URL: status, content-type, icy-* headers
    try:
        with get(a[0]) as r:
            print("status", r.status)
            for k, v in r.getheaders():
                if k.lower() in ("content-type", "icy-br", "icy-name", "cache-control", "icy-metaint"):
                    print("%s: %s" % (k.lower(), v))
    except urllib.error.HTTPError as e:
        print("status", e.code)
elif cmd == "bytes":         # URL OFFSET N: hex of N bytes at OFFSET
    with get(a[0]) as r:
        b = r.read()
    off, n = int(a[1]), int(a[2])
    print("len", len(b), "hex", b[off:off + n].hex())
elif cmd == "seq":           # HLS media playlist URL: media sequence, last segment
    with get(a[0]) as r:
        t = r.read().decode()
    m = re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", t)
    segs = [l for l in t.splitlines() if l and not l.startswith("#")]
    print(m.group(1) if m else -1, segs[-1] if segs else "-", len(segs),
          "endlist" if "#EXT-X-ENDLIST" in t else "open",
          "pdt" if "#EXT-X-PROGRAM-DATE-TIME" in t else "nopdt")
elif cmd == "moves":         # URL KIND SECONDS: does the playlist/MPD change?
    url, kind, secs = a[0], a[1], float(a[2])
    def state():
        with get(url) as r:
            t = r.read().decode()
        if kind == "hls":
            return int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", t).group(1)) + \
                len([l for l in t.splitlines() if l and not l.startswith("#")])
        return re.search(r'publishTime="([^"]+)"', t).group(1)
    s0 = state()
    end = time.monotonic() + secs
    t0 = time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.1)
        s1 = state()
        if s1 != s0:
            print("moved %r -> %r after %.1f s" % (s0, s1, time.monotonic() - t0))
            sys.exit(0)
    print("still %r after %.1f s" % (s0, secs))
elif cmd == "rate":          # URL SECONDS [SKIP]: bytes/s over SECONDS after SKIP bytes
    url, secs = a[0], float(a[1])
    skip = int(a[2]) if len(a) > 2 else 0
    with get(url, timeout=10) as r:
        got = 0
        while got < skip:
            got += len(r.read1(min(65536, skip - got)))
        t0 = time.monotonic()
        n = 0
        while time.monotonic() - t0 < secs:
            b = r.read1(65536)
            if not b:
                break
            n += len(b)
        dt = time.monotonic() - t0
    print("rate %.0f B/s (%d bytes in %.2f s)" % (n / dt, n, dt))
elif cmd == "fetchtime":     # URL: bytes and seconds for the whole body
    t0 = time.monotonic()
    with get(a[0], timeout=30) as r:
        n = len(r.read())
    dt = time.monotonic() - t0
    print("fetch %d bytes in %.2f s = %.0f B/s" % (n, dt, n / dt))
elif cmd == "gap":           # URL SECONDS: the longest pause between reads
    url, secs = a[0], float(a[1])
    with get(url, timeout=10) as r:
        t0 = last = time.monotonic()
        gap, at, n = 0.0, 0, 0
        while time.monotonic() - t0 < secs:
            b = r.read1(4096)
            now = time.monotonic()
            if not b:
                break
            if now - last > gap:
                gap, at = now - last, n
            n += len(b)
            last = now
    print("gap %.2f s at byte %d (%d bytes)" % (gap, at, n))
elif cmd == "icytitle":      # URL: read with Icy-MetaData: 1, print StreamTitles
    with get(a[0], {"Icy-MetaData": "1"}) as r:
        mi = int(r.headers["icy-metaint"])
        titles = set()
        end = time.monotonic() + 4
        while time.monotonic() < end and not any("Sine" in t for t in titles):
            r.read(mi)
            ln = r.read(1)[0] * 16
            if ln:
                md = r.read(ln).rstrip(b"\0").decode("latin-1")
                titles.add(md)
    print("metaint", mi, "titles", sorted(titles))
elif cmd == "tls":           # URL CAFILE: status and content-type over TLS
    ctx = ssl.create_default_context(cafile=a[1])
    with urllib.request.urlopen(a[0], context=ctx, timeout=5) as r:
        print("status", r.status, r.headers["content-type"])
EOF
probe() { "$LAB_PY" "$LAB_DIR/probe.py" "$@" 2>&1; }
# ffprobe URL ENTRIES: format/stream entries, one value a line
fprobe() {
  timeout 15 "$MEDIA_FFPROBE" -v error -formatprobesize 32768 -probesize 65536 -analyzeduration 500000 \
    -show_entries "$2" -of default=nw=1 "$1" 2>&1
}

echo "== starting"
t0=$(date +%s%N)
http_start_fault F 127.0.0.1 || exit 1
http_start_nginx W 127.0.0.1 F || exit 1
echo "  nginx W $HTTP_URL_W, faulthttp F $FAULT_URL_F ($(ms) ms)"
t0=$(date +%s%N)
media_start_icecast ICE 127.0.0.1 || exit 1
echo "  icecast ICE $ICECAST_URL_ICE ($(ms) ms)"
t0=$(date +%s%N)
media_feed MP3 ICE /live.mp3 mp3 || exit 1
media_feed AAC ICE /live.aac aac || exit 1
media_feed OGG ICE /live.ogg ogg || exit 1
media_feed OPUS ICE /live.opus opus || exit 1
media_feed LOW ICE /low-32k.mp3 mp3 || exit 1
media_feed RAW ICE /raw.mp3 mp3 || exit 1
echo "  6 feeds ($(ms) ms): $MEDIA_URL_MP3 $MEDIA_URL_AAC $MEDIA_URL_OGG $MEDIA_URL_OPUS $MEDIA_URL_LOW $MEDIA_URL_RAW"
t0=$(date +%s%N)
# the gap feed at 32k: Icecast's 64 KiB burst then holds 16 s of it, so a
# listener later gets a whole 7 s cycle at once
MEDIA_SIGNAL=gap media_feed GAP ICE /gap-32k.mp3 mp3 || exit 1
MEDIA_SIGNAL=silent media_feed SIL ICE /silent.mp3 mp3 || exit 1
MEDIA_SIGNAL=hiss media_feed HISS ICE /hiss.aac aac || exit 1
MEDIA_SIGNAL=quiet media_feed QUIET ICE /quiet.ogg ogg || exit 1
MEDIA_SIGNAL=loud media_feed LOUD ICE /loud.opus opus || exit 1
echo "  5 signal feeds ($(ms) ms): $MEDIA_URL_GAP $MEDIA_URL_SIL $MEDIA_URL_HISS $MEDIA_URL_QUIET $MEDIA_URL_LOUD"
t0=$(date +%s%N)
media_start_hls LIVE W live ts || exit 1
echo "  HLS live ts $HLS_URL_LIVE ($(ms) ms)"
t0=$(date +%s%N)
media_start_hls LIVE4 W live fmp4 || exit 1
echo "  HLS live fmp4 $HLS_URL_LIVE4 ($(ms) ms)"
t0=$(date +%s%N)
media_start_dash DLIVE W live || exit 1
echo "  DASH live $DASH_URL_DLIVE ($(ms) ms)"
t0=$(date +%s%N)
media_start_hls VOD W vod ts || exit 1
media_start_hls VOD4 W vod fmp4 || exit 1
media_start_hls VODC W vod ts || exit 1
media_start_dash DVOD W vod || exit 1
echo "  VOD: $HLS_URL_VOD $HLS_URL_VOD4 $HLS_URL_VODC $DASH_URL_DVOD ($(ms) ms)"
t0=$(date +%s%N)
media_start_relay THR "$ICECAST_URL_ICE" --throttle 8000 || exit 1
media_start_relay STALL "$ICECAST_URL_ICE" --stall-after 40000 --stall 2 || exit 1
media_start_relay PASS "$ICECAST_URL_ICE" || exit 1
echo "  relays THR $RELAY_URL_THR STALL $RELAY_URL_STALL PASS $RELAY_URL_PASS ($(ms) ms)"

echo "== icecast (ffprobe, headers)"
O=$(pgrep -u "$MEDIA_USER" -x icecast2 | grep -x "$LAB_PID_ICE"); check "icecast2 runs as $MEDIA_USER" "^$LAB_PID_ICE\$"
for x in MP3:mp3:audio/mpeg:128 AAC:aac:audio/aac:128 OGG:ogg:audio/ogg:128 OPUS:ogg:audio/ogg:128 LOW:mp3:audio/mpeg:32; do
  n=${x%%:*} r=${x#*:}; fmt=${r%%:*} r=${r#*:}; ct=${r%%:*} br=${r#*:}
  eval "u=\$MEDIA_URL_$n"
  O=$(fprobe "$u" format=format_name); check "$n: ffprobe format_name=$fmt" "^format_name=$fmt\$"
  O=$(probe head "$u"); check "$n: 200 $ct icy-br $br" "content-type: $ct" && check "$n: icy-br: $br" "^icy-br: $br\$"
done
O=$(fprobe "$MEDIA_URL_MP3" stream=codec_name,bit_rate,sample_rate); check "MP3: mp3 128k 44100" 'codec_name=mp3' && check "MP3: bit_rate=128000" 'bit_rate=128000'
O=$(fprobe "$MEDIA_URL_OPUS" stream=codec_name); check "OPUS: codec opus" '^codec_name=opus$'
O=$(fprobe "$MEDIA_URL_OGG" stream=codec_name); check "OGG: codec vorbis" '^codec_name=vorbis$'
O=$(fprobe "$MEDIA_URL_AAC" stream=codec_name); check "AAC: codec aac" '^codec_name=aac$'
O=$(probe head "$MEDIA_URL_RAW"); check "/raw.mp3: no icy-br" 'icy-br' NOT
O=$(probe head "$MEDIA_URL_MP3"); check "icy-name streamlab MP3" '^icy-name: streamlab MP3$'
O=$(probe head "$ICECAST_URL_ICE/status-json.xsl"); check "status-json.xsl 200" '^status 200$'
O=$(probe rate "$MEDIA_URL_MP3" 2 70000); check "MP3 after the burst: ~16000 B/s (real time)" 'rate 1(4[5-9]|5[0-9]|6[0-9]|7[0-5])[0-9][0-9] '
echo "    ($O)"
media_set_title MP3 "Sine 440" && pass "media_set_title" || fail "media_set_title"
O=$(probe icytitle "$MEDIA_URL_MP3"); check "ICY metadata StreamTitle='Sine 440'" "StreamTitle='Sine 440'"

echo "== HLS / DASH (ffprobe, types)"
O=$(fprobe "$HLS_URL_LIVE" format=format_name); check "LIVE master: ffprobe hls" '^format_name=hls$'
O=$(fprobe "$HLS_URL_LIVE4" format=format_name); check "LIVE4 (fmp4) master: ffprobe hls" '^format_name=hls$'
O=$(fprobe "$HLS_URL_VOD" format=format_name,duration); check "VOD master: hls" '^format_name=hls$' && check "VOD: 10 s" '^duration=(9\.9|10\.0)'
O=$(fprobe "$DASH_URL_DLIVE" format=format_name); check "DLIVE mpd: ffprobe dash" '^format_name=dash$'
O=$(fprobe "$DASH_URL_DVOD" format=format_name,duration); check "DVOD mpd: dash" '^format_name=dash$' && check "DVOD: 10 s" '^duration=(9\.9|10\.0)'
O=$(fprobe "$HLS_URL_LIVE" stream=codec_name); check "LIVE: aac" '^codec_name=aac$'
O=$(probe head "$HLS_URL_LIVE"); check "master: application/vnd.apple.mpegurl, no-cache" 'content-type: application/vnd.apple.mpegurl' && check "Cache-Control: no-cache" 'cache-control: no-cache'
O=$(probe head "$DASH_URL_DLIVE"); check "mpd: application/dash+xml" 'content-type: application/dash\+xml'
O=$(probe head "$HTTP_URL_W/media/VOD/v0/seg00001.ts"); check ".ts: video/mp2t" 'content-type: video/mp2t'
O=$(probe bytes "$HTTP_URL_W/media/VOD/v0/seg00001.ts" 0 1); check ".ts starts with 0x47" 'hex 47$'
O=$(probe bytes "$HLS_URL_VOD" 0 400); O=$("$LAB_PY" -c 'import sys; print(bytes.fromhex(sys.argv[1].split()[-1]).decode())' "$O")
check "master: 3 variants" 'BANDWIDTH=140800' && check "  192k" 'BANDWIDTH=211200' && check "  256k" 'BANDWIDTH=281600'
O=$(probe seq "$HLS_MEDIA_URL_VOD"); check "VOD playlist: 10+ segments, ENDLIST" ' (1[0-9]) endlist'
O=$(probe seq "$HLS_MEDIA_URL_LIVE"); check "LIVE playlist: open, PROGRAM-DATE-TIME" 'open pdt$'
O=$(probe head "$HTTP_URL_W/media/VOD4/v0/init_0.mp4"); check "VOD4 init_0.mp4 200" '^status 200$'
O=$(probe tls "$HTTPS_URL_W_valid/media/VOD/master.m3u8" "$TLS_CA"); check "/media/ over TLS too" 'status 200 application/vnd.apple.mpegurl'

echo "== live playlists move"
O=$(probe moves "$HLS_MEDIA_URL_LIVE" hls 4); check "HLS ts media sequence grows" '^moved'
O=$(probe moves "$HLS_URL_LIVE4" hls 0.1; probe moves "${HLS_MEDIA_URL_LIVE4}" hls 4); check "HLS fmp4 media sequence grows" '^moved'
O=$(probe moves "$DASH_URL_DLIVE" dash 4); check "DASH MPD publishTime moves" '^moved'

echo "== freeze (stale playlist), thaw"
media_freeze LIVE
media_freeze DLIVE
O=$(probe moves "$HLS_MEDIA_URL_LIVE" hls 2.5); check "frozen HLS does not move for 2.5 s" '^still'
O=$(probe seq "$HLS_MEDIA_URL_LIVE"); check "frozen HLS: no ENDLIST" 'open'
O=$(probe moves "$DASH_URL_DLIVE" dash 0.5); check "frozen DASH does not move" '^still'

echo "== 404 segment, corrupted segment"
O=$(probe seq "$HLS_MEDIA_URL_LIVE"); last=$(echo "$O" | cut -d' ' -f2)
media_break_segment LIVE
[ "$MEDIA_BROKEN_LIVE" = "$last" ] && pass "live: broke the last listed ($last)" || fail "live: broke $MEDIA_BROKEN_LIVE, last listed $last"
O=$(probe head "${HLS_MEDIA_URL_LIVE%/*}/$MEDIA_BROKEN_LIVE"); check "live: that segment 404" '^status 404$'
O=$(probe head "$HTTP_URL_W/media/LIVE/v2/$MEDIA_BROKEN_LIVE"); check "live: 404 in v2 too" '^status 404$'
O=$(probe seq "$HLS_MEDIA_URL_LIVE"); check "live: still listed" " $MEDIA_BROKEN_LIVE "
media_break_segment VOD
O=$(probe head "$HTTP_URL_W/media/VOD/v0/$MEDIA_BROKEN_VOD"); check "vod: first ($MEDIA_BROKEN_VOD) 404" '^status 404$'
O=$(probe head "$HTTP_URL_W/media/VOD/v0/seg00001.ts"); check "vod: the next one 200" '^status 200$'
media_break_segment DLIVE
O=$(probe head "${DASH_URL_DLIVE%/*}/$MEDIA_BROKEN_DLIVE"); check "dash: $MEDIA_BROKEN_DLIVE 404" '^status 404$'
media_thaw DLIVE
media_break_segment DVOD first
O=$(probe head "$HTTP_URL_W/media/DVOD/chunk-stream2-00001.m4s"); check "dash vod: first ($MEDIA_BROKEN_DVOD) 404 in representation 2" '^status 404$'
O=$(probe head "$HTTP_URL_W/media/DVOD/chunk-stream2-00002.m4s"); check "dash vod: the next one 200" '^status 200$'
media_corrupt_segment VODC
O=$(probe bytes "$HTTP_URL_W/media/VODC/v0/$MEDIA_CORRUPT_VODC" 188 1); check "corrupt ts: packet 1 still 0x47" 'hex 47$'
O=$(probe bytes "$HTTP_URL_W/media/VODC/v0/$MEDIA_CORRUPT_VODC" "$MEDIA_CORRUPT_OFFSET_VODC" 1); check "corrupt ts: no sync at $MEDIA_CORRUPT_OFFSET_VODC" 'hex 00$'
O=$(timeout 15 "$MEDIA_FFPROBE" -v warning -show_entries format=format_name "$HTTP_URL_W/media/VODC/v0/$MEDIA_CORRUPT_VODC" 2>&1); check "ffprobe on it: still mpegts (a resync, not a crash)" 'format_name=mpegts'
media_corrupt_segment DVOD last
O=$(probe bytes "$HTTP_URL_W/media/DVOD/$MEDIA_CORRUPT_DVOD" 0 8); check "corrupt m4s: first box ffffffffffffffff" 'hex ffffffffffffffff$'
media_thaw LIVE
O=$(probe moves "$HLS_MEDIA_URL_LIVE" hls 4); check "thawed HLS moves again" '^moved'

echo "== throttle and stall"
O=$(probe rate "$RELAY_URL_THR/live.mp3" 3); echo "    ($O)"
check "relay --throttle 8000: 7600..8400 B/s" 'rate (7[6-9][0-9][0-9]|8[0-3][0-9][0-9]|8400) '
O=$(probe rate "$RELAY_URL_PASS/live.mp3" 2 70000); echo "    ($O)"
check "relay without shaping: ~16000 B/s after the burst" 'rate 1(4[5-9]|5[0-9]|6[0-9]|7[0-5])[0-9][0-9] '
O=$(probe head "$RELAY_URL_PASS/live.mp3"); check "relay keeps content-type and icy-br" 'content-type: audio/mpeg' && check "  icy-br: 128" 'icy-br: 128'
O=$(probe fetchtime "$HTTP_URL_W/slow/16000/media/VOD/v2/seg00002.ts"); echo "    ($O)"
check "nginx /slow/16000/: 15200..16800 B/s" '= (15[2-9][0-9][0-9]|16[0-7][0-9][0-9]|16800) B/s'
O=$(probe head "$HTTP_URL_W/slow/16000/media/VOD/master.m3u8"); check "/slow/ keeps the media types" 'application/vnd.apple.mpegurl'
O=$(probe gap "$RELAY_URL_STALL/live.mp3" 4); echo "    ($O)"
check "relay --stall-after 40000 --stall 2: one ~2 s gap at 40000" '^gap (1\.9[0-9]|2\.[0-2][0-9]) s at byte 40000 '
O=$(probe head "$FAULT_URL_F/html"); check "HTML instead of audio: faulthttp /html" 'content-type: text/html'

echo "== signals: levels (ffmpeg astats on the decoded samples)"
t0=$(date +%s%N)
[ "${MEDIA_SIGNAL:-unset}" = unset ] && pass "MEDIA_SIGNAL=... media_feed: not set after the call" ||
  fail "MEDIA_SIGNAL is '$MEDIA_SIGNAL' after the call"
O=$(levels "$MEDIA_URL_MP3" 3); near "live tone mp3: RMS -24.5 dBFS" "$(field rms)" -25.5 -23.5
near "  peak -21.5 dBFS (joined mid-stream: a first frame without its reservoir)" "$(field peak)" -22.5 -19.5
check "  no silence" 'silence$'
O=$(levels "$MEDIA_URL_SIL" 3); check "live silent mp3: RMS and peak -inf (digital silence)" '^rms -inf peak -inf len [0-9.]+ silence 0\.00:'
O=$(levels "$MEDIA_URL_HISS" 3); near "live hiss aac: RMS -89 dBFS" "$(field rms)" -91 -87
near "  peak -78 dBFS" "$(field peak)" -81 -75
check "  silence at -60 dB throughout" '^rms [^ ]+ peak [^ ]+ len [0-9.]+ silence 0\.00:[0-9.]+$'
O=$(probe rate "$MEDIA_URL_HISS" 2 70000); check "  at the full rate: ~16000 B/s after the burst" 'rate 1(4[5-9]|5[0-9]|6[0-9]|7[0-5])[0-9][0-9] '
O=$(levels "$MEDIA_URL_QUIET" 2); near "live quiet ogg: RMS -50.1 dBFS" "$(field rms)" -51 -49.2
near "  peak -47.0 dBFS" "$(field peak)" -48 -46
check "  not silence at -60 dB" 'silence$'
O=$(levels "$MEDIA_URL_LOUD" 2); near "live loud opus: RMS -0.1 dBFS" "$(field rms)" -1 0.5
near "  peak over full scale (float)" "$(field peak)" 1 4
O=$(fullscale "$MEDIA_URL_LOUD" 2); near "  samples at full scale in s16: many" "$(field full)" 10000 99999999
# the feed has run for minutes: the burst holds 16 s, a whole cycle at once
O=$(levels "$MEDIA_URL_GAP" 11.5); near "live gap mp3 (32k): a 4.0 s silence in 11.5 s" \
  "$(printf '%s\n' "$O" | tr ' ' '\n' | sed -n 's/^[0-9.]*:\([0-9.]*\)$/\1/p' | sort -n | tail -n 1)" 3.9 4.1
echo "    ($(ms) ms)"
O=$(MEDIA_SIGNAL=midgap media_feed X ICE /x.mp3 mp3 2>&1); check "midgap is no live signal" 'media_file only'
O=$(MEDIA_SIGNAL=hum media_feed X ICE /x.mp3 mp3 2>&1); check "unknown signal refused" "signal 'hum' is not"

echo "== signals: media_file (files served by nginx)"
t0=$(date +%s%N)
media_serve W || fail "media_serve W"
bad=0
for f in mp3 aac ogg opus; do
  for sig in tone silent hiss quiet loud; do
    media_file "$MEDIA_ROOT/$sig.$f" "$f" "$sig" 3 || bad=1
  done
  media_file "$MEDIA_ROOT/midgap.$f" "$f" midgap 10 || bad=1
done
media_file "$MEDIA_ROOT/gap.mp3" mp3 gap 15 || bad=1
[ $bad = 0 ] && pass "25 files written ($(ms) ms)" || fail "media_file failed"
media_file "$LAB_DIR/again.ogg" ogg midgap 10 && cmp -s "$LAB_DIR/again.ogg" "$MEDIA_ROOT/midgap.ogg" &&
  pass "media_file is deterministic (midgap.ogg twice: the same bytes)" || fail "midgap.ogg differs between runs"
O=$(media_file "$LAB_DIR/x.mp3" mp3 midgap 7 2>&1); check "midgap shorter than 8 s refused" 'needs SECONDS >= 8'
O=$(media_file "$LAB_DIR/x.mp3" mp3 tone 1.5 2>&1); check "SECONDS 1.5 refused" 'not a whole number'
for x in mp3:audio/mpeg aac:audio/aac ogg:audio/ogg opus:audio/ogg; do
  f=${x%%:*} ct=${x#*:}
  u=$HTTP_URL_W/media/midgap.$f
  O=$(probe head "$u"); check "midgap.$f over nginx: 200 $ct" "content-type: $ct"
  O=$(levels "$u"); near "  10.0 s decoded (aac 10.031: priming and padding)" "$(field len)" 9.99 10.04
  check "  one silence (-60 dB, >= 1 s): from 3.0 s (aac 3.02), 4.0 s long" ' silence (2\.99|3\.0[0-3]):(3\.9[5-9]|4\.0[0-4])$'
  near "  RMS -26.3 dBFS (mp3 -26.7)" "$(field rms)" -27.2 -25.8
  O=$(levels "$HTTP_URL_W/media/tone.$f"); near "tone.$f: RMS -24.1 dBFS (mp3 -24.5)" "$(field rms)" -25 -23.6
  near "  peak -21.1 dBFS (mp3 -21.5)" "$(field peak)" -22 -20.6
  O=$(levels "$HTTP_URL_W/media/quiet.$f"); near "quiet.$f: RMS -50.1 dBFS (mp3 -50.5)" "$(field rms)" -51 -49.6
  O=$(levels "$HTTP_URL_W/media/silent.$f"); check "silent.$f: -inf, all 3 s silent" '^rms -inf peak -inf len 3\.0[0-4][0-9] silence 0\.00:3\.0[0-9]$'
  O=$(levels "$HTTP_URL_W/media/hiss.$f"); near "hiss.$f: RMS -89 dBFS" "$(field rms)" -90 -88
  check "  all 3 s silent at -60 dB" '^rms [^ ]+ peak [^ ]+ len 3\.0[0-4][0-9] silence 0\.00:3\.0[0-9]$'
  O=$(levels "$HTTP_URL_W/media/loud.$f"); near "loud.$f: peak over full scale (float)" "$(field peak)" 1 4
  O=$(fullscale "$HTTP_URL_W/media/loud.$f"); near "  samples at full scale in s16 (aac: few)" "$(field full)" 1 99999999
done
O=$(levels "$HTTP_URL_W/media/gap.mp3"); check "gap.mp3 (15 s): silences at 3 and 10 s, 4.0 s each" \
  'silence 3\.00:(3\.9[5-9]|4\.0[0-4]) 10\.00:(3\.9[5-9]|4\.0[0-4])$'
echo "    ($(ms) ms)"

echo "== source gone"
media_stop OGG && pass "media_stop OGG returned" || fail "media_stop OGG"
O=$(probe head "$MEDIA_URL_OGG"); check "OGG mount 404 after media_stop" '^status 404$'
O=$(probe head "$MEDIA_URL_MP3"); check "MP3 still 200" '^status 200$'
media_stop LIVE4
O=$(probe seq "$HLS_MEDIA_URL_LIVE4"); check "stopped HLS live: ENDLIST" 'endlist'

echo "== $failed failed"
[ $failed = 0 ] || lab_logs 15
exit $failed
