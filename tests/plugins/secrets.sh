#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck disable=SC2086 # $CC, $CL, $FORM: option lists, split on purpose
# The secret harvest (issue 8): every secret the test suite uses (grepped
# out of tests/streamlab and tests/plugins, plus the tokens loginsrv issues
# during this run) and its encoded forms (base64, form-urlencoded, HTTP
# Basic's base64 id:secret) must never appear in any stdout or stderr of a
# plugin that takes a secret, at -v, -vv and -vvv, in success and failure
# (wrong secret, a 401/500 that echoes the Authorization header and the form
# body back, a 200 that echoes them into JSON values, timeouts, bad options
# next to a secret), nor in /proc/PID/cmdline while the plugin talks to a
# server. Then the token cache: 0600 under umask 000, and written atomically
# (a reader looping while check_login rewrites it never sees half a file).
# Secrets are never printed here either: diagnostics give counts and lengths.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/login.sh"
lab_init
http_start_fault F 127.0.0.1 || bail_out "faulthttp did not start"
login_start L 127.0.0.1 || bail_out "loginsrv did not start"
lab_start_blackhole HOLE || bail_out "black hole did not start"
F=$FAULT_URL_F
U=$LOGIN_URL_L
H=http://127.0.0.1:$HOLE_PORT
PL=$PLUGINDIR/check_login
PA=$PLUGINDIR/check_api
PS=$PLUGINDIR/check_stream
K=$LAB_DIR/kinds
mkdir -p "$K" "$LAB_DIR/s"
: >"$K/stdout"
: >"$K/stderr"
: >"$K/cmdline"
: >"$LAB_DIR/rcs"

# --- the harvest: secrets as the test suite spells them
"$LAB_PY" - "$top_srcdir" >"$LAB_DIR/harvest" <<'EOF'
import glob, os, re, sys
top = sys.argv[1]
found = set()
files = sorted(glob.glob(top + "/tests/streamlab/*.py") + glob.glob(top + "/tests/streamlab/*.sh")
               + glob.glob(top + "/tests/plugins/*.sh"))
val = r"""('([^']*)'|"([^"$`\\]*)"|([^\s'"$`;|)]+))"""
shvar = re.compile(r"^\s*(?:export\s+)?[A-Z0-9_]*(?:SECRET|PASS|PASSWORD|REFRESH|TOKEN|BEARER)[A-Z0-9_]*=" + val)
opt = re.compile(r"--(?:client-secret|password|refresh-token|bearer)(?:=|\s+)" + val)
pyconst = re.compile(r"""^[A-Z_]*(?:TOKEN|SECRET|PASS\w*)\s*=\s*"([^"]+)\"""")
pydict = re.compile(r"""^(?:CLIENTS|USERS)\s*=\s*\{(.*)\}""")
auth = re.compile(r"""Authorization:\s*(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{6,})""")
# credential headers given with -k (the value whole, scheme or not)
hdr = re.compile(r"""(?:Authorization|X-Api-Key|Cookie):\s*([A-Za-z0-9._~+/=-]{6,}(?:\s[A-Za-z0-9._~+/=-]{6,})?)""")
refresh = re.compile(r"""\b(rt-[a-z]+-\d+)\b""")
default = re.compile(r"^\s*(?:export\s+)?[A-Z0-9_]*(?:SECRET|PASS|PASSWORD|REFRESH|TOKEN|BEARER)[A-Z0-9_]*="
                     r"\$\{[A-Z0-9_]+:-([^}$]+)\}")
for f in files:
    for line in open(f, encoding="utf-8", errors="replace"):
        for rx in (shvar, opt):
            for m in rx.finditer(line):
                v = m.group(2) if m.group(2) is not None else (m.group(3) if m.group(3) is not None else m.group(4))
                if v and not v.startswith("-") and not v.endswith(":"):
                    found.add(v)
        m = default.match(line)
        if m:
            found.add(m.group(1))
        m = pyconst.match(line)
        if m:
            found.add(m.group(1))
        m = pydict.match(line)
        if m:
            found.update(re.findall(r""":\s*"([^"]+)\"""", m.group(1)))
        found.update(auth.findall(line))
        found.update(v for v in hdr.findall(line) if v not in ("Bearer", "Basic"))
        found.update(refresh.findall(line))
# too short to be a secret (and to grep for without false hits)
for v in sorted(s for s in found if len(s) >= 6):
    print(v)
EOF
n_raw=$(wc -l <"$LAB_DIR/harvest")
[ "$n_raw" -gt 0 ]
ok $? "secrets harvested from tests/streamlab and tests/plugins: $n_raw"
for s in "$LOGIN_CLIENT_SECRET" "$LOGIN_PASSWORD" "$LOGIN_REFRESH" "$LOGIN_ODD_CLIENT_SECRET" s3cr3t-token \
  hdr-s3cr3t-42 apikey-s3cr3t-7 sid=cookie-s3cr3t-9; do
  grep -qxF -- "$s" "$LAB_DIR/harvest"
  ok $? "the harvest holds the known secret of ${#s} characters"
done
diag "harvested lengths: $(awk '{ printf "%s%d", (NR > 1 ? " " : ""), length($0) }' "$LAB_DIR/harvest")"

# --- the runs: every secret-taking plugin, success and failure, -v..-vvv
# go CMD...: runs CMD at -v, -vv and -vvv; stdout and stderr of each are
# appended to $K/stdout and $K/stderr under a "### run N" line
# (under valgrind, SW_VALGRIND set, only -vvv: each run is slow there)
N=0
LEVELS="-v -vv -vvv"
[ -z "${SW_VALGRIND:-}" ] || LEVELS=-vvv
go() {
  for _v in $LEVELS; do
    N=$((N + 1))
    echo "### run $N" >>"$K/stdout"
    echo "### run $N" >>"$K/stderr"
    if timeout -k 5 30 "$@" "$_v" >>"$K/stdout" 2>>"$K/stderr" </dev/null; then _rc=0; else _rc=$?; fi
    echo "$_rc" >>"$LAB_DIR/rcs"
  done
}
sec=$LAB_DIR/s
printf '%s\n' "$LOGIN_CLIENT_SECRET" >"$sec/client"
printf '%s' "$LOGIN_PASSWORD" >"$sec/password"
printf '%s\n' "$LOGIN_REFRESH" >"$sec/refresh"
printf '%s\n' s3cr3t-token >"$sec/bearer"
CC="--client-id $LOGIN_CLIENT_ID --client-secret-file $sec/client"
CL="--client-id $LOGIN_CLIENT_ID --client-secret $LOGIN_CLIENT_SECRET"
FORM="--flow form --username alice --csrf-field csrf_token --success-string Welcome"
cache=$LAB_DIR/token.cache

# check_login, its five flows
go "$PL" -u "$U/token" $CC --token-cache "$cache"
go env CS="$LOGIN_CLIENT_SECRET" "$PL" -u "$U/token" --client-id labclient --client-secret-env CS --client-auth post
go "$PL" -u "$U/token" --client-id "$LOGIN_ODD_CLIENT_ID" --client-secret "$LOGIN_ODD_CLIENT_SECRET"
go "$PL" -u "$U/token" --client-id labclient --client-secret wrong-secret
go "$PL" -u "$U/token" --flow password $CL --username alice --password "$LOGIN_PASSWORD"
go "$PL" -u "$U/token" --flow password $CC --username alice --password not-hers
go "$PL" -u "$U/token" --flow refresh-token $CC --refresh-token-file "$sec/refresh" \
  --save-refresh-token "$LAB_DIR/rt.new"
go "$PL" -u "$U/token" --flow refresh-token $CL --refresh-token rt-bogus
go "$PL" --flow basic -u "$U/basic/protected" --username alice --password-file "$sec/password" --verify-rejects
go "$PL" --flow basic -u "$U/basic/protected" --username alice --password nope-nope
go "$PL" --flow basic --digest -u "$U/digest/protected" --username alice --password "$LOGIN_PASSWORD"
go "$PL" -u "$U/login" $FORM --password-file "$sec/password" --cookie-jar "$LAB_DIR/jar"
go "$PL" -u "$U/login" $FORM --password wrong-password --failure-string Invalid
go env PW="$LOGIN_PASSWORD" "$PL" -u "$U/slowpost/login" $FORM --password-env PW -t 1
for f in 500 503 429 html evil evilraw; do
  go "$PL" -u "$U/fault/$f/token" $CL
done
go "$PL" -u "$U/fault/slow/token?s=3" --flow password $CL --username alice --password "$LOGIN_PASSWORD" -t 1
# servers that echo the Authorization header and the form body back
for q in "status=401" "status=500" "status=500&text=1" "status=200"; do
  go "$PL" -u "$F/echo?$q" $CL
  go "$PL" -u "$F/echo?$q" --flow password $CL --username alice --password "$LOGIN_PASSWORD"
  go "$PL" -u "$F/echo?$q" --flow refresh-token $CL --refresh-token "$LOGIN_REFRESH"
  go "$PL" --flow basic -u "$F/echo?$q" --username alice --password "$LOGIN_PASSWORD"
done
# bad options next to a secret
go "$PL" -u "$U/token" $CL --flow nosuch
go "$PL" -u "$U/token" --client-id labclient --client-secrt="$LOGIN_CLIENT_SECRET"
go "$PL" -u "$U/token" --client-id labclient --client-sec="$LOGIN_CLIENT_SECRET" --bogus
go "$PL" -u "$U/token" $CL -t 0
go "$PL" --password="$LOGIN_PASSWORD" --username alice --flow basic
go "$PL" -u "$U/token" $CL --refresh-token-file "$LAB_DIR/none"

# check_api: --bearer, --bearer-file, --bearer-env, --token-cache
go "$PA" -u "$F/bearer" --bearer s3cr3t-token
go "$PA" -u "$F/bearer" --bearer-file "$sec/bearer"
go env BT=s3cr3t-token "$PA" -u "$F/bearer" --bearer-env BT
go "$PA" -u "$F/bearer" --bearer wrong-token-1
go "$PA" -u "$U/api/me" --token-cache "$cache" -j /user
go "$PA" -u "$F/echo?status=500&text=1" --token-cache "$cache"
go "$PA" -u "$F/echo" --bearer s3cr3t-token -j '/headers/authorization==x'
go "$PA" -u "$F/echo" --bearer s3cr3t-token -j '/headers/authorization~=^x' -M 'a=/headers/authorization'
go "$PA" -u "$F/echo?status=401" --bearer-file "$sec/bearer" -s nomatch
go "$PA" -u "$F/echo?status=500&text=1" --bearer s3cr3t-token
go "$PA" -u "$F/echo?status=503" --bearer s3cr3t-token -j /headers/authorization
go "$PA" -u "$F/slow-ttfb?s=3" --bearer s3cr3t-token -t 1
go "$PA" -u "$F/bearer" --bear=s3cr3t-token
go "$PA" -u "$F/bearer" --bearer s3cr3t-token -t 0
go "$PA" -u "$F/bearer" --bearer s3cr3t-token --bogus
go "$PA" -u "$F/bearer" --bearer-env NO_SUCH_VAR_HERE
# check_api: HTTP Basic from --auth-file and --auth-env, echoed back
printf 'alice:%s\n' "$LOGIN_PASSWORD" >"$sec/basic"
go "$PA" -u "$F/echo" --auth-file "$sec/basic" -j '/headers/authorization==x'
go "$PA" -u "$F/echo?status=500&text=1" --auth-file "$sec/basic"
go env BA="alice:$LOGIN_PASSWORD" "$PA" -u "$F/echo?status=401" --auth-env BA -s nomatch

# credential headers given with -k: echoed back by the server
HA="Authorization: Bearer hdr-s3cr3t-42"
HK="X-Api-Key: apikey-s3cr3t-7"
HC="Cookie: sid=cookie-s3cr3t-9"
go "$PA" -u "$F/echo" -k "$HA" -j '/headers/authorization==x' -M 'a=/headers/authorization'
go "$PA" -u "$F/echo?status=500&text=1" -k "$HK" -k "$HC"
go "$PA" -u "$F/echo" --header="$HK" -j '/headers/x-api-key==x'
go "$PS" -u "$F/echo" -k "$HA"
go "$PS" -u "$F/echo?status=500&text=1" -k "$HC"
go "$PL" -u "$F/echo?status=401" $CL -k "$HK"
go "$PL" -u "$F/echo?status=200" --flow basic --username alice --password "$LOGIN_PASSWORD" -k "$HC"

# check_stream with a bearer
go "$PS" -u "$F/echo" --bearer s3cr3t-token
go "$PS" -u "$F/echo?status=500&text=1" --bearer s3cr3t-token
go "$PS" -u "$F/evil-icy?s=3" --bearer-file "$sec/bearer" --duration 0.5
go "$PS" -u "$F/slow-ttfb?s=3" --bearer s3cr3t-token -t 1 --duration 0.5
go "$PS" -u "$F/echo" --bearer s3cr3t-token --type nosuch

# the runs did what they should: successes, failures, usage errors, traces
for want in 0 1 2 3; do
  grep -qx "$want" "$LAB_DIR/rcs"
  ok $? "some runs ended with exit code $want"
done
diag "$N runs"
grep -q '^> Authorization: \*\*\*\*$' "$K/stdout"
ok $? "-vv traces show the Authorization header, masked"
grep -q '^< HTTP/1.1 200 OK' "$K/stdout"
ok $? "-vvv traces show the replies"
grep -q '"Bearer \*\{12\}"' "$K/stdout"
ok $? "a bearer token echoed into a JSON value is printed masked"

# /proc/PID/cmdline while the plugin talks to a server (the black hole)
# snap CMD...: once the black hole has accepted CMD's connection, appends
# CMD's /proc/PID/cmdline (NULs as spaces) to $K/cmdline
snaps=0
snap() {
  _sn_before=$(grep -c '^accepted$' "$LAB_DIR/HOLE.log")
  "$@" >/dev/null 2>&1 &
  _sn_pid=$!
  _sn_i=0
  while [ "$(grep -c '^accepted$' "$LAB_DIR/HOLE.log")" -le "$_sn_before" ]; do
    _sn_i=$((_sn_i + 1))
    [ $_sn_i -lt 400 ] && lab_alive "$_sn_pid" || break
    sleep 0.05 # polling for the connection, not waiting on luck
  done
  if tr '\0' ' ' <"/proc/$_sn_pid/cmdline" >>"$K/cmdline" 2>/dev/null; then
    snaps=$((snaps + 1))
  fi
  echo >>"$K/cmdline"
  wait "$_sn_pid"
}
KINDS="stdout stderr cmdline"
if [ -n "${SW_VALGRIND:-}" ]; then
  # /proc/PID/cmdline is then valgrind's own argv: asserted by the other
  # trees (plain and sanitizer builds), skipped here
  KINDS="stdout stderr"
  TAP_N=$((TAP_N + 1))
  printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "/proc/PID/cmdline" "valgrind's own argv"
else
snap "$PL" -u "$H/token" $CL -t 1
snap "$PL" -u "$H/token" --client-id labclient --client-secret="$LOGIN_ODD_CLIENT_SECRET" -t 1
snap "$PL" -u "$H/token" --flow password $CL --username alice --password "$LOGIN_PASSWORD" -t 1
snap "$PL" -u "$H/token" --flow refresh-token $CL --refresh-token "$LOGIN_REFRESH" -t 1
snap "$PL" --flow basic -u "$H/x" --username alice --password="$LOGIN_PASSWORD" -t 1
snap "$PL" --flow form -u "$H/login" --username alice --password "$LOGIN_PASSWORD" --success-string W -t 1
snap "$PA" -u "$H/x" --bearer s3cr3t-token -t 1
snap "$PA" -u "$H/x" --bearer=s3cr3t-token -t 1
snap "$PS" -u "$H/x" --bearer s3cr3t-token -t 1 --duration 0.5
snap "$PS" -u "$H/x" --bearer=s3cr3t-token -t 1 --duration 0.5
snap "$PA" -u "$H/x" -k "$HA" -t 1
snap "$PS" -u "$H/x" --header="$HK" -t 1 --duration 0.5
snap "$PL" -u "$H/token" $CL -vk"$HC" -t 1
is "$snaps" 13 "13 command lines read while the plugin was connected"
grep -q -- '--client-id labclient' "$K/cmdline"
ok $? "the command lines were read (they show the non-secret options)"
fi

# The crash path: a plugin holding secrets killed by SIGSEGV or SIGABRT
# (as a crash would) while connected, core dumps allowed (RLIMIT_CORE
# unlimited, core_pattern as the system has it): its wait status has no
# core-dump bit and no core file appears; what it printed joins the
# outputs above. Not under ASan (its own SEGV report is the crash path
# there) nor valgrind (the signal would hit valgrind).
if [ "$SW_BUILD" != plain ]; then
  TAP_N=$((TAP_N + 1))
  printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "the crash path leaves no core" "sanitizer or valgrind build"
else
  mkdir -p "$LAB_DIR/crash"
  "$LAB_PY" - "$LAB_DIR/HOLE.log" "$LAB_DIR/crash" "$K" \
    "$PL" -u "$H/token" --flow password $CL --username alice --password "$LOGIN_PASSWORD" -t 5 \
    >"$LAB_DIR/crash.out" 2>&1 <<'EOF2'
import os, resource, signal, subprocess, sys, time
hole, cwd, kinds, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def accepted():
    with open(hole) as f:
        return sum(1 for l in f if l.strip() == "accepted")
def unlimited_core():
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
for sig in (signal.SIGSEGV, signal.SIGABRT):
    before = accepted()
    with open(kinds + "/stdout", "a") as out, open(kinds + "/stderr", "a") as err:
        out.write("### crash %s\n" % sig.name)
        err.write("### crash %s\n" % sig.name)
        out.flush(); err.flush()
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             preexec_fn=unlimited_core)
        t0 = time.monotonic()
        while accepted() <= before and p.poll() is None and time.monotonic() - t0 < 10:
            time.sleep(0.05)  # polling for the connection
        p.send_signal(sig)
        _, status = os.waitpid(p.pid, 0)
        p.returncode = 0
    print(sig.name, int(os.WIFSIGNALED(status) and os.WTERMSIG(status) == sig),
          int(os.WCOREDUMP(status)), len(os.listdir(cwd)))
EOF2
  while read -r sig killed cored files; do
    is "$killed:$cored:$files" "1:0:0" "$sig while holding secrets: killed by it (1), no core dump bit (0), no file in its directory (0)"
  done <"$LAB_DIR/crash.out"
  is "$(wc -l <"$LAB_DIR/crash.out")" 2 "two crash runs (SIGSEGV, SIGABRT)"
fi

# --- every secret and its forms, in every kind of output
tok=$(sed -n 's/^access_token=//p' "$cache")
[ ${#tok} -ge 32 ]
ok $? "an access token issued by loginsrv is harvested too (${#tok} characters)"
{
  echo "$tok"
  sed -n 's/^access_token=//p' "$LAB_DIR/jar" 2>/dev/null
  cat "$LAB_DIR/rt.new" 2>/dev/null
  echo
  # every refresh token loginsrv may have issued in this run
  i=2
  while [ $i -le 60 ]; do echo "rt-good-$i"; i=$((i + 1)); done
  # HTTP Basic's user:password strings (RFC 6749 2.3.1: each escaped)
  echo "$LOGIN_CLIENT_ID:$LOGIN_CLIENT_SECRET"
  echo "$LOGIN_USER:$LOGIN_PASSWORD"
  echo "odd%3Aclient:s%20e%2Bc%2Fr%25t%3A1"
} | grep -v '^$' >>"$LAB_DIR/harvest"
"$LAB_PY" - "$LAB_DIR/harvest" >"$LAB_DIR/forms" <<'EOF'
import base64, sys
from urllib.parse import quote, quote_plus
out = set()
for s in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if len(s) < 6:
        continue
    out.add(s)
    out.add(base64.b64encode(s.encode()).decode())
    out.add(quote(s, safe=""))
    out.add(quote_plus(s, safe=""))
for s in sorted(out):
    print(s)
EOF
n_forms=$(wc -l <"$LAB_DIR/forms")
diag "$(wc -l <"$LAB_DIR/harvest") secrets, $n_forms forms (raw, base64, form-urlencoded)"
for kind in $KINDS; do
  hits=$(grep -cF -f "$LAB_DIR/forms" "$K/$kind")
  is "$hits" 0 "secrets found in $kind: 0"
  if [ "$hits" != 0 ]; then
    # where, never what: the run and the length of each secret found
    while IFS= read -r s; do
      grep -qF -- "$s" "$K/$kind" || continue
      diag "a secret of ${#s} characters in $kind of runs: $(awk -v s="$s" '/^### run/ { r = $3 } index($0, s) { print r }' "$K/$kind" | sort -un | tr '\n' ' ')"
    done <"$LAB_DIR/forms"
  fi
done

# --- the token cache: 0600 even under umask 000, and never half written
tc=$LAB_DIR/cache2
run sh -c "umask 000 && exec \"\$@\"" sh "$PL" -u "$U/token" $CC --token-cache "$tc"
is_rc 0 "check_login --token-cache under umask 000: exit 0"
is "$(stat -c %a "$tc")" 600 "the token cache is mode 0600 under umask 000"
run sh -c "umask 000 && exec \"\$@\"" sh "$PL" -u "$U/token" --flow refresh-token $CC \
  --refresh-token-file "$LAB_DIR/rt.new" --save-refresh-token "$LAB_DIR/rt.000"
is "$(stat -c %a "$LAB_DIR/rt.000")" 600 "a saved refresh token is mode 0600 under umask 000"
left=0
for f in "$LAB_DIR"/cache2?* "$LAB_DIR"/.cache2*; do [ -e "$f" ] && left=$((left + 1)); done
is "$left" 0 "no temporary file left beside the cache"
# A reader loops on the cache while check_login rewrites it 40 times;
# every read must be one whole record (token_type, expires_at, access_token).
"$LAB_PY" - "$tc" "$LAB_DIR/reader.stop" >"$LAB_DIR/reader.out" 2>&1 <<'EOF' &
import os, re, sys
path, stop = sys.argv[1], sys.argv[2]
reads = bad = 0
while not os.path.exists(stop):
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        bad += 1
        continue
    reads += 1
    keys = dict(l.split("=", 1) for l in text.splitlines() if "=" in l)
    if not (text.endswith("\n") and keys.get("token_type") == "Bearer"
            and re.fullmatch(r"[0-9]+", keys.get("expires_at", ""))
            and re.fullmatch(r"[0-9a-f]{32}", keys.get("access_token", ""))):
        bad += 1
print(reads, bad)
EOF
reader=$!
i=0
w=0
while [ $i -lt 40 ]; do
  "$PL" -u "$U/token" $CC --token-cache "$tc" >/dev/null 2>&1 && w=$((w + 1))
  i=$((i + 1))
done
: >"$LAB_DIR/reader.stop"
wait "$reader"
read -r reads bad <"$LAB_DIR/reader.out"
is "$w" 40 "check_login rewrote the cache 40 times"
[ "${reads:-0}" -gt 40 ]
ok $? "the reader read the cache while it was rewritten (${reads:-0} reads)"
is "${bad:-x}" 0 "no read saw a half-written, missing or malformed cache"
is "$(stat -c %a "$tc")" 600 "still 0600 after the rewrites"

plan_done
