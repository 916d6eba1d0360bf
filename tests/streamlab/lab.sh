# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab: the fixture library. POSIX sh (works with dash); source it:
#
#   . "$top_srcdir/tests/streamlab/lab.sh"
#   lab_init                          # $LAB_DIR, trap that stops everything
#   port=$(lab_free_port 127.0.0.1)   # free for UDP and TCP alike
#   lab_spawn web some-server --port "$port"   # log: $LAB_DIR/web.log
#   lab_wait_tcp 127.0.0.1 "$port" "$LAB_PID" || exit 1
#
# Interface
#   lab_init            makes LAB_DIR (mktemp -d), sets traps: EXIT runs
#                       lab_cleanup; INT/TERM/HUP run it and exit 130/143/129.
#                       A test that sets its own EXIT trap must call
#                       lab_cleanup from it.
#   lab_cleanup         stops (TERM, then KILL after 2 s) every process
#                       lab_spawn started and still running, removes LAB_DIR
#                       (kept when LAB_KEEP=1). Keeps the exit status.
#   lab_spawn NAME CMD...  runs CMD in the background, stdin /dev/null,
#                       stdout+stderr to $LAB_DIR/NAME.log; sets LAB_PID and
#                       LAB_PID_<NAME>. NAME: letters, digits, _.
#   lab_stop NAME       stops that process now (e.g. to test "connection
#                       refused"); returns when it is gone.
#   lab_alive PID       true while PID runs (a zombie counts as gone).
#   lab_free_port [ADDR]   prints a port free for both UDP and TCP on ADDR
#                       (default 127.0.0.1). The kernel picks it (bind to
#                       port 0, random within the ephemeral range), so two
#                       concurrent runs practically never get the same one;
#                       the window between this and the server's bind
#                       remains, so starters retry on "address in use"
#                       (dns_start_dnsmasq does).
#   lab_wait_udp_dns ADDR PORT [PID]   polls with a DNS query (any reply,
#                       whatever the rcode, counts) every 50 ms, up to
#                       LAB_WAIT (default 10) seconds; fails early when PID
#                       dies. IPv6: ADDR ::1.
#   lab_wait_tcp ADDR PORT [PID]       same with a TCP connect.
#   lab_wait_log NAME ERE [PID]        polls $LAB_DIR/NAME.log for a line
#                       matching ERE every 50 ms, up to LAB_WAIT seconds.
#   lab_logs [LINES]    prints the tail of every log, each line prefixed
#                       with "# " (TAP diagnostics).
# Variables: LAB_PY (python3 to use; /usr/bin/python3 when it exists),
#   LAB_SRC (this directory: from $STREAMLAB_DIR, else $top_srcdir, else
#   ./tests/streamlab), LAB_WAIT (whole seconds, default 10), LAB_KEEP=1
#   (keep LAB_DIR and its logs after the run).
# No fixed sleeps: waits poll. Loopback only.

if [ -z "${LAB_PY:-}" ]; then
  if [ -x /usr/bin/python3 ]; then LAB_PY=/usr/bin/python3; else LAB_PY=python3; fi
fi
if [ -z "${LAB_SRC:-}" ]; then
  if [ -n "${STREAMLAB_DIR:-}" ]; then LAB_SRC=$STREAMLAB_DIR
  elif [ -n "${top_srcdir:-}" ]; then LAB_SRC=$top_srcdir/tests/streamlab
  else LAB_SRC=$(pwd)/tests/streamlab
  fi
fi
LAB_WAIT=${LAB_WAIT:-10}

lab_init() {
  LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/streamlab.XXXXXX") || return 1
  : >"$LAB_DIR/pids"
  trap 'lab_cleanup' EXIT
  trap 'lab_cleanup; trap - EXIT; exit 129' HUP
  trap 'lab_cleanup; trap - EXIT; exit 130' INT
  trap 'lab_cleanup; trap - EXIT; exit 143' TERM
}

# start time of PID (field 22 of /proc/PID/stat), to tell our process from a
# later one that reuses its pid
lab__starttime() {
  _lab_s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  _lab_s=${_lab_s##*) }
  # shellcheck disable=SC2086
  set -- $_lab_s
  shift 19
  echo "$1"
}

lab_alive() {
  _lab_s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  _lab_s=${_lab_s##*) }
  case $_lab_s in Z*|X*) return 1 ;; esac
  return 0
}

# lab__ours PID START: is PID still the process we started?
lab__ours() {
  lab_alive "$1" && [ "$(lab__starttime "$1")" = "$2" ]
}

lab_spawn() {
  _lab_name=$1
  shift
  case $_lab_name in
    ''|*[!A-Za-z0-9_]*) echo "lab_spawn: bad name '$_lab_name'" >&2; return 1 ;;
  esac
  [ -n "${LAB_DIR:-}" ] || { echo "lab_spawn: call lab_init first" >&2; return 1; }
  "$@" >"$LAB_DIR/$_lab_name.log" 2>&1 </dev/null &
  LAB_PID=$!
  echo "$LAB_PID $(lab__starttime "$LAB_PID") $_lab_name" >>"$LAB_DIR/pids"
  eval "LAB_PID_$_lab_name=\$LAB_PID"
}

# lab__term PID START: TERM, wait up to 2 s (polling), then KILL
lab__term() {
  lab__ours "$1" "$2" || return 0
  kill -TERM "$1" 2>/dev/null
  _lab_i=0
  while lab__ours "$1" "$2" && [ $_lab_i -lt 40 ]; do
    sleep 0.05
    _lab_i=$((_lab_i + 1))
  done
  lab__ours "$1" "$2" && kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

lab_stop() {
  [ -f "${LAB_DIR:-/nonexistent}/pids" ] || return 0
  _lab_rest=
  while read -r _lab_p _lab_st _lab_n; do
    if [ "$_lab_n" = "$1" ]; then
      lab__term "$_lab_p" "$_lab_st"
    else
      _lab_rest="$_lab_rest$_lab_p $_lab_st $_lab_n
"
    fi
  done <"$LAB_DIR/pids"
  printf '%s' "$_lab_rest" >"$LAB_DIR/pids"
}

lab_cleanup() {
  _lab_rc=$?
  if [ -n "${LAB_DIR:-}" ] && [ -d "$LAB_DIR" ]; then
    if [ -f "$LAB_DIR/pids" ]; then
      # TERM all first, so they stop in parallel, then reap one by one
      while read -r _lab_p _lab_st _lab_n; do
        lab__ours "$_lab_p" "$_lab_st" && kill -TERM "$_lab_p" 2>/dev/null
      done <"$LAB_DIR/pids"
      while read -r _lab_p _lab_st _lab_n; do
        lab__term "$_lab_p" "$_lab_st"
      done <"$LAB_DIR/pids"
    fi
    if [ "${LAB_KEEP:-0}" = 1 ]; then
      echo "# streamlab: kept $LAB_DIR" >&2
    else
      rm -rf "$LAB_DIR"
    fi
  fi
  LAB_DIR=
  return $_lab_rc
}

lab_free_port() {
  # Below the kernel's ephemeral range (ip_local_port_range, 32768-60999
  # by default), where every outgoing connection and every bind to port
  # 0 picks its port: a port taken from that range could be another
  # process's before our server binds it, and a server that then fails
  # to bind looks up to a port check. Free for both UDP and TCP (a DNS
  # server needs both).
  "$LAB_PY" -c '
import random, socket, sys
addr = sys.argv[1]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
low = 32768
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    pass
top = min(low, 32768) - 1
for _ in range(500):
    port = random.randint(max(1024, top - 12000), top)
    u = socket.socket(fam, socket.SOCK_DGRAM)
    t = socket.socket(fam, socket.SOCK_STREAM)
    try:
        u.bind((addr, port))
        t.bind((addr, port))
    except OSError:
        continue
    finally:
        t.close()
        u.close()
    print(port)
    sys.exit(0)
sys.exit("lab_free_port: no free port on " + addr)
' "${1:-127.0.0.1}"
}

# shared by the waits: python that polls CHECK() every 50 ms
lab__poll() {
  "$LAB_PY" -c '
import os, socket, struct, sys, time
kind, addr, port, pid, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
def alive():
    if not pid:
        return True
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(") ", 1)[1][0] not in "ZX"
    except OSError:
        return False
sock, sent = None, set()
def dns():
    # one socket for all probes: a slow server may answer an earlier one
    global sock
    end = time.monotonic() + 0.05
    try:
        if sock is None:
            sock = socket.socket(fam, socket.SOCK_DGRAM)
            sock.connect((addr, port))
        qid = int.from_bytes(os.urandom(2), "big")
        sent.add(qid)
        q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
        sock.send(q + b"\x05probe\x03lab\x07invalid\x00" + struct.pack("!HH", 1, 1))
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            r = sock.recv(4096)
            if len(r) >= 2 and struct.unpack("!H", r[:2])[0] in sent:
                return True
    except OSError:  # timeout, or ICMP port unreachable: nothing there yet
        pass
    return False
def tcp():
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(0.05)
    try:
        s.connect((addr, port))
        return True
    except OSError:
        return False
    finally:
        s.close()
check = dns if kind == "dns" else tcp
deadline = time.monotonic() + limit
while time.monotonic() < deadline:
    t0 = time.monotonic()
    if check():
        sys.exit(0)
    if not alive():
        sys.exit("lab: process %s died before %s:%d answered" % (pid, addr, port))
    time.sleep(max(0, 0.05 - (time.monotonic() - t0)))
sys.exit("lab: nothing answers (%s) on %s port %d after %g s" % (kind, addr, port, limit))
' "$@"
}

lab_wait_udp_dns() {
  lab__poll dns "$1" "$2" "${3:-}" "$LAB_WAIT"
}

lab_wait_tcp() {
  lab__poll tcp "$1" "$2" "${3:-}" "$LAB_WAIT"
}

lab_wait_log() {
  _lab_f=$LAB_DIR/$1.log
  _lab_i=0
  _lab_max=$((LAB_WAIT * 20))
  while [ $_lab_i -lt $_lab_max ]; do
    grep -Eq -- "$2" "$_lab_f" 2>/dev/null && return 0
    if [ -n "${3:-}" ] && ! lab_alive "$3"; then
      grep -Eq -- "$2" "$_lab_f" 2>/dev/null && return 0
      echo "lab: $1 (pid $3) died before its log said /$2/" >&2
      return 1
    fi
    sleep 0.05
    _lab_i=$((_lab_i + 1))
  done
  echo "lab: $1's log did not say /$2/ within $LAB_WAIT s" >&2
  return 1
}

lab_logs() {
  [ -n "${LAB_DIR:-}" ] && [ -d "$LAB_DIR" ] || return 0
  for _lab_f in "$LAB_DIR"/*.log; do
    [ -f "$_lab_f" ] || continue
    echo "# --- ${_lab_f##*/} (last ${1:-20} lines)"
    tail -n "${1:-20}" "$_lab_f" | sed 's/^/#   /'
  done
}

# lab_start_blackhole NAME [ADDR]: a TCP server that accepts and never
# answers (a hung service); logs "accepted" per connection to its log.
# Sets HOLE_PORT_<NAME> and HOLE_PORT.
lab_start_blackhole() {
  lab_spawn "$1" "$LAB_PY" -c '
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c); print("accepted", flush=True)
' "${2:-127.0.0.1}"
  lab_wait_log "$1" '^[0-9]+$' "$LAB_PID" || return 1
  HOLE_PORT=$(head -n 1 "$LAB_DIR/$1.log")
  eval "HOLE_PORT_$1=\$HOLE_PORT"
}

# lab_spawn_ready NAME CMD...: lab_spawn for the streamlab servers that bind
# port 0 and print "ready ADDR PORT" once listening (no port race with
# other runs). Waits for that line; on failure prints the log, stops NAME
# and returns 1. Sets LAB_READY_PORT.
lab_spawn_ready() {
  _lr_name=$1
  lab_spawn "$@"
  if ! lab_wait_log "$_lr_name" '^ready ' "$LAB_PID"; then
    echo "$_lr_name: $2 ${3:-} did not start; its log:" >&2
    sed 's/^/  /' "$LAB_DIR/$_lr_name.log" >&2
    lab_stop "$_lr_name"
    return 1
  fi
  LAB_READY_PORT=$(sed -n 's/^ready [^ ]* \([0-9][0-9]*\)$/\1/p' "$LAB_DIR/$_lr_name.log")
}
