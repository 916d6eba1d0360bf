# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab media: Icecast2 fed by ffmpeg (progressive), ffmpeg's HLS and
# DASH muxers writing live (or VOD) into an http.sh nginx's document root,
# relay.py for throttled/stalled delivery, and the faults of a live stream.
# shellcheck shell=sh disable=SC2034
# POSIX sh (dash); source after lab.sh and http.sh, call lab_init first:
#
#   . "$top_srcdir/tests/streamlab/lab.sh"; . "$top_srcdir/tests/streamlab/http.sh"
#   . "$top_srcdir/tests/streamlab/media.sh"
#   lab_init
#   media_have_icecast && media_have_ffmpeg || skip_all "icecast2/ffmpeg missing"
#   media_start_icecast ICE 127.0.0.1 || exit 1
#   media_feed MP3 ICE /live.mp3 mp3 || exit 1
#   check_stream -u "$MEDIA_URL_MP3" --expect-format mp3
#   http_start_nginx W 127.0.0.1 || exit 1
#   media_start_hls LIVE W live ts || exit 1
#   check_stream -u "$HLS_URL_LIVE"
#   media_freeze LIVE; check_stream -u "$HLS_URL_LIVE"     # stale playlist
#
# Every function below must run in the calling shell (not inside $(...)):
# it sets variables there. Names: letters, digits, _; not starting with a
# digit. Every process is started with lab_spawn, so lab.sh's trap stops it.
# No fixed sleeps: everything polls (ports, files, HTTP), up to LAB_WAIT s.
#
# == Progressive (Icecast 2.4, ffmpeg source)
#   media_start_icecast NAME ADDR
#     /usr/bin/icecast2 ($ICECAST) in the foreground with config
#     $LAB_DIR/NAME/icecast.xml; starts as root, binds, then drops to
#     nobody:nogroup (<changeowner>): its error and access logs go to
#     stderr ($LAB_DIR/NAME.log), so user nobody needs no writable path;
#     no pidfile (LAB_PID_NAME is icecast itself: it does not fork). Web
#     and admin pages from /usr/share/icecast2/{web,admin}. Limits: 32
#     sources, 100 clients, queue 2 MiB, burst-on-connect 65535 bytes
#     (Icecast's default burst: a new listener first gets up to 64 KiB at
#     once), source-timeout 10 s. Port clashes are retried (5 times).
#     Mount defaults (first match wins) set the listener's icy-br header
#     (ffmpeg's icecast client cannot send one; Icecast 2.4.4 logs a WARN
#     "Default mount ... has mount-name set" for each, and applies them):
#       /raw*            no icy-br header (the bitrate only in the frames)
#       /*-NNk.*         icy-br: NN for NN in 32 48 64 96 128 192 256 320
#                        (e.g. /low-32k.mp3 -> icy-br: 32)
#       /*               icy-br: 128
#     Sets ICECAST_ADDR_<NAME>, ICECAST_PORT_<NAME>, ICECAST_URL_<NAME>
#     (http://ADDR:PORT, [::1] for v6), LAB_PID_<NAME>, and ICECAST_NAME,
#     ICECAST_PORT, ICECAST_URL for the one started last.
#     Shared by all: ICECAST_SOURCE_PASS (source user "source"),
#     ICECAST_ADMIN_USER, ICECAST_ADMIN_PASS (/admin/, status-json.xsl is
#     open).
#   media_feed NAME ICECASTNAME MOUNT FORMAT [ffmpeg output options...]
#     ffmpeg -re, the signal $MEDIA_SIGNAL (default tone, a 440 Hz sine;
#     every signal under "Signals" below but midgap), encoded live and
#     sent to icecast://source:PASS@ADDR:PORT/MOUNT (ffmpeg log:
#     $LAB_DIR/NAME.log). Another signal for one feed:
#       MEDIA_SIGNAL=silent media_feed DEAD ICE /dead.mp3 mp3
#     (dash and bash forget such an assignment after the call; bash
#     --posix keeps it: there set MEDIA_SIGNAL and unset it after).
#     MOUNT starts with "/". Bitrate: NN from a /*-NNk.* mount, else 128k.
#       FORMAT  codec          container       Content-Type   rate
#       mp3     libmp3lame CBR MP3 (-f mp3)    audio/mpeg     44.1 kHz
#       aac     aac (LC)       ADTS (-f adts)  audio/aac      44.1 kHz
#       ogg     libvorbis      Ogg             audio/ogg      44.1 kHz
#       opus    libopus        Ogg             audio/ogg      48 kHz
#       flac    flac           FLAC (-f flac)  audio/flac     44.1 kHz
#               (lossless, no -b:a: ~700 kb/s; a format check_stream
#               does not read)
#     (Ogg pages of at most 0.25 s: -page_duration 250000.)
#     Stereo (the tone on both channels). Extra options come after these,
#     before the output (e.g. -b:a 32k, -t 5, -ice_name X). Stream name
#     (icy-name) "streamlab NAME", icy-description the signal's (tone:
#     "440 Hz sine"). Returns once a listener gets bytes from
#     the mount. Sets MEDIA_URL_<NAME> (http://ADDR:PORT/MOUNT, the
#     listener URL), MEDIA_URL, LAB_PID_<NAME>.
#   media_file PATH FORMAT SIGNAL SECONDS
#     writes SECONDS s (a whole number, sample-exact) of SIGNAL (below;
#     midgap needs SECONDS >= 8) to the file PATH with ffmpeg at once (no
#     -re: ~0.2 s for 10 s), in media_feed's codec and container for
#     FORMAT (mp3 aac ogg opus flac; 128k, no ICY), with -fflags
#     +bitexact: the same bytes on every run of one ffmpeg (10 s midgap
#     with ffmpeg 5.1: mp3 160933 bytes, aac 100927, ogg 20594, opus
#     127994). Written to PATH.tmp, then renamed (nginx never serves half
#     a file); the directory is made. Log: $LAB_DIR/media_file.log. Sets
#     nothing. For a download test, in the nginx root of media_serve:
#       media_serve W; media_file "$MEDIA_ROOT/midgap.mp3" mp3 midgap 10
#       check_stream -u "$HTTP_URL_W/media/midgap.mp3"
#     (encoder delay: an ADTS file decodes longer, the encoder's 1024
#     priming samples and the last frame's padding (no gapless data: 10 s
#     -> 10.031 s, the audio 23 ms late); an MP3's LAME header tells
#     ffmpeg to trim its ~1100 samples, a decoder that does not read it
#     gets them too.)
#   media_set_title NAME TITLE
#     Icecast admin metadata update (mp3/aac mounts: in-band ICY metadata
#     "StreamTitle='TITLE';" for listeners that send Icy-MetaData: 1;
#     Icecast always answers those with icy-metaint: 16000).
#   media_stop NAME
#     stops the ffmpeg source NAME (thawing it first if frozen). Icecast
#     feed: returns once the mount is gone (its URL answers 404: "source
#     gone"). HLS live: ffmpeg ends the playlists (#EXT-X-ENDLIST), files
#     stay. DASH live: ffmpeg removes its files (-remove_at_exit).
#
# == Signals (MEDIA_SIGNAL for media_feed; SIGNAL of media_file)
#   lavfi sources, stereo, both channels equal. The mono sine (amplitude
#   1/8: -18.1 dBFS peak, -21.1 dBFS RMS) is made stereo by ffmpeg's
#   default remix (-ac 2), which puts it 3 dB lower on each channel: the
#   tone is -21.1 dBFS peak and -24.1 RMS, not -18/-21. Levels measured
#   with ffmpeg 5.1's astats on the decoded float samples of both
#   channels, 10 s written by media_file at 128k (live feeds the same):
#     SIGNAL  made of                                  RMS dBFS  peak dBFS
#     tone    sine=frequency=440 (the default,          -24.1     -21.1
#             unchanged; every other feed and the       mp3 -24.5 mp3 -21.5
#             HLS/DASH streams are this one)
#     silent  anullsrc: digital silence, every            -inf      -inf
#             decoded sample 0 in all four codecs
#     hiss    anoisesrc white, amplitude 0.0001,        -89.0     -78
#             seed=1: an encoder's silent input, its    (-88.6 .. (-76.2 ..
#             noise floor; silence below -60 dBFS        -89.4)    -78.8)
#     quiet   tone, volume=-26dB: above the -60 dBFS    -50.1     -47.0
#             silence level, far below -30              mp3 -50.5 mp3 -47.5
#     loud    tone made stereo, then volume=+24dB in     -0.0      +2.5 ..
#             float: 3 dB over full scale reaches the   mp3 -0.5  +3.1
#             encoder unclipped and decoders put out    aac -3.6  (s16: 0)
#             overs (see below)
#     gap     tone 3 s, digital silence 4 s, again (a 7 s cycle from the
#             feed's start; sine frames of 0.1 s, volume switched on the
#             frame number n with eval=frame: sample-exact). silencedetect
#             at -60 dB: each silence 4.00 s (ogg 3.998)
#     midgap  media_file only: tone 0-3 s, digital silence 3-7 s, tone
#             7 s to SECONDS (10: 3 + 4 + 3 s), made like gap. 10 s: RMS
#             -26.3 (mp3 -26.7), peak the tone's; silencedetect at -60
#             dB: 3.00 to 7.00 s, 4.00 s (ogg 3.998; aac 3.999 and 23 ms
#             later: its priming)
#   aac, ogg and opus measure within 0.1 dB of each other (mp3, LAME,
#   0.4 dB lower). loud: samples at full scale once decoded to s16, of 10
#   s stereo: mp3 404646 of 882000, ogg 439848 of 882000, opus 473724 of
#   960000, aac only 473 (ffmpeg's AAC encoder keeps most peaks under
#   full scale). Bytes for 10 s: mp3 always 160933 (LAME CBR); digital
#   silence costs the others little (aac 5616, ogg 5427, opus 2422), hiss
#   the full rate (aac 163524, ogg 92491, opus 110197). Icecast answers
#   a listener of a non-Ogg mount (headers and all) only with data: a
#   silent aac mount (4.5 kb/s) is a trickle. Measured: a listener from
#   the start got its answer after ~8 s (4200 bytes), then 1400 bytes
#   every 2.5 s; one joining 10 s in got nothing for 10 s (check_stream:
#   "timeout ... reading the body").
#   media_feed waits up to LAB_WAIT + 10 s for it. A gap aac mount pauses
#   through each silence; flac's 8 KiB header comes at once, then ~140
#   B/s. For dead air on a live aac mount at the full rate, use hiss.
#   Levels of a file: ffmpeg -i F -af astats=measure_perchannel=none -f null -
#
# == HLS / DASH (files in the nginx root of http_start_nginx NGINXNAME)
#   The first media_start_hls/dash on an nginx appends to its
#   $LAB_DIR/NGINXNAME/locations.conf (used by all its ports, HTTP and TLS)
#   and reloads it (SIGHUP; waits until the new config answers):
#     /media/...              the root, with media types: .m3u8
#                             application/vnd.apple.mpegurl, .ts video/mp2t,
#                             .mpd application/dash+xml, .m4s
#                             video/iso.segment, .mp4 audio/mp4; every reply
#                             Cache-Control: no-cache
#     /slow/BPS/media/...     the same files, nginx limit_rate BPS bytes/s
#                             per connection: "slow segments". Not a steady
#                             rate: nginx sends BPS bytes at once, then BPS
#                             more each second, so a segment smaller than
#                             BPS arrives at once; for a known rate put
#                             media_start_relay --throttle in front.
#                             Relative URIs in playlists stay under
#                             /slow/BPS/, so a whole stream is slow from
#                             $HTTP_URL_W/slow/8000/media/NAME/master.m3u8
#     /moved/NAME/FILE        FILE a .m3u8 or .mpd: 302 Found to
#                             /media/NAME/FILE (a load balancer sending
#                             players to an edge): the playlist's relative
#                             URIs resolve against the new URL; anything
#                             else under /moved/ is a 404
#   media_start_hls NAME NGINXNAME [live|vod] [ts|fmp4]   (default live ts)
#     ffmpeg's hls muxer, a 440 Hz sine, AAC-LC stereo 48 kHz in three
#     variants (-var_stream_map): v0 128k, v1 192k, v2 256k (master
#     BANDWIDTH 140800, 211200, 281600), segments of ~1 s (-hls_time 1).
#     Files: $LAB_DIR/NGINXNAME/www/media/NAME/master.m3u8 and
#     v{0,1,2}/index.m3u8 with segNNNNN.ts, or (fmp4) segNNNNN.m4s and
#     init_{0,1,2}.mp4 (#EXT-X-MAP).
#     live: -re, -hls_list_size 5, -hls_flags
#       delete_segments+temp_file+program_date_time (EXT-X-PROGRAM-DATE-TIME
#       on every segment, old segments deleted, files renamed into place
#       complete); no #EXT-X-PLAYLIST-TYPE. Returns once the master and 2
#       segments in every variant's playlist exist (~2 s).
#     vod: 10 s written at once (ffmpeg without -re, finishes before this
#       returns), #EXT-X-PLAYLIST-TYPE:VOD, 10 segments of ~1 s and a last
#       very short one, #EXT-X-ENDLIST.
#     Sets HLS_URL_<NAME> ($HTTP_URL_<NGINXNAME>/media/NAME/master.m3u8),
#     HLS_MEDIA_URL_<NAME> (.../v0/index.m3u8, the 128k variant),
#     HLS_DIR_<NAME> (the directory), LAB_PID_<NAME> (live: the writer).
#   media_start_dash NAME NGINXNAME [live|vod]               (default live)
#     ffmpeg's dash muxer, same sine, AAC-LC in one audio AdaptationSet with
#     three Representations (id 0 128k, 1 192k, 2 256k), SegmentTemplate
#     with $Number%05d$ and a SegmentTimeline, -seg_duration 1:
#     media/NAME/manifest.mpd, init-stream{0,1,2}.m4s,
#     chunk-stream{0,1,2}-NNNNN.m4s (numbers from 1).
#     live: -re, type="dynamic", -window_size 5 -extra_window_size 2
#       -remove_at_exit 1; returns once the MPD lists 2 segments in every
#       Representation (~2 s). vod: 10 s at once, type="static".
#     Sets DASH_URL_<NAME> (.../media/NAME/manifest.mpd), DASH_DIR_<NAME>.
#
#   media_serve NGINXNAME
#     only the /media/ and /slow/BPS/ locations above (no writer): files put
#     under $LAB_DIR/NGINXNAME/www/media/ are served with the media types
#     (.mp3 audio/mpeg, .aac audio/aac, .ogg and .opus audio/ogg, .flac
#     audio/flac, ...). Sets MEDIA_ROOT_<NGINXNAME>
#     (that directory) and MEDIA_ROOT.
#
# == Faults
#   media_freeze NAME    SIGSTOP the ffmpeg writer/source: HLS/DASH files
#                        stay as they are (stale live playlist: the media
#                        sequence stops; no ENDLIST); an Icecast feed stops
#                        sending (listeners stall; Icecast drops the source
#                        after its source-timeout, 10 s).
#   media_thaw NAME      SIGCONT: it carries on (ffmpeg -re first catches up
#                        with the wall clock, so a live playlist jumps
#                        ahead by the frozen time, then moves normally).
#                        A writer still frozen at exit costs lab_cleanup
#                        2 s (TERM stays pending; KILL ends it).
#   media_break_segment NAME [first|last]
#                        deletes one segment listed in the playlist, in
#                        every variant/representation (404 from nginx).
#                        Default: the last listed for live, the first for
#                        vod. Sets MEDIA_BROKEN_<NAME> (its file name, e.g.
#                        seg00003.ts or chunk-stream0-00004.m4s for
#                        representation 0). On a moving live stream the
#                        segment leaves the playlist within ~5 s: freeze
#                        first for a steady fault.
#   media_corrupt_segment NAME [first|last]
#                        overwrites bytes of that segment in every variant:
#                        .ts: 376 zero bytes at offset 376 (the 3rd and 4th
#                        188-byte packets lose their 0x47 sync byte: sync
#                        lost at byte 376); .m4s (fMP4/DASH): the first 8
#                        bytes (the first box's size and type) become 0xFF.
#                        Sets MEDIA_CORRUPT_<NAME> (file name) and
#                        MEDIA_CORRUPT_OFFSET_<NAME> (376 or 0).
#   media_start_relay NAME UPSTREAM [--addr ADDR] [--throttle BPS]
#                     [--burst BYTES] [--stall-after BYTES] [--stall S]
#                     [--pdt-shift S] [--hide-newest]
#                        tests/streamlab/relay.py in front of UPSTREAM
#                        (http://ADDR:PORT of Icecast or nginx): the same
#                        paths, with the body throttled to BPS bytes/s after
#                        BURST bytes, and/or one pause of S seconds (default
#                        2) after BYTES bytes, per connection; --pdt-shift:
#                        HLS playlists' EXT-X-PROGRAM-DATE-TIME S seconds
#                        in the past (a packager's clock behind);
#                        --hide-newest: the newest segment of each media
#                        playlist is a 404 (an edge it has not reached). Sets
#                        RELAY_URL_<NAME> (http://127.0.0.1:PORT),
#                        RELAY_PORT_<NAME>, LAB_PID_<NAME>; a stream is then
#                        $RELAY_URL_<NAME>/live.mp3.
#   HTML instead of audio: faulthttp's /html ($FAULT_URL/html, or
#                        $HTTP_URL_W/fault/html through nginx).
#   source gone: media_stop NAME (Icecast then answers 404 for the mount).
#
#   Debian packages: icecast2, ffmpeg (tools/install-deps), nginx-light.
#   media_have_icecast / media_have_ffmpeg   true when installed
#   ICECAST (default /usr/bin/icecast2), MEDIA_FFMPEG (/usr/bin/ffmpeg),
#   MEDIA_FFPROBE (/usr/bin/ffprobe), MEDIA_USER/MEDIA_GROUP (nobody
#   nogroup: the user Icecast runs as).

ICECAST=${ICECAST:-/usr/bin/icecast2}
MEDIA_FFMPEG=${MEDIA_FFMPEG:-/usr/bin/ffmpeg}
MEDIA_FFPROBE=${MEDIA_FFPROBE:-/usr/bin/ffprobe}
MEDIA_USER=${MEDIA_USER:-nobody}
MEDIA_GROUP=${MEDIA_GROUP:-nogroup}
ICECAST_SOURCE_PASS=${ICECAST_SOURCE_PASS:-lab-source-pw}
ICECAST_ADMIN_USER=${ICECAST_ADMIN_USER:-admin}
ICECAST_ADMIN_PASS=${ICECAST_ADMIN_PASS:-lab-admin-pw}
MEDIA__BITRATES="32 48 64 96 128 192 256 320"
MEDIA__GEN=0

media_have_icecast() {
  [ -x "$ICECAST" ] && id "$MEDIA_USER" >/dev/null 2>&1
}

media_have_ffmpeg() {
  [ -x "$MEDIA_FFMPEG" ] && [ -x "$MEDIA_FFPROBE" ]
}

media__check_name() {
  case $1 in
    ''|[0-9]*|*[!A-Za-z0-9_]*) echo "media: bad name '$1' (letters, digits, _)" >&2; return 1 ;;
  esac
}

media__hostport() {
  case $1 in *:*) echo "[$1]:$2" ;; *) echo "$1:$2" ;; esac
}

# media__py CMD ARGS: HTTP polls (python3 urllib), every 50 ms up to LIMIT s
#   wait-stream URL MINBYTES LIMIT [PID [T]]  200 and MINBYTES body bytes
#                                         read, each try waiting up to T s
#                                         (default 1) for them
#   wait-gone URL LIMIT                   404 (or nothing listening)
#   wait-body URL TEXT LIMIT              200 with TEXT in the body
#   admin URL USER PASS                   GET with basic auth, must be 200
media__py() {
  "$LAB_PY" -c '
import base64, socket, sys, time, urllib.error, urllib.request
cmd, args = sys.argv[1], sys.argv[2:]
def alive(pid):
    if not pid:
        return True
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(") ", 1)[1][0] not in "ZX"
    except OSError:
        return False
def poll(check, limit, pid="", what=""):
    deadline = time.monotonic() + float(limit)
    last = "nothing"
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        try:
            r = check()
            if r is True:
                sys.exit(0)
            last = r
        except urllib.error.HTTPError as e:
            last = "HTTP %d" % e.code
            if cmd == "wait-gone" and e.code == 404:
                sys.exit(0)
        except (OSError, ValueError) as e:
            last = str(e)
            if cmd == "wait-gone" and isinstance(e, urllib.error.URLError) \
                    and isinstance(e.reason, ConnectionRefusedError):
                sys.exit(0)
        if not alive(pid):
            sys.exit("media: process %s died before %s (%s)" % (pid, what, last))
        time.sleep(max(0, 0.05 - (time.monotonic() - t0)))
    sys.exit("media: no %s within %s s (last: %s)" % (what, limit, last))
if cmd == "wait-stream":
    url, minb, limit = args[0], int(args[1]), args[2]
    pid = args[3] if len(args) > 3 else ""
    tmo = float(args[4]) if len(args) > 4 else 1.0
    def check():
        with urllib.request.urlopen(url, timeout=tmo) as r:
            got = 0
            end = time.monotonic() + max(2, tmo)
            while got < minb and time.monotonic() < end:
                b = r.read1(65536)
                if not b:
                    break
                got += len(b)
            return True if got >= minb else "%d bytes" % got
    poll(check, limit, pid, "%d bytes from %s" % (minb, url))
elif cmd == "wait-gone":
    url, limit = args
    def check():
        with urllib.request.urlopen(url, timeout=1) as r:
            return "HTTP %d" % r.status
    poll(check, limit, "", "404 from %s" % url)
elif cmd == "wait-body":
    url, text, limit = args
    def check():
        with urllib.request.urlopen(url, timeout=1) as r:
            body = r.read().decode("latin-1")
            return True if text in body else "body %r" % body[:80]
    poll(check, limit, "", "%r from %s" % (text, url))
elif cmd == "admin":
    url, user, pw = args
    req = urllib.request.Request(url)
    req.add_header("Authorization", "Basic " +
                   base64.b64encode(("%s:%s" % (user, pw)).encode()).decode())
    with urllib.request.urlopen(req, timeout=5) as r:
        r.read()
else:
    sys.exit("media__py: unknown command " + cmd)
' "$@"
}

# media__xml_mounts: the <mount type="default"> blocks (first match wins)
media__xml_mounts() {
  echo '    <mount type="default"><mount-name>/raw*</mount-name></mount>'
  for _m_br in $MEDIA__BITRATES; do
    cat <<EOF
    <mount type="default"><mount-name>/*-${_m_br}k.*</mount-name>
      <http-headers><header name="icy-br" value="$_m_br"/></http-headers></mount>
EOF
  done
  cat <<'EOF'
    <mount type="default"><mount-name>/*</mount-name>
      <http-headers><header name="icy-br" value="128"/></http-headers></mount>
EOF
}

# media__icecast_conf ADDR PORT
media__icecast_conf() {
  cat <<EOF
<icecast>
  <location>streamlab</location>
  <admin>streamlab@localhost</admin>
  <hostname>$1</hostname>
  <limits>
    <clients>100</clients>
    <sources>32</sources>
    <queue-size>2097152</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>10</source-timeout>
    <burst-on-connect>1</burst-on-connect>
    <burst-size>65535</burst-size>
  </limits>
  <authentication>
    <source-password>$ICECAST_SOURCE_PASS</source-password>
    <relay-password>$ICECAST_SOURCE_PASS</relay-password>
    <admin-user>$ICECAST_ADMIN_USER</admin-user>
    <admin-password>$ICECAST_ADMIN_PASS</admin-password>
  </authentication>
  <listen-socket>
    <port>$2</port>
    <bind-address>$1</bind-address>
  </listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>/tmp</logdir>
    <webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot>
    <alias source="/" destination="/status.xsl"/>
  </paths>
  <logging>
    <accesslog>-</accesslog>
    <errorlog>-</errorlog>
    <loglevel>3</loglevel>
  </logging>
  <security>
    <chroot>0</chroot>
    <changeowner><user>$MEDIA_USER</user><group>$MEDIA_GROUP</group></changeowner>
  </security>
$(media__xml_mounts)
</icecast>
EOF
}

media_start_icecast() {
  [ $# -eq 2 ] || { echo "usage: media_start_icecast NAME ADDR" >&2; return 1; }
  media__check_name "$1" || return 1
  [ -n "${LAB_DIR:-}" ] || { echo "media_start_icecast: call lab_init first" >&2; return 1; }
  _m_d=$LAB_DIR/$1
  mkdir -p "$_m_d" || return 1
  _m_try=0
  while [ $_m_try -lt 5 ]; do
    _m_try=$((_m_try + 1))
    _m_port=$(lab_free_port "$2") || return 1
    media__icecast_conf "$2" "$_m_port" >"$_m_d/icecast.xml" || return 1
    lab_spawn "$1" "$ICECAST" -c "$_m_d/icecast.xml"
    if lab_wait_tcp "$2" "$_m_port" "$LAB_PID" 2>/dev/null; then
      ICECAST_NAME=$1
      ICECAST_PORT=$_m_port
      ICECAST_URL=http://$(media__hostport "$2" "$_m_port")
      eval "ICECAST_ADDR_$1=\$2 ICECAST_PORT_$1=\$ICECAST_PORT ICECAST_URL_$1=\$ICECAST_URL"
      return 0
    fi
    # died (a port clash: "Could not create listener socket") -> retry
    lab_alive "$LAB_PID" && break
    lab_stop "$1"
  done
  echo "media_start_icecast $1 $2: icecast2 does not answer on port $_m_port; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$1.log" >&2
  lab_stop "$1"
  return 1
}

# media__kind NAME: the kind file written by the starters
#   "icecast|hls|dash live|vod DIR EXT" -> _m_kind _m_mode _m_dir _m_ext
media__kind() {
  _m_f=$LAB_DIR/$1.media
  [ -f "$_m_f" ] || { echo "media: no media stream '$1' started" >&2; return 1; }
  read -r _m_kind _m_mode _m_dir _m_ext <"$_m_f"
}

# media__signal SIGNAL RATE [SECONDS]: the lavfi graph of SIGNAL (see
# "Signals") -> _m_graph, _m_desc; SECONDS: that long, sample-exact
# (without: endless, and midgap is refused)
media__signal() {
  _m_dur=
  [ -z "${3:-}" ] || _m_dur=:duration=$3
  _m_sine=sine=frequency=440:sample_rate=$2
  # frames of 0.1 s: gap and midgap switch on the frame number n
  _m_tenth=$_m_sine:samples_per_frame=$(($2 / 10))$_m_dur
  case $1 in
    tone) _m_graph=$_m_sine$_m_dur _m_desc="440 Hz sine" ;;
    silent) _m_graph=anullsrc=channel_layout=stereo:sample_rate=$2$_m_dur
      _m_desc="digital silence" ;;
    hiss) _m_graph=anoisesrc=color=white:amplitude=0.0001:seed=1:sample_rate=$2$_m_dur
      _m_desc="white noise at -80 dB" ;;
    quiet) _m_graph=$_m_sine$_m_dur,volume=-26dB _m_desc="440 Hz sine at -26 dB" ;;
    loud) _m_graph=$_m_sine$_m_dur,aformat=channel_layouts=stereo,volume=24dB
      _m_desc="440 Hz sine 3 dB over full scale" ;;
    gap) _m_graph="$_m_tenth,volume='lt(mod(n,70),30)':eval=frame"
      _m_desc="440 Hz sine 3 s, silence 4 s" ;;
    midgap)
      [ -n "${3:-}" ] || { echo "media: midgap is for media_file only (not a live feed)" >&2; return 1; }
      _m_graph="$_m_tenth,volume='not(between(n,30,69))':eval=frame"
      _m_desc="440 Hz sine, silence 3 to 7 s" ;;
    *) echo "media: signal '$1' is not tone, silent, hiss, quiet, loud, gap or midgap" >&2; return 1 ;;
  esac
}

media_feed() {
  [ $# -ge 4 ] || { echo "usage: media_feed NAME ICECASTNAME MOUNT mp3|aac|ogg|opus [ffmpeg options]" >&2; return 1; }
  media__check_name "$1" || return 1
  media__check_name "$2" || return 1
  _m_n=$1 _m_ice=$2 _m_mount=$3 _m_fmt=$4
  shift 4
  case $_m_mount in /*) ;; *) echo "media_feed: mount '$_m_mount' must start with /" >&2; return 1 ;; esac
  eval "_m_addr=\${ICECAST_ADDR_$_m_ice:-} _m_port=\${ICECAST_PORT_$_m_ice:-} _m_url=\${ICECAST_URL_$_m_ice:-}"
  [ -n "$_m_port" ] || { echo "media_feed: no icecast '$_m_ice' started" >&2; return 1; }
  _m_br=128
  _m_x=$(printf '%s\n' "$_m_mount" | sed -n 's|.*-\([0-9][0-9]*\)k\.[^/]*$|\1|p')
  case " $MEDIA__BITRATES " in *" $_m_x "*) _m_br=$_m_x ;; esac
  _m_sr=44100
  case $_m_fmt in
    mp3) set -- -c:a libmp3lame -b:a "${_m_br}k" -content_type audio/mpeg "$@" -f mp3 ;;
    aac) set -- -c:a aac -b:a "${_m_br}k" -content_type audio/aac "$@" -f adts ;;
    ogg) set -- -c:a libvorbis -b:a "${_m_br}k" -content_type audio/ogg \
      -page_duration 250000 "$@" -f ogg ;;
    opus) _m_sr=48000
      set -- -c:a libopus -b:a "${_m_br}k" -content_type audio/ogg \
      -page_duration 250000 "$@" -f ogg ;;
    flac) set -- -c:a flac -content_type audio/flac "$@" -f flac ;;
    *) echo "media_feed: format '$_m_fmt' is not mp3, aac, ogg, opus or flac" >&2; return 1 ;;
  esac
  media__signal "${MEDIA_SIGNAL:-tone}" "$_m_sr" || return 1
  _m_hp=$(media__hostport "$_m_addr" "$_m_port")
  lab_spawn "$_m_n" "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel warning \
    -re -f lavfi -i "$_m_graph" -ac 2 \
    -ice_name "streamlab $_m_n" -ice_description "$_m_desc" -ice_genre test \
    "$@" "icecast://source:$ICECAST_SOURCE_PASS@$_m_hp$_m_mount"
  echo "icecast live $_m_ice $_m_mount" >"$LAB_DIR/$_m_n.media"
  MEDIA_URL=$_m_url$_m_mount
  eval "MEDIA_URL_$_m_n=\$MEDIA_URL"
  # digital silence in AAC: Icecast answers a listener (headers and all)
  # only ~8 s in
  _m_w=$LAB_WAIT _m_t=1
  [ "${MEDIA_SIGNAL:-tone}:$_m_fmt" != silent:aac ] || _m_w=$((LAB_WAIT + 10)) _m_t=10
  if ! media__py wait-stream "$MEDIA_URL" 1 "$_m_w" "$LAB_PID" "$_m_t"; then
    echo "media_feed $_m_n: no audio from $MEDIA_URL; ffmpeg's log:" >&2
    sed 's/^/  /' "$LAB_DIR/$_m_n.log" >&2
    lab_stop "$_m_n"
    return 1
  fi
}

media_file() {
  [ $# -eq 4 ] || { echo "usage: media_file PATH mp3|aac|ogg|opus|flac SIGNAL SECONDS" >&2; return 1; }
  _m_path=$1 _m_fmt=$2 _m_sig=$3 _m_secs=$4
  case $_m_secs in
    ''|*[!0-9]*|0) echo "media_file: SECONDS '$_m_secs' is not a whole number above 0" >&2; return 1 ;;
  esac
  if [ "$_m_sig" = midgap ] && [ "$_m_secs" -lt 8 ]; then
    echo "media_file: midgap needs SECONDS >= 8 (silence from 3 to 7 s)" >&2
    return 1
  fi
  _m_sr=44100
  case $_m_fmt in
    mp3) _m_co="-c:a libmp3lame -b:a 128k -f mp3" ;;
    aac) _m_co="-c:a aac -b:a 128k -f adts" ;;
    ogg) _m_co="-c:a libvorbis -b:a 128k -f ogg" ;;
    opus) _m_sr=48000 _m_co="-c:a libopus -b:a 128k -f ogg" ;;
    flac) _m_co="-c:a flac -f flac" ;;
    *) echo "media_file: format '$_m_fmt' is not mp3, aac, ogg, opus or flac" >&2; return 1 ;;
  esac
  [ -n "${LAB_DIR:-}" ] || { echo "media_file: call lab_init first" >&2; return 1; }
  media__signal "$_m_sig" "$_m_sr" "$_m_secs" || return 1
  mkdir -p "$(dirname "$_m_path")" || return 1
  # shellcheck disable=SC2086
  if ! "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel warning -y \
    -f lavfi -i "$_m_graph" -ac 2 $_m_co -fflags +bitexact -flags:a +bitexact \
    "$_m_path.tmp" >"$LAB_DIR/media_file.log" 2>&1 </dev/null; then
    echo "media_file $_m_path: ffmpeg failed:" >&2
    sed 's/^/  /' "$LAB_DIR/media_file.log" >&2
    rm -f "$_m_path.tmp"
    return 1
  fi
  mv -f "$_m_path.tmp" "$_m_path"
}

media_set_title() {
  media__kind "$1" || return 1
  [ "$_m_kind" = icecast ] || { echo "media_set_title: '$1' is not an Icecast feed" >&2; return 1; }
  # the kind file of a feed: "icecast live ICECASTNAME MOUNT"
  eval "_m_url=\${ICECAST_URL_$_m_dir:-}"
  _m_t=$("$LAB_PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$2")
  media__py admin "$_m_url/admin/metadata?mount=$_m_ext&mode=updinfo&song=$_m_t" \
    "$ICECAST_ADMIN_USER" "$ICECAST_ADMIN_PASS"
}

media__pid() {
  eval "_m_pid=\${LAB_PID_$1:-}"
  [ -n "$_m_pid" ] || { echo "media: no process '$1'" >&2; return 1; }
}

media_freeze() {
  media__pid "$1" || return 1
  kill -STOP "$_m_pid" || return 1
  : >"$LAB_DIR/$1.frozen"
}

media_thaw() {
  media__pid "$1" || return 1
  kill -CONT "$_m_pid" 2>/dev/null
  rm -f "$LAB_DIR/$1.frozen"
}

media_stop() {
  media__pid "$1" || return 1
  kill -CONT "$_m_pid" 2>/dev/null
  rm -f "$LAB_DIR/$1.frozen"
  lab_stop "$1"
  if media__kind "$1" 2>/dev/null && [ "$_m_kind" = icecast ]; then
    eval "_m_url=\${MEDIA_URL_$1:-}"
    media__py wait-gone "$_m_url" "$LAB_WAIT" || return 1
  fi
  return 0
}

media_serve() {
  [ $# -eq 1 ] || { echo "usage: media_serve NGINXNAME" >&2; return 1; }
  media__nginx_setup "$1" || return 1
  MEDIA_ROOT=$LAB_DIR/$1/www/media
  eval "MEDIA_ROOT_$1=\$MEDIA_ROOT"
}

# media__nginx_setup NGINXNAME: /media/ and /slow/BPS/ on that nginx
media__nginx_setup() {
  media__check_name "$1" || return 1
  eval "_m_pid=\${LAB_PID_$1:-} _m_url=\${HTTP_URL_$1:-}"
  _m_loc=$LAB_DIR/$1/locations.conf
  if [ -z "$_m_url" ] || [ ! -f "$_m_loc" ]; then
    echo "media: no nginx '$1' started by http_start_nginx" >&2
    return 1
  fi
  grep -q '^# streamlab media.sh' "$_m_loc" && return 0
  MEDIA__GEN=$((MEDIA__GEN + 1))
  _m_gen=gen-$$-$MEDIA__GEN
  _m_types='types {
        application/vnd.apple.mpegurl m3u8;
        video/mp2t ts;
        application/dash+xml mpd;
        video/iso.segment m4s;
        audio/mp4 mp4 m4a;
        audio/mpeg mp3;
        audio/aac aac;
        audio/ogg ogg opus;
        audio/flac flac;
        text/html html;
        text/plain txt;
    }'
  cat >>"$_m_loc" <<EOF
# streamlab media.sh ($_m_gen)
location /media/ {
    $_m_types
    default_type application/octet-stream;
    add_header Cache-Control no-cache;
}
location = /media/.lab-gen {
    default_type text/plain;
    return 200 "$_m_gen\n";
}
location ~ ^/moved/([A-Za-z0-9_]+)/([^/]+\\.(m3u8|mpd))\$ {
    return 302 /media/\$1/\$2\$is_args\$args;
}
location ~ ^/slow/([0-9]+)/(media/.*)\$ {
    alias $LAB_DIR/$1/www/\$2;
    limit_rate \$1;
    $_m_types
    default_type application/octet-stream;
    add_header Cache-Control no-cache;
}
EOF
  mkdir -p "$LAB_DIR/$1/www/media" || return 1
  kill -HUP "$_m_pid" || return 1
  if ! media__py wait-body "$_m_url/media/.lab-gen" "$_m_gen" "$LAB_WAIT"; then
    echo "media: nginx '$1' did not reload with the /media/ locations; its log:" >&2
    tail -n 20 "$LAB_DIR/$1.log" | sed 's/^/  /' >&2
    return 1
  fi
}

# media__nsegs PLAYLIST: the number of segment URIs in it
media__nsegs() {
  if [ -f "$1" ]; then
    grep -cv -e '^#' -e '^[[:space:]]*$' "$1"
  else
    echo 0
  fi
}

# media__wait_files NAME PID TEST...: polls until the command TEST succeeds
media__wait_files() {
  _m_wn=$1 _m_wp=$2
  shift 2
  _m_i=0
  while [ $_m_i -lt $((LAB_WAIT * 20)) ]; do
    "$@" && return 0
    if [ -n "$_m_wp" ] && ! lab_alive "$_m_wp"; then
      "$@" && return 0
      echo "media: $_m_wn's ffmpeg died; its log:" >&2
      sed 's/^/  /' "$LAB_DIR/$_m_wn.log" >&2
      return 1
    fi
    sleep 0.05
    _m_i=$((_m_i + 1))
  done
  echo "media: $_m_wn's files did not appear within $LAB_WAIT s; ffmpeg's log:" >&2
  sed 's/^/  /' "$LAB_DIR/$_m_wn.log" >&2
  return 1
}

media__hls_ready() {
  [ -f "$1/master.m3u8" ] || return 1
  for _m_v in 0 1 2; do
    [ "$(media__nsegs "$1/v$_m_v/index.m3u8")" -ge 2 ] || return 1
  done
}

media__dash_ready() {
  # 2 segments listed in each of the 3 representations: 6 <S> entries, or
  # fewer with a repeat count (r="N") once the durations are equal
  [ -f "$1/manifest.mpd" ] || return 1
  grep -q '<S [^>]*r="' "$1/manifest.mpd" && return 0
  [ "$(grep -c '<S ' "$1/manifest.mpd")" -ge 6 ]
}

# media__audio3: the maps and the three AAC encodings (v0 128k, v1 192k, v2 256k)
media__audio3() {
  echo "-map 0:a -map 0:a -map 0:a -c:a aac -ac 2 -b:a:0 128k -b:a:1 192k -b:a:2 256k"
}

media_start_hls() {
  { [ $# -ge 2 ] && [ $# -le 4 ]; } || { echo "usage: media_start_hls NAME NGINXNAME [live|vod] [ts|fmp4]" >&2; return 1; }
  media__check_name "$1" || return 1
  _m_n=$1 _m_ng=$2 _m_mode=${3:-live} _m_seg=${4:-ts}
  case $_m_mode in live|vod) ;; *) echo "media_start_hls: '$_m_mode' is not live or vod" >&2; return 1 ;; esac
  case $_m_seg in
    ts) _m_ext=ts; set -- ;;
    fmp4) _m_ext=m4s; set -- -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 ;;
    *) echo "media_start_hls: '$_m_seg' is not ts or fmp4" >&2; return 1 ;;
  esac
  media__nginx_setup "$_m_ng" || return 1
  _m_dir=$LAB_DIR/$_m_ng/www/media/$_m_n
  rm -rf "$_m_dir"
  mkdir -p "$_m_dir/v0" "$_m_dir/v1" "$_m_dir/v2" || return 1
  echo "hls $_m_mode $_m_dir $_m_ext" >"$LAB_DIR/$_m_n.media"
  # shellcheck disable=SC2046
  if [ "$_m_mode" = live ]; then
    lab_spawn "$_m_n" "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel warning \
      -re -f lavfi -i sine=frequency=440:sample_rate=48000 $(media__audio3) \
      -f hls -hls_time 1 -hls_list_size 5 \
      -hls_flags delete_segments+temp_file+program_date_time "$@" \
      -master_pl_name master.m3u8 -var_stream_map "a:0 a:1 a:2" \
      -hls_segment_filename "$_m_dir/v%v/seg%05d.$_m_ext" "$_m_dir/v%v/index.m3u8"
    media__wait_files "$_m_n" "$LAB_PID" media__hls_ready "$_m_dir" || return 1
  else
    "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel warning \
      -f lavfi -i sine=frequency=440:sample_rate=48000 -t 10 $(media__audio3) \
      -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod "$@" \
      -master_pl_name master.m3u8 -var_stream_map "a:0 a:1 a:2" \
      -hls_segment_filename "$_m_dir/v%v/seg%05d.$_m_ext" "$_m_dir/v%v/index.m3u8" \
      >"$LAB_DIR/$_m_n.log" 2>&1 </dev/null || {
        echo "media_start_hls $_m_n: ffmpeg failed:" >&2
        sed 's/^/  /' "$LAB_DIR/$_m_n.log" >&2
        return 1
      }
    media__hls_ready "$_m_dir" || { echo "media_start_hls $_m_n: no VOD set written" >&2; return 1; }
  fi
  eval "_m_url=\$HTTP_URL_$_m_ng/media/$_m_n"
  eval "HLS_URL_$_m_n=\$_m_url/master.m3u8 HLS_MEDIA_URL_$_m_n=\$_m_url/v0/index.m3u8 HLS_DIR_$_m_n=\$_m_dir"
}

media_start_dash() {
  { [ $# -ge 2 ] && [ $# -le 3 ]; } || { echo "usage: media_start_dash NAME NGINXNAME [live|vod]" >&2; return 1; }
  media__check_name "$1" || return 1
  _m_n=$1 _m_ng=$2 _m_mode=${3:-live}
  case $_m_mode in live|vod) ;; *) echo "media_start_dash: '$_m_mode' is not live or vod" >&2; return 1 ;; esac
  media__nginx_setup "$_m_ng" || return 1
  _m_dir=$LAB_DIR/$_m_ng/www/media/$_m_n
  rm -rf "$_m_dir"
  mkdir -p "$_m_dir" || return 1
  echo "dash $_m_mode $_m_dir m4s" >"$LAB_DIR/$_m_n.media"
  # shellcheck disable=SC2046
  if [ "$_m_mode" = live ]; then
    lab_spawn "$_m_n" "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel warning \
      -re -f lavfi -i sine=frequency=440:sample_rate=48000 $(media__audio3) \
      -f dash -seg_duration 1 -use_template 1 -use_timeline 1 \
      -window_size 5 -extra_window_size 2 -remove_at_exit 1 \
      -adaptation_sets "id=0,streams=a" "$_m_dir/manifest.mpd"
    media__wait_files "$_m_n" "$LAB_PID" media__dash_ready "$_m_dir" || return 1
  else
    "$MEDIA_FFMPEG" -nostdin -hide_banner -loglevel warning \
      -f lavfi -i sine=frequency=440:sample_rate=48000 -t 10 $(media__audio3) \
      -f dash -seg_duration 1 -use_template 1 -use_timeline 1 \
      -adaptation_sets "id=0,streams=a" "$_m_dir/manifest.mpd" \
      >"$LAB_DIR/$_m_n.log" 2>&1 </dev/null || {
        echo "media_start_dash $_m_n: ffmpeg failed:" >&2
        sed 's/^/  /' "$LAB_DIR/$_m_n.log" >&2
        return 1
      }
    media__dash_ready "$_m_dir" || { echo "media_start_dash $_m_n: no VOD set written" >&2; return 1; }
  fi
  eval "DASH_URL_$_m_n=\$HTTP_URL_$_m_ng/media/$_m_n/manifest.mpd DASH_DIR_$_m_n=\$_m_dir"
}

# media__pick NAME [first|last]: the segment a fault hits -> _m_files (one
# path per variant/representation) and _m_base (the v0/representation-0 name)
media__pick() {
  media__kind "$1" || return 1
  case $_m_kind in hls|dash) ;; *) echo "media: '$1' is not an HLS/DASH stream" >&2; return 1 ;; esac
  _m_which=${2:-}
  [ -n "$_m_which" ] || { [ "$_m_mode" = vod ] && _m_which=first || _m_which=last; }
  case $_m_which in first|last) ;; *) echo "media: '$_m_which' is not first or last" >&2; return 1 ;; esac
  if [ "$_m_kind" = hls ]; then
    _m_segs=$(grep -v -e '^#' -e '^[[:space:]]*$' "$_m_dir/v0/index.m3u8")
    if [ "$_m_which" = first ]; then
      _m_base=$(printf '%s\n' "$_m_segs" | head -n 1)
    else
      _m_base=$(printf '%s\n' "$_m_segs" | tail -n 1)
    fi
    [ -n "$_m_base" ] || { echo "media: no segment in $_m_dir/v0/index.m3u8" >&2; return 1; }
    _m_files="$_m_dir/v0/$_m_base $_m_dir/v1/$_m_base $_m_dir/v2/$_m_base"
  else
    # the numbers the MPD lists for representation 0: startNumber up to
    # startNumber + the SegmentTimeline's entries (S, and its r repeats) - 1
    _m_num=$("$LAB_PY" -c '
import re, sys
t = open(sys.argv[1]).read()
rep = re.search(r"<Representation id=\"0\".*?</Representation>", t, re.S).group(0)
start = int(re.search(r"startNumber=\"(\d+)\"", rep).group(1))
n = 0
for attrs in re.findall(r"<S ([^>]*)/>", rep):
    r = re.search(r"\br=\"(\d+)\"", attrs)
    n += 1 + (int(r.group(1)) if r else 0)
print("%05d" % (start if sys.argv[2] == "first" else start + n - 1))
' "$_m_dir/manifest.mpd" "$_m_which")
    [ -n "$_m_num" ] || { echo "media: no segment in $_m_dir" >&2; return 1; }
    _m_base=chunk-stream0-$_m_num.m4s
    _m_files="$_m_dir/chunk-stream0-$_m_num.m4s $_m_dir/chunk-stream1-$_m_num.m4s $_m_dir/chunk-stream2-$_m_num.m4s"
  fi
}

media_break_segment() {
  media__pick "$1" "${2:-}" || return 1
  # shellcheck disable=SC2086
  rm -f $_m_files || return 1
  eval "MEDIA_BROKEN_$1=\$_m_base"
}

media_corrupt_segment() {
  media__pick "$1" "${2:-}" || return 1
  for _m_f in $_m_files; do
    [ -f "$_m_f" ] || { echo "media_corrupt_segment: $_m_f is gone" >&2; return 1; }
    case $_m_f in
      *.ts)
        _m_off=376
        head -c 376 /dev/zero | dd of="$_m_f" bs=1 seek=376 conv=notrunc 2>/dev/null || return 1 ;;
      *)
        _m_off=0
        head -c 8 /dev/zero | tr '\000' '\377' | dd of="$_m_f" bs=1 seek=0 conv=notrunc 2>/dev/null || return 1 ;;
    esac
  done
  eval "MEDIA_CORRUPT_$1=\$_m_base MEDIA_CORRUPT_OFFSET_$1=\$_m_off"
}

media_start_relay() {
  [ $# -ge 2 ] || { echo "usage: media_start_relay NAME UPSTREAM [--addr A] [--throttle BPS] [--burst B] [--stall-after B] [--stall S]" >&2; return 1; }
  media__check_name "$1" || return 1
  _m_n=$1 _m_up=$2
  shift 2
  _m_addr=127.0.0.1
  _m_prev=
  for _m_a in "$@"; do
    [ "$_m_prev" = --addr ] && _m_addr=$_m_a
    _m_prev=$_m_a
  done
  case " $* " in *" --addr "*) ;; *) set -- --addr "$_m_addr" "$@" ;; esac
  lab_spawn_ready "$_m_n" "$LAB_PY" "$LAB_SRC/relay.py" --port 0 --upstream "$_m_up" "$@" || return 1
  _m_p=$LAB_READY_PORT
  lab_wait_tcp "$_m_addr" "$_m_p" "$LAB_PID" || return 1
  eval "RELAY_PORT_$_m_n=\$_m_p RELAY_URL_$_m_n=http://\$(media__hostport \"\$_m_addr\" \"\$_m_p\")"
}
