# SPDX-License-Identifier: GPL-3.0-or-later
# The hostile-server matrix's machinery, shared by hostile_http.sh and
# hostile_dns.sh (issue 8). POSIX sh; source it after lib.sh and lab.sh
# (lab_init done):
#
#   hostile_init PLUGIN_PATH  sets T (-t of every run, 3), BOUND (the wall
#                 bound: -t plus 1.5 s), BATCH (runs at once, default 8),
#                 LIMIT (prlimit --as=1 GiB, only a safety net for the
#                 machine; empty under ASan or valgrind, said by a diag
#                 line), RSS_MAX (65536 KiB) and RSS_SKIP (why peak RSS is
#                 not asserted: ASan or valgrind inflate it), and asserts
#                 that prlimit really limits the address space
#   row PLUGIN SERVER RC SERVICE STATE KEY CMD...
#                 starts CMD in the background under /usr/bin/time (its
#                 peak RSS) and $LIMIT; its first line must be "SERVICE
#                 STATE - ...KEY" (KEY an ERE) and its exit code RC; every
#                 BATCH rows, settle
#   settle        waits for the runs started
#   hostile_assert  the assertions of every row, in row order: exit code,
#                 state and KEY, perfdata, the wall bound, nothing crashed,
#                 peak RSS at most RSS_MAX (conventions.md, Bounded by
#                 design: kept by the parsers' own budgets, so it is
#                 measured, not enforced by prlimit), and one "# table:
#                 plugin|server|state|text|wall|rss" line (the table of
#                 docs/reliability.md)
#
# Under valgrind (make check-valgrind) a run memcheck slows past its own
# deadline may end on the -t alarm's line ("timed out after 3 s", no
# stage, no perfdata): accepted there, and lib.sh skips the time bounds.

hostile_init() {
  T=3
  BOUND=4.5
  BATCH=${BATCH:-8}
  RSS_MAX=65536 # KiB: 64 MiB, conventions.md "Bounded by design"
  RSS_SKIP=
  TIME=/usr/bin/time
  [ -x "$TIME" ] || bail_out "/usr/bin/time (Debian package time) not found: peak RSS is asserted with it"
  # a safety net for the machine only: the assertion is the measured RSS
  LIMIT="prlimit --as=1073741824 --"
  NOTE="peak RSS at most $RSS_MAX KiB (measured; prlimit --as=1 GiB only as a safety net)"
  if [ -n "${SW_VALGRIND:-}" ]; then
    LIMIT='' BOUND=7.5 BATCH=4 NOTE="without prlimit (valgrind)"
    RSS_SKIP="valgrind's own memory is in the RSS"
    diag "valgrind (SW_VALGRIND): no prlimit and no RSS bound (memcheck's own memory); a run that misses its own deadline may end on the -t alarm's line instead (no stage, no perfdata)"
  elif [ "$SW_BUILD" = sanitizer ]; then
    LIMIT='' BATCH=5 NOTE="without prlimit (ASan)"
    RSS_SKIP="ASan's shadow memory and quarantine are in the RSS"
    diag "ASan build: no prlimit (ASan reserves terabytes of address space) and no RSS bound (its shadow memory); same assertions otherwise"
  fi
  if [ -n "$LIMIT" ]; then
    # shellcheck disable=SC2086 # LIMIT is command words on purpose
    run $LIMIT cat /proc/self/limits
    line_matches '^Max address space +1073741824 +1073741824 +bytes' "prlimit's safety net really limits the address space to 1 GiB"
  fi
  M=$LAB_DIR/matrix
  mkdir -p "$M"
  : >"$M/rows"
  ROW=0
  PIDS=
}

row() {
  ROW=$((ROW + 1))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$ROW" "$1" "$2" "$3" "$4 $5" "$6" >>"$M/rows"
  shift 6
  (
    # shellcheck disable=SC2086 # LIMIT is command words on purpose
    run "$TIME" -f %M -o "$M/$ROW.rss" $LIMIT "$@"
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

hostile_assert() {
  settle
  diag "every run $NOTE, -t $T, wall bound $BOUND s"
  while IFS="$(printf '\t')" read -r n plugin server rc head key; do
    OUT=$(cat "$M/$n.out") ERR=$(cat "$M/$n.err") RUN_CMD=$(cat "$M/$n.cmd")
    read -r RC WALL <"$M/$n.rc"
    d="$plugin vs $server"
    is_rc "$rc" "$d: exit $rc"
    alarm=
    if [ -n "${SW_VALGRIND:-}" ]; then
      alarm="|timed out after $T s\$"
      # and the elapsed time it names may pass -t (time is not asserted here)
      key=$(printf '%s' "$key" | sed 's/2\\\.\[0-9\] s/[0-9]+\\.[0-9] s/g')
    fi
    first_line_matches "^$head - (.*$key$alarm)" "$d: $head, the stage named"
    if [ -n "$alarm" ] && first_line | grep -Eq "^$head - timed out after $T s\$"; then
      skip_one "$d: perfdata parses" "the -t alarm's line (valgrind) has none"
    else
      perf_ok "$d: perfdata parses"
    fi
    wall_below "$BOUND" "$d: ends within -t $T (+ margin)"
    printf '%s\n' "$ERR" | grep -Eq 'Sanitizer|runtime error:|Segmentation|Aborted|Killed'
    ok $((1 - $?)) "$d: nothing crashed or reported on stderr"
    # time(1) writes "Command exited with non-zero status N" first
    rss=$(tail -n 1 "$M/$n.rss" 2>/dev/null)
    case $rss in '' | *[!0-9]*) rss=unmeasured ;; esac
    if [ -n "$RSS_SKIP" ]; then
      skip_one "$d: peak RSS at most $RSS_MAX KiB" "$RSS_SKIP"
    else
      [ "$rss" != unmeasured ] && [ "$rss" -le "$RSS_MAX" ]
      ok $? "$d: peak RSS $rss KiB, at most $RSS_MAX KiB (64 MiB)"
    fi
    text=$(first_line | sed 's/ |.*//; s/^[A-Z]* [A-Z]* - //' | grep -oE -- ".*$key" | head -n 1 |
      sed 's/https*:\/\/127\.0\.0\.1:[0-9]*//g; s/ from 127\.0\.0\.[0-9]*:[0-9]*//g')
    diag "table: $plugin|$server|$(first_line | awk '{ print $2 }')|$text|$WALL s (-t $T)|$rss KiB"
  done <"$M/rows"
}
