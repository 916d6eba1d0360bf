# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab login: loginsrv.py, a small real OAuth2 token endpoint (RFC 6749)
# with a bearer API, Basic/Digest pages and an HTML form login with CSRF.
# shellcheck shell=sh disable=SC2034
# POSIX sh (dash); source after lab.sh (tls.sh is sourced here if needed),
# call lab_init first:
#
#   . "$top_srcdir/tests/streamlab/lab.sh"; . "$top_srcdir/tests/streamlab/login.sh"
#   lab_init
#   login_start L 127.0.0.1 || exit 1
#   login_start LT 127.0.0.1 --tls valid || exit 1
#   check_login -u "$LOGIN_URL_L/token" --client-id "$LOGIN_CLIENT_ID" \
#               --client-secret-env SECRET
#   check_login -u "$LOGIN_URL_LT/token" --ca-file "$TLS_CA" ...
#
# Interface
#   login_start NAME ADDR [--tls KIND | --tls-cert F --tls-key F]
#     starts tests/streamlab/loginsrv.py on ADDR (127.0.0.1, ::1, ...), port
#     picked by the kernel (no clash with other runs), and returns once it
#     accepts connections. --tls KIND serves $TLS_DIR/KIND.pem (KIND from
#     tls.sh: valid expired notyet wrongname selfsigned expiring5;
#     tls_make_certs is called when needed). Sets, in the calling shell (do
#     not call it inside $(...)), for NAME (letters, digits, _; not starting
#     with a digit):
#       LOGIN_ADDR_<NAME>   ADDR as given
#       LOGIN_PORT_<NAME>   its port
#       LOGIN_URL_<NAME>    http://ADDR:PORT, https://ADDR:PORT with TLS
#                           ([::1] for IPv6); no trailing slash
#       LAB_PID_<NAME>      its pid (lab_stop NAME: "connection refused")
#     and LOGIN_NAME, LOGIN_ADDR, LOGIN_PORT, LOGIN_URL for the one started
#     last; all of them but LAB_PID_* exported. The constants below are not
#     exported (export what a plugin should read from its environment).
#     Log: $LAB_DIR/NAME.log, one line per request:
#       127.0.0.1 "POST /token" 401 grant_type=client_credentials client_id=labclient
#     (no secrets, passwords, tokens, cookies or query strings).
#   Every path and its exact reply: see the header of loginsrv.py.
#   Each server keeps its own state (tokens, sessions) in memory.
#
# Constants (the accounts loginsrv.py knows):
LOGIN_CLIENT_ID=labclient
LOGIN_CLIENT_SECRET=lab-secret-1
LOGIN_USER=alice
LOGIN_PASSWORD=wonderland-42
LOGIN_REFRESH=rt-good-1
# a second client whose id and secret need RFC 6749 2.3.1 form-urlencoding
# inside HTTP Basic (':' in the id; space, '+', '/', '%', ':' in the secret)
LOGIN_ODD_CLIENT_ID='odd:client'
LOGIN_ODD_CLIENT_SECRET='s e+c/r%t:1'

if ! command -v tls_make_certs >/dev/null 2>&1; then
  # shellcheck disable=SC1091
  . "$LAB_SRC/tls.sh"
fi

login_start() {
  [ $# -ge 2 ] || { echo "usage: login_start NAME ADDR [--tls KIND | --tls-cert F --tls-key F]" >&2; return 1; }
  case $1 in
    ''|[0-9]*|*[!A-Za-z0-9_]*) echo "login_start: bad name '$1' (letters, digits, _)" >&2; return 1 ;;
  esac
  _login_n=$1
  _login_a=$2
  shift 2
  _login_scheme=http
  _login_args=
  while [ $# -gt 0 ]; do
    case $1 in
      --tls)
        [ $# -ge 2 ] || { echo "login_start: --tls KIND" >&2; return 1; }
        if [ -z "${TLS_DIR:-}" ] || [ ! -f "$TLS_DIR/done" ]; then
          tls_make_certs || return 1
        fi
        [ -f "$TLS_DIR/$2.pem" ] || { echo "login_start: no certificate kind '$2'" >&2; return 1; }
        _login_args="$_login_args --tls-cert $TLS_DIR/$2.pem --tls-key $TLS_DIR/$2.key"
        _login_scheme=https
        shift 2 ;;
      --tls-cert|--tls-key)
        [ $# -ge 2 ] || { echo "login_start: $1 FILE" >&2; return 1; }
        _login_args="$_login_args $1 $2"
        _login_scheme=https
        shift 2 ;;
      *) echo "login_start: unknown option '$1'" >&2; return 1 ;;
    esac
  done
  # loginsrv binds port 0 and says "ready ADDR PORT"
  # (paths under LAB_DIR have no spaces: mktemp's template has none)
  # shellcheck disable=SC2086
  lab_spawn_ready "$_login_n" "$LAB_PY" "$LAB_SRC/loginsrv.py" --addr "$_login_a" --port 0 $_login_args || return 1
  _login_p=$LAB_READY_PORT
  lab_wait_tcp "$_login_a" "$_login_p" "$LAB_PID" || return 1
  case $_login_a in
    *:*) _login_hp="[$_login_a]:$_login_p" ;;
    *) _login_hp="$_login_a:$_login_p" ;;
  esac
  LOGIN_NAME=$_login_n
  LOGIN_ADDR=$_login_a
  LOGIN_PORT=$_login_p
  LOGIN_URL=$_login_scheme://$_login_hp
  eval "LOGIN_ADDR_$_login_n=\$LOGIN_ADDR LOGIN_PORT_$_login_n=\$LOGIN_PORT LOGIN_URL_$_login_n=\$LOGIN_URL"
  export LOGIN_NAME LOGIN_ADDR LOGIN_PORT LOGIN_URL \
    "LOGIN_ADDR_$_login_n" "LOGIN_PORT_$_login_n" "LOGIN_URL_$_login_n"
}
