#!/bin/sh
# `icinga2 daemon -C` on the shipped Icinga 2 configuration:
# docs/icinga2/streamwatch.conf (the CheckCommands) and
# docs/icinga2/example-streaming.conf (hosts, services, dependencies), in a
# minimal wrapper: constants, the ITL, a master zone with two regional
# satellite zones (so that the example's regional probes are built too,
# from a host that sets vars.probe_endpoints). Fails on any error or
# warning, and checks that the objects the example promises exist.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"

ICINGA2=${ICINGA2:-/usr/sbin/icinga2}
[ -x "$ICINGA2" ] || skip_all "icinga2 not installed"
lab_init
D=$LAB_DIR/icinga
mkdir -p "$D/cache" "$D/lib" "$D/log" "$D/run" "$D/zones/master" || bail_out "mkdir failed"
cp "$top_srcdir/docs/icinga2/example-streaming.conf" "$D/zones/master/" ||
  bail_out "docs/icinga2/example-streaming.conf missing"
[ -f "$top_srcdir/docs/icinga2/streamwatch.conf" ] || bail_out "docs/icinga2/streamwatch.conf missing"

cat >"$D/icinga2.conf" <<EOF
const PluginDir = "/usr/lib/nagios/plugins"
const NodeName = "master.example"
const ZoneName = "master"
object Endpoint NodeName {}
object Zone "master" { endpoints = [ NodeName ] }
object Endpoint "probe-eu" {}
object Zone "eu" { endpoints = [ "probe-eu" ]; parent = "master" }
object Endpoint "probe-us" {}
object Zone "us" { endpoints = [ "probe-us" ]; parent = "master" }
include <itl>
include "$top_srcdir/docs/icinga2/streamwatch.conf"
/* the example as it would sit in zones.d/master/ */
include_zones "example", "$D/zones"
EOF
cat >"$D/zones/master/regional.conf" <<'EOF'
object Host "regional.example" {
  import "streaming-service"
  vars.resolvers = { "ns1" = "192.0.2.53" }
  vars.resolve_hostname = "api.regional.example"
  vars.api_url = "https://api.regional.example/v1/health"
  vars.streams = { "hls" = { stream_url = "https://cdn.regional.example/live/master.m3u8" } }
  vars.probe_endpoints = { "eu" = "probe-eu", "us" = "probe-us" }
}
EOF

RUNAS=$(id -un)
[ "$(id -u)" = 0 ] && id nagios >/dev/null 2>&1 && RUNAS=nagios
[ "$(id -u)" = 0 ] && { chmod 755 "$LAB_DIR"; chown -R "$RUNAS" "$D"; }
run "$ICINGA2" daemon -C -c "$D/icinga2.conf" \
  -DConfiguration.RunAsUser="$RUNAS" -DConfiguration.RunAsGroup="$(id -gn "$RUNAS")" \
  -DConfiguration.ConfigDir="$D" -DConfiguration.DataDir="$D/lib" \
  -DConfiguration.LogDir="$D/log" -DConfiguration.CacheDir="$D/cache" \
  -DConfiguration.InitRunDir="$D/run" \
  -DConfiguration.ObjectsPath="$D/cache/icinga2.debug" \
  -DConfiguration.VarsPath="$D/cache/icinga2.vars"
is_rc 0 "icinga2 daemon -C accepts streamwatch.conf and example-streaming.conf"
no_line_matches '(warning|critical)/' "no warnings or errors while validating"
RUN_CMD= # the checks below are about the object dump, not this run's output

# the objects, from the validation's object dump
"$LAB_PY" - "$D/cache/icinga2.debug" >"$LAB_DIR/objects.txt" <<'EOF' || bail_out "cannot read the object dump"
import json, sys
d = open(sys.argv[1], "rb").read()
i = 0
while i < len(d):
    j = d.index(b":", i)
    n = int(d[i:j])
    o = json.loads(d[j + 1:j + 1 + n])
    i = j + 1 + n + 1
    p = o["properties"]
    print("%s|%s|%s" % (o["type"], p.get("__name") or o["name"], p.get("command_endpoint") or ""))
EOF
for c in streamwatch_resolve streamwatch_api streamwatch_login streamwatch_stream; do
  grep -q "^CheckCommand|$c|" "$LAB_DIR/objects.txt"
  ok $? "CheckCommand $c defined"
done
for s in 'radio.example!dns' 'radio.example!dns ns1' 'radio.example!dns ns3-v6' \
  'radio.example!login' 'radio.example!api' 'radio.example!stream live-mp3' \
  'tv.example!stream hls' 'tv.example!stream dash'; do
  grep -qF "Service|$s|" "$LAB_DIR/objects.txt"
  ok $? "service $s"
done
grep -qF 'Service|regional.example!api from eu|probe-eu' "$LAB_DIR/objects.txt"
ok $? "regional probe 'api from eu' runs on probe-eu"
grep -qF 'Service|regional.example!stream from us|probe-us' "$LAB_DIR/objects.txt"
ok $? "regional probe 'stream from us' runs on probe-us"
is "$(grep -c '^Dependency|radio.example!api!needs-dns|' "$LAB_DIR/objects.txt")" 1 \
  "the API depends on dns"
is "$(grep -c '^Dependency|radio.example!dns ns1!needs-dns|' "$LAB_DIR/objects.txt")" 0 \
  "the per-resolver services do not depend on dns"
plan_done
