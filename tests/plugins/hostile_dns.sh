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
T=3       # -t of every run
BOUND=4.5 # wall bound: -t plus 1.5 s
BATCH=8
LIMIT="prlimit --as=134217728 --"
NOTE="under prlimit --as=134217728 (128 MiB)"

sanitized() {
  ldd "$1" 2>/dev/null | grep -q 'libasan' && return 0
  nm "$1" 2>/dev/null | grep -q ' __asan_init' && return 0
  nm -D "$1" 2>/dev/null | grep -q ' __asan_init'
}
command -v skip_one >/dev/null 2>&1 || skip_one() {
  TAP_N=$((TAP_N + 1))
  printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$1" "$2"
}
if [ -n "${SW_VALGRIND:-}" ]; then
  LIMIT='' BOUND=7.5 BATCH=4 NOTE="without prlimit (valgrind)"
  diag "valgrind (SW_VALGRIND): no prlimit (memcheck needs more than 128 MiB of address space); a run that misses its own deadline may end on the -t alarm's line instead (no stage, no perfdata)"
elif sanitized "$PLUGINDIR/check_resolve"; then
  LIMIT='' NOTE="without prlimit (ASan)"
  diag "ASan build: no prlimit (ASan reserves terabytes of address space); same assertions otherwise"
fi
R="$PLUGINDIR/check_resolve -t $T"

if [ -n "$LIMIT" ]; then
  run $LIMIT cat /proc/self/limits
  line_matches '^Max address space +134217728 +134217728 +bytes' "prlimit really limits the address space to 128 MiB"
fi

M=$LAB_DIR/matrix
mkdir -p "$M"
: >"$M/rows"
ROW=0
PIDS=

# row SERVER RC STATE KEY CMD...: starts CMD in the background (under
# $LIMIT); KEY is the ERE the first line must hold after
# "RESOLVE STATE - ". Results go to $M/ROW.*; every BATCH rows, waits.
row() {
  ROW=$((ROW + 1))
  printf '%s\t%s\t%s\t%s\t%s\n' "$ROW" "$1" "$2" "$3" "$4" >>"$M/rows"
  shift 4
  (
    # shellcheck disable=SC2086
    run $LIMIT "$@"
    printf '%s' "$OUT" >"$M/$ROW.out"
    printf '%s' "$ERR" >"$M/$ROW.err"
    printf '%s\n' "$RUN_CMD" >"$M/$ROW.cmd"
    printf '%s %s\n' "$RC" "$WALL" >"$M/$ROW.rc"
  ) &
  PIDS="$PIDS $!"
  [ $((ROW % BATCH)) -ne 0 ] || settle
}

settle() {
  for _p in $PIDS; do wait "$_p"; done
  PIDS=
}

q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }
NA='no answer within 2\.[0-9] s'

# --- the matrix ---------------------------------------------------------
row "black hole (UDP)" 2 CRITICAL "ok\.fault\.test A: $NA from $(q "$HOLE") \(1/1 failed\)" \
  $R -H ok.fault.test -s "$HOLE"
row "black hole (UDP), -t 3:warning" 1 WARNING "ok\.fault\.test A: $NA from $(q "$HOLE") \(1/1 failed\)" \
  $R:warning -H ok.fault.test -s "$HOLE"
row "black hole (UDP), -t 3:unknown, --retries 3" 3 UNKNOWN "ok\.fault\.test A: $NA from " \
  $R:unknown --retries 3 -H ok.fault.test -s "$HOLE"
row "black hole (TCP accepts, never answers), --tcp" 2 CRITICAL "ok\.fault\.test A: $NA from $(q "$TCPHOLE")" \
  $R --tcp -H ok.fault.test -s "$TCPHOLE"
row "TCP answer 1 byte/s (after a TC reply)" 2 CRITICAL "trickle\.fault\.test A: $NA from $(q "$S")" \
  $R -H trickle.fault.test -s "$S"
row "TCP answer 1 byte/s, --tcp" 2 CRITICAL "trickle\.fault\.test A: $NA from $(q "$S")" \
  $R --tcp -H trickle.fault.test -s "$S"
row "TC reply, then TCP never answers" 2 CRITICAL "tcsilent\.fault\.test A: $NA from $(q "$S")" \
  $R -H tcsilent.fault.test -s "$S"
row "TC reply, then a full TCP answer" 0 OK "tc\.fault\.test A: 10\.2\.0\.2 \(TTL 300, " \
  $R -H tc.fault.test -s "$S"
row "reply with the wrong ID" 2 CRITICAL "wrongid\.fault\.test A: $NA from $(q "$S")" \
  $R -H wrongid.fault.test -s "$S"
row "reply from the wrong source port" 2 CRITICAL "wrongport\.fault\.test A: $NA from $(q "$S")" \
  $R -H wrongport.fault.test -s "$S"
row "reply from the wrong source port, AAAA" 2 CRITICAL "wrongport\.fault\.test AAAA: $NA from $(q "$S")" \
  $R -q AAAA -H wrongport.fault.test -s "$S"
row "record cut short (RDLENGTH past the end)" 2 CRITICAL "garbage\.fault\.test A: malformed response from $(q "$S")" \
  $R -H garbage.fault.test -s "$S"
row "compression pointer loop" 2 CRITICAL "ptrloop\.fault\.test A: malformed response" \
  $R -H ptrloop.fault.test -s "$S"
row "5 random bytes" 2 CRITICAL "short\.fault\.test A: (malformed response|$NA) from $(q "$S")" \
  $R -H short.fault.test -s "$S"
row "port closed (ICMP unreachable)" 2 CRITICAL "ok\.fault\.test A: connection refused from $(q "$CLOSED")" \
  $R -H ok.fault.test -s "$CLOSED"
# every hostile resolver at once, and a good one: each failure counted,
# all within the one deadline
row "all of them at once (+ 1 good)" 2 CRITICAL "\(9/10 failed\)" \
  $R -H ok.fault.test -H trickle.fault.test -H tcsilent.fault.test -H wrongid.fault.test \
  -H wrongport.fault.test -s "$S" -s "$HOLE"
settle

# --- the assertions, in row order -----------------------------------------
diag "every run $NOTE, -t $T, wall bound $BOUND s"
while IFS="$(printf '\t')" read -r n server rc state key; do
  OUT=$(cat "$M/$n.out") ERR=$(cat "$M/$n.err") RUN_CMD=$(cat "$M/$n.cmd")
  read -r RC WALL <"$M/$n.rc"
  d="check_resolve vs $server"
  is_rc "$rc" "$d: exit $rc"
  # under memcheck a run may miss its own deadline: then the -t alarm's line
  alarm=
  if [ -n "${SW_VALGRIND:-}" ]; then
    alarm="|timed out after $T s\$"
    # and the elapsed time it names may pass -t (time is not asserted here)
    key=$(printf '%s' "$key" | sed 's/2\\\.\[0-9\] s/[0-9]+\\.[0-9] s/g')
  fi
  first_line_matches "^RESOLVE $state - (.*$key$alarm)" "$d: $state, what happened named"
  if [ -n "$alarm" ] && first_line | grep -Eq "^RESOLVE $state - timed out after $T s\$"; then
    skip_one "$d: perfdata parses" "the -t alarm's line (valgrind) has none"
  else
    perf_ok "$d: perfdata parses"
  fi
  wall_below "$BOUND" "$d: ends within -t $T (+ margin)"
  printf '%s\n' "$ERR" | grep -Eq 'Sanitizer|runtime error:|Segmentation|Aborted|Killed'
  ok $((1 - $?)) "$d: nothing crashed or reported on stderr"
  text=$(first_line | sed 's/ |.*//; s/^RESOLVE [A-Z]* - //' | sed 's/ from 127\.0\.0\.[0-9]*:[0-9]*//g')
  diag "table: check_resolve|$server|$state|$text|$WALL s (-t $T)"
done <"$M/rows"

# the queries really went where the matrix says (the fault was served)
for what in "trickle: over TCP, one byte every 1 s" "tcsilent: never answered over TCP" \
  "wrongport: from another port" "wrongid: ID\+1"; do
  grep -Eq "$what" "$LAB_DIR/F.log"
  ok $? "fakedns served '$what'"
done
grep -q '^accepted$' "$LAB_DIR/TH.log"
ok $? "the TCP black hole accepted the --tcp query"

plan_done
