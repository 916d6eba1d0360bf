#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Engine test: a real Nagios 4 (Debian's nagios4-core) on its own config,
# with docs/nagios/commands.cfg's commands, checks streamlab every 2 s
# (interval_length=1, check_interval=2). First `nagios4 -v` validates the
# docs as an administrator installs them: Debian's stock objects
# (/etc/nagios4/objects/*.cfg as Debian's nagios.cfg lists them), the
# command files of /etc/nagios-plugins/config/ with docs/nagios/commands.cfg
# among them as streamwatch.cfg (where the package installs it), and
# docs/nagios/example.cfg in conf.d/, unchanged (registered objects). Then
# the four layers (resolve, api, login, stream) go
# OK with perfdata, read from status.dat; the test breaks one layer at a
# time (resolver stopped, API 503, client secret rotated, Icecast feed
# gone), asserts that the right service goes CRITICAL within a few check
# intervals while the others stay OK, lifts the fault and asserts recovery.
#
# Everything (config, status, logs, spool, retention, lock) is under
# $LAB_DIR; as root Nagios drops to the nagios user (nagios_user), who owns
# its directory there.
. "$top_srcdir/tests/engine/engine.sh"

NAGIOS=${NAGIOS:-/usr/sbin/nagios4}
[ -x "$NAGIOS" ] || skip_all "nagios4 not installed"
for f in commands.cfg example.cfg; do
  [ -f "$top_srcdir/docs/nagios/$f" ] || bail_out "docs/nagios/$f missing"
done
# Debian's stock nagios4 objects and Monitoring Plugins' command files
NAGIOS_OBJECTS=${NAGIOS_OBJECTS:-/etc/nagios4/objects}
NAGIOS_PLUGIN_CONFIG=${NAGIOS_PLUGIN_CONFIG:-/etc/nagios-plugins/config}
[ -f "$NAGIOS_OBJECTS/templates.cfg" ] || bail_out "$NAGIOS_OBJECTS/templates.cfg missing (nagios4-common)"
[ -f "$NAGIOS_PLUGIN_CONFIG/dummy.cfg" ] ||
  bail_out "$NAGIOS_PLUGIN_CONFIG/dummy.cfg missing (monitoring-plugins-basic)"

INTERVAL=2 # check_interval = retry_interval, seconds (interval_length=1)
lab_init

# ------------------------------------------------------------ nagios dirs
N=$LAB_DIR/nagios
mkdir -p "$N/etc" "$N/var/spool/checkresults" "$N/var/archives" "$N/var/rw" \
  "$N/plugins" "$N/state" || bail_out "mkdir failed"
if [ "$(id -u)" = 0 ]; then
  # Nagios 4 drops to nagios_user when started as root; without such a
  # user it stays root (nagios_user=root is accepted as well)
  if id nagios >/dev/null 2>&1; then RUNAS=nagios; else RUNAS=root; fi
  # nagios must reach its own directories under LAB_DIR
  chmod 755 "$LAB_DIR"
else
  RUNAS=$(id -un)
fi
RUNGROUP=$(id -gn "$RUNAS")
# copies of the plugins: the build tree may sit where nagios cannot read
for p in check_resolve check_api check_login check_stream; do
  cp "$PLUGINDIR/$p" "$N/plugins/" || bail_out "cannot copy $p"
done
printf '#!/bin/sh\necho "DUMMY $1"\nexit "$1"\n' >"$N/plugins/check_dummy"
chmod 755 "$N/plugins/check_dummy"
cp "$top_srcdir/docs/nagios/commands.cfg" "$N/etc/streamwatch.cfg" ||
  bail_out "cannot copy commands.cfg"
# the docs as installed on Debian: the package's command file beside
# Monitoring Plugins' ones, the example in conf.d/
mkdir -p "$N/etc/plugin-config" "$N/etc/conf.d" || bail_out "mkdir failed"
# (an installed package's streamwatch.cfg left out: this tree's is tested)
for f in "$NAGIOS_PLUGIN_CONFIG"/*.cfg; do
  [ "${f##*/}" = streamwatch.cfg ] || cp "$f" "$N/etc/plugin-config/" || bail_out "cannot copy $f"
done
cp "$top_srcdir/docs/nagios/commands.cfg" "$N/etc/plugin-config/streamwatch.cfg" ||
  bail_out "cannot copy commands.cfg"
cp "$top_srcdir/docs/nagios/example.cfg" "$N/etc/conf.d/" || bail_out "cannot copy example.cfg"

# the engine run's own small stock: the generic-host/generic-service
# templates and check_dummy, a contact that is never notified, 24x7
cat >"$N/etc/templates.cfg" <<'EOF'
define timeperiod {
    timeperiod_name     24x7
    alias               always
    sunday              00:00-24:00
    monday              00:00-24:00
    tuesday             00:00-24:00
    wednesday           00:00-24:00
    thursday            00:00-24:00
    friday              00:00-24:00
    saturday            00:00-24:00
}
define command {
    command_name        lab-notify
    command_line        /bin/true
}
define command {
    command_name        check_dummy
    command_line        $USER1$/check_dummy $ARG1$
}
define contact {
    contact_name                    lab
    alias                           lab
    host_notifications_enabled      0
    service_notifications_enabled   0
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands      lab-notify
    service_notification_commands   lab-notify
}
define contactgroup {
    contactgroup_name   lab
    alias               lab
    members             lab
}
define host {
    name                    generic-host
    check_period            24x7
    check_interval          60
    retry_interval          60
    max_check_attempts      1
    notification_period     24x7
    notification_interval   0
    contact_groups          lab
    register                0
}
define service {
    name                    generic-service
    check_period            24x7
    max_check_attempts      1
    check_interval          60
    retry_interval          60
    notification_period     24x7
    notification_interval   0
    notification_options    n
    contact_groups          lab
    flap_detection_enabled  0
    register                0
}
EOF

# nagios.cfg: every path under $N; cfg_files added by nagios_cfg
nagios_cfg() {
  cat <<EOF
log_file=$N/var/nagios.log
log_archive_path=$N/var/archives
debug_file=$N/var/nagios.debug
debug_level=0
object_cache_file=$N/var/objects.cache
precached_object_file=$N/var/objects.precache
status_file=$N/var/status.dat
temp_file=$N/var/nagios.tmp
temp_path=$N/var
lock_file=$N/var/nagios.lock
command_file=$N/var/rw/nagios.cmd
query_socket=$N/var/rw/nagios.qh
check_result_path=$N/var/spool/checkresults
state_retention_file=$N/var/retention.dat
resource_file=$N/etc/resource.cfg
nagios_user=$RUNAS
nagios_group=$RUNGROUP
check_external_commands=0
use_syslog=0
log_rotation_method=n
log_initial_states=1
retain_state_information=1
use_retained_program_state=0
use_retained_scheduling_info=0
interval_length=1
status_update_interval=1
check_result_reaper_frequency=1
max_check_result_reaper_time=5
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
max_host_check_spread=1
service_interleave_factor=1
service_check_timeout=20
host_check_timeout=20
enable_notifications=0
enable_event_handlers=0
enable_flap_detection=0
process_performance_data=0
auto_reschedule_checks=0
check_service_freshness=0
check_host_freshness=0
enable_environment_macros=0
check_for_updates=0
bare_update_check=1
illegal_object_name_chars=\`~!\$%^&*|'"<>?,()=
illegal_macro_output_chars=\`~\$&|'"<>
EOF
  for f in "$@"; do echo "cfg_file=$f"; done
}
printf '$USER1$=%s\n' "$N/plugins" >"$N/etc/resource.cfg"

# ---------------------------------------- validation of the docs' config
{
  nagios_cfg
  # the objects of Debian's /etc/nagios4/nagios.cfg
  echo "cfg_dir=$N/etc/plugin-config"
  echo "cfg_dir=$N/etc/conf.d"
  for f in commands contacts timeperiods templates localhost; do
    echo "cfg_file=$NAGIOS_OBJECTS/$f.cfg"
  done
} >"$N/etc/docs.cfg"
[ "$(id -u)" = 0 ] && { chown -R "$RUNAS:$RUNGROUP" "$N" || bail_out "chown $N failed"; }
run "$NAGIOS" -v "$N/etc/docs.cfg"
is_rc 0 "nagios4 -v: docs/nagios/example.cfg registered, with commands.cfg and Debian's stock objects"
line_matches '^Things look okay' "nagios4 -v: Things look okay (docs)"
line_matches '^Total Warnings: 0$' "nagios4 -v: no warnings (docs)"
RUN_CMD=
for c in streamwatch_resolve streamwatch_api streamwatch_login streamwatch_login_flow \
  streamwatch_stream; do
  grep -Eq "^[[:space:]]*command_name[[:space:]]+${c}[[:space:]]*$" "$top_srcdir/docs/nagios/commands.cfg"
  ok $? "docs: command $c defined"
done
! grep -Eq '^[[:space:]]*define[[:space:]]+(host|service|contact|timeperiod|servicedependency)' \
  "$top_srcdir/docs/nagios/commands.cfg"
ok $? "docs: commands.cfg defines commands only"
! grep -Eq '^[[:space:]]*define[[:space:]]+command' "$top_srcdir/docs/nagios/example.cfg"
ok $? "docs: example.cfg defines no commands (they are commands.cfg's)"
# What Nagios made of each example service's check_command (-vp writes
# the parsed objects to precached_object_file) against its line in the
# file: Nagios cuts an object line at the first ';' not written '\;' (an
# inline comment), so a perfdata threshold in $ARG1$ is lost, and its
# quote left open
"$NAGIOS" -vp "$N/etc/docs.cfg" >"$LAB_DIR/precache.txt" 2>&1 ||
  bail_out "nagios4 -vp failed: $(cat "$LAB_DIR/precache.txt")"
cat >"$LAB_DIR/cmds.py" <<'EOF'
import re, sys
def services(path):
    out, cur = {}, None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if re.match(r"define\s+service\s*\{", s):
            cur = {}
        elif s.startswith("}") and cur is not None:
            if "service_description" in cur:
                out[cur["service_description"]] = cur.get("check_command", "")
            cur = None
        elif cur is not None and s and s[0] not in "#;":
            k, v = (re.split(r"\s+", s, 1) + [""])[:2]
            cur[k] = v.strip()
    return out
src, got = services(sys.argv[1]), services(sys.argv[2])
for name, cmd in sorted(src.items()):
    if got.get(name) != cmd.replace("\\;", ";"):
        print("'%s': the file has [%s], Nagios runs [%s]" % (name, cmd, got.get(name)))
EOF
_cut=$("$LAB_PY" "$LAB_DIR/cmds.py" "$top_srcdir/docs/nagios/example.cfg" "$N/var/objects.precache")
# (a ';' in an object file starts a comment unless written '\;')
[ -z "$_cut" ]
ok $? "docs: Nagios keeps every example check_command whole" "$_cut"
# the example's objects as Nagios resolved them (templates applied)
"$LAB_PY" - "$N/var/objects.precache" >"$LAB_DIR/example.txt" 2>&1 <<'EOF'
import re, sys
objs = []
for typ, body in re.findall(r"define (\w+) \{\n(.*?)\n\s*\}", open(sys.argv[1]).read(), re.S):
    attrs = dict((l.strip().split(None, 1) + [""])[:2] for l in body.splitlines() if l.strip())
    objs.append((typ, attrs))
mine = [(t, a) for t, a in objs if "radio.example" in (a.get("host_name"), a.get("dependent_host_name"))]
def count(t):
    return sum(1 for x, _ in mine if x == t)
print("services|%d" % count("service"))
print("dependencies|%d" % count("servicedependency"))
for t, a in mine:
    if t in ("host", "service"):
        name = a.get("service_description", a["host_name"])
        print("%s %s|%s %s %s %s" % (t, name, a.get("max_check_attempts"), a.get("contact_groups"),
              a.get("notification_period"), a.get("check_command", "").split("!")[0] if t == "host" else "-"))
EOF
is "$(sed -n 's/^services|//p' "$LAB_DIR/example.txt")" 7 "docs: the example's 7 services registered"
# two definitions: dns -> login, api, both streams (4); login -> api (1)
is "$(sed -n 's/^dependencies|//p' "$LAB_DIR/example.txt")" 5 "docs: the example's 5 service dependencies"
# notified after 3 attempts, to Debian's stock admins group, at any time
is "$(grep -c '|3 admins 24x7 ' "$LAB_DIR/example.txt")" 8 \
  "docs: the host and every service: 3 attempts, contact group admins, 24x7"
grep -q '^host radio.example|3 admins 24x7 return-ok$' "$LAB_DIR/example.txt"
ok $? "docs: the host check is return-ok (Monitoring Plugins' dummy.cfg)" "$(cat "$LAB_DIR/example.txt")"

# ------------------------------------------------------------ streamlab
dns_start_dnsmasq R 127.0.0.53 a || bail_out "dnsmasq did not start"
R_PORT=$DNS_PORT_R
login_start L 127.0.0.1 || bail_out "loginsrv did not start"
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
# /v1/status: the health document, or 503 while the maintenance flag file
# exists (as tests/engine/icinga.sh does); reload nginx with it and wait
# until the new location answers
http_add_status_switch W
MAINT=$HTTP_MAINT_W
kill -HUP "$LAB_PID_W" || bail_out "cannot reload nginx"
# http_code URL: the HTTP status (000 when no answer)
http_code() {
  "$LAB_PY" -c '
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
' "$1"
}
_n=0
until [ "$(http_code "$HTTP_URL_W/v1/status")" = 200 ]; do
  _n=$((_n + 1))
  [ $_n -lt 100 ] || bail_out "nginx did not reload with /v1/status"
  sleep 0.1
done
media_start_icecast ICE 127.0.0.1 || bail_out "icecast did not start"
media_feed RADIO ICE /live.mp3 mp3 || bail_out "the mp3 feed did not start"

printf '%s\n' "$LOGIN_CLIENT_SECRET" >"$N/state/client.secret"
chmod 600 "$N/state/client.secret"

# ------------------------------------------------------------ the lab config
cat >"$N/etc/lab.cfg" <<EOF
define host {
    use                     generic-host
    host_name               streamlab
    alias                   streamlab
    address                 127.0.0.1
    check_command           check_dummy!0
}
define service {
    name                    lab
    use                     generic-service
    host_name               streamlab
    check_interval          $INTERVAL
    retry_interval          $INTERVAL
    max_check_attempts      1
    register                0
}
define service {
    use                     lab
    service_description     resolve
    _RESOLVE_NAME           api.stream.test
    _RESOLVE_SERVERS        -s $DNS_SERVER_R
    check_command           streamwatch_resolve!-a 10.1.2.4 -a 10.1.2.5 -t 2
}
define service {
    use                     lab
    service_description     api
    _API_URL                $HTTP_URL_W/v1/status
    _API_JSON               -j '/status==ok' -j '/tracks/items/0/id'
    check_command           streamwatch_api!-M 'tracks=/tracks/total\;1:\;1:' -w 1 -c 3 -t 5
}
define service {
    use                     lab
    service_description     login
    _LOGIN_URL              $LOGIN_URL_L/token
    _LOGIN_CLIENT_ID        $LOGIN_CLIENT_ID
    _LOGIN_SECRET_FILE      $N/state/client.secret
    check_command           streamwatch_login!-t 5
}
define service {
    use                     lab
    service_description     stream
    _STREAM_URL             $MEDIA_URL_RADIO
    check_command           streamwatch_stream!--expect-format mp3 --duration 1 -t 8
}
EOF
nagios_cfg "$N/etc/templates.cfg" "$N/etc/streamwatch.cfg" "$N/etc/lab.cfg" >"$N/etc/nagios.cfg"
[ "$(id -u)" = 0 ] && { chown -R "$RUNAS:$RUNGROUP" "$N" || bail_out "chown $N failed"; }

run "$NAGIOS" -v "$N/etc/nagios.cfg"
is_rc 0 "nagios4 -v accepts the engine config"
line_matches '^Things look okay' "nagios4 -v: Things look okay (engine config)"
line_matches '^Total Warnings: 0$' "nagios4 -v: no warnings (engine config)"
[ "$RC" = 0 ] || bail_out "config invalid"
RUN_CMD=

# in the foreground (no -d): lab.sh's trap stops it
lab_spawn nagios "$NAGIOS" "$N/etc/nagios.cfg"

# --------------------------------------------------- the state reader
cat >"$LAB_DIR/nq.py" <<'EOF'
"""nq: reads service states from Nagios' status.dat.

  nq.py wait T0 SVC=STATE ...   until each SVC has STATE (0..3) from a
        check that started after T0 (epoch seconds; status.dat's
        last_check has whole seconds: a check counts when last_check >
        T0); the bound for each is INTERVAL + 2 x its check's execution
        time + 3 s after T0 (one interval, the check in flight at T0 and
        the next one's run, the result reaper and status.dat updates,
        each every second, and last_check's rounding); prints one line
        per service; exit 1 on a miss. The longest execution time is
        kept across calls (in NQ_LONGEST), as icinga.sh's icq does: a
        fault that makes checks fail fast must not shrink the bound
  nq.py show [SVC...]           state, output, perfdata
  nq.py attr SVC ATTR           one field of its servicestatus block
"""
import json, os, sys, time

path = os.environ["NAGIOS_STATUS"]
interval = float(os.environ["INTERVAL"])

def services():
    """servicestatus blocks of status.dat, by service_description"""
    while True:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except FileNotFoundError:
            text = ""
        # Nagios renames a complete file into place; a file without
        # the end of its last block is not one
        if text.rstrip().endswith("}"):
            break
        time.sleep(0.1)
    out, cur = {}, None
    for line in text.splitlines():
        s = line.strip()
        if s == "servicestatus {":
            cur = {}
        elif s == "}" and cur is not None:
            out[cur.get("service_description", "")] = cur
            cur = None
        elif cur is not None and "=" in s:
            k, v = s.split("=", 1)
            cur[k] = v
    return out

def state(svc):
    return int(svc.get("current_state", -1)) if svc.get("has_been_checked") == "1" else -1

cmd = sys.argv[1]
if cmd == "wait":
    t0 = float(sys.argv[2])
    want = dict((a.rsplit("=", 1)[0], int(a.rsplit("=", 1)[1])) for a in sys.argv[3:])
    done, longest = {}, {}
    if os.path.exists(os.environ["NQ_LONGEST"]):
        with open(os.environ["NQ_LONGEST"]) as f:
            longest = json.load(f)
    while True:
        now = time.time()
        s = services()
        for name, st in want.items():
            if name in done:
                continue
            svc = s.get(name, {})
            longest[name] = max(longest.get(name, 0), float(svc.get("check_execution_time", 0)))
            if int(svc.get("last_check", 0)) > t0 and state(svc) == st:
                done[name] = (now - t0, svc.get("plugin_output", ""))
        bound = max(interval + 2 * longest.get(n, 0) + 3 for n in want)
        if len(done) == len(want) or now - t0 > bound + 0.5:
            break
        time.sleep(0.2)
    with open(os.environ["NQ_LONGEST"] + ".new", "w") as f:
        json.dump(longest, f)
    os.replace(os.environ["NQ_LONGEST"] + ".new", os.environ["NQ_LONGEST"])
    bad = 0
    for name, st in want.items():
        lim = interval + 2 * longest[name] + 3
        if name in done and done[name][0] <= lim:
            print("ok %s=%d after %.1f s (bound %.1f s): %s" % (name, st, done[name][0], lim, done[name][1]))
        else:
            bad = 1
            svc = s.get(name, {})
            print("MISS %s: want %d, have %d (bound %.1f s, last_check %s): %s" % (
                name, st, state(svc), lim, svc.get("last_check"), svc.get("plugin_output")))
    sys.exit(bad)
s = services()
if cmd == "show":
    for name in (sys.argv[2:] or sorted(s)):
        svc = s.get(name, {})
        print("%s state=%d last_check=%s: %s | %s" % (name, state(svc), svc.get("last_check"),
              svc.get("plugin_output"), svc.get("performance_data")))
elif cmd == "attr":
    print(s.get(sys.argv[2], {}).get(sys.argv[3], ""))
EOF
NAGIOS_STATUS=$N/var/status.dat
NQ_LONGEST=$LAB_DIR/nq-longest.json
export NAGIOS_STATUS INTERVAL NQ_LONGEST
nq() { "$LAB_PY" "$LAB_DIR/nq.py" "$@"; }
now() { date +%s.%N; }

# Nagios is up once it wrote status.dat
_n=0
until [ -s "$NAGIOS_STATUS" ]; do
  _n=$((_n + 1))
  if [ $_n -ge 100 ] || ! lab_alive "$LAB_PID_nagios"; then
    bail_out "nagios4 wrote no status.dat: $(tail -n 20 "$LAB_DIR/nagios.log" "$N/var/nagios.log" 2>&1)"
  fi
  sleep 0.1
done
ok 0 "nagios4 runs and writes status.dat"
if [ "$(id -u)" = 0 ]; then
  is "$(ps -o user= -p "$LAB_PID_nagios" | tr -d ' ')" "$RUNAS" "nagios4 runs as $RUNAS"
fi

ALL="resolve api login stream"
# wait_states DESC SVC=STATE...: one TAP line, the details as diagnostics
wait_states() {
  _d=$1
  shift
  _o=$(nq wait "$T0" "$@" 2>&1)
  _rc=$?
  ok $_rc "$_d" "$_o"
  [ $_rc != 0 ] || diag "$_o"
}
# others_ok DESC SVC: every service but SVC is OK right now
others_ok() {
  _bad=
  for _s in $ALL; do
    [ "$_s" = "$2" ] && continue
    [ "$(nq attr "$_s" current_state)" = 0 ] || _bad="$_bad $(nq show "$_s")"
  done
  [ -z "$_bad" ]
  ok $? "$1" "not OK:$_bad"
}
all_ok() {
  T0=$(now)
  wait_states "$1" resolve=0 api=0 login=0 stream=0
}

# --------------------------------------------------------------- tests
# the first checks run at once (no spread); allow a couple of rounds
T0=$(now)
_i=0
until nq wait "$T0" resolve=0 api=0 login=0 stream=0 >"$LAB_DIR/first.txt" 2>&1; do
  _i=$((_i + 1))
  [ $_i -lt 3 ] || break
  T0=$(now)
done
ok $? "healthy: every service OK" "$(cat "$LAB_DIR/first.txt"; nq show 2>&1)"
diag "$(nq show)"

# perfdata in status.dat, as the plugins print it
for s in $ALL; do
  p=$(nq attr "$s" performance_data)
  printf '%s\n' "$p" | grep -Eq "^'?[A-Za-z_][^=]*'?=[-0-9.]+"
  ok $? "$s: perfdata in status.dat" "performance_data=$p"
done
p=$(nq attr api performance_data)
case " $p " in *" tracks=2;1:;1:"*) r=0 ;; *) r=1 ;; esac
ok $r "api: the -M metric with its thresholds (\\; in the object file)" "performance_data=$p"

# 1. DNS: the resolver stopped
lab_stop R
T0=$(now)
wait_states "resolver down: 'resolve' CRITICAL" resolve=2
others_ok "resolver down: the rest OK" resolve
dns_start_dnsmasq R 127.0.0.53 a "$R_PORT" || bail_out "dnsmasq back on its port"
all_ok "resolver back: every service OK"

# 2. API: 503 while the maintenance flag exists
: >"$MAINT"
T0=$(now)
wait_states "API 503: 'api' CRITICAL" api=2
others_ok "API 503: the rest OK" api
rm -f "$MAINT"
all_ok "API back: every service OK"

# 3. login: the client secret no longer matches
printf 'rotated-elsewhere\n' >"$N/state/client.secret"
T0=$(now)
wait_states "login rejected: 'login' CRITICAL" login=2
others_ok "login rejected: the rest OK" login
printf '%s\n' "$LOGIN_CLIENT_SECRET" >"$N/state/client.secret"
all_ok "login accepted again: every service OK"

# 4. stream: the Icecast source gone (the mount answers 404)
media_stop RADIO || bail_out "media_stop failed"
T0=$(now)
wait_states "feed gone: 'stream' CRITICAL" stream=2
others_ok "feed gone: the rest OK" stream
media_feed RADIO ICE /live.mp3 mp3 || bail_out "the mp3 feed did not restart"
all_ok "feed back: every service OK"

# Nagios' own log: the states it saw, no errors
LOG=$N/var/nagios.log
for s in $ALL; do
  grep -q "SERVICE ALERT: streamlab;$s;CRITICAL;HARD;1;" "$LOG"
  ok $? "nagios.log: a HARD CRITICAL alert for '$s'" "$(grep "SERVICE ALERT: streamlab;$s;" "$LOG")"
done
! grep -Eq '^\[[0-9]+\] (Error|Warning)' "$LOG"
ok $? "no errors or warnings in nagios.log" "$(grep -E '^\[[0-9]+\] (Error|Warning)' "$LOG" | head -n 5)"
lab_alive "$LAB_PID_nagios"
ok $? "nagios4 still running"

[ "$TAP_FAILED" = 0 ] || { diag "$(nq show 2>&1)"; diag "$(tail -n 40 "$LOG")"; }
plan_done
