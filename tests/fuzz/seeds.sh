#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the fuzz seeds in tests/fuzz/corpus/ from streamlab's real
# servers and encoders: ffmpeg (frames, HLS, DASH, as media.sh runs it),
# loginsrv.py (token JSON, error JSON, login page), fakedns.py and
# dnsmasq (DNS replies), plus the options the plugin tests pass. Each
# seed is cut to a few KB. Run from the source tree:
#   sh tests/fuzz/seeds.sh
# Needs ffmpeg, dnsmasq, curl, python3, knotd, unbound and ldns-signzone
# (tools/install-deps).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
C=$top_srcdir/tests/fuzz/corpus
. "$top_srcdir/tests/streamlab/lab.sh"
lab_init
T=$LAB_DIR
FF="ffmpeg -nostdin -hide_banner -loglevel error -y"
SINE="-f lavfi -i sine=frequency=440:sample_rate=48000"
cut4k() { head -c "${2:-4096}" "$1"; }
put() { mkdir -p "$C/$1"; cat >"$C/$1/$2"; }

# ---- frames: 0.1 s of the lab's sine in every format check_stream reads
$FF $SINE -t 0.1 -c:a libmp3lame -b:a 128k -f mp3 "$T/a.mp3"
$FF $SINE -t 0.1 -c:a aac -b:a 128k -f adts "$T/a.aac"
$FF $SINE -t 0.1 -c:a libvorbis -f ogg "$T/a.ogg" 2>/dev/null ||
  $FF $SINE -t 0.1 -c:a vorbis -strict -2 -ac 2 -f ogg "$T/a.ogg"
$FF $SINE -t 0.1 -c:a libopus -f ogg "$T/a.opus"
$FF $SINE -t 0.1 -c:a aac -f mpegts "$T/a.ts"
$FF $SINE -t 0.2 -c:a aac -f mp4 \
  -movflags frag_keyframe+empty_moov+default_base_moof "$T/a.mp4"
cut4k "$T/a.mp3" | put fuzz_frames_mp3 sine.mp3
cut4k "$T/a.aac" | put fuzz_frames_adts sine.aac
cut4k "$T/a.ogg" 6000 | put fuzz_frames_ogg sine-vorbis.ogg
cut4k "$T/a.opus" | put fuzz_frames_ogg sine-opus.ogg
cut4k "$T/a.ts" 3760 | put fuzz_frames_ts sine.ts
cut4k "$T/a.mp4" | put fuzz_frames_fmp4 sine.mp4
# the ear: byte 0 picks the decoder (fuzz_audio.c's formats[] order)
sel() { printf "\\$(printf '%03o' "$1")"; }
{ sel 0; cut4k "$T/a.mp3"; } | put fuzz_audio sine.mp3
{ sel 1; cut4k "$T/a.aac"; } | put fuzz_audio sine.aac
{ sel 2; cut4k "$T/a.ogg" 6000; } | put fuzz_audio sine-vorbis.ogg
{ sel 3; cut4k "$T/a.opus"; } | put fuzz_audio sine-opus.ogg
{ sel 4; cut4k "$T/a.ts" 3760; } | put fuzz_audio sine.ts
{ sel 5; cut4k "$T/a.mp4" 8192; } | put fuzz_audio sine.mp4

# ---- HLS and DASH as media.sh writes them (VOD: no -re), 3 s
A3="-map 0:a -map 0:a -map 0:a -c:a aac -ac 2 -b:a:0 128k -b:a:1 192k -b:a:2 256k"
for seg in ts fmp4; do
  d=$T/hls-$seg && mkdir -p "$d/v0" "$d/v1" "$d/v2"
  extra=
  [ $seg = fmp4 ] && extra="-hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4"
  # shellcheck disable=SC2086
  $FF $SINE -t 3 $A3 -f hls -hls_time 1 -hls_list_size 0 \
    -hls_playlist_type vod $extra -master_pl_name master.m3u8 \
    -var_stream_map "a:0 a:1 a:2" \
    -hls_segment_filename "$d/v%v/seg%05d.$seg" "$d/v%v/index.m3u8"
  put fuzz_hls "vod-$seg.m3u8" <"$d/v0/index.m3u8"
done
put fuzz_hls master.m3u8 <"$T/hls-ts/master.m3u8"
d=$T/hls-live && mkdir -p "$d"
# shellcheck disable=SC2086
$FF $SINE -t 3 -c:a aac -f hls -hls_time 1 -hls_list_size 5 \
  -hls_flags delete_segments+program_date_time \
  -hls_segment_filename "$d/seg%05d.ts" "$d/index.m3u8"
put fuzz_hls live-pdt.m3u8 <"$d/index.m3u8"
cut4k "$T/hls-ts/v0/seg00000.ts" 3760 | put fuzz_frames_ts hls-seg.ts
cut4k "$T/hls-fmp4/v0/init_0.mp4" | put fuzz_frames_fmp4 hls-init.mp4
cut4k "$T/hls-fmp4/v0/seg00001.fmp4" | put fuzz_frames_fmp4 hls-seg.m4s

d=$T/dash && mkdir -p "$d"
# shellcheck disable=SC2086
$FF $SINE -t 3 $A3 -f dash -seg_duration 1 -use_template 1 -use_timeline 1 \
  -adaptation_sets "id=0,streams=a" "$d/manifest.mpd"
put fuzz_mpd vod-timeline.mpd <"$d/manifest.mpd"
d=$T/dash2 && mkdir -p "$d"
$FF $SINE -t 3 -c:a aac -f dash -seg_duration 1 -use_template 1 \
  -use_timeline 0 "$d/manifest.mpd"
put fuzz_mpd vod-number.mpd <"$d/manifest.mpd"
# live: the same MPD as a live one (ffmpeg's live attributes)
sed -e 's/type="static"/type="dynamic" availabilityStartTime="2026-11-26T11:59:00Z" publishTime="2026-11-26T12:00:00Z" minimumUpdatePeriod="PT1S" timeShiftBufferDepth="PT5S" suggestedPresentationDelay="PT2S"/' \
  -e '/mediaPresentationDuration/d' "$T/dash/manifest.mpd" |
  put fuzz_mpd live-dynamic.mpd

# ---- ICY: Icecast 2.4's response head, then MP3 with metadata every
# 512 bytes (icy-metaint as Icecast announces it), one StreamTitle block
python3 - "$T/a.mp3" >"$T/icy" <<'PY'
import sys
mp3 = open(sys.argv[1], "rb").read()[:1536]
head = (b"HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n"
        b"icy-br:128\r\nicy-description:streamlab sine\r\n"
        b"icy-genre:test\r\nicy-name:lab sine 440\r\nicy-pub:0\r\n"
        b"icy-url:http://127.0.0.1/\r\nServer: Icecast 2.4.4\r\n"
        b"Cache-Control: no-cache, no-store\r\nicy-metaint:512\r\n\r\n")
meta = b"StreamTitle='Sine 440 Hz';"
meta += b"\0" * (-len(meta) % 16)
out = head
for i, off in enumerate(range(0, len(mp3), 512)):
    out += mp3[off:off + 512]
    out += bytes([len(meta) // 16]) + meta if i == 0 else b"\0"
sys.stdout.buffer.write(out)
PY
put fuzz_icy icecast-mp3 <"$T/icy"

# ---- loginsrv: token answers, OAuth2 errors, the login page
lab_spawn_ready login "${LAB_PY:-python3}" "$LAB_SRC/loginsrv.py" \
  --addr 127.0.0.1 --port 0
U=http://127.0.0.1:$LAB_READY_PORT
post() { curl -s -H 'Content-Type: application/x-www-form-urlencoded' "$@"; }
post -u labclient:lab-secret-1 -d grant_type=client_credentials "$U/token" |
  put fuzz_login_token client-credentials.json
post -u labclient:lab-secret-1 -d grant_type=refresh_token \
  -d refresh_token=rt-good-1 -d scope=read "$U/token" |
  put fuzz_login_token refresh.json
post -u labclient:wrong -d grant_type=client_credentials "$U/token" |
  put fuzz_login_token invalid-client.json
post -u labclient:lab-secret-1 -d grant_type=client_credentials \
  "$U/fault/evil/token" | put fuzz_login_token evil.json
post -u labclient:lab-secret-1 -d grant_type=client_credentials \
  "$U/fault/notbearer/token" | put fuzz_login_token notbearer.json
printf '# streamwatch token cache (check_login); do not edit\ntoken_type=Bearer\nexpires_at=1795000000\naccess_token=0123456789abcdef0123456789abcdef\n' |
  put fuzz_login_token token-cache
curl -s "$U/login" | put fuzz_login_form login.html
curl -s "$U/changed/login" | put fuzz_login_form changed-login.html
curl -s -u labclient:lab-secret-1 -d grant_type=client_credentials \
  "$U/fault/html/token" | put fuzz_login_form fault-html.html
for f in client-credentials.json evil.json invalid-client.json; do
  cp "$C/fuzz_login_token/$f" "$C/fuzz_api_json/$f" 2>/dev/null ||
    { mkdir -p "$C/fuzz_api_json" && cp "$C/fuzz_login_token/$f" "$C/fuzz_api_json/$f"; }
done
lab_stop login || true # its TERM status

# ---- DNS: replies from dnsmasq (the lab's real server) and fakedns.py
# faults, captured by sending the queries check_resolve sends
P=$(lab_free_port 127.0.0.1)
cat >"$T/dnsmasq.conf" <<CONF
no-resolv
no-hosts
bind-interfaces
listen-address=127.0.0.1
port=$P
pid-file=
local=/lab.test/
address=/www.lab.test/10.1.2.3
host-record=v6.lab.test,10.1.2.4,2001:db8::4
mx-host=lab.test,mx.lab.test,10
srv-host=_http._tcp.lab.test,www.lab.test,80,0,5
txt-record=lab.test,"v=spf1 -all","second string"
cname=alias.lab.test,www.lab.test
ptr-record=4.2.1.10.in-addr.arpa,www.lab.test
caa-record=lab.test,0,issue,"ca.example"
CONF
lab_spawn dnsmasq dnsmasq --keep-in-foreground --conf-file="$T/dnsmasq.conf"
lab_wait_udp_dns 127.0.0.1 "$P" "$LAB_PID"
lab_spawn_ready fakedns "${LAB_PY:-python3}" "$LAB_SRC/fakedns.py" \
  --addr 127.0.0.1 --port 0
F=$LAB_READY_PORT
python3 - "$C/fuzz_dns_reply" "$P" "$F" <<'PY'
import os, socket, struct, sys
out, real, fake = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
def query(name, qtype, port, qid=0x1234):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", qtype, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(q, ("127.0.0.1", port))
    r = s.recv(4096)
    s.close()
    return r
asks = [("www.lab.test", 1, "a"), ("v6.lab.test", 28, "aaaa"),
        ("lab.test", 15, "mx"), ("_http._tcp.lab.test", 33, "srv"),
        ("lab.test", 16, "txt"), ("alias.lab.test", 1, "cname-a"),
        ("4.2.1.10.in-addr.arpa", 12, "ptr"), ("lab.test", 257, "caa"),
        ("lab.test", 6, "soa"), ("nope.lab.test", 1, "nxdomain")]
for name, qt, tag in asks:
    open(os.path.join(out, "dnsmasq-" + tag), "wb").write(query(name, qt, real))
for name, qt, tag in [("evil8.fault.test", 16, "evil8-txt"),
                      ("evil8.fault.test", 5, "evil8-cname"),
                      ("multi.fault.test", 1, "multi"),
                      ("cname.fault.test", 1, "cname"),
                      ("garbage.fault.test", 1, "garbage"),
                      ("ptrloop.fault.test", 1, "ptrloop"),
                      ("tc.fault.test", 1, "tc")]:
    open(os.path.join(out, "fakedns-" + tag), "wb").write(query(name, qt, fake))
PY
lab_stop fakedns || true # its TERM status
lab_stop dnsmasq || true # its TERM status

# ---- DNS over TLS and HTTPS (fuzz_dns_enc): dnsmasq's replies as a DoT
# stream (byte 0 even: two length-prefixed messages, the second cut) and
# as DoH responses (byte 0 odd: status, Content-Type, body)
python3 - "$C/fuzz_dns_reply" "$C/fuzz_dns_enc" <<'PY'
import os, struct, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
a = open(os.path.join(src, "dnsmasq-a"), "rb").read()
cn = open(os.path.join(src, "dnsmasq-cname-a"), "rb").read()
frame = lambda m: struct.pack("!H", len(m)) + m
open(os.path.join(out, "dot-two"), "wb").write(b"\0" + frame(a) + frame(cn))
open(os.path.join(out, "dot-cut"), "wb").write(b"\0" + frame(a) + frame(cn)[:9])
def doh(status, ctype, body):
    c = ctype.encode()
    return b"\1" + struct.pack("!HB", status, len(c)) + c + body
open(os.path.join(out, "doh-200"), "wb").write(doh(200, "application/dns-message", a))
open(os.path.join(out, "doh-html"), "wb").write(doh(200, "text/html; charset=utf-8", b"<html></html>"))
open(os.path.join(out, "doh-404"), "wb").write(doh(404, "text/plain", b"not found"))
PY

# ---- EDNS: replies with an OPT RR to the queries check_resolve
# --dnssec --client-subnet sends (DO, ECS 10.1.0.0/16 or an IPv6 /56):
# from knotd and unbound (tests/streamlab/dnssec.sh: ECS scopes, AD with
# RRSIGs, SERVFAIL with EDE 6 and 7) and fakedns.py's EDNS faults; for
# fuzz_dns_reply, and for fuzz_resolve_plugin with those options (byte 1
# bit 3), one A query
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/dnssec.sh"
dnssec_have_lab || { echo "seeds.sh: not installed:$DNSSEC_MISSING" >&2; exit 1; }
dnssec_start_knot knot 127.0.0.1
dnssec_start_unbound unbound 127.0.0.1 knot
lab_spawn_ready fakedns "${LAB_PY:-python3}" "$LAB_SRC/fakedns.py" \
  --addr 127.0.0.1 --port 0
python3 - "$C" "$DNS_PORT_knot" "$DNS_PORT_unbound" "$LAB_READY_PORT" <<'PY'
import os, socket, struct, sys
C, knot, unbound, fake = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def query(name, port, ecs=b"\0\x01\x10\0\x0a\x01", do=True):
    opt = struct.pack(">HH", 8, len(ecs)) + ecs if ecs else b""
    q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 1)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", 1, 1)
    q += b"\0" + struct.pack(">HHHHH", 41, 1232, 0, 0x8000 if do else 0, len(opt)) + opt
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(q, ("127.0.0.1", port))
    r = s.recv(4096)
    s.close()
    return r
v6 = b"\0\x02\x38\0\x20\x01\x0d\xb8\0\x01\0"
asks = [("www.geo.test", knot, None, "knot-ecs"),
        ("www.geo.test", unbound, None, "unbound-ecs"),
        ("www.geo.test", unbound, v6, "unbound-ecs6"),
        ("www.signed.test", unbound, None, "unbound-ad"),
        ("nope.signed.test", unbound, None, "unbound-ad-nxdomain"),
        ("www.bogus.test", unbound, None, "unbound-ede6"),
        ("www.expired.test", unbound, None, "unbound-ede7")]
asks += [(t + ".fault.test", fake, None, "fakedns-" + t) for t in
         ("ecsbad", "ecswrong", "optpast", "twoopt", "edebogus", "edeshort")]
for d in ("fuzz_dns_reply", "fuzz_resolve_plugin"):
    os.makedirs(os.path.join(C, d), exist_ok=True)
for name, port, ecs, tag in asks:
    r = query(name, port, ecs) if ecs else query(name, port)
    open(os.path.join(C, "fuzz_dns_reply", "edns-" + tag), "wb").write(r)
    seed = bytes([0, 8]) + struct.pack(">H", len(r)) + r
    open(os.path.join(C, "fuzz_resolve_plugin", "edns-" + tag), "wb").write(seed)
PY
lab_stop fakedns || true # its TERM status
lab_stop unbound || true
lab_stop knot || true

# ---- what users type: ranges, numbers, -j/-M, ini files, hostile text
n=0
for r in 10 10: '~:10' 10:20 @10:20 0.250 -1 +5 1e3 5:3 : '' nan 0x10 \
  18446744073709551615 '@~:0.5' 3600; do
  n=$((n + 1)) && printf '%s' "$r" | put fuzz_range "r$n"
done
n=0
for j in '/status==ok' '/live==true' '/tracks/total==2' '/a~=[' \
  '/body~=^\{"a":1\}$' '/headers/x-probe==streamwatch' '/a/b~1c!=[1,2]' \
  'lat=/latency_ms;20;50' 'lat=/x;5:3' '/title~=^Sine' '==null'; do
  n=$((n + 1)) && printf '%s' "$j" | put fuzz_api_assert "j$n"
done
printf '{"status":"ok","live":true,"latency_ms":12.5,"tracks":{"total":2,"items":[{"title":"Sine 440"},{"title":"x|y\\n\\u001b[31m"}]},"q":"12.5"}' |
  put fuzz_api_json api-status.json
printf '[check_api]\n# comment\nurl=http://127.0.0.1:8080/status\nwarning = 1\ncritical="2 s"\nverbose\n; other\n[check_stream]\nurl=x\n' |
  put fuzz_ini plugins.ini
printf '[]\r\nk=v\r\n[ check_api ]\r\n  timeout = 5  \r\n' | put fuzz_ini crlf.ini
printf '\000\000Sine 440 | time=1s\nLOGIN OK - forged\033[31m\377\376' |
  put fuzz_sanitize forged
printf '\010\040label with '"'"'quote'"'"'=x|y' | put fuzz_sanitize label
printf '\003\010\303\251\342\202\254\360\237\216\265\302\233[2J' |
  put fuzz_sanitize utf8
echo "seeds written to $C"
