#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_login's credentials stay with their origin (conventions.md): every
# credential kind it has (form password, client secret in Basic and in the
# body, refresh token, user password in Basic, -k headers: a bearer, an API
# key, a cookie; the session cookie) x every way a request can leave its
# origin (a redirect to another 127.0.0.x host, to another port, from
# https down to http; a form action on another origin or on http; a 307 or
# 308 that would re-post the password), against loginsrv instances that
# record every byte they receive (--dump). The secret never reaches the
# other origin, and the output names the hop. (The session cookie to
# another port and down to http was a TODO until lib/http bound cookies
# to their origin.)
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/login.sh"
lab_init
tls_make_certs >/dev/null || bail_out "no test certificates"

# spy NAME ADDR [--tls]: a loginsrv that dumps what it receives to
# $LAB_DIR/NAME.dump; sets URL_<NAME> and PORT_<NAME>.
spy() {
  _s_tls=
  _s_scheme=http
  if [ "${3:-}" = --tls ]; then
    _s_tls="--tls-cert $TLS_DIR/valid.pem --tls-key $TLS_DIR/valid.key"
    _s_scheme=https
  fi
  : >"$LAB_DIR/$1.dump"
  # shellcheck disable=SC2086
  lab_spawn_ready "$1" "$LAB_PY" "$LAB_SRC/loginsrv.py" --addr "$2" --port 0 \
    --dump "$LAB_DIR/$1.dump" $_s_tls || bail_out "loginsrv $1 did not start"
  lab_wait_tcp "$2" "$LAB_READY_PORT" "$LAB_PID" || bail_out "$1: no port"
  eval "URL_$1=$_s_scheme://$2:$LAB_READY_PORT PORT_$1=$LAB_READY_PORT"
}
spy L 127.0.0.1          # the origin the credentials are given for
spy T 127.0.0.1 --tls    # the same over https
spy O 127.0.0.2          # another host
spy P 127.0.0.1          # another port on the same host
P=$PLUGINDIR/check_login
CA="--ca-file $TLS_CA"
enc() { printf '%s' "$1" | sed 's/:/%3A/g; s/ /+/g'; }
b64() { printf '%s' "$1" | base64 | tr -d '=\n'; }
BEARER=bt-4711-bearer-secret
APIKEY=xk-4711-api-key-secret
COOKIE=ck-4711-cookie-secret
K1="Authorization: Bearer $BEARER"
K2="X-Api-Key: $APIKEY"
K3="Cookie: sid=$COOKIE"
# every form a secret can take on the wire
SECRETS="$LOGIN_CLIENT_SECRET $LOGIN_PASSWORD $LOGIN_REFRESH $BEARER $APIKEY $COOKIE
$(b64 "$LOGIN_CLIENT_ID:$LOGIN_CLIENT_SECRET") $(b64 "$LOGIN_USER:$LOGIN_PASSWORD")"
CC="--client-id $LOGIN_CLIENT_ID --client-secret $LOGIN_CLIENT_SECRET"
FORM="--flow form --username $LOGIN_USER --password $LOGIN_PASSWORD --csrf-field csrf_token --success-string Welcome"

reset_dumps() {
  for d in L T O P; do : >"$LAB_DIR/$d.dump"; done
}

# clean NAME DESC: the dump of NAME holds no secret in any form, and no
# credential header at all (a session cookie is a credential too).
clean() {
  _c_bad=
  for s in $SECRETS; do
    grep -qF -- "$s" "$LAB_DIR/$1.dump" && _c_bad="$_c_bad $s"
  done
  grep -qiE '^(authorization|x-api-key|cookie): ' "$LAB_DIR/$1.dump" &&
    _c_bad="$_c_bad $(grep -iE '^(authorization|x-api-key|cookie): ' "$LAB_DIR/$1.dump" | head -1)"
  [ -z "$_c_bad" ]
  ok $? "$2: nothing secret reached $1" "found:$_c_bad"
}

# got NAME ERE DESC: NAME received a request line matching ERE (the hop
# happened: the test is not passing because nothing left the origin).
got() {
  grep -qE -- "$2" "$LAB_DIR/$1.dump"
  ok $? "$3: $1 got $2" "$(head -c 600 "$LAB_DIR/$1.dump")"
}

# none NAME DESC: NAME received nothing at all.
none() {
  [ ! -s "$LAB_DIR/$1.dump" ]
  ok $? "$2: $1 got nothing" "$(head -c 600 "$LAB_DIR/$1.dump")"
}

# verdict RC ERE DESC: exit code, first line, perfdata.
verdict() {
  is_rc "$1" "$3: exit $1"
  first_line_matches "$2" "$3: first line"
  perf_ok "$3: perfdata parses"
}

q() { printf '%s' "$1" | sed 's/[].[*^$?+(){}|\\]/\\&/g'; }
uenc() { "$LAB_PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# --- Token flows: a redirect is never followed, whatever it names; the
# output names where it pointed. Client secret in Basic and in the body,
# the password grant and the refresh token.
for way in "O 307 /token" "O 302 /token" "P 308 /token" "L 307 /token"; do
  set -- $way
  eval "to=\$URL_$1$3"
  for flow in "$CC" "$CC --client-auth post" \
      "$CC --flow password --username $LOGIN_USER --password $LOGIN_PASSWORD" \
      "$CC --flow refresh-token --refresh-token $LOGIN_REFRESH"; do
    reset_dumps
    # shellcheck disable=SC2086
    run "$P" -u "$URL_T/redir/$2?to=$(uenc "$to")" $flow $CA
    d="token ${flow#"$CC"} at https, $2 to $1"
    verdict 2 "^LOGIN CRITICAL - login service error: HTTP $2 .*redirect to $(q "$to") not followed" "$d"
    none O "$d"
    none P "$d"
    clean L "$d"
  done
done

# --- Basic flow: the user's password in HTTP Basic, and -k headers.
for way in "O 302" "P 307" "L 301"; do
  set -- $way
  eval "to=\$URL_$1/basic/protected"
  reset_dumps
  run "$P" --flow basic -u "$URL_T/redir/$2?to=$(uenc "$to")" --username "$LOGIN_USER" \
    --password "$LOGIN_PASSWORD" -k "$K2" $CA
  d="basic at https, $2 to $1"
  verdict 2 "^LOGIN CRITICAL - login service error: HTTP $2 .*redirect to $(q "$to") not followed" "$d"
  none O "$d"
  none P "$d"
  clean L "$d"
done

# --verify-rejects: the request that must be refused goes without any
# credential, -k credential headers included (else it proves nothing).
reset_dumps
run "$P" --flow basic -u "$URL_L/basic/protected" --username "$LOGIN_USER" \
  --password "$LOGIN_PASSWORD" -k "$K2" -k "X-Trace: plain-1" --verify-rejects
verdict 0 "^LOGIN OK - basic as alice " "basic --verify-rejects with -k"
is "$(grep -c '^GET /basic/protected ' "$LAB_DIR/L.dump")" 2 "--verify-rejects: two requests"
is "$(grep -ci '^x-api-key: ' "$LAB_DIR/L.dump")" 1 "--verify-rejects: the -k credential only on the first"
is "$(grep -ci '^x-trace: plain-1' "$LAB_DIR/L.dump")" 2 "--verify-rejects: other -k headers on both"

# --- Form flow, the login page redirects: to another host, another port,
# and from https down to http. -k credentials (bearer, API key, cookie)
# and the password stay home; the form then found on the other origin is
# not given the password.
for way in "O $URL_O" "P $URL_P"; do
  set -- $way
  reset_dumps
  run "$P" -u "$URL_L/redir/302?to=$(uenc "$2/login")" $FORM -k "$K1" -k "$K2" -k "$K3"
  d="form page 302 to $1"
  verdict 2 "^LOGIN CRITICAL - login page changed: form action $(q "$2")/login would send the password to another origin" "$d"
  line_matches "^\\\\_ \\[WARNING\\] step 1/2 GET /redir/302.* was redirected to another origin, which got no credentials: $(q "$URL_L")/.* -> $(q "$2")/login" \
    "$d: the hop named"
  got "$1" '^GET /login ' "$d"
  clean "$1" "$d"
done
reset_dumps
run "$P" -u "$URL_T/redir/302?to=$(uenc "$URL_L/login")" $FORM -k "$K1" -k "$K2" -k "$K3" $CA
d="form page at https, 302 down to http"
verdict 2 "^LOGIN CRITICAL - step 1/2 GET /redir/302.* was redirected from https down to http \(clear text\): $(q "$URL_T")/.* -> $(q "$URL_L")/login" "$d"
clean L "$d"

# --- Form actions: on http from an https page (another host, another
# port, the same host), on https but another host or port: refused
# before a byte of the password is sent (the https ones are never
# contacted: nothing listens there with TLS).
for way in "clear $URL_O/login" "clear $URL_P/login" "clear $URL_L/login" \
    "origin https://127.0.0.2:$PORT_O/login" "origin https://127.0.0.1:$PORT_P/login"; do
  set -- $way
  reset_dumps
  run "$P" -u "$URL_T/xform/login?action=$(uenc "$2")" $FORM $CA -k "$K2"
  d="form action $2 on an https page"
  case $1 in
    clear) why="in clear text" ;;
    *) why="to another origin" ;;
  esac
  verdict 2 "^LOGIN CRITICAL - login page changed: form action $(q "$2") would send the password $why \(not sent" "$d"
  none O "$d"
  none P "$d"
  none L "$d"
done
reset_dumps
run "$P" -u "$URL_L/xform/login?action=$(uenc "$URL_O/login")" $FORM
d="form action on another host, all http"
verdict 2 "would send the password to another origin" "$d"
none O "$d"
# --form-origin allows one other origin, said out loud: the password goes
# there (a positive control that the refusal above is the origin rule).
reset_dumps
run "$P" -u "$URL_L/xform/login?action=$(uenc "$URL_O/xform/login")" $FORM --form-origin "$URL_O"
d="--form-origin names the action's origin"
is_rc 2 "$d: exit 2 (the other server has no CSRF session)"
got O '^POST /xform/login ' "$d: the password was posted where allowed"
run "$P" -u "$URL_T/login" $FORM --form-origin "$URL_O" $CA
is_rc 3 "--form-origin http with an https -u: exit 3"
first_line_matches "^LOGIN UNKNOWN - --form-origin: http://127\.0\.0\.2:$PORT_O would send the password in clear text" \
  "--form-origin http with an https -u: named"

# --- 307/308 after the POST: never re-posts the password to another
# origin (host, port, http); on the same origin it does, and logs in.
for way in "O 307 $URL_O" "P 308 $URL_P" "L 307 $URL_L"; do
  set -- $way
  reset_dumps
  act="/redir/$2?to=$(uenc "$3/xform/login")"
  run "$P" -u "$URL_T/xform/login?action=$(uenc "$act")" $FORM $CA -k "$K1" -k "$K2"
  d="POST answered $2 to $1 (from https)"
  verdict 2 "^LOGIN CRITICAL - step 2/2 POST /redir/$2.*: redirect failed: HTTP $2 to $(q "$3")/xform/login not followed" "$d"
  none O "$d"
  none P "$d"
  none L "$d"
done
for way in "O 307 $URL_O" "P 308 $URL_P"; do
  set -- $way
  reset_dumps
  act="/redir/$2?to=$(uenc "$3/xform/login")"
  run "$P" -u "$URL_L/xform/login?action=$(uenc "$act")" $FORM -k "$K1" -k "$K2"
  d="POST answered $2 to $1 (http)"
  verdict 2 "^LOGIN CRITICAL - step 2/2 POST /redir/$2.*: redirect failed: HTTP $2 to $(q "$3")/xform/login not followed" "$d"
  none "$1" "$d"
done
reset_dumps
run "$P" -u "$URL_L/xform/login?action=$(uenc "/redir/307?to=/xform/login")" $FORM
verdict 0 "^LOGIN OK - form as alice at " "POST answered 307 on the same origin: re-posted, logged in"

# --- After the login: the session cookie and -k credentials on a
# redirect to another port, another host, and down to http.
for way in "P $URL_P" "O $URL_O"; do
  set -- $way
  reset_dumps
  run "$P" -u "$URL_L/login" $FORM -k "$K2" --success-url "$URL_L/redir/302?to=$(uenc "$2/account")"
  d="the page after the login redirects to $1"
  verdict 2 "^LOGIN CRITICAL - login failed: the success string is not on $(q "$2")/login" "$d"
  line_matches "^\\\\_ \\[WARNING\\] step 3/3 GET /redir/302.*another origin, which got no credentials" "$d: the hop named"
  got "$1" '^GET /account ' "$d"
  # libcurl's cookie engine scopes cookies by host, not by port or
  # scheme (RFC 6265 8.5): lib/http keeps them with their origin
  clean "$1" "$d"
done
# A login that works although a page went to another origin: WARNING,
# the first line naming the hop.
reset_dumps
run "$P" -u "$URL_L/login" --flow form --username "$LOGIN_USER" --password "$LOGIN_PASSWORD" \
  --csrf-field csrf_token --success-string 'Sign in' -k "$K2" \
  --success-url "$URL_L/redir/302?to=$(uenc "$URL_O/login")"
d="logged in, the last page on another host"
verdict 1 "^LOGIN WARNING - step 3/3 GET /redir/302.* was redirected to another origin, which got no credentials: $(q "$URL_L")/.* -> $(q "$URL_O")/login" "$d"
got O '^GET /login ' "$d"
clean O "$d"
# --connect-to pins -u's host only: a --success-url on another host
# resolves as usual. The user named that URL: like an OAuth2 token URL,
# it is an origin the -k headers were given for; the password never.
reset_dumps
run "$P" -u "http://login.example:$PORT_L/login" --connect-to 127.0.0.1 --flow form \
  --username "$LOGIN_USER" --password "$LOGIN_PASSWORD" --csrf-field csrf_token \
  --success-string 'Sign in' -k "$K2" --success-url "$URL_O/login"
verdict 0 "^LOGIN OK - form as alice at http://login\.example:$PORT_L/login " "--connect-to and a --success-url on another host"
got O '^GET /login ' "--connect-to and a --success-url on another host"
! grep -qF -e "$LOGIN_PASSWORD" -e "$(b64 "$LOGIN_USER:$LOGIN_PASSWORD")" "$LAB_DIR/O.dump"
ok $? "--connect-to and a --success-url on another host: not the password"
reset_dumps
run "$P" -u "$URL_T/login" $FORM -k "$K2" $CA --success-url "$URL_T/redir/302?to=$(uenc "$URL_L/account")"
d="after an https login, a redirect down to http"
verdict 2 "^LOGIN CRITICAL - step 3/3 GET /redir/302.* was redirected from https down to http \(clear text\)" "$d"
clean L "$d" # the session cookie has no Secure flag: lib/http holds it back

plan_done
