#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Engine test: Icinga 2's distributed monitoring, one satellite zone per
# region, as docs/icinga2.md ("Distributed: one satellite zone per
# region") sets it up. Three icinga2 processes on this machine (a master
# and the satellites of region-a and region-b), each with its own config,
# state, log and run directories, API port and certificate (one CA made
# here with openssl). The zones.conf files, the satellites' api feature,
# the global zone's services and the region's host are read from the doc's
# blocks (by their first comment line), with loopback addresses, this
# run's ports and 1 s intervals put in; the CheckCommands
# (docs/icinga2/streamwatch.conf) reach the satellites through the global
# zone, as a source install without the package does it.
#
# Each region has its own resolver (dnsmasq: region a on 127.0.0.53 with
# zone a, region b on 127.0.0.54 with zone b, which answers another
# address: geo-DNS) and its own edge (nginx on 127.0.0.2 and 127.0.0.3).
# The test asserts, on the master's REST API only, that the satellites
# run their region's checks (check_source), that breaking region a (its
# resolver stopped, its edge answering 503) turns region a's services
# CRITICAL with the plugins' text while region b's stay OK, that breaking
# both regions turns every service CRITICAL, and that all recovers.
#
# Everything is under $LAB_DIR; as root Icinga drops to the nagios user,
# who owns its directories there.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/http.sh"

ICINGA2=${ICINGA2:-/usr/sbin/icinga2}
[ -x "$ICINGA2" ] || skip_all "icinga2 not installed"
need_cmd openssl "openssl not installed"
dns_have_dnsmasq || skip_all "dnsmasq not installed"
http_have_nginx || skip_all "nginx not installed"
for p in check_resolve check_api; do
  [ -x "$PLUGINDIR/$p" ] || bail_out "$PLUGINDIR/$p not built"
done
DOC=$top_srcdir/docs/icinga2.md
[ -f "$DOC" ] || bail_out "docs/icinga2.md missing"

INTERVAL=1 # check_interval = retry_interval, seconds
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_START=$(now)
lab_init

# --------------------------------------------------------- the doc's blocks
# doc_block MARKER: the fenced block of docs/icinga2.md whose first line
# is MARKER, without its fences and the fence's indentation
doc_block() {
  awk -v m="$1" '
    !inb && /^[ \t]*```/ { inb = 1; ind = match($0, /[^ \t]/) - 1; first = 1; keep = 0; next }
    inb && /^[ \t]*```[ \t]*$/ { inb = 0; if (keep) { found = 1; exit } next }
    inb {
      line = substr($0, ind + 1)
      if (first) { first = 0; keep = (line == m) }
      if (keep) print line
    }
    END { exit !found }' "$DOC"
}
# set_var FILE KEY VALUE: the line "KEY = ..." becomes "KEY = VALUE" (its
# indentation kept); fails when FILE has no such line, so a doc change
# that the test no longer fits stops it loudly
set_var() {
  _sv_k=$(printf '%s' "$2" | sed 's/[].[*^$\\/]/\\&/g')
  _sv_v=$(printf '%s' "$3" | sed 's/[\\/&]/\\&/g')
  grep -q "^ *$_sv_k = " "$1" || { echo "set_var: no '$2 = ' line in $1" >&2; return 1; }
  sed "s/^\( *\)$_sv_k = .*/\\1$2 = $_sv_v/" "$1" >"$1.new" && mv "$1.new" "$1"
}
B=$LAB_DIR/doc
mkdir -p "$B" || bail_out "mkdir failed"
# doc_get FILE MARKER: the block into $B/FILE, or bail out
doc_get() {
  doc_block "// $2" >"$B/$1" || bail_out "docs/icinga2.md has no block '// $2'"
}
doc_get master-zones.conf "master: /etc/icinga2/zones.conf"
doc_get satellite-zones.conf "satellite-a: /etc/icinga2/zones.conf"
doc_get api.conf "satellites: /etc/icinga2/features-enabled/api.conf"
doc_get regions.conf "master: /etc/icinga2/zones.d/global-templates/streamwatch-regions.conf"
doc_get host.conf "master: /etc/icinga2/zones.d/region-a/stream.conf"

# ------------------------------------------------------------ streamlab
# region a: resolver 127.0.0.53 (zone a: api.stream.test 10.1.2.4 and
# 10.1.2.5), edge 127.0.0.2; region b: resolver 127.0.0.54 (zone b:
# 10.9.9.9), edge 127.0.0.3. /v1/status answers 503 while the edge's
# maintenance file exists.
# The edges serve plain HTTP: no TLS ports to open and wait for.
# shellcheck disable=SC2034 # read by http_start_nginx
TLS_KINDS=
dns_start_dnsmasq RA 127.0.0.53 a || bail_out "dnsmasq of region a did not start"
dns_start_dnsmasq RB 127.0.0.54 b || bail_out "dnsmasq of region b did not start"
for r in A B; do
  case $r in A) addr=127.0.0.2 ;; B) addr=127.0.0.3 ;; esac
  http_start_nginx "E$r" "$addr" || bail_out "nginx, the edge of region $r, did not start"
  http_add_status_switch "E$r"
  pid= url=
  eval "pid=\$LAB_PID_E$r url=\$HTTP_URL_E$r"
  # the switch is served from nginx's next load of its config
  kill -HUP "$pid" || bail_out "cannot reload nginx E$r"
  _i=0
  until "$PLUGINDIR/check_api" -u "$url/v1/status" -j /status==ok -t 2 >/dev/null 2>&1; do
    _i=$((_i + 1))
    [ $_i -lt 100 ] || bail_out "edge E$r does not serve /v1/status after its reload"
    sleep 0.05 # polling for the reloaded worker
  done
done
T_LAB=$(since "$T_START")

# ------------------------------------------------------------ icinga2
ICI=$LAB_DIR/icinga
NODES="master satellite-a satellite-b"
RUNAS=
if [ "$(id -u)" = 0 ]; then
  if id nagios >/dev/null 2>&1; then
    RUNAS=nagios
    chmod 755 "$LAB_DIR" # nagios must reach the plugins and its directories
  else
    RUNAS=root
  fi
else
  RUNAS=$(id -un)
fi
RUNGROUP=$(id -gn "$RUNAS")
mkdir -p "$ICI/plugins" "$ICI/ca" || bail_out "mkdir failed"
for n in $NODES; do
  mkdir -p "$ICI/$n/etc/zones.d" "$ICI/$n/lib/certs" "$ICI/$n/log" "$ICI/$n/cache" \
    "$ICI/$n/spool" "$ICI/$n/run/cmd" || bail_out "mkdir failed"
done
# copies of the plugins: the build tree may sit where nagios cannot read
for p in check_resolve check_api; do
  cp "$PLUGINDIR/$p" "$ICI/plugins/" || bail_out "cannot copy $p"
done

# PKI: one CA, a certificate per node (CN = endpoint name), each node's
# DataDir/certs/ with its own key and the CA's certificate. EC P-256 keys:
# made in milliseconds where RSA keys took a second and a half.
T0=$(now)
( cd "$ICI/ca" &&
  for n in ca $NODES; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$n.key" || exit 1
  done
  openssl req -x509 -new -key ca.key -out ca.crt -subj /CN=streamlab-icinga-ca -days 2 &&
  for n in $NODES; do
    openssl req -new -key "$n.key" -out "$n.csr" -subj "/CN=$n" &&
      openssl x509 -req -in "$n.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
        -out "$n.crt" -days 2 || exit 1
    cp "$n.key" "$n.crt" ca.crt "$ICI/$n/lib/certs/" || exit 1
  done ) >"$LAB_DIR/certs.log" 2>&1 ||
  bail_out "openssl failed: $(cat "$LAB_DIR/certs.log")"
T_PKI=$(since "$T0")

for n in $NODES; do
  port=$(lab_free_port 127.0.0.1) || bail_out "no free port"
  # three different ports (lab_free_port may repeat itself)
  case " ${PORTS:-} " in *" $port "*) port=$(lab_free_port 127.0.0.1) || bail_out "no free port" ;; esac
  PORTS="${PORTS:-} $port"
  eval "PORT_$(printf '%s' "$n" | tr -c 'A-Za-z0-9\n' '_')=\$port"
done
API_PASS=lab-api-$$

# zones.conf: the doc's, each host = "NAME.example.net" made this run's
# loopback port (port is an Endpoint attribute; the doc's use 5665)
loopback_hosts() {
  for n in $NODES; do
    eval "_p=\$PORT_$(printf '%s' "$n" | tr -c 'A-Za-z0-9\n' '_')"
    sed "s/host = \"$n\\.example\\.net\"/host = \"127.0.0.1\"; port = \"$_p\"/" "$1" >"$1.new" &&
      mv "$1.new" "$1" || return 1
  done
  ! grep -q 'example\.net' "$1"
}
cp "$B/master-zones.conf" "$ICI/master/etc/zones.conf" && loopback_hosts "$ICI/master/etc/zones.conf" ||
  bail_out "the master's zones.conf"
for r in a b; do
  f=$ICI/satellite-$r/etc/zones.conf
  sed "s/satellite-a/satellite-$r/g; s/region-a/region-$r/g" "$B/satellite-zones.conf" >"$f" && loopback_hosts "$f" ||
    bail_out "satellite-$r's zones.conf"
done
# every node: its constants, its paths, the ITL, the zones, a checker
for n in $NODES; do
  eval "port=\$PORT_$(printf '%s' "$n" | tr -c 'A-Za-z0-9\n' '_')"
  cat >"$ICI/$n/etc/icinga2.conf" <<EOF
const PluginDir = "$ICI/plugins"
const PluginContribDir = "$ICI/plugins"
const NodeName = "$n"
include "zones.conf"
include <itl>
object FileLogger "main" {
  path = "$ICI/$n/log/icinga2.log"
  severity = "information"
}
object CheckerComponent "checker" {}
include "api.conf"
EOF
done
# the master's API: this run's port, and a user for the test's queries
cat >"$ICI/master/etc/api.conf" <<EOF
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = $PORT_master
}
object ApiUser "lab" {
  password = "$API_PASS"
  permissions = [ "objects/query/*" ]
}
EOF
# the satellites' API: the doc's, bound to this run's port
for r in a b; do
  eval "port=\$PORT_satellite_$r"
  awk -v p="$port" '{ print } /^object ApiListener "api" \{$/ { print "  bind_host = \"127.0.0.1\""; print "  bind_port = " p }' \
    "$B/api.conf" >"$ICI/satellite-$r/etc/api.conf"
  grep -q "bind_port = $port" "$ICI/satellite-$r/etc/api.conf" || bail_out "the doc's api.conf has no ApiListener \"api\""
done

# the master's zones.d: the commands and the checks in the global zone,
# one host per region in that region's directory
Z=$ICI/master/etc/zones.d
mkdir -p "$Z/global-templates" "$Z/region-a" "$Z/region-b" || bail_out "mkdir failed"
cp "$top_srcdir/docs/icinga2/streamwatch.conf" "$Z/global-templates/streamwatch-commands.conf" ||
  bail_out "docs/icinga2/streamwatch.conf missing"
cp "$B/regions.conf" "$Z/global-templates/streamwatch-regions.conf" &&
  set_var "$Z/global-templates/streamwatch-regions.conf" check_interval "${INTERVAL}s" &&
  set_var "$Z/global-templates/streamwatch-regions.conf" retry_interval "${INTERVAL}s" ||
  bail_out "the doc's streamwatch-regions.conf no longer fits"
for r in a b; do
  f=$Z/region-$r/stream.conf
  case $r in
    a) edge=127.0.0.2 answers='[ "10.1.2.4", "10.1.2.5" ]' ;;
    b) edge=127.0.0.3 answers='[ "10.9.9.9" ]' ;;
  esac
  R=$(printf '%s' "$r" | tr a-z A-Z)
  eval "dns=\$DNS_SERVER_R$R port=\$HTTP_PORT_E$R"
  sed "s/region-a/region-$r/g" "$B/host.conf" >"$f" &&
    set_var "$f" address "\"$edge\"" &&
    set_var "$f" vars.region_resolvers "[ \"$dns\" ]" &&
    set_var "$f" vars.region_answers "$answers" &&
    set_var "$f" vars.stream_api_name '"api.stream.test"' &&
    set_var "$f" vars.stream_api_url "\"http://api.stream.test:$port/v1/status\"" ||
    bail_out "the doc's region-a/stream.conf no longer fits"
done

# node_defs NODE: the paths icinga2 uses, all under $ICI/NODE (the
# satellites' validation of a synced config inherits them)
node_defs() {
  _d=$ICI/$1
  echo "-DConfiguration.ConfigDir=$_d/etc -DConfiguration.DataDir=$_d/lib" \
    "-DConfiguration.LogDir=$_d/log -DConfiguration.CacheDir=$_d/cache" \
    "-DConfiguration.SpoolDir=$_d/spool -DConfiguration.InitRunDir=$_d/run" \
    "-DConfiguration.PidPath=$_d/run/icinga2.pid" \
    "-DConfiguration.StatePath=$_d/lib/icinga2.state" \
    "-DConfiguration.ModAttrPath=$_d/lib/modified-attributes.conf" \
    "-DConfiguration.ObjectsPath=$_d/cache/icinga2.debug" \
    "-DConfiguration.VarsPath=$_d/cache/icinga2.vars" \
    "-DConfiguration.ZonesDir=$_d/etc/zones.d" \
    "-DConfiguration.RunAsUser=$RUNAS -DConfiguration.RunAsGroup=$RUNGROUP"
}
if [ "$(id -u)" = 0 ]; then
  chown -R "$RUNAS:$RUNGROUP" "$ICI" || bail_out "chown $ICI failed"
fi

# shellcheck disable=SC2046
for n in satellite-a satellite-b master; do
  run "$ICINGA2" daemon -C -c "$ICI/$n/etc/icinga2.conf" $(node_defs "$n")
  is_rc 0 "icinga2 daemon -C accepts $n's config (the doc's zones.conf and api feature)" ||
    bail_out "$n's config invalid"
done
# the master's config (validated last) holds both regions' services
line_matches "4 Services" "the master's config: a dns and an api service per region"

# the satellites first, then the master: each connects to the others as
# it starts, and the master sends the satellites their configuration
T0=$(now)
# shellcheck disable=SC2046
lab_spawn sat_a "$ICINGA2" daemon -c "$ICI/satellite-a/etc/icinga2.conf" $(node_defs satellite-a)
# shellcheck disable=SC2046
lab_spawn sat_b "$ICINGA2" daemon -c "$ICI/satellite-b/etc/icinga2.conf" $(node_defs satellite-b)
lab_wait_tcp 127.0.0.1 "$PORT_satellite_a" "$LAB_PID_sat_a" || bail_out "satellite-a's API does not answer"
lab_wait_tcp 127.0.0.1 "$PORT_satellite_b" "$LAB_PID_sat_b" || bail_out "satellite-b's API does not answer"
T_SAT=$(since "$T0")
# shellcheck disable=SC2046
lab_spawn master "$ICINGA2" daemon -c "$ICI/master/etc/icinga2.conf" $(node_defs master)
lab_wait_tcp 127.0.0.1 "$PORT_master" "$LAB_PID_master" || bail_out "the master's API does not answer"
T_MASTER=$(since "$T0")

# --------------------------------------------------- the state reader
cat >"$LAB_DIR/dq.py" <<'EOF'
"""dq: reads the master's REST API.

  dq.py wait T0 BOUND HOST!SVC=STATE[~TEXT] ...   until each service has
        STATE (0..3), and TEXT in its output's first line when given,
        from a check that ended after T0 (epoch seconds), BOUND seconds
        plus twice the longest run of the services' checks (kept across
        calls in DQ_LONGEST: the check in flight and the next one) at
        most; prints one line per service; exit 1 on a miss
  dq.py show                  every service: state, check_source, output
  dq.py attr HOST!SVC ATTR    one attribute (check_source and output:
                              of the last check result)
  dq.py endpoints             NAME=connected for each endpoint
"""
import base64, json, os, ssl, sys, time, urllib.request

base = "https://127.0.0.1:%s/v1/objects/" % os.environ["API_PORT"]
ctx = ssl.create_default_context(cafile=os.environ["API_CA"])
ctx.check_hostname = False
auth = "Basic " + base64.b64encode(("lab:" + os.environ["API_PASS"]).encode()).decode()

def get(kind, attrs):
    q = "&".join("attrs=" + a for a in attrs)
    req = urllib.request.Request(base + kind + "?" + q,
                                 headers={"Authorization": auth, "Accept": "application/json"})
    with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
        return {x["name"]: x["attrs"] for x in json.load(r)["results"]}

def services():
    return get("services", ["state", "last_check_result", "zone"])

def first(a):
    return ((a.get("last_check_result") or {}).get("output") or "").split("\n")[0]

cmd = sys.argv[1]
if cmd == "wait":
    t0, bound = float(sys.argv[2]), float(sys.argv[3])
    want, text = {}, {}
    for a in sys.argv[4:]:
        spec, _, t = a.partition("~")
        name, _, st = spec.rpartition("=")
        want[name], text[name] = int(st), t
    done, s, longest = {}, {}, {}
    if os.path.exists(os.environ["DQ_LONGEST"]):
        with open(os.environ["DQ_LONGEST"]) as f:
            longest = json.load(f)
    while True:
        try:
            s = services()
        except OSError as e:  # the master restarting: keep polling
            print("# API: %s" % e)
        for name, st in want.items():
            cr = (s.get(name) or {}).get("last_check_result") or {}
            ex = max(0, cr.get("execution_end", 0) - cr.get("execution_start", 0))
            longest[name] = max(longest.get(name, 0), ex)
            if name not in done and cr.get("execution_end", 0) > t0 and \
                    int(s[name]["state"]) == st and text[name] in first(s[name]):
                done[name] = (cr["execution_end"] - t0, cr.get("check_source"), first(s[name]))
        lim = bound + 2 * max(longest.get(n, 0) for n in want)
        if len(done) == len(want) or time.time() - t0 > lim:
            break
        time.sleep(0.1)
    with open(os.environ["DQ_LONGEST"] + ".new", "w") as f:
        json.dump(longest, f)
    os.replace(os.environ["DQ_LONGEST"] + ".new", os.environ["DQ_LONGEST"])
    bad = 0
    for name, st in want.items():
        if name in done and done[name][0] <= lim:
            print("ok %s=%d after %.1f s (bound %.1f s) from %s: %s" % ((name, st) + (done[name][0], lim) + done[name][1:]))
        else:
            bad = 1
            a = s.get(name) or {}
            print("MISS %s: want %d%s, have %s (bound %.1f s): %s" % (
                name, st, " with '%s'" % text[name] if text[name] else "", a.get("state"), lim, first(a)))
    sys.exit(bad)
elif cmd == "show":
    for name, a in sorted(services().items()):
        print("%s state=%s zone=%s source=%s: %s" % (name, a["state"], a["zone"],
              (a.get("last_check_result") or {}).get("check_source"), first(a)))
elif cmd == "attr":
    a = services()[sys.argv[2]]
    if sys.argv[3] in ("check_source", "output"):
        v = (a.get("last_check_result") or {}).get(sys.argv[3])
    else:
        v = a[sys.argv[3]]
    print(json.dumps(v) if isinstance(v, (bool, dict, list)) else v)
elif cmd == "endpoints":
    for name, a in sorted(get("endpoints", ["connected"]).items()):
        print("%s=%s" % (name, str(a["connected"]).lower()))
EOF
API_PORT=$PORT_master API_CA=$ICI/master/lib/certs/ca.crt DQ_LONGEST=$LAB_DIR/dq-longest.json
export API_PORT API_PASS API_CA DQ_LONGEST
dq() { "$LAB_PY" "$LAB_DIR/dq.py" "$@"; }

SA="stream region-a"
SB="stream region-b"
# wait_states DESC BOUND SVC=STATE...: one TAP line, the details as
# diagnostics; the services' checks must end after T0
wait_states() {
  _d=$1 _b=$2
  shift 2
  _o=$(dq wait "$T0" "$_b" "$@" 2>&1)
  _rc=$?
  ok $_rc "$_d" "$_o"
  [ $_rc != 0 ] || diag "$_o"
}
# A fault is seen within one interval, plus the runs of the check in
# flight and the next one (dq adds twice the longest), plus the hop from
# the satellite to the master and a satellite's scheduling on a busy
# machine: 2 s.
BOUND=$((INTERVAL + 2))

# --------------------------------------------------------------- tests
# Start-up: the master connects, sends each satellite its zone and the
# global zone; each satellite validates them and restarts with them, then
# runs its checks. A generous bound (this is start-up, measured below).
T0=$T_START
wait_states "healthy: every region's services OK on the master" 60 \
  "$SA!dns=0~RESOLVE OK" "$SA!api=0~API OK" "$SB!dns=0~RESOLVE OK" "$SB!api=0~API OK"
T_HEALTHY=$(since "$T_START")

is "$(dq endpoints 2>&1 | grep satellite | tr '\n' ' ')" "satellite-a=true satellite-b=true " \
  "the master is connected to both satellites"
for r in a b; do
  g=$ICI/satellite-$r/lib/api/zones
  [ -f "$g/global-templates/_etc/streamwatch-commands.conf" ] &&
    [ -f "$g/global-templates/_etc/streamwatch-regions.conf" ]
  ok $? "satellite-$r received the global zone (the CheckCommands and the checks)" \
    "$(find "$g" -type f 2>&1)"
  [ -f "$g/region-$r/_etc/stream.conf" ]
  ok $? "satellite-$r received its region's zone" "$(find "$g" -type f 2>&1)"
  o=$([ "$r" = a ] && echo b || echo a)
  [ ! -e "$g/region-$o" ]
  ok $? "satellite-$r did not receive region-$o's zone" "$(find "$g" -type f 2>&1)"
done
# the satellites have no CheckCommand of their own: what they run came
# through the global zone
for r in a b; do
  ! grep -rq 'CheckCommand' "$ICI/satellite-$r/etc"
  ok $? "satellite-$r's own config defines no CheckCommand" "$(grep -rl CheckCommand "$ICI/satellite-$r/etc")"
done
# the checks run where their zone is: the master shows what each
# satellite sent
shown=$(dq show 2>&1)
for s in "$SA!dns" "$SA!api" "$SB!dns" "$SB!api"; do
  r=${s#stream region-}
  r=${r%%!*}
  printf '%s\n' "$shown" | grep -q "^$s state=0 zone=region-$r source=satellite-$r: "
  ok $? "'$s' is in zone region-$r and was run by satellite-$r" "$shown"
done
# region-specific answers: each resolver's own address for the name
case $(dq attr "$SB!dns" output 2>&1) in *10.9.9.9*) r=0 ;; *) r=1 ;; esac
ok $r "region b's resolver gives region b's answer (10.9.9.9)" "$(dq attr "$SB!dns" output 2>&1)"

# 1. region a breaks: its resolver stops, its edge answers 503
lab_stop RA
: >"$HTTP_MAINT_EA"
T0=$(now)
wait_states "region a broken: region a's services CRITICAL, with the plugins' text" "$BOUND" \
  "$SA!dns=2~connection refused from $DNS_SERVER_RA" "$SA!api=2~HTTP 503"
T0=$(now)
wait_states "region a broken: region b's services still OK (checks run after the break)" "$BOUND" \
  "$SB!dns=0~RESOLVE OK" "$SB!api=0~API OK"
for s in "$SA!dns" "$SA!api"; do
  is "$(dq attr "$s" check_source 2>&1)" satellite-a "region a broken: satellite-a ran '$s' (CRITICAL)"
done

# 2. every region breaks: region b's resolver and edge too
lab_stop RB
: >"$HTTP_MAINT_EB"
T0=$(now)
wait_states "all regions broken: every service CRITICAL" "$BOUND" \
  "$SA!dns=2~connection refused" "$SA!api=2~HTTP 503" \
  "$SB!dns=2~connection refused from $DNS_SERVER_RB" "$SB!api=2~HTTP 503"

# 3. recovery: both resolvers back on their ports, both edges serving
dns_start_dnsmasq RA 127.0.0.53 a "$DNS_PORT_RA" || bail_out "dnsmasq back on region a's port"
dns_start_dnsmasq RB 127.0.0.54 b "$DNS_PORT_RB" || bail_out "dnsmasq back on region b's port"
rm -f "$HTTP_MAINT_EA" "$HTTP_MAINT_EB"
T0=$(now)
wait_states "recovered: every service OK" "$BOUND" \
  "$SA!dns=0~RESOLVE OK" "$SA!api=0~API OK" "$SB!dns=0~RESOLVE OK" "$SB!api=0~API OK"

# the nodes' own logs: nothing critical but the satellites' first try to
# connect to the master, which starts after them (Icinga logs that as
# critical; the master connects to them a moment later)
for n in $NODES; do
  grep 'critical/' "$ICI/$n/log/icinga2.log" |
    grep -v "critical/ApiListener: Cannot connect to host '127.0.0.1' on port '$PORT_master': Connection refused" \
      >"$LAB_DIR/critical.txt"
  [ ! -s "$LAB_DIR/critical.txt" ]
  ok $? "no critical messages in $n's icinga2.log" "$(head -n 5 "$LAB_DIR/critical.txt")"
done
for p in master sat_a sat_b; do
  eval "pid=\$LAB_PID_$p"
  lab_alive "$pid"
  ok $? "icinga2 $p still running"
done

diag "times: streamlab $T_LAB s, PKI $T_PKI s, satellites' API up $T_SAT s, master's $T_MASTER s" \
  "after them; every service OK on the master $T_HEALTHY s after the test's start; whole test $(since "$T_START") s"
if [ "$TAP_FAILED" != 0 ]; then
  diag "$(dq show 2>&1)"
  for n in $NODES; do diag "--- $n" "$(tail -n 30 "$ICI/$n/log/icinga2.log")"; done
fi
plan_done
