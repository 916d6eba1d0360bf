#!/bin/sh
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
# property), perfdata that parses, and memory bounded: every run is under
# prlimit --as=128 MiB and must still end with its clean result line (never
# a crash, never an exit code above 3). Under ASan (or valgrind, make
# check-valgrind) a 128 MiB address space cannot work: the same assertions
# then run without prlimit, each said by a diag line; under valgrind lib.sh
# skips the time bounds, and a run memcheck slows past its own deadline may
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
NA='no answer within 2\.[0-9] s'

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

plan_done
