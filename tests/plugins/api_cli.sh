#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_api's command line: every bad option is UNKNOWN naming it; --help
# and --version; a literal --bearer never shows in /proc/PID/cmdline.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
P=$PLUGINDIR/check_api
U=http://127.0.0.1:1/

bad() { # bad OPTION ARGS...: UNKNOWN naming the option, one line
  name=$1
  shift
  run "$P" "$@"
  is_rc 3 "$* -> exit 3"
  first_line_matches "^API UNKNOWN - .*$(printf '%s' "$name" | sed 's/[][\.*^$]/\\&/g')" \
    "$* -> UNKNOWN naming $name"
  is "$(lines_count)" 1 "$* -> one line"
}

bad -u
bad -u -u ftp://example/
bad -e -u $U -e 99
bad -e -u $U -e 200-100
bad -e -u $U -e 200,
bad -e -u $U -e abc
bad -j -u $U -j status
bad -j -u $U -j '/a~=['
bad -j -u $U -j '/a=='
bad -M -u $U -M 'lat'
bad -M -u $U -M 'lat=/x;5:3'
# -j/-M mistakes an administrator makes: UNKNOWN naming the option and
# the fix, never a CRITICAL "missing" that pages someone (issue 13).
bad -j -u $U -j '/user=x'
first_line_matches "^API UNKNOWN - -j: '/user=x' has a single '=': use '/user==x' to compare, or '/user' alone to test that it exists$" \
  "-j '/user=x': the single '=' named with both fixes"
bad -j -u $U -j '/user=~^al'
first_line_matches "the regex operator is '~=': write '/user~=\^al'" "-j '=~': the fix named"
bad -j -u $U -j '/user===x'
first_line_matches "'===' is no operator: write '/user==x'" "-j '===': the fix named"
bad -j -u $U -j '/count>=3'
first_line_matches "compares with ==, != and ~= only.*-M" "-j '>=': -M named"
bad -j -u $U -j '/user == x'
first_line_matches "the space before '==' would be part of the pointer: write '/user==x'" "-j with spaces: the fix named"
bad -j -u $U -j 'status==ok'
first_line_matches "write '/status==ok'" "-j without '/': the fix named"
bad -j -u $U -j '$.status'
bad -j -u $U -j '/items[0]/id'
bad -M -u $U -M '/latency_ms'
first_line_matches "has no label: write 'LABEL=/latency_ms'" "-M without a label: the fix named"
bad -M -u $U -M 'lat=latency_ms'
# perfdata labels: unique, not check_api's own, '.' is '_'
bad -M -u $U -M 'a.b=/x' -M 'a_b=/y'
first_line_matches "labels 'a\.b' and 'a_b' are both perfdata label 'a_b'" "-M labels that map to one: both named"
bad -M -u $U -M 'lat=/x' -M 'lat=/y'
bad -M -u $U -M 'time=/x'
first_line_matches "check_api's own perfdata 'time'" "-M time: check_api's own label"
bad -M -u $U -M 'cert.days=/x'
bad -r -u $U -r '['
bad -r -u $U -r 'Q:+++++++++++++++'
first_line_matches 'too complex' "-r: a regex too costly to compile is named so"
bad -k -u $U -k 'NoColon'
bad --max-size -u $U --max-size 0
bad --connect-to -u $U --connect-to 'a b'
bad --connect-to -u $U --connect-to '127.0.0.1:99999'
bad --tls-min -u $U --tls-min 1.1
bad --http-version -u $U --http-version 3
bad -f -u $U -f bogus
bad --rate-limit-state -u $U --rate-limit-state bogus
bad --cert-warning -u $U --cert-warning -1
bad --cert-critical -u $U --cert-critical 30
bad --invert -u $U --invert
bad --bearer-file -u $U --bearer-file /nonexistent/token
bad --bearer-env -u $U --bearer-env STREAMWATCH_UNSET_VAR
bad --data-file -u $U --data-file /nonexistent/body
bad -t -u $U -t 0
bad -w -u $U -w 10x
bad --bogus -u $U --bogus

# help_layout HELP: the standard options each on a line of their own in
# long form, and every option's meaning in one column (28), or on the
# next line when the option is too long to leave room for it.
help_layout() {
  for o in '-v, --verbose' '-h, --help' '-V, --version' '-t, --timeout=' \
      '-4, --use-ipv4' '-6, --use-ipv6' '--extra-opts='; do
    printf '%s\n' "$1" | grep -Eq "^ (    )?$(printf '%s' "$o" | sed 's/[][.*^$]/\\&/g')"
    ok $? "--help lists '$o' on a line of its own"
  done
  bad_cols=$(printf '%s\n' "$1" | sed -n '/^Options:/,/^$/p' | awk '
    /^ (-[A-Za-z0-9],|   ) -/ {
      rest = substr($0, 6); i = index(rest, "  ")
      if (i == 0) next                   # the option alone; meaning below
      col = 5 + i; while (substr($0, col + 1, 1) == " ") col++
      if (col != 27) print
      next
    }
    substr($0, 1, 27) ~ /^ *$/ && substr($0, 28, 1) != " " { next } # continued
    /^  *[^ ]/ { print }')
  is "$bad_cols" "" "--help: every meaning starts in column 28"
}

lab_init
empty=$LAB_DIR/empty
: >"$empty"
bad --bearer-file -u $U --bearer-file "$empty"

run "$P" --help
is_rc 3 "--help exits 3"
line_matches '^Usage: check_api -u URL' "--help has the usage"
line_matches '^Examples:' "--help has examples"
is "$(printf '%s\n' "$OUT" | awk 'length > 80' | head -1)" "" "--help fits 80 columns"
help_layout "$OUT"

run "$P" -V
is_rc 3 "-V exits 3"
first_line_matches '^check_api v[0-9.]+ \(streamwatch [0-9.]+; libcurl/[0-9.]+ OpenSSL/[0-9.]+[a-z]*\)$' \
  "-V names libcurl and OpenSSL"

# A literal secret is wiped from argv at once: ps never shows it.
lab_start_blackhole HOLE || bail_out "black hole did not start"
cmdline_hides HOLE hunter2-literal-secret "--bearer's value wiped from argv" \
  "$P" -u "http://127.0.0.1:$HOLE_PORT/" --bearer=hunter2-literal-secret -t 3
cmdline_hides HOLE hunter2-literal-secret "--bearer VALUE (two words) wiped too" \
  "$P" -u "http://127.0.0.1:$HOLE_PORT/" --bearer hunter2-literal-secret -t 3

plan_done
