# SPDX-License-Identifier: GPL-3.0-or-later
# TAP helpers for the plugin tests. POSIX sh (dash); source it:
# shellcheck shell=sh disable=SC2034
#
#   . "$top_srcdir/tests/plugins/lib.sh"
#   run "$PLUGINDIR/check_resolve" -H api.stream.test -s "$DNS_SERVER_A"
#   is_rc 0 "api resolves"
#   first_line_matches '^RESOLVE OK - ' "state word"
#   perf_ok "perfdata parses"
#   [ "$(perf_value failed)" = 0 ]; ok $? "no failed query"
#   plan_done                     # last line: prints 1..N, returns 1 on failure
#
# run CMD...        runs CMD (stdin /dev/null, killed after RUN_TIMEOUT
#                   seconds, default 60, as a safety net only; a shell
#                   function runs as it is, without that net): sets OUT
#                   (stdout), ERR (stderr), RC (exit code; 124 = killed by
#                   the safety net), WALL (seconds, e.g. 0.012)
# Assertions (each prints "ok N - desc" or "not ok N - desc" and, on failure,
# "# " lines with the command, $RC, $OUT and $ERR):
#   is_rc N desc                  RC = N
#   first_line_matches ERE desc   grep -E on the first line of OUT
#   line_matches ERE desc         some line of OUT matches
#   no_line_matches ERE desc      no line of OUT matches
#   perf_ok desc                  the first line's perfdata parses
#                                 (perfcheck.pl: Monitoring::Plugin::Performance
#                                 plus the conventions' rules)
#   wall_below SECONDS desc       WALL < time_bound SECONDS (a correctness
#                                 bound for deadline tests, not a
#                                 benchmark; skipped under valgrind)
#   skip_one desc reason          "ok N - desc # SKIP reason"
#   elapsed ERE                   ERE, or any number under valgrind: for
#                                 the times plugins name in their output
#   is GOT EXPECTED desc          string equality
#   ok STATUS desc                passes when STATUS is 0 (e.g. ok $? "...")
# Helpers (no TAP output):
#   perf_value LABEL              prints that label's value from OUT's first
#                                 line (empty, status 1, when absent)
#   perf_field LABEL N            field N of LABEL's row: 1 label, 2 value,
#                                 3 uom, 4 warn, 5 crit, 6 min, 7 max
#   perf_values                   prints perfcheck.pl's table for OUT
#   lines_count                   prints the number of lines of OUT
#   first_line                    prints the first line of OUT
#   diag TEXT...                  "# TEXT" lines
#   skip_all REASON               outside CI: "1..0 # SKIP REASON", exit 0;
#                                 with CI=true: "Bail out! REASON", exit 1
#                                 (a missing server is a failure in CI)
#   need_cmd CMD REASON           skip_all REASON unless CMD is found
#   bail_out REASON               "Bail out! REASON", exit 1
#   plan_done                     prints 1..N (and the servers' logs when
#                                 something failed and lab.sh is in use);
#                                 returns 0 when all passed, else 1 (the
#                                 tap-driver then adds an ERROR line: set
#                                 TAP_IGNORE_EXIT=1 to always return 0)
# Variables: PERFCHECK (path of perfcheck.pl), TAP_N, TAP_FAILED.

TAP_N=0
TAP_FAILED=0
RUN_TIMEOUT=${RUN_TIMEOUT:-60}
if [ -z "${PERFCHECK:-}" ]; then
  if [ -n "${top_srcdir:-}" ]; then PERFCHECK=$top_srcdir/tests/plugins/perfcheck.pl
  else PERFCHECK=$(pwd)/tests/plugins/perfcheck.pl
  fi
fi
OUT=
ERR=
RC=
WALL=
RUN_CMD=

diag() {
  printf '%s\n' "$*" | sed 's/^/# /'
}

# shows what the last run did, as TAP diagnostics
tap__show_run() {
  [ -n "$RUN_CMD" ] || return 0
  printf '# command: %s\n# exit code: %s, wall %s s\n' "$RUN_CMD" "$RC" "$WALL"
  printf '%s\n' "$OUT" | sed 's/^/# stdout: /'
  [ -z "$ERR" ] || printf '%s\n' "$ERR" | sed 's/^/# stderr: /'
}

# ok STATUS desc [extra diagnostic]
ok() {
  TAP_N=$((TAP_N + 1))
  if [ "$1" = 0 ]; then
    printf 'ok %d - %s\n' "$TAP_N" "$2"
    return 0
  fi
  TAP_FAILED=$((TAP_FAILED + 1))
  printf 'not ok %d - %s\n' "$TAP_N" "$2"
  [ -z "${3:-}" ] || diag "$3"
  tap__show_run
  return 1
}

run() {
  RUN_CMD=$*
  { _tap_o=$(mktemp) && _tap_e=$(mktemp); } || bail_out "mktemp failed"
  _tap_t0=$(date +%s.%N)
  case $(type "$1" 2>/dev/null) in
    *function*) _tap_net= ;; # a shell function can't run under timeout(1)
    *) _tap_net="timeout -k 5 $RUN_TIMEOUT" ;;
  esac
  # shellcheck disable=SC2086
  if $_tap_net "$@" >"$_tap_o" 2>"$_tap_e" </dev/null; then RC=0; else RC=$?; fi
  _tap_t1=$(date +%s.%N)
  WALL=$(awk -v a="$_tap_t0" -v b="$_tap_t1" 'BEGIN { printf "%.3f", b - a }')
  OUT=$(cat "$_tap_o")
  ERR=$(cat "$_tap_e")
  rm -f "$_tap_o" "$_tap_e"
  [ "$RC" != 124 ] || diag "run: killed after RUN_TIMEOUT=$RUN_TIMEOUT s: $RUN_CMD"
  return 0
}

first_line() {
  printf '%s\n' "$OUT" | head -n 1
}

lines_count() {
  if [ -z "$OUT" ]; then echo 0; else printf '%s\n' "$OUT" | wc -l | tr -d ' '; fi
}

is_rc() {
  [ "$RC" = "$1" ]
  ok $? "$2" "expected exit code $1, got $RC"
}

is() {
  [ "$1" = "$2" ]
  ok $? "$3" "got '$1', expected '$2'"
}

first_line_matches() {
  first_line | grep -Eq -- "$1"
  ok $? "$2" "first line does not match /$1/"
}

line_matches() {
  printf '%s\n' "$OUT" | grep -Eq -- "$1"
  ok $? "$2" "no line matches /$1/"
}

no_line_matches() {
  ! printf '%s\n' "$OUT" | grep -Eq -- "$1"
  ok $? "$2" "a line matches /$1/: $(printf '%s\n' "$OUT" | grep -E -- "$1" | head -n 3)"
}

perf_ok() {
  _tap_msg=$(first_line | perl "$PERFCHECK" 2>&1 >/dev/null)
  ok $? "$1" "$_tap_msg"
}

perf_values() {
  first_line | perl "$PERFCHECK"
}

perf_value() {
  first_line | perl "$PERFCHECK" "$1" 2>/dev/null
}

# perf_field LABEL N: field N of LABEL's row in perfcheck.pl's table
# (1 label, 2 value, 3 uom, 4 warn, 5 crit, 6 min, 7 max); status 1 if absent
perf_field() {
  first_line | perl "$PERFCHECK" 2>/dev/null |
    awk -F '\t' -v l="$1" -v n="$2" '$1 == l { print $n; f = 1; exit } END { exit !f }'
}

# The build the plugins come from, and the one time budget every
# wall-clock bound of a test comes from (time_bound):
#   plain      the plugins' deadline is absolute and asserted strictly:
#              a run that must end at -t ends before it
#   sanitizer  ASan/UBSan slow start-up and every allocation, and CI runs
#              this tree while other jobs share the cores: 25 % + 0.5 s
#   valgrind   memcheck runs tens of times slower (make check-valgrind
#              sets SW_VALGRIND): no time bound is asserted (wall_below
#              skips; elapsed accepts any number)
if [ -n "${SW_VALGRIND:-}" ]; then
  SW_BUILD=valgrind
elif LC_ALL=C grep -q -a __asan_init "$PLUGINDIR/check_api" 2>/dev/null; then
  SW_BUILD=sanitizer
else
  SW_BUILD=plain
fi
# time_bound SECONDS: the bound for a run that must end within SECONDS
time_bound() {
  case $SW_BUILD in
    sanitizer) awk -v b="$1" 'BEGIN { print b * 1.25 + 0.5 }' ;;
    *) printf '%s\n' "$1" ;;
  esac
}
# wall_below SECONDS DESC: WALL within time_bound SECONDS; skipped under
# valgrind, where /proc/PID/cmdline is valgrind's own argv too
wall_below() {
  if [ "$SW_BUILD" = valgrind ]; then
    skip_one "$2" "a time bound, not asserted under valgrind"
    return 0
  fi
  _wb=$(time_bound "$1")
  awk -v w="$WALL" -v m="$_wb" 'BEGIN { exit !(w < m) }'
  ok $? "$2" "took $WALL s, limit $_wb s ($SW_BUILD build)"
}

# elapsed ERE: the ERE for an elapsed time a plugin names ("timeout after
# 0.9 s"); under valgrind any such number (the time is asserted elsewhere)
elapsed() {
  if [ -n "${SW_VALGRIND:-}" ]; then printf '%s' '[0-9]+\.[0-9]+'
  else printf '%s' "$1"
  fi
}

# skip_one DESC REASON: one "ok N - DESC # SKIP REASON" line
skip_one() {
  TAP_N=$((TAP_N + 1))
  printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$1" "$2"
}

bail_out() {
  printf 'Bail out! %s\n' "$*"
  exit 1
}

skip_all() {
  if [ "${CI:-}" = true ]; then
    bail_out "$* (CI=true: a missing dependency is a failure)"
  fi
  printf '1..0 # SKIP %s\n' "$*"
  exit 0
}

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || skip_all "${2:-$1 not found}"
}

plan_done() {
  if [ "$TAP_FAILED" -gt 0 ] && command -v lab_logs >/dev/null 2>&1; then
    lab_logs 30
  fi
  printf '1..%d\n' "$TAP_N"
  [ "$TAP_FAILED" -eq 0 ] || [ -n "${TAP_IGNORE_EXIT:-}" ] && return 0
  return 1
}

# cmdline_hides HOLE SECRET DESC CMD...: runs CMD in the background; CMD
# must connect to the black hole HOLE (lab_start_blackhole). Once HOLE has
# accepted, the plugin is past its option parsing and still running: its
# /proc/PID/cmdline must not hold SECRET. Also checks its output.
cmdline_hides() {
  _ch_hole=$1 _ch_secret=$2 _ch_desc=$3
  shift 3
  if [ -n "${SW_VALGRIND:-}" ]; then
    skip_one "$_ch_desc" "/proc/PID/cmdline is valgrind's own argv"
    skip_one "$_ch_desc: not in the output either" "see above"
    return 0
  fi
  _ch_before=$(grep -c '^accepted$' "$LAB_DIR/$_ch_hole.log")
  "$@" >"$LAB_DIR/cmdline.out" 2>&1 &
  _ch_pid=$!
  _ch_i=0
  while [ "$(grep -c '^accepted$' "$LAB_DIR/$_ch_hole.log")" -le "$_ch_before" ]; do
    _ch_i=$((_ch_i + 1))
    [ $_ch_i -lt 400 ] && lab_alive "$_ch_pid" || break
    sleep 0.05 # polling for the connection, not waiting on luck
  done
  _ch_cmd=$(tr '\0' ' ' <"/proc/$_ch_pid/cmdline" 2>/dev/null)
  wait "$_ch_pid"
  case $_ch_cmd in
    '') ok 1 "$_ch_desc (the plugin ended before its command line was read)" ;;
    *"$_ch_secret"*) ok 1 "$_ch_desc: visible in /proc/PID/cmdline: $_ch_cmd" ;;
    *) ok 0 "$_ch_desc" ;;
  esac
  grep -qF -- "$_ch_secret" "$LAB_DIR/cmdline.out"
  ok $((1 - $?)) "$_ch_desc: not in the output either"
}
