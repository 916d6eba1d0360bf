#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_stream hears the stream (issue 14, dead air). --decode decodes the
# audio and reports its levels: level_rms and level_peak (dBFS),
# silence_longest (s), clipped (samples at full scale), decode_errors;
# --silence-warning/--silence-critical judge the longest run below
# --silence-level (default -60 dBFS), --level-warning/--level-critical
# the RMS. Against live Icecast mounts fed by ffmpeg in MP3, AAC (ADTS),
# Ogg/Vorbis and Ogg/Opus, sampled for --duration 2, and files over nginx
# read whole (midgap: 3 s tone, 4 s digital silence, 3 s tone).
# The signals and their measured levels are media.sh's ("Signals"): the
# tone is -24.1 dBFS RMS (mp3 -24.5) and -21.1 peak, not the mono sine's
# -21.1/-18.1 (ffmpeg's -ac 2 puts it 3 dB lower on each channel); quiet
# -50.1 RMS; hiss (white noise, -89 RMS, -78 peak: an encoder's silent
# input) is the silent AAC mount, because digital silence costs ffmpeg's
# AAC encoder ~560 B/s and Icecast answers a listener of such a mount
# late or not within 10 s (a delivery fault, not dead air); loud goes
# over full scale.
# shellcheck disable=SC1091,SC2154
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/media.sh"
media_have_icecast && media_have_ffmpeg || skip_all "icecast2 or ffmpeg missing"
http_have_nginx || skip_all "nginx missing"
lab_init
P=$PLUGINDIR/check_stream

# feed SIGNAL NAME MOUNT FORMAT: media_feed with MEDIA_SIGNAL=SIGNAL (set
# and unset here: a prefix assignment to a function call outlives it in
# some shells)
feed() {
  # shellcheck disable=SC2034 # read by media_feed
  MEDIA_SIGNAL=$1
  shift
  media_feed "$@"
  _f_rc=$?
  unset MEDIA_SIGNAL
  return $_f_rc
}
# num_in VALUE LO HI DESC: VALUE is a number within LO..HI
num_in() {
  printf '%s\n' "$1" | grep -Eq '^-?[0-9]+(\.[0-9]+)?$' &&
    awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
  ok $? "$4" "got '$1', expected a number in $2..$3"
}
# dead_air: "LONGEST LEVEL SAMPLE" from the first line's "dead air: LONGEST
# s of silence below LEVEL dBFS in a SAMPLE s sample"
dead_air() {
  first_line | sed -n 's/.*dead air: \([0-9.]*\) s of silence below \(-[0-9.]*\) dBFS in a \([0-9.]*\) s sample.*/\1 \2 \3/p'
}
# perf_levels DESC: the five labels of a decoding run are there and parse
perf_levels() {
  perf_ok "$1: perfdata parses"
  _pl_miss=
  for _pl in level_rms level_peak silence_longest clipped decode_errors; do
    perf_value "$_pl" >/dev/null || _pl_miss="$_pl_miss $_pl"
  done
  is "${_pl_miss:-none}" none "$1: level_rms level_peak silence_longest clipped decode_errors"
  is "$(perf_field silence_longest 3)" s "$1: silence_longest in s"
  is "$(perf_field level_rms 3)" "" "$1: level_rms without a unit (dBFS)"
}
# silent_rms: level_rms is digital silence's (U, or a floor at -60 dBFS or below)
silent_rms() {
  _sr=$(perf_value level_rms)
  [ "$_sr" = U ] || awk -v v="$_sr" 'BEGIN { exit !(v != "" && v + 0 <= -60) }'
}

media_start_icecast ICE 127.0.0.1 || bail_out "icecast2 did not start"
for f in mp3 aac ogg opus; do
  feed tone "TONE_$f" ICE "/tone.$f" "$f" || bail_out "the $f tone did not start"
  # digital silence, but hiss (-89 dBFS RMS) for AAC: see the header
  sig=silent
  [ $f != aac ] || sig=hiss
  feed $sig "DEAD_$f" ICE "/dead.$f" "$f" || bail_out "the $f $sig feed did not start"
done
feed quiet QUIET ICE /quiet.mp3 mp3 || bail_out "the quiet feed did not start"
feed loud LOUD ICE /loud.mp3 mp3 || bail_out "the loud feed did not start"

# == Healthy: the tone in every format, with the thresholds a radio would
# page on; OK, levels in the perfdata, no silence, no clipping.
for f in mp3 aac ogg opus; do
  case $f in
    mp3) name=MP3 rlo=-25.5 rhi=-23.5 ;;
    aac) name=AAC rlo=-25.1 rhi=-23.1 ;;
    ogg) name=Ogg/Vorbis rlo=-25.1 rhi=-23.1 ;;
    opus) name=Ogg/Opus rlo=-25.1 rhi=-23.1 ;;
  esac
  eval "u=\$MEDIA_URL_TONE_$f"
  run "$P" -u "$u" --duration 2 --silence-critical 2 --level-critical -40:
  is_rc 0 "tone $f: exit 0"
  first_line_matches "^STREAM OK - progressive live $name [0-9]+ kb/s \"streamlab TONE_$f\", " \
    "tone $f: OK, the stream named"
  perf_levels "tone $f"
  num_in "$(perf_value level_rms)" "$rlo" "$rhi" "tone $f: level_rms near -24.1 dBFS (mp3 -24.5)"
  num_in "$(perf_value level_peak)" -22.6 -19.5 "tone $f: level_peak near -21.1 dBFS"
  if [ $f = mp3 ]; then
    # an MP3 joined mid-stream: its first frames lack their bit reservoir
    # and decode to zeros (~45 ms; ffmpeg's decoder too)
    num_in "$(perf_value silence_longest)" 0 0.1 "tone mp3: silence_longest 0 but the join's ~0.05 s"
  else
    num_in "$(perf_value silence_longest)" 0 0 "tone $f: silence_longest=0"
  fi
  num_in "$(perf_value clipped)" 0 0 "tone $f: clipped=0"
  # a listener joins mid-stream: the first frame may lack its bit reservoir
  num_in "$(perf_value decode_errors)" 0 1 "tone $f: decode_errors 0 (1 at the join)"
  is "$(perf_field silence_longest 5)" 2 "tone $f: --silence-critical in silence_longest's crit field"
  is "$(perf_field level_rms 5)" -40: "tone $f: --level-critical in level_rms's crit field"
done

# --decode alone: levels reported, nothing judged
run "$P" -u "$MEDIA_URL_TONE_mp3" --duration 2 --decode
is_rc 0 "--decode on the tone: exit 0"
first_line_matches '^STREAM OK - progressive live MP3 128 kb/s "streamlab TONE_mp3", ' "--decode: OK"
perf_levels "--decode"
num_in "$(perf_value level_rms)" -25.5 -23.5 "--decode: level_rms near -24.5 dBFS"
is "$(perf_field level_rms 4)$(perf_field level_rms 5)" "" "--decode: no warn or crit on level_rms"
run "$P" -u "$MEDIA_URL_DEAD_mp3" --duration 2 --decode
is_rc 0 "--decode on a silent mount: exit 0 (no thresholds)"
first_line_matches '^STREAM OK - progressive live MP3 128 kb/s "streamlab DEAD_mp3", ' \
  "--decode on silence: OK, nothing judged"
perf_levels "--decode on silence"
num_in "$(perf_value silence_longest)" 2 120 "--decode on silence: silence_longest reported"

# Healthy feeds stay OK: 20 runs, 5 on each format's tone, the four
# formats at once (--duration 1: a short sample, as often as a busy
# engine might run it).
T=$LAB_DIR/healthy
bad=
for n in 1 2 3 4 5; do
  pids=
  for f in mp3 aac ogg opus; do
    eval "u=\$MEDIA_URL_TONE_$f"
    { timeout -k 5 "$RUN_TIMEOUT" "$P" -u "$u" --duration 1 --silence-critical 2 \
      --level-critical -40: >"$T.$f" 2>&1; echo $? >"$T.$f.rc"; } &
    pids="$pids $!"
  done
  # these four only: a bare wait would wait for the feeds too
  # shellcheck disable=SC2086
  wait $pids
  for f in mp3 aac ogg opus; do
    out=$(head -n 1 "$T.$f")
    case $(cat "$T.$f.rc"):$out in
      "0:STREAM OK - progressive live "*)
        printf '%s\n' "$out" | perl "$PERFCHECK" >/dev/null 2>&1 || bad="$bad $f$n(perfdata)"
        s=$(printf '%s\n' "$out" | sed -n 's/.* silence_longest=\([0-9.]*\)s.*/\1/p')
        awk -v v="$s" 'BEGIN { exit !(v != "" && v + 0 <= 0.1) }' ||
          bad="$bad $f$n(silence_longest ${s:-none})" ;;
      *) bad="$bad $f$n" && diag "run $f$n: exit $(cat "$T.$f.rc"): $out" ;;
    esac
  done
done
is "${bad:-none}" none "tone: 20 runs (5 per format), every one OK without silence (but the join's)"

# == Dead air on a live mount: the whole sample is silent, so the longest
# run is the sample.
for f in mp3 aac ogg opus; do
  eval "u=\$MEDIA_URL_DEAD_$f"
  run "$P" -u "$u" --duration 2 --silence-critical 2
  is_rc 2 "silent $f: exit 2"
  first_line_matches '^STREAM CRITICAL - dead air: [0-9]+\.[0-9] s of silence below -60 dBFS in a [0-9]+\.[0-9] s sample' \
    "silent $f: dead air, its length, the level and the sample"
  # shellcheck disable=SC2046
  set -- $(dead_air)
  is "${1:-none}" "${3:-}" "silent $f: the longest silence is the whole sample"
  # Icecast's 64 KiB burst comes first: up to ~30 s of silent Opus at once
  num_in "${3:-}" 4.5 120 "silent $f: a sample of --duration 2 and the join's burst"
  perf_levels "silent $f"
  num_in "$(perf_value silence_longest)" 2 120 "silent $f: silence_longest at least the 2 s sample"
  awk -v t="${1:-x}" -v p="$(perf_value silence_longest)" 'BEGIN { d = t - p; exit !(t != "x" && d < 0.051 && d > -0.051) }'
  ok $? "silent $f: the text's ${1:-?} s is silence_longest's $(perf_value silence_longest) s"
  is "$(perf_field silence_longest 5)" 2 "silent $f: silence_longest crit field 2"
  if [ $f = aac ]; then
    num_in "$(perf_value level_rms)" -92 -85 "hiss aac: level_rms near -89 dBFS (silence, not zero)"
  else
    silent_rms
    ok $? "silent $f: level_rms digital silence's (U or at most -60): $(perf_value level_rms)"
  fi
  num_in "$(perf_value clipped)" 0 0 "silent $f: clipped=0"
done
run "$P" -u "$MEDIA_URL_DEAD_mp3" --duration 2 --silence-warning 2
is_rc 1 "silent mp3, --silence-warning 2: exit 1"
first_line_matches '^STREAM WARNING - dead air: [0-9]+\.[0-9] s of silence below -60 dBFS in a [0-9]+\.[0-9] s sample' \
  "--silence-warning: WARNING dead air"
perf_levels "--silence-warning"
is "$(perf_field silence_longest 4)" 2 "--silence-warning in silence_longest's warn field"
# --silence-level: hiss (-89 dBFS RMS) is silence below -70, not below -95
run "$P" -u "$MEDIA_URL_DEAD_aac" --duration 2 --silence-critical 2 --silence-level -70
is_rc 2 "hiss, --silence-level -70: exit 2"
first_line_matches '^STREAM CRITICAL - dead air: [0-9]+\.[0-9] s of silence below -70 dBFS in a ' \
  "--silence-level -70: named in the text"
perf_levels "--silence-level -70"
run "$P" -u "$MEDIA_URL_DEAD_aac" --duration 2 --silence-critical 2 --silence-level -95
is_rc 0 "hiss, --silence-level -95: exit 0 (-89 dBFS is no silence there)"
first_line_matches '^STREAM OK - progressive live AAC ' "--silence-level -95: OK"
perf_levels "--silence-level -95"
num_in "$(perf_value silence_longest)" 0 0.5 "--silence-level -95: silence_longest about 0"

# == Too quiet: the tone at -26 dB, RMS -50.5 dBFS (mp3): no silence (above
# -60) but below a -40 floor.
run "$P" -u "$MEDIA_URL_QUIET" --duration 2 --level-critical -40: --silence-critical 2
is_rc 2 "quiet: exit 2"
first_line_matches '^STREAM CRITICAL - too quiet: RMS -[0-9]+\.[0-9] dBFS ' "quiet: too quiet, the RMS named"
first_line_matches '^STREAM CRITICAL - too quiet: RMS -[0-9.]+ dBFS \([^)]*-40 dBFS\)' "quiet: the -40 dBFS floor named"
perf_levels "quiet"
num_in "$(perf_value level_rms)" -52 -49 "quiet: level_rms near -50.5 dBFS"
t=$(first_line | sed -n 's/.*too quiet: RMS \(-[0-9.]*\) dBFS.*/\1/p')
awk -v t="${t:-x}" -v p="$(perf_value level_rms)" 'BEGIN { d = t - p; exit !(t != "x" && d < 0.051 && d > -0.051) }'
ok $? "quiet: the text's RMS ${t:-?} is level_rms's $(perf_value level_rms)"
num_in "$(perf_value silence_longest)" 0 0.1 "quiet: not silence (above -60 dBFS): silence_longest 0 but the join's"
is "$(perf_field level_rms 5)" -40: "quiet: --level-critical in level_rms's crit field"
run "$P" -u "$MEDIA_URL_QUIET" --duration 2 --level-warning -40: --level-critical -60:
is_rc 1 "quiet, --level-warning -40: --level-critical -60:: exit 1"
first_line_matches '^STREAM WARNING - too quiet: RMS -[0-9]+\.[0-9] dBFS ' "quiet: WARNING too quiet"
perf_levels "quiet, warning"
is "$(perf_field level_rms 4)" -40: "quiet: --level-warning in level_rms's warn field"

# == Clipping: the tone 3 dB over full scale; counted, OK without thresholds.
run "$P" -u "$MEDIA_URL_LOUD" --duration 2 --decode
is_rc 0 "loud: exit 0 (no thresholds)"
first_line_matches '^STREAM OK - progressive live MP3 128 kb/s "streamlab LOUD", ' "loud: OK"
perf_levels "loud"
num_in "$(perf_value clipped)" 1 999999999 "loud: clipped > 0"
num_in "$(perf_value level_peak)" -1 6 "loud: level_peak at full scale"
num_in "$(perf_value level_rms)" -3 3 "loud: level_rms near 0 dBFS"
run "$P" -u "$MEDIA_URL_LOUD" --duration 2 --level-warning -40:-6
is_rc 1 "loud, --level-warning -40:-6: exit 1 (outside the range)"
first_line_matches '^STREAM WARNING - .*RMS -?[0-9]+\.[0-9] dBFS' "loud, --level-warning -40:-6: WARNING naming the RMS"
perf_ok "loud, --level-warning: perfdata parses"
is "$(perf_field level_rms 4)" -40:-6 "loud: --level-warning in level_rms's warn field"

# == Files over nginx, read whole: midgap has 4 s of silence in 10 s.
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
media_serve W || bail_out "nginx /media/ did not start"
for f in mp3 aac ogg opus; do
  media_file "$MEDIA_ROOT/midgap.$f" $f midgap 10 || bail_out "ffmpeg could not make midgap.$f"
done
media_file "$MEDIA_ROOT/tone.mp3" mp3 tone 10 || bail_out "ffmpeg could not make tone.mp3"
for f in mp3 aac ogg opus; do
  run "$P" -u "$HTTP_URL_W/media/midgap.$f" --duration 5 --silence-critical 2
  is_rc 2 "midgap.$f: exit 2"
  first_line_matches '^STREAM CRITICAL - dead air: [34]\.[0-9] s of silence below -60 dBFS in a (9\.9|10\.[01]) s sample' \
    "midgap.$f: dead air, 4 s of the whole 10 s file"
  # shellcheck disable=SC2046
  set -- $(dead_air)
  num_in "${1:-}" 3.5 4.5 "midgap.$f: the text's silence 3.5..4.5 s"
  perf_levels "midgap.$f"
  num_in "$(perf_value silence_longest)" 3.5 4.5 "midgap.$f: silence_longest 3.5..4.5 s"
  num_in "$(perf_value level_rms)" -27.5 -25.5 "midgap.$f: level_rms near -26.3 dBFS (mp3 -26.7)"
  num_in "$(perf_value decode_errors)" 0 0 "midgap.$f: decode_errors=0 (a whole file)"
done
run "$P" -u "$HTTP_URL_W/media/midgap.mp3" --duration 5 --silence-critical 5
is_rc 0 "midgap.mp3, --silence-critical 5: exit 0 (4 s is within 5)"
first_line_matches '^STREAM OK - progressive MP3 128 kb/s, ' "midgap.mp3, --silence-critical 5: OK"
perf_levels "midgap.mp3, --silence-critical 5"
run "$P" -u "$HTTP_URL_W/media/midgap.mp3" --duration 5 --silence-warning 3 --silence-critical 5
is_rc 1 "midgap.mp3, --silence-warning 3 --silence-critical 5: exit 1"
first_line_matches '^STREAM WARNING - dead air: [34]\.[0-9] s of silence below -60 dBFS in a ' \
  "midgap.mp3: WARNING dead air"
perf_levels "midgap.mp3, warning"
run "$P" -u "$HTTP_URL_W/media/tone.mp3" --duration 5 --silence-critical 2 --level-critical -40:
is_rc 0 "tone.mp3 file: exit 0"
first_line_matches '^STREAM OK - progressive MP3 128 kb/s, ' "tone.mp3 file: OK"
perf_levels "tone.mp3 file"
num_in "$(perf_value level_rms)" -25.5 -23.5 "tone.mp3 file: level_rms near -24.5 dBFS"
num_in "$(perf_value silence_longest)" 0 0 "tone.mp3 file: silence_longest=0"
num_in "$(perf_value decode_errors)" 0 0 "tone.mp3 file: decode_errors=0"

# == Loudness (EBU R128): the tone (-24.1 dBFS RMS, stereo) is about
# -21.4 LUFS integrated; quiet 26 dB lower, about -47.
run "$P" -u "$HTTP_URL_W/media/tone.mp3" --duration 5 --loudness-critical -30:-10
is_rc 0 "tone.mp3, --loudness-critical -30:-10: exit 0"
first_line_matches '^STREAM OK - progressive MP3 .* -2[0-3]\.[0-9] LUFS' "tone.mp3: the loudness in the summary"
num_in "$(perf_value loudness_integrated)" -23 -20 "tone.mp3: loudness_integrated near -21.4 LUFS"
num_in "$(perf_value loudness_momentary)" -23 -20 "tone.mp3: loudness_momentary near it (a steady tone)"
num_in "$(perf_value loudness_shortterm)" -23 -20 "tone.mp3: loudness_shortterm near it"
is "$(perf_field loudness_integrated 5)" -30:-10 "tone.mp3: --loudness-critical in loudness_integrated's crit field"
run "$P" -u "$MEDIA_URL_QUIET" --duration 2 --loudness-critical -30:-10
is_rc 2 "quiet, --loudness-critical -30:-10: exit 2"
first_line_matches '^STREAM CRITICAL - loudness -4[0-9]\.[0-9] LUFS integrated \(--loudness-critical: ' \
  "quiet: the loudness and the range named"
run "$P" -u "$MEDIA_URL_DEAD_mp3" --duration 2 --loudness-critical -30:-10
is_rc 2 "silent, --loudness-critical: exit 2"
first_line_matches '^STREAM CRITICAL - loudness -70\.0 LUFS integrated' "silent: at the -70 LUFS gate"

# == HLS and DASH: the audio inside MPEG-TS and fMP4 segments is heard,
# across segments; --all-variants tries every rendition of the ladder.
media_start_hls LADTS W vod ts || bail_out "the HLS ts ladder did not start"
media_start_hls LADFM W vod fmp4 || bail_out "the HLS fmp4 ladder did not start"
media_start_dash LADDASH W vod || bail_out "the DASH ladder did not start"
for l in LADTS LADFM LADDASH; do
  case $l in
    LADTS) u=$HLS_URL_LADTS kind="HLS MPEG-TS" ;;
    LADFM) u=$HLS_URL_LADFM kind="HLS fMP4" ;;
    *) u=$DASH_URL_LADDASH kind="DASH fMP4" ;;
  esac
  run "$P" -u "$u" --segments 3 --silence-critical 2 --level-critical -40: --all-variants
  is_rc 0 "$l: exit 0"
  first_line_matches "^STREAM OK - $kind " "$l: OK"
  perf_levels "$l"
  num_in "$(perf_value level_rms)" -25.1 -23.1 "$l: level_rms of the segments' audio near -24.1 dBFS"
  num_in "$(perf_value silence_longest)" 0 0 "$l: silence_longest=0 across 3 segments"
  num_in "$(perf_value variants)" 3 3 "$l: variants=3"
  num_in "$(perf_value variants_failed)" 0 0 "$l: variants_failed=0"
  is "$(printf '%s\n' "$OUT" | grep -cE '^\\_ \[OK\] (variant|representation) [123]/3 .*: OK, ')" 3 \
    "$l: a line for each rendition, OK"
  for i in 1 2 3; do
    case $l in LADDASH) lab=rep_$((i - 1)) ;; *) lab=variant$i ;; esac
    num_in "$(perf_value "${lab}_level_rms")" -25.1 -23.1 "$l: rendition $i heard (${lab}_level_rms)"
    num_in "$(perf_value "${lab}_silence_longest")" 0 0 "$l: rendition $i without silence"
  done
done
# one rendition broken: v2's segments gone (a CDN that lost one bitrate)
rm -f "$HLS_DIR_LADTS"/v2/seg*.ts
run "$P" -u "$HLS_URL_LADTS" --all-variants
is_rc 2 "one rendition broken: exit 2"
first_line_matches '^STREAM CRITICAL - variant 3/3 \(281 kb/s\): segment seg[0-9]+\.ts: HTTP 404 ' \
  "one rendition broken: named, its bitrate and the segment's 404"
perf_ok "one rendition broken: perfdata parses"
num_in "$(perf_value variants_failed)" 1 1 "one rendition broken: variants_failed=1"
is "$(perf_value variant3_time)" U "one rendition broken: variant3_time=U"
num_in "$(perf_value variant1_time)" 0 10 "one rendition broken: variant1_time measured"
run "$P" -u "$HLS_URL_LADTS" --all-variants --variant-fail-warning 0 --variant-fail-critical 1
is_rc 1 "one broken, --variant-fail-critical 1: exit 1 (WARNING)"
first_line_matches '^STREAM WARNING - variant 3/3 ' "one broken, --variant-fail-warning 0: WARNING"
run "$P" -u "$HTTP_URL_W/media/tone.mp3" --all-variants
is_rc 3 "--all-variants on a progressive stream: exit 3"
first_line_matches '^STREAM UNKNOWN - --all-variants: a progressive stream has no variants' \
  "--all-variants on a progressive stream: UNKNOWN naming the option"

# == Bad values: UNKNOWN naming the option, before any request.
U=http://127.0.0.1:1/live.mp3
for x in "--silence-level abc" "--silence-level -60x" "--silence-warning abc" \
  "--silence-critical 2:1" "--level-warning x" "--level-critical -40:abc" \
  "--loudness-warning x" "--variant-fail-critical y"; do
  o=${x%% *}
  # shellcheck disable=SC2086
  run "$P" -u "$U" $x
  is_rc 3 "$x: exit 3"
  first_line_matches "^STREAM UNKNOWN - .*$o" "$x: UNKNOWN naming $o"
  is "$(lines_count)" 1 "$x: one line"
done

plan_done
