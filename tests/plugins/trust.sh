#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Which CA store verifies (lib/http_trust.c): --ca-file trusts that file
# only, --ca-path a hashed directory only, and by default the system's
# hashed directory (SSL_CERT_DIR stands in for /etc/ssl/certs here) when
# it has hash links, else the bundle. -v names the store. check_api,
# check_login and check_stream share it.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/http.sh"
http_have_nginx || skip_all "nginx not installed"
need_cmd openssl "openssl not installed"
lab_init
http_start_nginx W 127.0.0.1 || bail_out "nginx did not start"
eval "port=\$HTTPS_PORT_W_valid"
URL=https://api.stream.test:$port/v1/health
P=$PLUGINDIR/check_api
# hashed: streamlab's CA, linked by its hash; other: a hashed directory
# without it (the self-signed certificate's only); plain: streamlab's CA
# without hash links
H=$LAB_DIR/ca-hashed O=$LAB_DIR/ca-other N=$LAB_DIR/ca-plain
mkdir -p "$H" "$O" "$N"
cp "$TLS_CA" "$H/lab.pem" && cp "$TLS_CA" "$N/lab.pem" && cp "$TLS_DIR/selfsigned.pem" "$O/self.pem" ||
  bail_out "cannot copy certificates"
openssl rehash "$H" "$O" 2>/dev/null || bail_out "openssl rehash failed"
ls "$H" | grep -Eq '^[0-9a-f]{8}\.0$' || bail_out "no hash link in $H"
api() { run "$P" -u "$URL" --connect-to 127.0.0.1 "$@"; }

api --ca-path "$H" -v
is_rc 0 "--ca-path with streamlab's CA hashed: verified, OK"
line_matches "^\\\\_ \[OK\] TLS: verified with --ca-path $H\$" "-v names --ca-path"
perf_ok "perfdata parses"

api --ca-path "$O"
is_rc 2 "--ca-path without streamlab's CA: CRITICAL"
first_line_matches '^API CRITICAL - GET https://api\.stream\.test:[0-9]+/v1/health: TLS handshake failed: .*(issuer|verify)' \
  "the TLS handshake phase named"

api --ca-path "$N"
is_rc 3 "--ca-path without hash links: UNKNOWN"
first_line_matches "^API UNKNOWN - --ca-path: $N has no hash links \(run openssl rehash on it" "names --ca-path and the fix"
api --ca-path "$LAB_DIR/none"
is_rc 3 "--ca-path that is no directory: UNKNOWN"
first_line_matches "^API UNKNOWN - --ca-path: $LAB_DIR/none is not a directory" "names --ca-path"

# The default store: the system's hashed directory when it has links
SSL_CERT_DIR=$H api -v
is_rc 0 "default store, a hashed directory holding the CA: OK"
line_matches "^\\\\_ \[OK\] TLS: verified with the system's CA directory $H\$" "-v names the directory"
SSL_CERT_DIR=$O api -v
is_rc 2 "default store, a hashed directory without the CA: CRITICAL"
SSL_CERT_DIR=$N api -v
is_rc 2 "default store, a directory without hash links: the bundle, which lacks the CA: CRITICAL"
line_matches "^\\\\_ \[OK\] TLS: verified with the system's CA bundle .* \(its directory has no hash links\)\$" \
  "-v says the bundle verified, and why"

# --ca-file trusts that file only: the hashed directory does not add to it
SSL_CERT_DIR=$H api --ca-file "$TLS_DIR/selfsigned.pem"
is_rc 2 "--ca-file of another CA with the system's directory holding the right one: CRITICAL"
SSL_CERT_DIR=$O api --ca-file "$TLS_CA" -v
is_rc 0 "--ca-file with streamlab's CA: OK"
line_matches "^\\\\_ \[OK\] TLS: verified with --ca-file $TLS_CA\$" "-v names --ca-file"
api --ca-file "$TLS_DIR/selfsigned.pem" --ca-path "$H"
is_rc 0 "--ca-file and --ca-path: both trusted"
api --insecure -v
is_rc 0 "--insecure: no store"
no_line_matches "TLS: verified" "--insecure: no verified line"

# check_login and check_stream verify the same way
run "$PLUGINDIR/check_login" -u "$URL" --flow basic --username u --password-env NOPE_UNSET 2>/dev/null
is_rc 3 "(check_login needs its password)"
printf 'pw\n' >"$LAB_DIR/pw"
run "$PLUGINDIR/check_login" -u "https://api.stream.test:$port/" --connect-to 127.0.0.1 --flow basic \
  --username u --password-file "$LAB_DIR/pw" --ca-path "$H" -v
line_matches "^\\\\_ \[OK\] TLS: verified with --ca-path $H\$" "check_login: -v names --ca-path"
run "$PLUGINDIR/check_login" -u "https://api.stream.test:$port/" --connect-to 127.0.0.1 --flow basic \
  --username u --password-file "$LAB_DIR/pw" --ca-path "$O"
is_rc 2 "check_login: a store without the CA: CRITICAL"
first_line_matches '^LOGIN CRITICAL - .*TLS handshake failed' "check_login: the TLS phase named"
run "$PLUGINDIR/check_stream" -u "https://api.stream.test:$port/v1/health" --connect-to 127.0.0.1 \
  --ca-path "$O" --duration 1
is_rc 2 "check_stream: a store without the CA: CRITICAL"
first_line_matches '^STREAM CRITICAL - .*TLS handshake failed' "check_stream: the TLS phase named"
run "$PLUGINDIR/check_stream" -u "https://api.stream.test:$port/v1/health" --ca-path "$N"
is_rc 3 "check_stream: --ca-path without hash links: UNKNOWN"
plan_done
