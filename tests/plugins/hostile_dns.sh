#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The hostile-server matrix over DNS (issue 8): check_resolve against
# resolvers that never answer (UDP black hole; a TCP server that accepts
# and never answers), trickle a TCP answer one byte a second (reached
# through a TC reply, and with --tcp), send a truncated (TC) reply and then
# nothing over TCP, answer with the wrong ID, answer from the wrong source
# port, send malformed replies, refuse, and all of them at once.
#
# Each run asserts: the exit code of the right state (CRITICAL, or what
# -t STATE says on a timeout), the state word and what happened in the
# first line, WALL below -t plus a margin (the deadline is a correctness
# property), perfdata that parses, and memory bounded: every run's peak RSS
# is measured and at most 64 MiB (hostile_lib.sh; prlimit only a safety
# net), and it must end with its clean result line (never a crash, never
# an exit code above 3). Under ASan (or valgrind, make check-valgrind) the
# RSS is theirs: the other assertions run, each said by a diag line;
# under valgrind lib.sh skips the time bounds, and a run memcheck slows past its own deadline may
# end on the -t alarm's line ("timed out after 3 s", no stage, no perfdata).
#
# Runs go in parallel batches. Each prints a "# table: plugin|server|state|
# key text|wall s (-t)" line: the table of docs/reliability.md.
# shellcheck disable=SC2086 # $API, $R, ... are command words on purpose
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/plugins/hostile_lib.sh"
need_cmd prlimit "prlimit (util-linux) not found"
lab_init
dns_start_fake F 127.0.0.58 --trickle 1 || bail_out "fakedns did not start"
dns_start_fake BH 127.0.0.59 --mode silent || bail_out "fakedns --mode silent did not start"
lab_start_blackhole TH 127.0.0.60 || bail_out "TCP black hole did not start"
S=$DNS_SERVER_F
HOLE=$DNS_SERVER_BH
TCPHOLE=127.0.0.60:$HOLE_PORT_TH
# a port nothing listens on: ICMP port unreachable
CLOSED=127.0.0.61:$(lab_free_port 127.0.0.61)
hostile_init "$PLUGINDIR/check_resolve"
R="$PLUGINDIR/check_resolve -t $T"

q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }
# the wait is -t less the margin to print, 2.9x s; a busy machine may
# round it to 3.0
NA='no answer within (2\.[0-9]|3\.0) s'

# --- the matrix ---------------------------------------------------------
row check_resolve "black hole (UDP)" 2 RESOLVE CRITICAL "ok\.fault\.test A: $NA from $(q "$HOLE") \(1/1 failed\)" \
  $R -H ok.fault.test -s "$HOLE"
row check_resolve "black hole (UDP), -t 3:warning" 1 RESOLVE WARNING "ok\.fault\.test A: $NA from $(q "$HOLE") \(1/1 failed\)" \
  $R:warning -H ok.fault.test -s "$HOLE"
row check_resolve "black hole (UDP), -t 3:unknown, --retries 3" 3 RESOLVE UNKNOWN "ok\.fault\.test A: $NA from " \
  $R:unknown --retries 3 -H ok.fault.test -s "$HOLE"
row check_resolve "black hole (TCP accepts, never answers), --tcp" 2 RESOLVE CRITICAL "ok\.fault\.test A: $NA from $(q "$TCPHOLE")" \
  $R --tcp -H ok.fault.test -s "$TCPHOLE"
row check_resolve "TCP answer 1 byte/s (after a TC reply)" 2 RESOLVE CRITICAL "trickle\.fault\.test A: $NA from $(q "$S")" \
  $R -H trickle.fault.test -s "$S"
row check_resolve "TCP answer 1 byte/s, --tcp" 2 RESOLVE CRITICAL "trickle\.fault\.test A: $NA from $(q "$S")" \
  $R --tcp -H trickle.fault.test -s "$S"
row check_resolve "TC reply, then TCP never answers" 2 RESOLVE CRITICAL "tcsilent\.fault\.test A: $NA from $(q "$S")" \
  $R -H tcsilent.fault.test -s "$S"
row check_resolve "TC reply, then a full TCP answer" 0 RESOLVE OK "tc\.fault\.test A: 10\.2\.0\.2 \(TTL 300, " \
  $R -H tc.fault.test -s "$S"
row check_resolve "reply with the wrong ID" 2 RESOLVE CRITICAL "wrongid\.fault\.test A: $NA from $(q "$S")" \
  $R -H wrongid.fault.test -s "$S"
row check_resolve "reply from the wrong source port" 2 RESOLVE CRITICAL "wrongport\.fault\.test A: $NA from $(q "$S")" \
  $R -H wrongport.fault.test -s "$S"
row check_resolve "reply from the wrong source port, AAAA" 2 RESOLVE CRITICAL "wrongport\.fault\.test AAAA: $NA from $(q "$S")" \
  $R -q AAAA -H wrongport.fault.test -s "$S"
row check_resolve "record cut short (RDLENGTH past the end)" 2 RESOLVE CRITICAL "garbage\.fault\.test A: malformed response from $(q "$S")" \
  $R -H garbage.fault.test -s "$S"
row check_resolve "compression pointer loop" 2 RESOLVE CRITICAL "ptrloop\.fault\.test A: malformed response" \
  $R -H ptrloop.fault.test -s "$S"
row check_resolve "5 random bytes" 2 RESOLVE CRITICAL "short\.fault\.test A: (malformed response|$NA) from $(q "$S")" \
  $R -H short.fault.test -s "$S"
row check_resolve "port closed (ICMP unreachable)" 2 RESOLVE CRITICAL "ok\.fault\.test A: connection refused from $(q "$CLOSED")" \
  $R -H ok.fault.test -s "$CLOSED"
# every hostile resolver at once, and a good one: each failure counted,
# all within the one deadline
row check_resolve "all of them at once (+ 1 good)" 2 RESOLVE CRITICAL "\(9/10 failed\)" \
  $R -H ok.fault.test -H trickle.fault.test -H tcsilent.fault.test -H wrongid.fault.test \
  -H wrongport.fault.test -s "$S" -s "$HOLE"
hostile_assert

# the queries really went where the matrix says (the fault was served)
for what in "trickle: over TCP, one byte every 1 s" "tcsilent: never answered over TCP" \
  "wrongport: from another port" "wrongid: ID\+1"; do
  grep -Eq "$what" "$LAB_DIR/F.log"
  ok $? "fakedns served '$what'"
done
grep -q '^accepted$' "$LAB_DIR/TH.log"
ok $? "the TCP black hole accepted the --tcp query"

# --- issue 12: server bytes between the parser and the printer ----------
dns_start_fake G 127.0.0.62 || bail_out "fakedns G did not start"
dns_start_fake G2 127.0.0.63 --variant b || bail_out "fakedns G2 did not start"
dns_start_fake G3 127.0.0.64 || bail_out "fakedns G3 did not start"
G=$DNS_SERVER_G G2=$DNS_SERVER_G2 G3=$DNS_SERVER_G3
# RSS_SKIP and RSS_MAX come from hostile_init (hostile_lib.sh)
# rss_run CMD...: run under /usr/bin/time; RSS = peak RSS in KiB
rss_run() {
  run /usr/bin/time -f '%M' -o "$LAB_DIR/rss" "$@"
  RSS=$(tail -n 1 "$LAB_DIR/rss")
}
rss_ok() {
  if [ -n "$RSS_SKIP" ]; then
    skip_one "$1: peak RSS at most $RSS_MAX KiB" "$RSS_SKIP"
  else
    [ "$RSS" -le "$RSS_MAX" ] 2>/dev/null
    ok $? "$1: peak RSS ${RSS} KiB, at most $RSS_MAX KiB (64 MiB)"
  fi
}
no_crash() {
  printf '%s\n' "$ERR" | grep -Eq 'Sanitizer|runtime error:|Segmentation|Aborted|stack smashing'
  ok $((1 - $?)) "$1: nothing crashed or reported on stderr"
}

A150=$(printf '%150s' '' | tr ' ' a)
rss_run $R -H txtlong.fault.test -q TXT -s "$G"
is_rc 0 "TXT 150/200/1 characters: exit 0"
first_line_matches "^RESOLVE OK - txtlong\.fault\.test TXT: $A150, \+2 more \(TTL 300, [0-9.]+ ms\) \|" \
  "TXT 150/200/1: the first answer, then '+2 more' counted"
is "$(lines_count)" 2 "TXT 150/200/1: status line and one sub-line"
perf_ok "TXT 150/200/1: perfdata parses"
is "$(perf_value answers)" 3 "TXT 150/200/1: answers=3"
no_crash "TXT 150/200/1"
rss_ok "TXT 150/200/1"

rss_run $R -H txtmore.fault.test -q TXT -s "$G"
is_rc 0 "12 TXT answers holding 'more': exit 0"
first_line_matches "^RESOLVE OK - txtmore\.fault\.test TXT: more and more answers 0, .*, \+[0-9]+ more \(TTL 300" \
  "answers holding 'more': '+N more' still shown"
n=$(first_line | sed -n 's/.*, +\([0-9]*\) more (TTL.*/\1/p')
shown=$(first_line | sed 's/ (TTL.*//' | grep -o 'more and more answers' | wc -l)
is "$((n + shown))" 12 "answers holding 'more': shown + N = all 12 answers"
perf_ok "answers holding 'more': perfdata parses"
rss_ok "answers holding 'more'"

rss_run $R -H many.fault.test -s "$G" -s "$G2" -C
is_rc 1 "-C, 70 answers differing after the 64th: WARNING"
first_line_matches "^RESOLVE WARNING - resolvers disagree on many\.fault\.test: .*first difference at sorted answer 70: 10\.3\.9\.9 vs 10\.3\.9\.8" \
  "-C past the 64th answer: the difference is named"
perf_ok "-C past the 64th answer: perfdata parses"
is "$(perf_value answers)" 140 "-C past the 64th answer: answers=140 (over TCP after TC)"
rss_ok "-C past the 64th answer"
rss_run $R -H many.fault.test -s "$G" -s "$G3" -C
is_rc 0 "-C, the same 70 answers on both: OK"

L60=$(printf '%60s' '' | tr ' ' l)
N1="$L60.$L60.${L60}1.fault.test" N2="$L60.$L60.${L60}2.fault.test"
rss_run $R -H "$N1" -H "$N2" -s "$G"
is_rc 0 "two 195-character -H differing at the end: exit 0"
perf_ok "two long -H: perfdata parses, every label unique"
is "$(perf_values | cut -f1 | grep -c '^time_')" 2 "two long -H: two time labels"
rss_ok "two long -H"

# 64 names of 4000 A records (64 KB over TCP) each: the answers kept are
# bounded by the run's budget; past it the queries are UNKNOWN naming it
set --
for i in $(seq 1 64); do set -- "$@" -H "huge$i.fault.test"; done
rss_run $R -t 10 "$@" -s "$G"
is_rc 3 "64 names x 4000 answers: UNKNOWN (the budget of parsed answers)"
first_line_matches "^RESOLVE UNKNOWN - not judged: huge[0-9]+\.fault\.test A: answers past the run's limit of [0-9]+ MiB" \
  "past the budget: the limit is named"
perf_ok "64 names x 4000 answers: perfdata parses"
no_crash "64 names x 4000 answers"
rss_ok "64 names x 4000 answers"

plan_done
