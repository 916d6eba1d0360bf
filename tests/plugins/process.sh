#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck disable=SC2034 # RUN_x, BUSY_x...: read through eval
# Process behaviour a monitoring engine relies on, for every plugin:
# SIGTERM/SIGINT/SIGALRM end a busy run (a black hole, a silent DNS
# server) with one result line at once; SIGPIPE, a closed stdout and a
# full pipe neither kill nor hang a run; an empty environment and a comma
# locale change nothing; an unwritable token cache is UNKNOWN naming it;
# no core dumps; no system()/popen()/exec*/fork in the sources or binaries.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/login.sh"
lab_init
dns_have_dnsmasq || skip_all "dnsmasq not installed"
need_cmd nm "nm (binutils) not installed"
need_cmd localedef "localedef (Debian locales) not installed"
dns_start_dnsmasq A 127.0.0.53 a || bail_out "dnsmasq did not start"
dns_start_fake F 127.0.0.55 || bail_out "fakedns did not start"
dns_start_fake G 127.0.0.56 || bail_out "second fakedns did not start"
http_start_fault W 127.0.0.1 || bail_out "faulthttp did not start"
login_start L 127.0.0.1 || bail_out "loginsrv did not start"
lab_start_blackhole H || bail_out "black hole did not start"

# The wall-clock bounds come from lib.sh's time_bound (strict in a plain
# build, with a margin in a sanitizer build, skipped under memcheck).
# Two things memcheck changes, so those runs are skipped under it:
# valgrind's --log-file takes a closed fd 1 (the plugin's output would go
# into its log), and memcheck restarts a write(2) that SIGALRM interrupted
# without running the plugin's handler (strace: ERESTARTSYS, then the same
# write again), so a write to a full pipe blocks for ever there.
VG_FD1="under memcheck its --log-file takes the closed fd 1"
VG_ALRM="memcheck restarts a write SIGALRM interrupted, without the handler"
# vg_skip REASON DESC...: true (and one skip line per DESC) under memcheck
vg_skip() {
  [ -n "${SW_VALGRIND:-}" ] || return 1
  _v_r=$1
  shift
  for _v_d in "$@"; do skip_one "$_v_d" "$_v_r"; done
}

sec=$LAB_DIR/secret
printf '%s\n' "$LOGIN_CLIENT_SECRET" >"$sec"
HOLE=http://127.0.0.1:$HOLE_PORT
FAULT=$FAULT_URL_W

# The plugins, each with a quick run ending in a known state (RUN_<S>,
# RC_<S>) and a run kept busy by a server that never answers (BUSY_<S>,
# with the log and line that show the server got the request).
RUN_RESOLVE="$PLUGINDIR/check_resolve -H api.stream.test -s $DNS_SERVER_A -t 5"
RC_RESOLVE=0
RUN_API="$PLUGINDIR/check_api -u $FAULT/json -j /status==\"ok\" -t 5"
RC_API=0
RUN_LOGIN="$PLUGINDIR/check_login -u $LOGIN_URL_L/token --client-id $LOGIN_CLIENT_ID --client-secret-file $sec -t 5"
RC_LOGIN=0
RUN_STREAM="$PLUGINDIR/check_stream -u $FAULT/json -t 5 --duration 0.5"
RC_STREAM=2 # "not audio": the quick answer the lab has without ffmpeg
BUSY_RESOLVE="$PLUGINDIR/check_resolve -H silent.fault.test -s $DNS_SERVER_F"
LOG_RESOLVE=F
ERE_RESOLVE='silent\.fault\.test A -> '
BUSY_API="$PLUGINDIR/check_api -u $HOLE/v1/health"
BUSY_LOGIN="$PLUGINDIR/check_login -u $HOLE/token --client-id $LOGIN_CLIENT_ID --client-secret-file $sec"
BUSY_STREAM="$PLUGINDIR/check_stream -u $HOLE/live.mp3 --duration 0.5"
for s in API LOGIN STREAM; do
  eval "LOG_$s=H ERE_$s='^accepted\$'"
done
SERVICES="RESOLVE API LOGIN STREAM"

# busy_run SIGNAL LOGNAME ERE CMD...: starts CMD in the background (stdout
# to a file, or closed when BUSY_STDOUT=closed), waits until LOGNAME's log
# has one more line matching ERE (the server got the request: the plugin
# is past its start-up and waiting), sends SIGNAL and waits for the end.
# Sets OUT, RC, WALL (seconds from the signal to the exit) and, read while
# it ran, BUSY_CORE (its "Max core file size" soft and hard limits) and
# BUSY_FD1 (what its fd 1 was).
busy_run() {
  _b_sig=$1 _b_log=$LAB_DIR/$2.log _b_ere=$3
  shift 3
  RUN_CMD="$* (then kill -$_b_sig)"
  _b_before=$(grep -cE -- "$_b_ere" "$_b_log")
  if [ "${BUSY_STDOUT:-}" = closed ]; then
    "$@" >&- 2>"$LAB_DIR/busy.err" </dev/null &
  else
    "$@" >"$LAB_DIR/busy.out" 2>"$LAB_DIR/busy.err" </dev/null &
  fi
  _b_pid=$!
  _b_i=0
  while [ "$(grep -cE -- "$_b_ere" "$_b_log")" -le "$_b_before" ]; do
    _b_i=$((_b_i + 1))
    if [ $_b_i -ge 200 ] || ! lab_alive "$_b_pid"; then break; fi
    sleep 0.05 # polling for the request to arrive, not hoping
  done
  BUSY_CORE=$(awk '/^Max core file size/ { print $5, $6 }' "/proc/$_b_pid/limits" 2>/dev/null)
  BUSY_FD1=$(readlink "/proc/$_b_pid/fd/1" 2>/dev/null)
  _b_t0=$(date +%s.%N)
  kill "-$_b_sig" "$_b_pid" 2>/dev/null
  if wait "$_b_pid"; then RC=0; else RC=$?; fi
  _b_t1=$(date +%s.%N)
  WALL=$(awk -v a="$_b_t0" -v b="$_b_t1" 'BEGIN { printf "%.3f", b - a }')
  OUT=$(cat "$LAB_DIR/busy.out" 2>/dev/null)
  ERR=$(cat "$LAB_DIR/busy.err")
  rm -f "$LAB_DIR/busy.out"
}

# pipe_run MODE CMD...: runs CMD with stdout a pipe (python, so the
# plugin starts with SIGPIPE at its default, as from an engine):
#   closed   the read end is closed before CMD starts (every write: EPIPE)
#   full     the pipe is filled to the brim before CMD starts and nobody
#            reads it (every write blocks)
#   unread   nobody reads it while CMD runs (fills after 64 KiB)
#   closedfd CMD's fd 1 is closed (">&-")
# Sets RC (128+N when killed by signal N), WALL, OUT (what CMD wrote into
# the pipe, read once it has ended).
pipe_run() {
  RUN_CMD="$* (stdout: pipe, $1)"
  _p_out=$LAB_DIR/pipe.out
  "$LAB_PY" -c '
import fcntl, os, subprocess, sys, time
mode, cmd = sys.argv[1], sys.argv[2:]
r, w = os.pipe()
pre = 0
if mode == "full":
    fl = fcntl.fcntl(w, fcntl.F_GETFL)
    fcntl.fcntl(w, fcntl.F_SETFL, fl | os.O_NONBLOCK)
    try:
        while True:
            pre += os.write(w, b"x")
    except BlockingIOError:
        pass
    fcntl.fcntl(w, fcntl.F_SETFL, fl)  # the plugin gets a blocking pipe
elif mode == "closed":
    os.close(r)
kw = {"stdin": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
if mode == "closedfd":
    kw["stdout"] = subprocess.DEVNULL
    kw["preexec_fn"] = lambda: os.close(1)
else:
    kw["stdout"] = w
t0 = time.monotonic()
p = subprocess.Popen(cmd, **kw)
os.close(w)
try:
    rc = p.wait(timeout=20)
except subprocess.TimeoutExpired:  # the safety net only
    p.kill()
    p.wait()
    rc = 124
wall = time.monotonic() - t0
data = b""
if mode != "closed":
    os.set_blocking(r, False)
    while True:
        try:
            b = os.read(r, 65536)
        except BlockingIOError:
            break
        if not b:
            break
        data += b
print("%d %.3f" % (128 - rc if rc < 0 else rc, wall))
sys.stdout.flush()
os.write(1, data[pre:])
' "$@" >"$_p_out" 2>&1
  RC=$(head -n 1 "$_p_out" | cut -d' ' -f1)
  WALL=$(head -n 1 "$_p_out" | cut -d' ' -f2)
  case $RC$WALL in
    *[!0-9.]* | '') # the helper failed: say so, and fail what follows
      diag "pipe_run: $(head -n 5 "$_p_out")"
      RC=helper-failed WALL=999 ;;
  esac
  OUT=$(tail -n +2 "$_p_out")
  ERR=
}

# like TEXT: TEXT with every number replaced by N (timings differ per run)
like() { printf '%s\n' "$1" | sed 's/[0-9][0-9.]*/N/g'; }

# --- SIGTERM, SIGINT, SIGALRM on a busy run ------------------------------
# -t STATE for the SIGALRM runs: the default, and each other state once.
ALRM_T_RESOLVE="" ALRM_S_RESOLVE=CRITICAL ALRM_RC_RESOLVE=2
ALRM_T_API=:warning ALRM_S_API=WARNING ALRM_RC_API=1
ALRM_T_LOGIN=:unknown ALRM_S_LOGIN=UNKNOWN ALRM_RC_LOGIN=3
ALRM_T_STREAM=:ok ALRM_S_STREAM=OK ALRM_RC_STREAM=0
for s in $SERVICES; do
  eval "busy=\$BUSY_$s log=\$LOG_$s ere=\$ERE_$s"
  for sig in TERM INT; do
    # shellcheck disable=SC2086
    busy_run "$sig" "$log" "$ere" $busy -t 8
    is_rc 3 "$s: SIG$sig -> exit 3"
    first_line_matches "^$s UNKNOWN - interrupted by SIG$sig after [0-9]+\.[0-9] s$" \
      "$s: SIG$sig -> 'interrupted by SIG$sig after N.N s'"
    is "$(lines_count)" 1 "$s: SIG$sig -> one line"
    wall_below 0.5 "$s: SIG$sig -> ends within 0.5 s of the signal"
  done
  is "$BUSY_CORE" "0 0" "$s: RLIMIT_CORE is 0 (soft and hard) while it runs"
  eval "t=\$ALRM_T_$s st=\$ALRM_S_$s rc=\$ALRM_RC_$s"
  # shellcheck disable=SC2086
  busy_run ALRM "$log" "$ere" $busy -t "7.5$t"
  is_rc "$rc" "$s: SIGALRM with -t 7.5$t -> exit $rc"
  first_line_matches "^$s $st - timed out after 7\.5 s$" "$s: SIGALRM -> '$st - timed out after 7.5 s'"
  is "$(lines_count)" 1 "$s: SIGALRM -> one line"
  wall_below 0.5 "$s: SIGALRM -> ends within 0.5 s of the signal"

  # stdout closed: the signal's line must not land on a socket that took
  # fd 1 (it went to the DNS server once); fd 1 is /dev/null instead.
  vg_skip "$VG_FD1" "$s: stdout closed, SIGTERM -> exit 3" \
    "$s: stdout closed -> fd 1 is /dev/null, not a socket" && continue
  # shellcheck disable=SC2086
  BUSY_STDOUT=closed busy_run TERM "$log" "$ere" $busy -t 8
  is_rc 3 "$s: stdout closed, SIGTERM -> exit 3"
  is "$BUSY_FD1" /dev/null "$s: stdout closed -> fd 1 is /dev/null, not a socket"
done
grep -q 'unparsable' "$LAB_DIR/F.log"
ok $((1 - $?)) "RESOLVE: nothing but DNS queries reached the DNS server" \
  "$(grep unparsable "$LAB_DIR/F.log")"

# --- SIGPIPE, closed stdout, full pipe -----------------------------------
for s in $SERVICES; do
  eval "cmd=\$RUN_$s rc=\$RC_$s"
  # shellcheck disable=SC2086
  pipe_run closed $cmd
  is_rc "$rc" "$s: the reader gone before the output (EPIPE) -> exit $rc, not SIGPIPE"
  wall_below 5 "$s: EPIPE -> within -t"
  if ! vg_skip "$VG_FD1" "$s: stdout closed (>&-) -> exit $rc" \
    "$s: stdout closed -> within -t"; then
    # shellcheck disable=SC2086
    pipe_run closedfd $cmd
    is_rc "$rc" "$s: stdout closed (>&-) -> exit $rc"
    wall_below 5 "$s: stdout closed -> within -t"
  fi
  vg_skip "$VG_ALRM" "$s: stdout a full pipe -> exit $rc" \
    "$s: full pipe -> ends by -t 2 + margin" && continue
  # shellcheck disable=SC2086
  pipe_run full $cmd -t 2
  is_rc "$rc" "$s: stdout a full pipe -> the alarm ends the blocked write, exit $rc"
  wall_below 2.6 "$s: full pipe -> ends by -t 2 + the 0.25 s alarm margin"
done
# check_stream against the black hole: the deadline first, then the write
if ! vg_skip "$VG_ALRM" "STREAM: black hole, -t 1, full pipe -> exit 2" \
  "STREAM: black hole, full pipe -> ends by -t 1 + margin"; then
  # shellcheck disable=SC2086
  pipe_run full $BUSY_STREAM -t 1
  is_rc 2 "STREAM: black hole, -t 1, full pipe -> exit 2"
  wall_below 1.6 "STREAM: black hole, full pipe -> ends by -t 1 + margin"
fi

# 128 long names on two servers at -vvv: about 120 KB of output into a pipe
# that nobody reads.
names=
long=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
i=1
while [ $i -le 64 ]; do
  names="$names -H multi.$long$i.fault.test"
  i=$((i + 1))
done
# shellcheck disable=SC2086
run "$PLUGINDIR/check_resolve" $names -s "$DNS_SERVER_F" -s "$DNS_SERVER_G" -vvv -t 3
is_rc 0 "RESOLVE: 64 names x 2 servers -vvv, read: exit 0"
big=$(printf '%s\n' "$OUT" | wc -c)
[ "$big" -gt 70000 ]
ok $? "RESOLVE: that output ($big bytes) is more than a pipe holds"
if ! vg_skip "$VG_ALRM" "RESOLVE: the same into a pipe nobody reads -> exit 0" \
  "RESOLVE: unread pipe -> ends by -t 3 + margin" \
  "RESOLVE: unread pipe -> its status line came first"; then
  # shellcheck disable=SC2086
  pipe_run unread "$PLUGINDIR/check_resolve" $names -s "$DNS_SERVER_F" -s "$DNS_SERVER_G" -vvv -t 3
  is_rc 0 "RESOLVE: the same into a pipe nobody reads -> exit 0 (the printed state)"
  wall_below 3.6 "RESOLVE: unread pipe -> ends by -t 3 + margin"
  first_line_matches '^RESOLVE OK - 64 names on 2 resolvers' "RESOLVE: unread pipe -> its status line came first"
fi

# --- empty environment and a comma locale --------------------------------
# A comma locale: the system's de_DE.UTF-8 when installed, else one made
# here and found through LOCPATH. glibc's newlocale() leaks its LOCPATH
# search list (OpenSSL's start-up calls it; LeakSanitizer reports
# __argz_add_sep even with LC_ALL=C): those runs carry a suppression of
# that one glibc frame for LeakSanitizer and memcheck.
if locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
  LOCENV="LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8"
else
  loc=$LAB_DIR/locale
  mkdir -p "$loc"
  localedef -i de_DE -f UTF-8 "$loc/de_DE.UTF-8" >/dev/null 2>&1
  printf 'leak:__argz_add_sep\n' >"$LAB_DIR/lsan.supp"
  printf '{\n  glibc-newlocale-LOCPATH\n  Memcheck:Leak\n  ...\n  fun:*argz_add_sep\n}\n' >"$LAB_DIR/vg.supp"
  LOCENV="LOCPATH=$loc LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8
    LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$LAB_DIR/lsan.supp:print_suppressions=0
    VALGRIND_OPTS=${VALGRIND_OPTS:+$VALGRIND_OPTS }--suppressions=$LAB_DIR/vg.supp"
fi
# shellcheck disable=SC2086
dp=$(env $LOCENV "$LAB_PY" -c \
  'import locale; locale.setlocale(locale.LC_ALL, ""); print(locale.localeconv()["decimal_point"])' 2>&1)
is "$dp" "," "the de_DE.UTF-8 locale the test uses has a comma decimal point"
for s in $SERVICES; do
  eval "cmd=\$RUN_$s rc=\$RC_$s"
  # shellcheck disable=SC2086
  run $cmd
  is_rc "$rc" "$s: reference run -> exit $rc"
  ref=$(like "$OUT")
  # shellcheck disable=SC2086
  run env -i $cmd
  is_rc "$rc" "$s: env -i (no HOME, no PATH) -> exit $rc"
  is "$(like "$OUT")" "$ref" "$s: env -i -> the same output"
  # shellcheck disable=SC2086
  run env $LOCENV $cmd
  is_rc "$rc" "$s: LC_ALL=de_DE.UTF-8 -> exit $rc"
  is "$(like "$OUT")" "$ref" "$s: LC_ALL=de_DE.UTF-8 -> the same output"
  perf_ok "$s: LC_ALL=de_DE.UTF-8 -> perfdata parses"
  no_line_matches '=[0-9]+,[0-9]' "$s: LC_ALL=de_DE.UTF-8 -> no decimal comma in perfdata"
done

# --- an unwritable token cache -------------------------------------------
P=$PLUGINDIR/check_login
: >"$LAB_DIR/afile"
for cache in "$LAB_DIR/afile/token" /proc/streamwatch-token; do
  run "$P" -u "$LOGIN_URL_L/token" --client-id "$LOGIN_CLIENT_ID" \
    --client-secret-file "$sec" --token-cache "$cache"
  is_rc 3 "--token-cache $cache -> exit 3"
  first_line_matches "^LOGIN UNKNOWN - --token-cache: cannot write $(printf '%s' "$cache" | sed 's/[.]/\\./g'): " \
    "--token-cache $cache -> UNKNOWN naming the file"
  perf_ok "--token-cache $cache -> perfdata parses"
done
if [ "$(id -u)" != 0 ]; then
  mkdir "$LAB_DIR/ro" && chmod 500 "$LAB_DIR/ro"
  run "$P" -u "$LOGIN_URL_L/token" --client-id "$LOGIN_CLIENT_ID" \
    --client-secret-file "$sec" --token-cache "$LAB_DIR/ro/token"
  is_rc 3 "--token-cache in a read-only directory -> exit 3"
  first_line_matches "^LOGIN UNKNOWN - --token-cache: cannot write .*/ro/token: Permission denied" \
    "read-only directory -> UNKNOWN naming the file"
else
  diag "as root a mode 0500 directory is writable: the file-as-parent and /proc paths stand in"
fi

# --- no system()/popen()/exec*/fork --------------------------------------
BANNED='system|popen|execl|execlp|execle|execv|execve|execvp|execvpe|fexecve|posix_spawn|posix_spawnp|fork|vfork|wordexp'
found=$(grep -rnE "(^|[^A-Za-z0-9_.>])($BANNED)[[:space:]]*\(" \
  "$top_srcdir/lib" "$top_srcdir/plugins" "$top_srcdir/include" \
  --include='*.c' --include='*.h' |
  grep -vE ':[0-9]+:[[:space:]]*(/\*|\*|//)')
is "$found" "" "no call of $BANNED in lib/ plugins/ include/"
for s in resolve api login stream; do
  bin=$PLUGINDIR/check_$s
  # make check-valgrind's PLUGINDIR holds wrapper scripts: take the binary
  if ! head -c 4 "$bin" | grep -q ELF && [ -n "${top_builddir:-}" ]; then
    bin=$top_builddir/plugins/check_$s
  fi
  syms=$(nm -D --undefined-only "$bin" 2>&1) || {
    ok 1 "check_$s: nm -D failed: $syms"
    continue
  }
  [ -n "$syms" ]
  ok $? "check_$s: nm -D lists its imports"
  bad=$(printf '%s\n' "$syms" | awk '{ print $NF }' | sed 's/@.*//' | grep -xE "$BANNED")
  is "$bad" "" "check_$s imports none of $BANNED"
done

plan_done
