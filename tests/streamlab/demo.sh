#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make demo: starts streamlab (DNS, API over HTTP and TLS) on loopback and
# runs the plugins against it, first healthy, then with each kind of
# outage of the story this project exists for. Everything it starts is
# stopped at exit.
set -u
: "${PLUGINDIR:?PLUGINDIR must name the built plugins}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export top_srcdir
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/login.sh"
. "$top_srcdir/tests/streamlab/media.sh"
lab_init || exit 1

dns_start_dnsmasq A 127.0.0.53 a || exit 1
dns_start_dnsmasq B 127.0.0.54 b || exit 1
dns_start_fake F 127.0.0.55 || exit 1
dns_start_fake BH 127.0.0.56 --mode silent || exit 1

http_start_fault F 127.0.0.1 || exit 1
http_start_nginx W 127.0.0.1 F || exit 1
login_start L 127.0.0.1 || exit 1

# show TITLE PLUGIN ARGS...: the command and what the plugin printed
run_plugin() {
  title=$1
  plugin=$2
  shift 2
  printf '\n== %s\n$ %s %s\n' "$title" "$plugin" "$*"
  "$PLUGINDIR/$plugin" "$@"
  printf '(exit %d)\n' $?
}
show() {
  title=$1
  shift
  run_plugin "$title" check_resolve "$@"
}
api() {
  title=$1
  shift
  run_plugin "$title" check_api "$@"
}
stream() {
  title=$1
  shift
  run_plugin "$title" check_stream "$@"
}
login() {
  title=$1
  shift
  run_plugin "$title" check_login "$@"
}

# resolvers named (-s NAME=ADDR): perfdata labels stay the same whatever
# port streamlab got (time_api_stream_test_ns1)
R1=ns1=$DNS_SERVER_A
R2=ns2=$DNS_SERVER_B
R3=ns3=$DNS_SERVER_BH
show "healthy: two names, one resolver" \
  -H api.stream.test -H www.stream.test -s "$R1" -a 10.1.0.0/16 -w 0.5 -c 1
show "healthy: MX with the expected exchanger" \
  -H stream.test -q MX -s "$R1" -a mx.stream.test.
show "outage: the resolver fleet answers SERVFAIL" \
  -H servfail.fault.test -s "$DNS_SERVER_F"
show "outage: a config push removed the record (NXDOMAIN)" \
  -H login.stream.test -s "$R1"
show "outage: one resolver points api at the wrong address" \
  -H api.stream.test -s "$R1" -s "$R2" -a 10.1.2.0/24
show "outage: one of three resolvers is a black hole (-t 2)" \
  -H api.stream.test -s "$R1" -s "$R2" -s "$R3" -t 2 \
  --fail-warning 0 --fail-critical 1
show "drift: resolvers disagree (-C)" \
  -H api.stream.test -s "$R1" -s "$R2" -C
show "a name that must not exist (-n)" \
  -H old.stream.test -s "$R1" -n

SECRET=$LAB_DIR/client.secret
printf '%s\n' "$LOGIN_CLIENT_SECRET" >"$SECRET"
CACHE=$LAB_DIR/token.cache
login "login healthy: OAuth2 client credentials, token cached for the API" \
  -u "$LOGIN_URL_L/token" --client-id "$LOGIN_CLIENT_ID" \
  --client-secret-file "$SECRET" --token-cache "$CACHE" --ttl-warning 300:
api "API with the cached token" -u "$LOGIN_URL_L/api/me" \
  --token-cache "$CACHE" -j /user
login "login broken: the secret was rotated, ours is rejected" \
  -u "$LOGIN_URL_L/token" --client-id "$LOGIN_CLIENT_ID" --client-secret old
login "login broken: the token service answers 503" \
  -u "$LOGIN_URL_L/fault/503/token" --client-id "$LOGIN_CLIENT_ID" \
  --client-secret-file "$SECRET"
PW=$LAB_DIR/user.pw
printf '%s\n' "$LOGIN_PASSWORD" >"$PW"
login "user login through the HTML form (CSRF token, cookies, redirects)" \
  --flow form -u "$LOGIN_URL_L/login" --username "$LOGIN_USER" \
  --password-file "$PW" --csrf-field csrf_token --success-string 'Welcome back'
login "user login broken: the form changed under us" \
  --flow form -u "$LOGIN_URL_L/changed/login" --username "$LOGIN_USER" \
  --password-file "$PW" --csrf-field csrf_token --success-string 'Welcome back'

H=api.stream.test
api "API healthy: status, JSON values, a metric, TLS pinned to one edge" \
  -u "https://$H:$HTTPS_PORT_W_valid/v1/health" --connect-to 127.0.0.1 \
  --ca-file "$TLS_CA" -j '/status==ok' -j /tracks/items/0/id \
  -M 'latency_ms=/latency_ms;50;200' -w 0.5 -c 2
api "API up but wrong: 200 with a degraded status" \
  -u "$HTTP_URL_W/v1/degraded" -j '/status==ok'
api "API down: 503 from the edge" -u "$FAULT_URL_F/503"
api "API rate limited" -u "$FAULT_URL_F/429"
api "API hangs: no first byte within -t 2" -u "$FAULT_URL_F/slow-ttfb?s=30" -t 2
api "API certificate expired overnight" \
  -u "https://$H:$HTTPS_PORT_W_expired/v1/health" --connect-to 127.0.0.1 \
  --ca-file "$TLS_CA"
api "API certificate expires in 5 days" \
  -u "https://$H:$HTTPS_PORT_W_expiring5/v1/health" --connect-to 127.0.0.1 \
  --ca-file "$TLS_CA"
# a CDN: api.stream.test resolves to six edges (dnsmasq's edges zone);
# one serves another name's certificate, one (127.0.0.25) is down
dns_start_dnsmasq E 127.0.0.57 edges || exit 1
http_start_edges EDG "127.0.0.21 127.0.0.22 127.0.0.23 127.0.0.24=wrongname ::1" || exit 1
api "every edge of the API's name at once: two of six broken, each named" \
  -u "https://$H:$EDGE_TLS_PORT/v1/health" --ca-file "$TLS_CA" \
  --all-addresses --resolver "$DNS_SERVER_E"
media_start_icecast ICE 127.0.0.1 || exit 1
media_feed MP3 ICE /live.mp3 mp3 || exit 1
media_start_hls LIVE W live ts || exit 1
stream "stream healthy: Icecast MP3 at real time" -u "$MEDIA_URL_MP3" \
  --expect-format mp3 --duration 3
stream "stream healthy: live HLS moving" -u "$HLS_URL_LIVE"
media_start_relay STALL "$ICECAST_URL_ICE" --stall-after 40000 --stall 2 || exit 1
stream "stream broken: silent player (a 2 s stall)" \
  -u "$RELAY_URL_STALL/live.mp3" --duration 4
media_start_relay SLOW "$ICECAST_URL_ICE" --throttle 12000 --burst 65536 || exit 1
stream "stream broken: endless loading (delivery below real time)" \
  -u "$RELAY_URL_SLOW/live.mp3" --duration 4
MEDIA_SIGNAL=silent
media_feed DEAD ICE /dead.mp3 mp3 || exit 1
unset MEDIA_SIGNAL
stream "stream healthy, and heard: levels and loudness" -u "$MEDIA_URL_MP3" \
  --duration 2 --decode --silence-critical 2 --level-critical -40:
stream "stream broken: dead air (bytes flow at real time, the encoder's source is silent)" \
  -u "$MEDIA_URL_DEAD" --duration 2 --silence-critical 2
stream "HLS ladder: every rendition a phone may pick" -u "$HLS_URL_LIVE" \
  --all-variants --silence-critical 2
media_freeze LIVE
stream "stream broken: live playlist stuck" -u "$HLS_URL_LIVE"
media_stop MP3
stream "stream broken: the source is gone" -u "$MEDIA_URL_MP3"
exit 0
