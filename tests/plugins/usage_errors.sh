#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage errors go through the one printer (issue 12, "Secrets in the
# output"): a -k or bearer value with CR/LF, a control byte or no colon is
# refused naming the option and at most the header name, never echoing
# the value (a secret) and never forging a second status line; a stray
# word (half of an unquoted "-k Name: value") is not echoed either; a
# usage error that quotes its text masks every secret of the command line.
# A bearer works up to its documented 64 KiB limit and is refused past it.
# URL userinfo (-u http://user:PASSWORD@host) leaves argv like any secret.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
lab_start_blackhole HOLE || bail_out "black hole did not start"
U=http://127.0.0.1:1/
CR=$(printf '\r')
LF='
'
ESC=$(printf '\033')

# refused DESC OPT SECRET CMD...: exit 3, one UNKNOWN line naming OPT, no
# SECRET anywhere (stdout or stderr), no control byte, nothing forged
refused() {
  _u_desc=$1 _u_opt=$2 _u_secret=$3
  shift 3
  run "$@"
  is_rc 3 "$_u_desc: exit 3"
  first_line_matches "^[A-Z]+ UNKNOWN - .*$(printf '%s' "$_u_opt" | sed 's/[][\.*^$]/\\&/g')" \
    "$_u_desc: UNKNOWN naming $_u_opt"
  is "$(lines_count)" 1 "$_u_desc: one line, none forged"
  case "$OUT$ERR" in
    *"$_u_secret"*) ok 1 "$_u_desc: the secret is not shown" ;;
    *) ok 0 "$_u_desc: the secret is not shown" ;;
  esac
  ! printf '%s\n' "$OUT" | LC_ALL=C grep -q '[[:cntrl:]]'
  ok $? "$_u_desc: no control byte"
}

printf 'ub-s3cret-file%s%sX-Evil: 1\n' "$CR" "$LF" >"$LAB_DIR/bad.tok"
for p in api login stream; do
  case $p in
    api) set -- "$PLUGINDIR/check_api" -u $U ;;
    login) set -- "$PLUGINDIR/check_login" -u $U --client-id c --client-secret lc-s3cret-ok ;;
    stream) set -- "$PLUGINDIR/check_stream" -u $U ;;
  esac
  refused "$p -k with CR LF and a forged line" -k uk-s3cret-crlf \
    "$@" -k "X-Api-Key: uk-s3cret-crlf$CR${LF}API OK - forged | x=1"
  no_line_matches '^API OK - forged' "$p -k: the forged status line is not printed"
  first_line_matches "header 'X-Api-Key'" "$p -k with CR LF: the header name is given"
  refused "$p -k with LF" -k uk-s3cret-lf "$@" -k "Authorization: Bearer uk-s3cret-lf${LF}x"
  refused "$p -k with ESC" -k uk-s3cret-esc "$@" -k "X-Auth-Token: uk-s3cret-esc$ESC[31m"
  refused "$p -k without a colon" -k uk-s3cret-nocolon "$@" -k "X-Api-Key uk-s3cret-nocolon"
  refused "$p -k a bare secret" -k uk-s3cret-bare "$@" -k "uk-s3cret-bare"
  refused "$p -k with CR LF in the name" -k uk-s3cret-name "$@" -k "uk-s3cret-name$CR$LF: v"
  refused "$p a stray word (an unquoted -k value)" "unexpected argument" uk-s3cret-stray \
    "$@" -k X-Api-Key: uk-s3cret-stray
  [ $p = login ] && continue # no bearer options
  refused "$p --bearer with CR LF" --bearer ub-s3cret-crlf "$@" --bearer "ub-s3cret-crlf$CR${LF}X-Evil: 1"
  refused "$p --bearer= with a blank" --bearer ub-s3cret-blank "$@" "--bearer=ub-s3cret-blank x"
  refused "$p --bearer-env with LF" --bearer-env ub-s3cret-env \
    env BT="ub-s3cret-env${LF}X-Evil: 1" "$@" --bearer-env BT
  refused "$p --bearer-file with CR LF inside" --bearer-file ub-s3cret-file \
    "$@" --bearer-file "$LAB_DIR/bad.tok"
  refused "$p a usage error quoting a secret of argv" -t ub-s3cret-masked \
    "$@" --bearer=ub-s3cret-masked -t ub-s3cret-masked
  refused "$p a usage error quoting a -k credential" -t uk-s3cret-masked \
    "$@" -k "X-Api-Key: uk-s3cret-masked" -t uk-s3cret-masked:ok
done
refused "login a usage error quoting --client-secret" -t uc-s3cret-masked \
  "$PLUGINDIR/check_login" -u $U --client-id c --client-secret=uc-s3cret-masked -t uc-s3cret-masked
refused "login a usage error quoting a URL password" -t up-s3cret-masked \
  "$PLUGINDIR/check_login" -u "http://u:up-s3cret-masked@127.0.0.1:1/" --client-id c \
  --client-secret lc-s3cret-ok -t up-s3cret-masked

# A large bearer (JWTs with many claims) is sent whole: 60000 bytes here,
# as Python's http.server takes header lines of at most 64 KiB (the exact
# 65536-byte limit is tests/unit/test_http_opts'); one byte over the
# limit is refused naming it, as a usage error.
awk 'BEGIN { s = "abcdefghijklmnop"; for (i = 0; i < 12; i++) s = s s; printf "%s\n", substr(s, 1, 60000) }' >"$LAB_DIR/big.tok"
is "$(($(wc -c <"$LAB_DIR/big.tok") - 1))" 60000 "the big token is 60000 bytes"
run "$PLUGINDIR/check_api" -u "$FAULT_URL_F/echo" --bearer-file "$LAB_DIR/big.tok" \
  -j '/headers/authorization~=^Bearer abcdefghijklmnop' -j '/headers/authorization~=mnop$' -t 5
is_rc 0 "check_api --bearer-file of 60000 bytes: sent (exit 0)"
awk -v n="$(perf_field size 2)" 'BEGIN { exit !(n > 60000) }'
ok $? "... whole: the echo of its headers is over 60000 bytes"
awk 'BEGIN { s = "abcdefghijklmnop"; for (i = 0; i < 12; i++) s = s s; printf "%sq\n", s }' >"$LAB_DIR/big1.tok"
for p in api stream; do
  refused "check_$p --bearer-file of 65537 bytes" --bearer-file abcdefghijklmnopabcdefgh \
    "$PLUGINDIR/check_$p" -u "$FAULT_URL_F/echo" --bearer-file "$LAB_DIR/big1.tok" -t 5
  first_line_matches '65536-byte limit' "check_$p: 65537 bytes: the limit named"
done

# URL userinfo: the password leaves argv at once, and never reaches the
# output (the plugins show URLs without userinfo)
cmdline_hides HOLE up-s3cret-argv "check_api -u http://user:PASSWORD@host: the password wiped from argv" \
  "$PLUGINDIR/check_api" -u "http://alice:up-s3cret-argv@127.0.0.1:$HOLE_PORT/x" -t 1
cmdline_hides HOLE up-s3cret-argv "check_stream -u http://user:PASSWORD@host: wiped" \
  "$PLUGINDIR/check_stream" -u "http://alice:up-s3cret-argv@127.0.0.1:$HOLE_PORT/x" -t 7 --duration 1
cmdline_hides HOLE up-s3cret-proxy "check_api --proxy=http://u:PASSWORD@proxy: wiped" \
  "$PLUGINDIR/check_api" -u "http://127.0.0.1:$HOLE_PORT/x" "--proxy=http://u:up-s3cret-proxy@127.0.0.1:$HOLE_PORT" -t 1
plan_done
