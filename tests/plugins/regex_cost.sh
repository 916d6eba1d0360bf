#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck disable=SC2086 # $BIG: options, split on purpose
# A user regex's cost on a large body (issue 12, "Time"): glibc's search
# is quadratic in the subject for patterns such as (.*)(.*)(.*)(.*)(.*)x$,
# which ran on a 2.6 MB page until the alarm. The search is bounded by the
# clock (sw_regex_search): such a pattern on a large body answers well
# within -t with UNKNOWN naming the option and the body's size, while
# ordinary patterns on the same body still judge it.
. "$top_srcdir/tests/plugins/lib.sh"
# Under memcheck a 21 MB search takes minutes: what this test measures is
# the clock, which memcheck changes, not memory.
if [ -n "${SW_VALGRIND:-}" ]; then
  echo "1..0 # SKIP a search's time under memcheck says nothing"
  exit 0
fi
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
P=$PLUGINDIR/check_api
# /huge: 20 MiB of {"data":"xxx...x"}; the body is kept whole
BIG="-u $FAULT_URL_F/huge --max-size 25000000 -t 10"

# the costly patterns with -t 4: the search gives up after half the time
# left (about 2 s), so the answer comes well within -t
run "$P" $BIG -t 4 -r '(.*)(.*)(.*)(.*)(.*)x$'
is_rc 3 "-r (.*)(.*)(.*)(.*)(.*)x\$ on 21 MB: exit 3"
first_line_matches '^API UNKNOWN - .*-r: regular expression too costly for a 21\.0 MB subject' \
  "the option and the body's size named"
wall_below 3.8 "within -t 4"
run "$P" $BIG -t 4 -r '.*x$'
is_rc 3 "-r .*x\$ (quadratic too) on 21 MB: exit 3, not a timeout"
wall_below 3.8 "... within -t 4"

# ordinary patterns on the same body: judged, quickly
run "$P" $BIG -r '^\{"data":"x+'
is_rc 0 "-r anchored at the start on 21 MB: exit 0"
run "$P" $BIG -r '"}$'
is_rc 0 "-r at the very end of 21 MB: exit 0"
wall_below 6 "... quickly"
run "$P" $BIG -r 'data":"x{100}'
is_rc 0 "-r with a bounded repetition on 21 MB: exit 0"
run "$P" $BIG -r 'needle'
is_rc 2 "-r not found in 21 MB: exit 2 (CRITICAL: the body lacks it)"
first_line_matches "^API CRITICAL - .*does not match /needle/" "the miss named"
run "$P" $BIG -r 'needle' --invert
is_rc 0 "-r --invert not found: exit 0"
plan_done
