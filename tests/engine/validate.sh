#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shipped Icinga 2 configuration, as the Debian package installs it,
# in a real Icinga 2 (Debian's icinga2):
#
# 1. `icinga2 daemon -C` on docs/icinga2/example-streaming.conf with
#    docs/icinga2/streamwatch.conf in plugins-contrib.d/ of a copy of the
#    ITL's include directory, read through `include <plugins-contrib>` with
#    the includes of Debian's icinga2.conf (<itl>, <plugins>, ...): no
#    object is defined twice, nothing warns, the example's objects exist
#    (with a master zone and two regional satellite zones, so the regional
#    probes are built too). The same for the Icinga 2 snippets of
#    docs/token-cache.md and docs/icinga2.md.
# 2. The CheckCommands against the plugins: every option of every plugin's
#    --help is an argument (--help and --version aside), every argument has
#    a description, every value argument a set_if guard.
# 3. The argv Icinga builds: a daemon whose PluginContribDir holds stand-in
#    plugins (they only print OK) runs services that set each variable, and
#    the test reads the command line of each service's last check result
#    through the REST API: every variable reaches its option, arrays repeat
#    it, null / "" / false / unset leave it out (never an empty argument),
#    and the defaults (resolve_hostname = the host's name, api_connect_to
#    and stream_connect_to = the host's address) hold.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"

ICINGA2=${ICINGA2:-/usr/sbin/icinga2}
[ -x "$ICINGA2" ] || skip_all "icinga2 not installed"
need_cmd openssl "openssl not installed"
ITL=${ICINGA2_INCLUDE:-/usr/share/icinga2/include}
[ -f "$ITL/plugins-contrib" ] || bail_out "$ITL/plugins-contrib missing (icinga2-common)"
CONF=$top_srcdir/docs/icinga2/streamwatch.conf
[ -f "$CONF" ] || bail_out "docs/icinga2/streamwatch.conf missing"
for p in check_resolve check_api check_login check_stream; do
  [ -x "$PLUGINDIR/$p" ] || bail_out "$PLUGINDIR/$p not built"
done
lab_init

RUNAS=$(id -un)
[ "$(id -u)" = 0 ] && id nagios >/dev/null 2>&1 && RUNAS=nagios
RUNGROUP=$(id -gn "$RUNAS")
[ "$(id -u)" = 0 ] && chmod 755 "$LAB_DIR"

# The package's layout: the ITL's include directory with streamwatch.conf
# in plugins-contrib.d/ (everything else linked to the system's files)
INC=$LAB_DIR/include
mkdir -p "$INC/plugins-contrib.d" || bail_out "mkdir failed"
for f in "$ITL"/*; do
  [ "${f##*/}" = plugins-contrib.d ] || ln -s "$f" "$INC/" || bail_out "ln failed"
done
# (an installed package's streamwatch.conf left out: this tree's is tested)
for f in "$ITL"/plugins-contrib.d/*; do
  [ "${f##*/}" = streamwatch.conf ] || ln -s "$f" "$INC/plugins-contrib.d/" || bail_out "ln failed"
done
cp "$CONF" "$INC/plugins-contrib.d/streamwatch.conf" || bail_out "cp failed"

# icinga DIR [ARGS...]: icinga2 with every path under DIR (ICINGA_EXEC=exec:
# in place of the shell, so that lab_spawn's pid is icinga2's)
ICINGA_EXEC=
icinga() {
  _d=$1
  shift
  $ICINGA_EXEC "$ICINGA2" "$@" -DConfiguration.IncludeConfDir="$INC" \
    -DConfiguration.RunAsUser="$RUNAS" -DConfiguration.RunAsGroup="$RUNGROUP" \
    -DConfiguration.ConfigDir="$_d" -DConfiguration.DataDir="$_d/lib" \
    -DConfiguration.LogDir="$_d/log" -DConfiguration.CacheDir="$_d/cache" \
    -DConfiguration.SpoolDir="$_d/spool" -DConfiguration.InitRunDir="$_d/run" \
    -DConfiguration.PidPath="$_d/run/icinga2.pid" \
    -DConfiguration.StatePath="$_d/lib/icinga2.state" \
    -DConfiguration.ModAttrPath="$_d/lib/modified-attributes.conf" \
    -DConfiguration.ObjectsPath="$_d/cache/icinga2.debug" \
    -DConfiguration.VarsPath="$_d/cache/icinga2.vars" \
    -DConfiguration.ZonesDir="$_d/zones.d"
}
# the includes and constants of Debian's icinga2.conf and constants.conf
debian_head() {
  cat <<EOF
const PluginDir = "$1"
const ManubulonPluginDir = "$1"
const PluginContribDir = "$1"
include <itl>
include <plugins>
include <plugins-contrib>
include <manubulon>
include <windows-plugins>
include <nscp>
EOF
}

# ------------------------------------------------ 1. the example validates
D=$LAB_DIR/icinga
mkdir -p "$D/cache" "$D/lib" "$D/log" "$D/run" "$D/spool" "$D/zones/master" ||
  bail_out "mkdir failed"
cp "$top_srcdir/docs/icinga2/example-streaming.conf" "$D/zones/master/" ||
  bail_out "docs/icinga2/example-streaming.conf missing"
{
  debian_head /usr/lib/nagios/plugins
  cat <<EOF
const NodeName = "master.example"
const ZoneName = "master"
object Endpoint NodeName {}
object Zone "master" { endpoints = [ NodeName ] }
object Endpoint "probe-eu" {}
object Zone "eu" { endpoints = [ "probe-eu" ]; parent = "master" }
object Endpoint "probe-us" {}
object Zone "us" { endpoints = [ "probe-us" ]; parent = "master" }
/* the example as it would sit in zones.d/master/ */
include_zones "example", "$D/zones"
EOF
} >"$D/icinga2.conf"
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
[ "$(id -u)" = 0 ] && chown -R "$RUNAS" "$D"
run icinga "$D" daemon -C -c "$D/icinga2.conf"
is_rc 0 "icinga2 daemon -C: example-streaming.conf with streamwatch.conf from <plugins-contrib>"
no_line_matches '(warning|critical)/' "no warnings or errors while validating"
RUN_CMD= # the checks below are about the object dump, not this run's output

# the objects, from the validation's object dump (length-prefixed JSON)
cat >"$LAB_DIR/dump.py" <<'EOF'
import json, sys
def objects(path):
    d = open(path, "rb").read()
    i = 0
    while i < len(d):
        j = d.index(b":", i)
        n = int(d[i:j])
        yield json.loads(d[j + 1:j + 1 + n])
        i = j + 1 + n + 1
if __name__ == "__main__":
    for o in objects(sys.argv[1]):
        p = o["properties"]
        print("%s|%s|%s" % (o["type"], p.get("__name") or o["name"], p.get("command_endpoint") or ""))
EOF
"$LAB_PY" "$LAB_DIR/dump.py" "$D/cache/icinga2.debug" >"$LAB_DIR/objects.txt" ||
  bail_out "cannot read the object dump"
for c in streamwatch_resolve streamwatch_api streamwatch_login streamwatch_stream; do
  grep -q "^CheckCommand|$c|" "$LAB_DIR/objects.txt"
  ok $? "CheckCommand $c defined"
done
for s in 'radio.example!dns' 'radio.example!dns ns1' 'radio.example!dns ns3-v6' \
  'radio.example!dns doh' \
  'radio.example!login' 'radio.example!api' 'radio.example!stream live-mp3' \
  'tv.example!stream hls' 'tv.example!stream dash' 'tv.example!api edges'; do
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

# the Icinga 2 snippets of docs/token-cache.md and docs/icinga2.md, with
# the package's CheckCommands: nothing redefined, the services built
S=$LAB_DIR/snippets
mkdir -p "$S/cache" "$S/lib" "$S/log" "$S/run" "$S/spool" || bail_out "mkdir failed"
{
  debian_head /usr/lib/nagios/plugins
  cat <<'EOF'
const NodeName = "master.example"
const ZoneName = "master"
object Endpoint NodeName {}
object Zone "master" { endpoints = [ NodeName ] }
object Host "radio.example" { check_command = "dummy"; vars.streaming = true }
EOF
  # every ``` block of token-cache.md's Icinga 2 section, and icinga2.md's
  # blocks that define objects (not the zones.conf or include lines)
  "$LAB_PY" - "$top_srcdir/docs/token-cache.md" "$top_srcdir/docs/icinga2.md" <<'EOF'
import re, sys
tc = open(sys.argv[1]).read().split("\n## Icinga 2\n", 1)[1].split("\n## ", 1)[0]
for b in re.findall(r"```\n(.*?)```", tc, re.S):
    print(b)
for b in re.findall(r"```\n(.*?)```", open(sys.argv[2]).read(), re.S):
    if re.match(r"\s*object CheckCommand", b):
        print(b)
EOF
} >"$S/icinga2.conf"
[ "$(id -u)" = 0 ] && chown -R "$RUNAS" "$S"
run icinga "$S" daemon -C -c "$S/icinga2.conf"
is_rc 0 "icinga2 daemon -C: the snippets of token-cache.md and icinga2.md with <plugins-contrib>"
no_line_matches '(warning|critical)/' "snippets: no warnings or errors"
RUN_CMD=
"$LAB_PY" "$LAB_DIR/dump.py" "$S/cache/icinga2.debug" >"$LAB_DIR/snippets.txt" ||
  bail_out "cannot read the snippets' object dump"
for o in 'Service|radio.example!login|' 'Service|radio.example!api|' \
  'Dependency|radio.example!api!api-needs-login|' 'CheckCommand|streamwatch_login_env|'; do
  grep -qF "$o" "$LAB_DIR/snippets.txt"
  ok $? "snippets: ${o%|}" "$(grep -v '^CheckCommand|' "$LAB_DIR/snippets.txt" | head -n 20)"
done

# ---------------------------------- 2. every option, described and guarded
for p in resolve api login stream; do
  "$PLUGINDIR/check_$p" --help >"$LAB_DIR/help_$p.txt" 2>&1
done
"$LAB_PY" - "$D/cache/icinga2.debug" "$LAB_DIR" >"$LAB_DIR/cover.txt" 2>&1 <<'EOF'
import re, sys
sys.path.insert(0, sys.argv[2])
from dump import objects
cmds = {o["name"]: o["properties"] for o in objects(sys.argv[1]) if o["type"] == "CheckCommand"}
for p in ("resolve", "api", "login", "stream"):
    c = cmds["streamwatch_" + p]
    args = c["arguments"]
    help_ = open("%s/help_%s.txt" % (sys.argv[2], p)).read()
    opts = help_.split("\nOptions:", 1)[1].split("\nExamples:", 1)[0]
    # "-u, --url=URL" pairs: the short key stands for the long option
    short = dict((l, s) for s, l in re.findall(r"(?<![\w-])(-[A-Za-z0-9]), (--[a-z][a-z0-9-]*)", opts))
    longs = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", opts)) - {"--help", "--version"}
    missing = sorted(l for l in longs if l not in args and short.get(l) not in args)
    print("%s|%s|every --help option is an argument|%s" % (p, 0 if not missing else 1, " ".join(missing)))
    nodesc = sorted(k for k, a in args.items() if not (isinstance(a, dict) and a.get("description")))
    print("%s|%s|every argument has a description|%s" % (p, 0 if not nodesc else 1, " ".join(nodesc)))
    # a value argument without a guard would pass null or "" as an empty argument
    unguarded = sorted(k for k, a in args.items() if isinstance(a, dict) and "value" in a
                       and not (isinstance(a.get("set_if"), dict) and a["set_if"].get("type") == "Function"))
    print("%s|%s|every value argument has a set_if guard|%s" % (p, 0 if not unguarded else 1, " ".join(unguarded)))
    print("%s|%s|command is PluginContribDir/check_%s|%s" % (p, 0 if c["command"] == ["/usr/lib/nagios/plugins/check_" + p] else 1, p, c["command"]))
EOF
[ -s "$LAB_DIR/cover.txt" ] || bail_out "coverage script printed nothing"
while IFS='|' read -r p r d x; do
  case $r in 0|1) ok "$r" "streamwatch_$p: $d" "$x" ;; *) ok 1 "coverage script: $p $r $d $x" ;; esac
done <"$LAB_DIR/cover.txt"

# ------------------------------------------ 3. the argv Icinga builds
A=$LAB_DIR/argv
mkdir -p "$A/cache" "$A/lib/certs" "$A/log" "$A/run/cmd" "$A/spool" "$A/plugins" ||
  bail_out "mkdir failed"
for p in check_resolve check_api check_login check_stream; do
  printf '#!/bin/sh\necho "STAND-IN OK"\n' >"$A/plugins/$p"
  chmod 755 "$A/plugins/$p"
done
( cd "$A/lib/certs" &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt \
    -subj /CN=argv-icinga-ca -days 2 &&
  openssl req -newkey rsa:2048 -nodes -keyout argv.key -out argv.csr -subj /CN=argv &&
  openssl x509 -req -in argv.csr -CA ca.crt -CAkey ca.key \
    -CAcreateserial -out argv.crt -days 2 ) >"$LAB_DIR/certs.log" 2>&1 ||
  bail_out "openssl failed: $(cat "$LAB_DIR/certs.log")"
API_PORT=$(lab_free_port 127.0.0.1)
API_PASS=argv-$$

# The cases: one service each. vars (null: None) and the options expected
# in argv, each a tuple (option, value) or (option,) for a flag, in any
# order between options but in order within a repeated option.
cat >"$LAB_DIR/cases.py" <<'EOF'
V4, V6 = "192.0.2.7", "2001:db8::7"
HOSTS = {"v4.example": {"address": V4}, "v6.example": {"address6": V6},
         "dual.example": {"address": V4, "address6": V6}, "none.example": {}}
FLAGS = {"-L", "-n", "-C", "-A", "--compare-serial", "--dnssec", "--tcp", "--no-recursion", "--invert", "--insecure",
         "--digest", "--verify-rejects", "--decode", "--all-variants", "--all-addresses",
         "--edge-perfdata", "--sticky", "--ocsp-required", "--certificate-only",
         "--prefer-ipv6", "--prefer-ipv4", "-4", "-6", "-v", "-vv",
         "-vvv"}
RESOLVE_ALL = {
    "resolve_hostname": ["api.example.com", "cdn.example.com"],
    "resolve_server": ["192.0.2.53", "[2001:db8::53]:5353"],
    "resolve_resolv_conf": "/etc/streamwatch/resolv.conf", "resolve_querytype": "AAAA",
    "resolve_expect": ["2001:db8::/32", "2001:db8::1"], "resolve_expect_all": True,
    "resolve_expect_nxdomain": True, "resolve_consistent": True, "resolve_compare_serial": True,
    "resolve_expect_authoritative": True, "resolve_tcp": True, "resolve_no_recursion": True,
    "resolve_client_subnet": "10.1.0.0/16", "resolve_dnssec": True,
    "resolve_ca_file": "/etc/ssl/ca.pem", "resolve_ca_path": "/etc/ssl/certs",
    "resolve_client_cert": "/etc/sw/c.pem", "resolve_client_key": "/etc/sw/c.key",
    "resolve_tls_min": "1.3", "resolve_insecure": True,
    "resolve_warning": "0.5", "resolve_critical": 1, "resolve_fail_warning": 0,
    "resolve_fail_critical": 3, "resolve_retries": 2, "resolve_timeout": "2.5:unknown",
    "resolve_ipv4": True, "resolve_ipv6": False, "resolve_extra_opts": "dns@/etc/sw.ini",
    "resolve_verbose": 2}
RESOLVE_ALL_ARGV = [
    ("-H", "api.example.com"), ("-H", "cdn.example.com"), ("-s", "192.0.2.53"),
    ("-s", "[2001:db8::53]:5353"), ("--resolv-conf", "/etc/streamwatch/resolv.conf"),
    ("-q", "AAAA"), ("-a", "2001:db8::/32"), ("-a", "2001:db8::1"), ("-L",), ("-n",), ("-C",), ("--compare-serial",),
    ("-A",), ("--tcp",), ("--no-recursion",), ("--client-subnet", "10.1.0.0/16"), ("--dnssec",),
    ("--ca-file", "/etc/ssl/ca.pem"), ("--ca-path", "/etc/ssl/certs"), ("--client-cert", "/etc/sw/c.pem"),
    ("--client-key", "/etc/sw/c.key"), ("--tls-min", "1.3"), ("--insecure",),
    ("-w", "0.5"), ("-c", "1"),
    ("--fail-warning", "0"), ("--fail-critical", "3"), ("--retries", "2"),
    ("-t", "2.5:unknown"), ("-4",), ("--extra-opts", "dns@/etc/sw.ini"), ("-vv",)]
HTTP = lambda p: {
    p + "_header": ["X-Probe: icinga", "Accept: application/json"],
    p + "_insecure": True, p + "_ca_file": "/etc/ssl/ca.pem", p + "_client_cert": "/etc/sw/c.pem",
    p + "_client_key": "/etc/sw/c.key", p + "_tls_min": "1.3", p + "_proxy": "http://proxy:3128",
    p + "_http_version": "2", p + "_timeout": 20, p + "_ipv4": False, p + "_ipv6": True,
    p + "_extra_opts": p, p + "_connect_to": "198.51.100.9:8443", p + "_ca_path": "/etc/ssl/certs",
    p + "_all_addresses": True, p + "_resolver": "192.0.2.53", p + "_edge_perfdata": True,
    p + "_edge_fail_warning": 0, p + "_edge_fail_critical": 2}
HTTP_ARGV = [
    ("-k", "X-Probe: icinga"), ("-k", "Accept: application/json"), ("--insecure",),
    ("--ca-file", "/etc/ssl/ca.pem"), ("--client-cert", "/etc/sw/c.pem"),
    ("--client-key", "/etc/sw/c.key"), ("--tls-min", "1.3"), ("--proxy", "http://proxy:3128"),
    ("--http-version", "2"), ("-t", "20"), ("-6",), ("--connect-to", "198.51.100.9:8443"),
    ("--ca-path", "/etc/ssl/certs"), ("--all-addresses",), ("--resolver", "192.0.2.53"),
    ("--edge-perfdata",), ("--edge-fail-warning", "0"), ("--edge-fail-critical", "2")]
BEARER = lambda p: {p + "_bearer": "tok3n", p + "_bearer_file": "/etc/sw/tok",
                    p + "_bearer_env": "SW_TOKEN"}
BEARER_ARGV = [("--bearer", "tok3n"), ("--bearer-file", "/etc/sw/tok"), ("--bearer-env", "SW_TOKEN")]
URL = "https://api.example.com/v1/health"
API_ALL = dict(HTTP("api"), **BEARER("api"), **{
    "api_url": URL, "api_method": "POST", "api_data": "{\"q\": 1}", "api_data_file": "/etc/sw/body.json",
    "api_token_cache": "/var/lib/nagios/streamwatch/a.token", "api_expect_status": "200,204",
    "api_string": "ok", "api_regex": "^\\{", "api_invert": True,
    "api_json": ["/status==ok", "/tracks/items/0/id"], "api_metric": ["tracks=/total;1:;1:"],
    "api_warning": "0.5", "api_critical": 2, "api_max_size": 65536, "api_cert_warning": 30,
    "api_cert_critical": 10, "api_onredirect": "critical", "api_rate_limit_state": "critical",
    "api_verbose": True, "api_user_agent": "probe/1 (noc)", "api_auth_file": "/etc/sw/basic",
    "api_auth_env": "SW_BASIC", "api_eregi": "^ok", "api_expect_header": ["X-Cache: ^HIT", "ETag:"],
    "api_header_absent": ["X-Debug"], "api_max_age": "1h", "api_size": "10:4096",
    "api_max_redirects": 3, "api_sticky": True, "api_ocsp_required": True,
    "api_certificate_only": True, "api_source_address": "192.0.2.10", "api_prefer_ipv6": True,
    "api_prefer_ipv4": True})
API_ALL_ARGV = HTTP_ARGV + BEARER_ARGV + [
    ("-u", URL), ("-X", "POST"), ("-d", "{\"q\": 1}"), ("--data-file", "/etc/sw/body.json"),
    ("--token-cache", "/var/lib/nagios/streamwatch/a.token"), ("-e", "200,204"), ("-s", "ok"),
    ("-r", "^\\{"), ("--invert",), ("-j", "/status==ok"), ("-j", "/tracks/items/0/id"),
    ("-M", "tracks=/total;1:;1:"), ("-w", "0.5"), ("-c", "2"), ("--max-size", "65536"),
    ("--cert-warning", "30"), ("--cert-critical", "10"), ("-f", "critical"),
    ("--rate-limit-state", "critical"), ("--extra-opts", "api"), ("-v",),
    ("--user-agent", "probe/1 (noc)"), ("--auth-file", "/etc/sw/basic"), ("--auth-env", "SW_BASIC"),
    ("-R", "^ok"), ("--expect-header", "X-Cache: ^HIT"), ("--expect-header", "ETag:"),
    ("--header-absent", "X-Debug"), ("--max-age", "1h"), ("--size", "10:4096"),
    ("--max-redirects", "3"), ("--sticky",), ("--ocsp-required",), ("--certificate-only",),
    ("--source-address", "192.0.2.10"), ("--prefer-ipv6",), ("--prefer-ipv4",)]
LOGIN_URL = "https://auth.example.com/login"
LOGIN_VALS = [
    ("login_url", "-u", LOGIN_URL), ("login_flow", "--flow", "form"),
    ("login_client_id", "--client-id", "mon"), ("login_client_secret_file", "--client-secret-file", "/etc/sw/cs"),
    ("login_client_secret_env", "--client-secret-env", "SW_CS"), ("login_client_secret", "--client-secret", "s3cret"),
    ("login_client_auth", "--client-auth", "post"), ("login_username", "--username", "probe"),
    ("login_password_file", "--password-file", "/etc/sw/pw"), ("login_password_env", "--password-env", "SW_PW"),
    ("login_password", "--password", "pw"), ("login_refresh_token_file", "--refresh-token-file", "/etc/sw/rt"),
    ("login_refresh_token_env", "--refresh-token-env", "SW_RT"), ("login_refresh_token", "--refresh-token", "rt"),
    ("login_scope", "--scope", "read"), ("login_audience", "--audience", "api"),
    ("login_user_field", "--user-field", "email"), ("login_password_field", "--password-field", "pass"),
    ("login_csrf_field", "--csrf-field", "csrf_token"), ("login_csrf_regex", "--csrf-regex", "csrf=([a-z0-9]+)"),
    ("login_success_url", "--success-url", "https://auth.example.com/me"),
    ("login_success_string", "--success-string", "Welcome back"),
    ("login_success_regex", "--success-regex", "Welcome [a-z]+"),
    ("login_failure_string", "--failure-string", "Invalid password"),
    ("login_form_origin", "--form-origin", "https://sso.example.com"),
    ("login_cookie_jar", "--cookie-jar", "/var/lib/nagios/streamwatch/jar"),
    ("login_token_cache", "--token-cache", "/var/lib/nagios/streamwatch/t.token"),
    ("login_save_refresh_token", "--save-refresh-token", "/var/lib/nagios/streamwatch/rt"),
    ("login_ttl_warning", "--ttl-warning", "600:"), ("login_ttl_critical", "--ttl-critical", "60:"),
    ("login_rejected_state", "--rejected-state", "warning"), ("login_warning", "-w", "1"),
    ("login_critical", "-c", "3")]
LOGIN_ALL = dict(HTTP("login"), **dict((v, x) for v, _, x in LOGIN_VALS), **{
    "login_digest": True, "login_verify_rejects": True,
    "login_form_field": ["remember=1", "lang=en"], "login_verbose": 3})
LOGIN_ALL_ARGV = HTTP_ARGV + [(o, x) for _, o, x in LOGIN_VALS] + [
    ("--digest",), ("--verify-rejects",), ("--form-field", "remember=1"), ("--form-field", "lang=en"),
    ("--extra-opts", "login"), ("-vvv",)]
STREAM_URL = "https://cdn.example.com/live/master.m3u8"
STREAM_VALS = [
    ("stream_url", "-u", STREAM_URL), ("stream_type", "--type", "hls"), ("stream_duration", "--duration", "3"),
    ("stream_variant", "--variant", "highest"), ("stream_segments", "--segments", "3"),
    ("stream_expect_format", "--expect-format", "ts"), ("stream_min_bitrate", "--min-bitrate", "128"),
    ("stream_rate_warning", "--rate-warning", "1.2:"), ("stream_rate_critical", "--rate-critical", "1:"),
    ("stream_stall", "--stall", "2"), ("stream_stall_critical", "--stall-critical", "1"),
    ("stream_max_age", "--max-age", "30"), ("stream_warning", "-w", "1"), ("stream_critical", "-c", "4"),
    ("stream_token_cache", "--token-cache", "/var/lib/nagios/streamwatch/a.token"),
    ("stream_silence_level", "--silence-level", "-55"),
    ("stream_silence_warning", "--silence-warning", "1"),
    ("stream_silence_critical", "--silence-critical", "2"),
    ("stream_level_warning", "--level-warning", "-30:"),
    ("stream_level_critical", "--level-critical", "-40:"),
    ("stream_loudness_warning", "--loudness-warning", "-28:-10"),
    ("stream_loudness_critical", "--loudness-critical", "-35:-5"),
    ("stream_variant_fail_warning", "--variant-fail-warning", "0"),
    ("stream_variant_fail_critical", "--variant-fail-critical", "1")]
STREAM_ALL = dict(HTTP("stream"), **BEARER("stream"), **dict((v, x) for v, _, x in STREAM_VALS),
                  stream_verbose=1, stream_decode=True, stream_all_variants=True)
STREAM_ALL_ARGV = HTTP_ARGV + BEARER_ARGV + [(o, x) for _, o, x in STREAM_VALS] + [
    ("--extra-opts", "stream"), ("-v",), ("--decode",), ("--all-variants",)]

def every(d, value):
    return dict((k, value) for k in d)

# name: (command, host, vars, expected options)
CASES = {
    "resolve defaults": ("resolve", "v4.example", {}, [("-H", "v4.example")]),
    "resolve every variable": ("resolve", "v4.example", RESOLVE_ALL, RESOLVE_ALL_ARGV),
    "resolve all null": ("resolve", "v4.example", every(RESOLVE_ALL, None), []),
    "resolve all false": ("resolve", "v4.example", every(RESOLVE_ALL, False), []),
    "resolve all empty": ("resolve", "v4.example", every(RESOLVE_ALL, ""), []),
    "resolve empty array": ("resolve", "v4.example", {"resolve_server": [], "resolve_expect": []},
                            [("-H", "v4.example")]),
    "api address": ("api", "v4.example", {"api_url": URL}, [("-u", URL), ("--connect-to", V4)]),
    "api address6": ("api", "v6.example", {"api_url": URL}, [("-u", URL), ("--connect-to", V6)]),
    "api dual": ("api", "dual.example", {"api_url": URL}, [("-u", URL), ("--connect-to", V4)]),
    "api dual ipv6": ("api", "dual.example", {"api_url": URL, "api_ipv6": True},
                      [("-u", URL), ("-6",), ("--connect-to", V6)]),
    "api no address": ("api", "none.example", {"api_url": URL}, [("-u", URL)]),
    "api all_addresses": ("api", "v4.example", {"api_url": URL, "api_all_addresses": True},
                          [("-u", URL), ("--all-addresses",)]),
    "stream all_addresses": ("stream", "v4.example", {"stream_url": STREAM_URL, "stream_all_addresses": True},
                             [("-u", STREAM_URL), ("--all-addresses",)]),
    "api connect_to false": ("api", "v4.example", {"api_url": URL, "api_connect_to": False}, [("-u", URL)]),
    "api connect_to null": ("api", "v4.example", {"api_url": URL, "api_connect_to": None}, [("-u", URL)]),
    "api connect_to empty": ("api", "v4.example", {"api_url": URL, "api_connect_to": ""}, [("-u", URL)]),
    "api every variable": ("api", "v4.example", API_ALL, API_ALL_ARGV),
    "api all null": ("api", "v4.example", every(API_ALL, None), []),
    "api all false": ("api", "v4.example", every(API_ALL, False), []),
    "api all empty": ("api", "v4.example", every(API_ALL, ""), []),
    "login no address default": ("login", "v4.example", {"login_url": LOGIN_URL}, [("-u", LOGIN_URL)]),
    "login every variable": ("login", "v4.example", LOGIN_ALL, LOGIN_ALL_ARGV),
    "login all null": ("login", "v4.example", every(LOGIN_ALL, None), []),
    "login all false": ("login", "v4.example", every(LOGIN_ALL, False), []),
    "login all empty": ("login", "v4.example", every(LOGIN_ALL, ""), []),
    "stream address": ("stream", "v4.example", {"stream_url": STREAM_URL},
                       [("-u", STREAM_URL), ("--connect-to", V4)]),
    "stream every variable": ("stream", "v4.example", STREAM_ALL, STREAM_ALL_ARGV),
    "stream all null": ("stream", "v4.example", every(STREAM_ALL, None), []),
    "stream all false": ("stream", "v4.example", every(STREAM_ALL, False), []),
    "stream all empty": ("stream", "v4.example", every(STREAM_ALL, ""), []),
}

def dsl(v):
    """a Python value as Icinga 2 DSL"""
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[ " + ", ".join(dsl(x) for x in v) + " ]"
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("$", "$$") + '"'
EOF

cat >"$LAB_DIR/argv.py" <<'EOF'
"""argv.py conf: the hosts and services of cases.py, as Icinga 2 DSL
   argv.py check PLUGINDIR: waits (LAB_WAIT s at most) until every service
   has a check result, then prints one line per case:
   NAME|0 or 1|what differs"""
import base64, json, os, ssl, sys, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, FLAGS, HOSTS, dsl

if sys.argv[1] == "conf":
    for h, attrs in HOSTS.items():
        print('object Host %s { check_command = "dummy"; %s }' % (
            dsl(h), "; ".join("%s = %s" % (k, dsl(v)) for k, v in attrs.items())))
    for name, (cmd, host, vars_, _) in CASES.items():
        print('object Service %s {' % dsl(name))
        print('  host_name = %s; check_command = "streamwatch_%s"' % (dsl(host), cmd))
        print('  check_interval = 1s; retry_interval = 1s; enable_flapping = false')
        for k, v in vars_.items():
            print('  vars.%s = %s' % (k, dsl(v)))
        print('}')
    sys.exit(0)

plugindir = sys.argv[2]
ctx = ssl.create_default_context(cafile=os.environ["API_CA"])
ctx.check_hostname = False
auth = "Basic " + base64.b64encode(("argv:" + os.environ["API_PASS"]).encode()).decode()
url = "https://127.0.0.1:%s/v1/objects/services?attrs=last_check_result&attrs=display_name" % os.environ["API_PORT"]
deadline = time.monotonic() + float(os.environ.get("LAB_WAIT", "10"))
while True:
    req = urllib.request.Request(url, headers={"Authorization": auth, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
            res = {x["attrs"]["display_name"]: x["attrs"].get("last_check_result") for x in json.load(r)["results"]}
    except OSError as e:
        res = {}
    if len(res) == len(CASES) and all(res.values()) or time.monotonic() > deadline:
        break
    time.sleep(0.2)

def groups(argv):
    out, i = [], 0
    while i < len(argv):
        if argv[i] in FLAGS:
            out.append((argv[i],))
            i += 1
        else:
            out.append(tuple(argv[i:i + 2]))
            i += 2
    return out

for name, (cmd, host, vars_, want) in CASES.items():
    cr = res.get(name)
    if not cr:
        print("%s|1|no check result within LAB_WAIT s" % name)
        continue
    argv = cr.get("command") or []
    if isinstance(argv, str):
        argv = [argv]
    bad = []
    if not argv or argv[0] != "%s/check_%s" % (plugindir, cmd):
        bad.append("argv[0] is %r" % (argv[:1],))
    # exact: the same options, each repeated option's values in order
    got = sorted(groups(argv[1:]), key=lambda g: g[0])
    exp = sorted(want, key=lambda g: g[0])
    if got != exp:
        extra = [g for g in got if g not in exp]
        miss = [g for g in exp if g not in got]
        bad.append("extra %s, missing %s" % (extra, miss) if extra or miss else "order differs")
    if any(a == "" for a in argv):
        bad.append("an empty argument")
    print("%s|%d|%s argv=%s" % (name, 1 if bad else 0, "; ".join(bad), json.dumps(argv)))
EOF

{
  debian_head "$A/plugins"
  cat <<EOF
const NodeName = "argv"
const ZoneName = NodeName
object Endpoint NodeName {}
object Zone ZoneName { endpoints = [ NodeName ] }
object FileLogger "main" {
  path = "$A/log/icinga2.log"
  severity = "information"
}
object CheckerComponent "checker" {}
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = $API_PORT
  accept_config = false
  accept_commands = false
}
object ApiUser "argv" {
  password = "$API_PASS"
  permissions = [ "objects/query/Service" ]
}
EOF
  "$LAB_PY" "$LAB_DIR/argv.py" conf || bail_out "argv.py conf failed"
} >"$A/icinga2.conf"
[ "$(id -u)" = 0 ] && chown -R "$RUNAS:$RUNGROUP" "$A"

# every variable a CheckCommand reads is set by its "every variable" case
"$LAB_PY" - "$D/cache/icinga2.debug" "$LAB_DIR" >"$LAB_DIR/vars.txt" 2>&1 <<'EOF'
import re, sys
sys.path.insert(0, sys.argv[2])
from dump import objects
from cases import CASES
for o in objects(sys.argv[1]):
    if o["type"] != "CheckCommand" or not o["name"].startswith("streamwatch_"):
        continue
    p = o["name"][len("streamwatch_"):]
    used = {p + "_verbose"}
    for a in o["properties"]["arguments"].values():
        for f in ("value", "set_if"):
            if isinstance(a.get(f), str):
                used.update(re.findall(r"\$([a-z0-9_]+)\$", a[f]))
    unset = sorted(used - set(CASES[p + " every variable"][2]))
    print("%s|%d|%s" % (p, 1 if unset else 0, " ".join(unset)))
EOF
while IFS='|' read -r p r x; do
  case $r in 0|1) ok "$r" "argv: the '$p every variable' case sets every variable of streamwatch_$p" "$x" ;;
    *) ok 1 "vars script: $p $r $x" ;; esac
done <"$LAB_DIR/vars.txt"

run icinga "$A" daemon -C -c "$A/icinga2.conf"
is_rc 0 "icinga2 daemon -C accepts the argv cases" || bail_out "argv config invalid"
RUN_CMD=
ICINGA_EXEC=exec
lab_spawn icinga icinga "$A" daemon -c "$A/icinga2.conf"
ICINGA_EXEC=
lab_wait_tcp 127.0.0.1 "$API_PORT" "$LAB_PID" || bail_out "icinga2's API does not answer"
API_CA=$A/lib/certs/ca.crt
export API_CA API_PORT API_PASS
"$LAB_PY" "$LAB_DIR/argv.py" check "$A/plugins" >"$LAB_DIR/argv.txt" 2>&1
[ -s "$LAB_DIR/argv.txt" ] || bail_out "argv.py printed nothing"
while IFS='|' read -r name r x; do
  case $r in 0|1) ok "$r" "argv: $name" "$x" ;; *) ok 1 "argv.py: $name $r $x" ;; esac
done <"$LAB_DIR/argv.txt"
[ "$TAP_FAILED" = 0 ] || diag "$(cat "$LAB_DIR/argv.txt")"
plan_done
