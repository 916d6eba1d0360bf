#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_stream's command line: every bad option is UNKNOWN naming it.
. "$top_srcdir/tests/plugins/lib.sh"
P=$PLUGINDIR/check_stream
U=http://127.0.0.1:1/live.mp3

bad() { # bad OPTION ARGS...: UNKNOWN naming the option, one line
  name=$1
  shift
  run "$P" "$@"
  is_rc 3 "$* -> exit 3"
  first_line_matches "^STREAM UNKNOWN - .*$(printf '%s' "$name" | sed 's/[][\.*^$]/\\&/g')" \
    "$* -> UNKNOWN naming $name"
  is "$(lines_count)" 1 "$* -> one line"
}

bad -u
bad -u -u rtsp://x/
bad --type -u $U --type rtmp
bad --duration -u $U --duration 0
bad --duration -u $U --duration 5s
bad --variant -u $U --variant middle
bad --segments -u $U --segments 0
bad --segments -u $U --segments 21
bad --expect-format -u $U --expect-format wav
bad --min-bitrate -u $U --min-bitrate -1
bad --rate-warning -u $U --rate-warning 1:0.5
bad --rate-critical -u $U --rate-critical x
bad --stall -u $U --stall 0
bad --stall-critical -u $U --stall-critical 2:1
bad --max-age -u $U --max-age abc
bad --connect-to -u $U --connect-to 'a b'
bad --bearer-file -u $U --bearer-file /nonexistent/token
bad -k -u $U -k NoColon
bad -t -u $U -t 0
bad -w -u $U -w 10x
bad --bogus -u $U --bogus

# A sample longer than -t cannot work: UNKNOWN naming both options, before
# any request (never a CRITICAL about a healthy stream).
run "$P" -u "$U" -t 3
is_rc 3 "-t 3 with the default --duration 5: exit 3"
first_line_matches '^STREAM UNKNOWN - --duration 5 s does not fit in -t 3 s: raise -t to 6 s or more, or lower --duration to 2\.4 s or less$' \
  "-t 3 with --duration 5: UNKNOWN naming both options and both fixes"
is "$(lines_count)" 1 "-t 3 with --duration 5: one line"
run "$P" -u "$U" -t 4 --duration 3
is_rc 2 "-t 4 --duration 3 fits: runs (connection refused, exit 2)"
run "$P" -u "$U" -t 1 --duration 0.5
is_rc 2 "-t 1 --duration 0.5 fits (a fifth of -t kept): runs, exit 2"
run "$P" -u "$U" -t 2 --duration 2
is_rc 3 "-t 2 --duration 2: exit 3"
first_line_matches '^STREAM UNKNOWN - --duration 2 s does not fit in -t 2 s: raise -t to 2\.5 s or more, or lower --duration to 1\.6 s or less$' \
  "-t 2 --duration 2: the -t and the --duration that would work named"
# A --stall no sample can show (a gap longer than the whole sample): the
# stall measure could never fire; the default 1 s stays quiet.
run "$P" -u "$U" --stall 5
is_rc 3 "--stall 5 with --duration 5: exit 3"
first_line_matches '^STREAM UNKNOWN - --stall 5 s cannot be seen in a --duration 5 s sample: lower --stall below 5 s or raise --duration above 5 s$' \
  "--stall as long as the sample: UNKNOWN naming both and the fix"
run "$P" -u "$U" --stall 2 --duration 3 -t 5
is_rc 2 "--stall 2 --duration 3 fits: runs (connection refused, exit 2)"
run "$P" -u "http://127.0.0.1:1/live.m3u8" -t 3
is_rc 2 "-t 3 on HLS: --duration does not apply, runs"
# URL userinfo is a credential: never echoed
run "$P" -u "ftp://user:pw-in-url-77@127.0.0.1/x"
is_rc 3 "-u ftp:// with userinfo: exit 3"
no_line_matches 'pw-in-url-77' "-u error: the password in the URL is not shown"

# --token-cache (check_login's cache, as check_api reads it): a cache
# that cannot be used is UNKNOWN naming the option, the token never shown
TC=${TMPDIR:-/tmp}/stream_cli_tc.$$
bad --token-cache -u $U --token-cache "$TC.none"
bad --token-cache -u $U --token-cache "$TC.none" --bearer tok-3x9
printf '# streamwatch token cache (check_login); do not edit\ntoken_type=Bearer\nexpires_at=%s\naccess_token=tok-old-9q4\n' \
  "$(($(date +%s) - 60))" >"$TC.old"
bad --token-cache -u $U --token-cache "$TC.old"
first_line_matches 'the token in .* expired [0-9]+ s ago' "--token-cache: an expired token named as such"
no_line_matches 'tok-old-9q4' "--token-cache: the expired token not shown"
rm -f "$TC.old"

run "$P" --help
is_rc 3 "--help exits 3"
line_matches '^Usage: check_stream -u URL' "--help has the usage"
is "$(printf '%s\n' "$OUT" | awk 'length > 80' | head -1)" "" "--help fits 80 columns"
# the standard options in long form, their texts in one column (27)
for o in '-v, --verbose ' '-h, --help ' '-V, --version ' '-t, --timeout=' \
  '-4, --use-ipv4 ' '-6, --use-ipv6 ' '    --extra-opts=' '-w, --warning=RANGE ' \
  '-c, --critical=RANGE '; do
  line_matches "^ $(printf '%s' "$o" | sed 's/[][\.*^$]/\\&/g')" "--help lists '$o' in long form"
done
is "$(printf '%s\n' "$OUT" | grep -E '^ (-[a-zA-Z0-9], |    )--' |
  awk 'match(substr($0, 3), /[^ ]  +[^ ]/) && RSTART + RLENGTH + 1 != 28 { print }' | head -1)" "" \
  "--help: each option's text starts in column 28 (or on the next line)"
run "$P" -V
is_rc 3 "-V exits 3"
first_line_matches '^check_stream v[0-9.]+ \(streamwatch [0-9.]+; libcurl/' "-V names libcurl"

run "$P" -u "$U" -t 2 --duration 1
is_rc 2 "nothing listening: exit 2"
first_line_matches '^STREAM CRITICAL - connect failed: Connection refused ' "connection refused named"
perf_ok "perfdata parses on failure"
# the summary says what the perfdata says: no ttfb measured, none shown
is "$(perf_value ttfb)" U "no first byte: ttfb=U"
no_line_matches 'ttfb 0\.000' "no first byte: no 'ttfb 0.000 s' in the summary"

plan_done
