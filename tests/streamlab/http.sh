# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab HTTP API: nginx serving fixed API files over HTTP and TLS, and
# faulthttp.py for the faults a real server won't make.
# shellcheck shell=sh disable=SC2034
# POSIX sh (dash); source after lab.sh (tls.sh is sourced here if needed),
# call lab_init first:
#
#   . "$top_srcdir/tests/streamlab/lab.sh"; . "$top_srcdir/tests/streamlab/http.sh"
#   lab_init
#   http_have_nginx || skip_all "nginx not installed"
#   http_start_fault F 127.0.0.1 || exit 1          # optional
#   http_start_nginx W 127.0.0.1 F || exit 1        # F: proxy /fault/ to it
#   check_api -u "$HTTP_URL_W/v1/health" -j '/status=="ok"'
#   check_api -u "https://api.stream.test:$HTTPS_PORT_W_valid/v1/health" \
#             --connect-to 127.0.0.1 --ca-file "$TLS_CA"
#   check_api -u "$FAULT_URL_F/503"
#
# Interface. Both starters return only once every port accepts connections,
# and set, for NAME (letters, digits, _; not starting with a digit), in the
# calling shell (so do not call them inside $(...)):
#
#   http_start_nginx NAME ADDR [FAULTNAME]
#     nginx (foreground, daemon off, master + 1 worker, user root) with its
#     config $LAB_DIR/NAME/nginx.conf, document root $LAB_DIR/NAME/www,
#     access log $LAB_DIR/NAME/access.log (one line per request:
#     "$request" $status $body_bytes_sent "$http_host" "$http_authorization"
#     "$ssl_server_name" "$http_user_agent"), error log on stderr
#     ($LAB_DIR/NAME.log), pid/temp paths under $LAB_DIR/NAME/.
#     Calls tls_make_certs when TLS_DIR is not set yet.
#     Proxies /fault/... to faulthttp FAULTNAME (/fault/json -> /json) when
#     FAULTNAME is given, or, without it, to the faulthttp started last
#     ($FAULT_URL) if any; otherwise /fault/ is a plain 404.
#     Sets:
#       HTTP_ADDR_<NAME>            ADDR as given (127.0.0.1, ::1, ...)
#       HTTP_PORT_<NAME>            plain HTTP/1.1 port
#       HTTP_URL_<NAME>             http://ADDR:PORT (http://[::1]:PORT for v6)
#       HTTPS_PORT_<NAME>_<KIND>    TLS port serving KIND.pem, for each KIND in
#                                   $TLS_KINDS (valid expired notyet wrongname
#                                   selfsigned expiring5); HTTP/1.1 and h2
#                                   (ALPN), TLS 1.2 and 1.3
#       HTTPS_URL_<NAME>_<KIND>     https://ADDR:PORT (the certificates name
#                                   IP 127.0.0.1 and ::1, except wrongname);
#                                   for the host name use
#                                   https://api.stream.test:PORT with
#                                   --connect-to ADDR
#       LAB_PID_<NAME>              nginx master's pid (lab_stop NAME)
#     and HTTP_PORT, HTTP_URL for the one started last.
#     Served the same on every port (server_name api.stream.test, but any
#     Host works; bodies are exact and end in one LF unless said otherwise):
#       /v1/health     200 application/json (171 bytes with the LF)
#         {"status":"ok","version":"1.4.2","tracks":{"items":[{"id":"t1","title":"Sine 440"},{"id":"t2","title":"Sine 880"}],"total":2},"latency_ms":12.5,"live":true,"region":null}
#       /v1/degraded   200 application/json (54 bytes)
#         {"status":"degraded","tracks":{"items":[],"total":0}}
#       /v1/empty.json 200 application/json  {}   (3 bytes)
#       /v1/ratio      200 application/json  {"ratio": 0.97, "errors": 3}   (29 bytes)
#       /index.html    200 text/html, and / (index): a small page whose
#                      title is "streamlab API"
#       /v1/maint      503 Service Temporarily Unavailable (nginx's reason
#                      phrase), application/json,
#                      {"error":"maintenance"} (no LF)
#       /old           301 Moved Permanently, Location:
#                      http(s)://HOST:PORT/v1/health (HOST from the request)
#       anything else  404 Not Found, nginx's own HTML page (text/html)
#       /fault/X       faulthttp's /X, unbuffered (see above)
#     Every reply has "Server: nginx/1.22.1" (and ETag/Last-Modified on files).
#
#   http_start_fault NAME ADDR [faulthttp options: --tls-cert F --tls-key F
#                    | --tls KIND | --stall-tls]
#     tests/streamlab/faulthttp.py (see its header for every path and its
#     exact reply); --tls KIND is short for --tls-cert $TLS_DIR/KIND.pem
#     --tls-key $TLS_DIR/KIND.key (tls_make_certs is then called if needed).
#     Sets FAULT_ADDR_<NAME>, FAULT_PORT_<NAME>, FAULT_URL_<NAME>
#     (http://ADDR:PORT, or https:// with TLS; with --stall-tls also
#     https://), LAB_PID_<NAME>, and FAULT_NAME, FAULT_PORT, FAULT_URL for
#     the one started last. Log: $LAB_DIR/NAME.log (one line per request).
#
#   http_have_nginx     true when $NGINX runs
#   NGINX               default /usr/sbin/nginx
#
# nginx port clashes (another run taking a port between lab_free_port and
# nginx's bind) are retried with new ports, up to 5 times.

NGINX=${NGINX:-/usr/sbin/nginx}

if ! command -v tls_make_certs >/dev/null 2>&1; then
  # shellcheck disable=SC1091
  . "$LAB_SRC/tls.sh"
fi

http_have_nginx() {
  [ -x "$NGINX" ] && "$NGINX" -v >/dev/null 2>&1
}

http__check_name() {
  case $1 in
    ''|[0-9]*|*[!A-Za-z0-9_]*) echo "http: bad name '$1' (letters, digits, _)" >&2; return 1 ;;
  esac
}

# http__hostport ADDR PORT: ADDR:PORT, [ADDR]:PORT for IPv6
http__hostport() {
  case $1 in *:*) echo "[$1]:$2" ;; *) echo "$1:$2" ;; esac
}

# http__www DIR: the fixed API files
http__www() {
  mkdir -p "$1/v1" || return 1
  printf '%s\n' '{"status":"ok","version":"1.4.2","tracks":{"items":[{"id":"t1","title":"Sine 440"},{"id":"t2","title":"Sine 880"}],"total":2},"latency_ms":12.5,"live":true,"region":null}' >"$1/v1/health"
  printf '%s\n' '{"status":"degraded","tracks":{"items":[],"total":0}}' >"$1/v1/degraded"
  printf '%s\n' '{}' >"$1/v1/empty.json"
  printf '%s\n' '{"ratio": 0.97, "errors": 3}' >"$1/v1/ratio"
  cat >"$1/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>streamlab API</title></head>
<body><h1>streamlab API</h1><p>See <a href="/v1/health">/v1/health</a>.</p></body></html>
EOF
}

# http__locations DIR FAULTURL: what every server block includes
http__locations() {
  cat <<EOF
root $1/www;
index index.html;
location /v1/ {
    default_type application/json;
}
location = /v1/maint {
    default_type application/json;
    return 503 '{"error":"maintenance"}';
}
location = /old {
    return 301 /v1/health;
}
EOF
  if [ -n "$2" ]; then
    cat <<EOF
location /fault/ {
    proxy_pass $2/;
    proxy_ssl_verify off;
    proxy_http_version 1.1;
    proxy_set_header Host \$http_host;
    proxy_set_header Connection "";
    proxy_buffering off;
    proxy_request_buffering off;
    proxy_read_timeout 300s;
    proxy_redirect / /fault/;
}
EOF
  fi
}

# http_conf_head DIR FORMAT: the start of the nginx config of a lab server
# whose files live in DIR (pid, access.log written in log_format FORMAT,
# temp directories under DIR/tmp, which the caller makes), open inside
# "http {": the caller adds its types and servers and closes it. Every
# streamlab nginx and the tests' own begin with it.
http_conf_head() {
  cat <<EOF
daemon off;
master_process on;
worker_processes 1;
user root root;
pid $1/nginx.pid;
error_log stderr notice;
events { worker_connections 256; }
http {
    log_format lab '$2';
    access_log $1/access.log lab;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
EOF
}

# http__conf NAME ADDR PLAINPORT "KIND PORT KIND PORT ..."
http__conf() {
  _http_d=$LAB_DIR/$1
  _http_ha=$(http__hostport "$2" '')
  _http_ha=${_http_ha%:}
  echo "# streamlab nginx '$1' (tls.sh certificates in $TLS_DIR)"
  http_conf_head "$_http_d" \
    '"$request" $status $body_bytes_sent "$http_host" "$http_authorization" "$ssl_server_name" "$http_user_agent"'
  cat <<EOF
    default_type application/octet-stream;
    types {
        text/html html htm;
        application/json json;
        text/plain txt;
        text/css css;
        application/javascript js;
    }
    sendfile on;
    keepalive_timeout 30s;
    server {
        listen $_http_ha:$3;
        server_name api.stream.test;
        include $_http_d/locations.conf;
    }
EOF
  # shellcheck disable=SC2086
  set -- $4
  while [ $# -ge 2 ]; do
    cat <<EOF
    server {
        listen $_http_ha:$2 ssl http2;
        server_name api.stream.test;
        ssl_certificate $TLS_DIR/$1.pem;
        ssl_certificate_key $TLS_DIR/$1.key;
        include $_http_d/locations.conf;
    }
EOF
    shift 2
  done
  echo "}"
}

http_start_nginx() {
  [ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: http_start_nginx NAME ADDR [FAULTNAME]" >&2; return 1; }
  http__check_name "$1" || return 1
  [ -n "${LAB_DIR:-}" ] || { echo "http_start_nginx: call lab_init first" >&2; return 1; }
  if [ -z "${TLS_DIR:-}" ] || [ ! -f "$TLS_DIR/done" ]; then
    tls_make_certs || return 1
  fi
  _http_fault=
  if [ -n "${3:-}" ]; then
    http__check_name "$3" || return 1
    eval "_http_fault=\${FAULT_URL_$3:-}"
    [ -n "$_http_fault" ] || { echo "http_start_nginx: no faulthttp '$3' started" >&2; return 1; }
  else
    _http_fault=${FAULT_URL:-}
  fi
  _http_d=$LAB_DIR/$1
  mkdir -p "$_http_d/tmp" || return 1
  http__www "$_http_d/www" || return 1
  http__locations "$_http_d" "$_http_fault" >"$_http_d/locations.conf" || return 1
  _http_try=0
  while [ $_http_try -lt 5 ]; do
    _http_try=$((_http_try + 1))
    _http_plain=$(lab_free_port "$2") || return 1
    _http_tls=
    _http_ports=$_http_plain
    for _http_k in $TLS_KINDS; do
      _http_p=$(lab_free_port "$2") || return 1
      # lab_free_port may hand out the same port twice in a row
      case " $_http_ports " in *" $_http_p "*) _http_p=$(lab_free_port "$2") || return 1 ;; esac
      _http_tls="$_http_tls $_http_k $_http_p"
      _http_ports="$_http_ports $_http_p"
    done
    http__conf "$1" "$2" "$_http_plain" "$_http_tls" >"$_http_d/nginx.conf" || return 1
    lab_spawn "$1" "$NGINX" -p "$_http_d/" -c "$_http_d/nginx.conf" -e stderr
    # the master logs "start worker processes" once every port is bound
    _http_ok=1
    lab_wait_log "$1" 'start worker process' "$LAB_PID" 2>/dev/null || _http_ok=0
    for _http_p in $_http_ports; do
      [ $_http_ok = 1 ] || break
      lab_wait_tcp "$2" "$_http_p" "$LAB_PID" 2>/dev/null || { _http_ok=0; break; }
    done
    if [ $_http_ok = 1 ] && lab_alive "$LAB_PID" && ! grep -q 'emerg' "$LAB_DIR/$1.log"; then
      _http_hp=$(http__hostport "$2" "$_http_plain")
      HTTP_PORT=$_http_plain
      HTTP_URL=http://$_http_hp
      eval "HTTP_ADDR_$1=\$2 HTTP_PORT_$1=\$HTTP_PORT HTTP_URL_$1=\$HTTP_URL"
      # shellcheck disable=SC2086
      set -- "$1" "$2" $_http_tls
      _http_n=$1
      _http_a=$2
      shift 2
      while [ $# -ge 2 ]; do
        _http_hp=$(http__hostport "$_http_a" "$2")
        eval "HTTPS_PORT_${_http_n}_$1=\$2 HTTPS_URL_${_http_n}_$1=https://\$_http_hp"
        shift 2
      done
      return 0
    fi
    if lab_alive "$LAB_PID" || ! grep -qi 'in use' "$LAB_DIR/$1.log"; then
      break # not a port clash: give up
    fi
    lab_stop "$1"
  done
  echo "http_start_nginx $1 $2: nginx does not answer on ports $_http_ports; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$1.log" >&2
  lab_stop "$1"
  return 1
}

http_start_fault() {
  [ $# -ge 2 ] || { echo "usage: http_start_fault NAME ADDR [--tls KIND | --tls-cert F --tls-key F] [--stall-tls]" >&2; return 1; }
  http__check_name "$1" || return 1
  _http_n=$1
  _http_a=$2
  shift 2
  _http_scheme=http
  _http_args=
  while [ $# -gt 0 ]; do
    case $1 in
      --tls)
        [ $# -ge 2 ] || { echo "http_start_fault: --tls KIND" >&2; return 1; }
        if [ -z "${TLS_DIR:-}" ] || [ ! -f "$TLS_DIR/done" ]; then
          tls_make_certs || return 1
        fi
        [ -f "$TLS_DIR/$2.pem" ] || { echo "http_start_fault: no certificate kind '$2'" >&2; return 1; }
        _http_args="$_http_args --tls-cert $TLS_DIR/$2.pem --tls-key $TLS_DIR/$2.key"
        _http_scheme=https
        shift 2 ;;
      --tls-cert|--tls-key)
        _http_args="$_http_args $1 $2"
        _http_scheme=https
        shift 2 ;;
      --stall-tls)
        _http_args="$_http_args $1"
        _http_scheme=https
        shift ;;
      *) echo "http_start_fault: unknown option '$1'" >&2; return 1 ;;
    esac
  done
  # faulthttp binds port 0 and says "ready ADDR PORT": no race with other runs
  # (paths under LAB_DIR have no spaces: mktemp's template has none)
  # shellcheck disable=SC2086
  lab_spawn_ready "$_http_n" "$LAB_PY" "$LAB_SRC/faulthttp.py" --addr "$_http_a" --port 0 $_http_args || return 1
  _http_p=$LAB_READY_PORT
  lab_wait_tcp "$_http_a" "$_http_p" "$LAB_PID" || return 1
  FAULT_NAME=$_http_n
  FAULT_ADDR=$_http_a
  FAULT_PORT=$_http_p
  FAULT_URL=$_http_scheme://$(http__hostport "$_http_a" "$_http_p")
  eval "FAULT_ADDR_$_http_n=\$FAULT_ADDR FAULT_PORT_$_http_n=\$FAULT_PORT FAULT_URL_$_http_n=\$FAULT_URL"
}

# http_add_status_switch NAME: adds /v1/status to nginx NAME's locations
# (served on its next reload): the health document, or 503 while the file
# $HTTP_MAINT_<NAME> exists, the way an operator takes an API down. Sets
# HTTP_MAINT_<NAME> and HTTP_MAINT.
http_add_status_switch() {
  HTTP_MAINT=$LAB_DIR/$1/maintenance
  eval "HTTP_MAINT_$1=\$HTTP_MAINT"
  cat >>"$LAB_DIR/$1/locations.conf" <<EOC
location = /v1/status {
    default_type application/json;
    if (-f $HTTP_MAINT) { return 503 '{"error":"maintenance"}'; }
    try_files /v1/health =404;
}
EOC
}

# http_start_edges NAME "ADDR[=KIND] ...": the edges of a CDN behind one
# name: one nginx with a server per address, all on one plain port and
# one TLS port (an address's KIND, default valid, picks its certificate
# from tls.sh), each serving the API files, /media/ (files put in
# $LAB_DIR/NAME/www/media) and /private/ behind HTTP Basic (user edge,
# password $EDGE_PASSWORD). While $LAB_DIR/NAME/down-ADDR exists, that
# address answers 503 everywhere: one broken edge. The access log
# ($LAB_DIR/NAME/access.log) names the address that served each request
# with its Host and SNI. Sets EDGE_PORT and EDGE_TLS_PORT.
http_start_edges() {
  [ $# -eq 2 ] || { echo "usage: http_start_edges NAME 'ADDR[=KIND] ...'" >&2; return 1; }
  http__check_name "$1" || return 1
  if [ -z "${TLS_DIR:-}" ] || [ ! -f "$TLS_DIR/done" ]; then
    tls_make_certs || return 1
  fi
  _e_d=$LAB_DIR/$1
  mkdir -p "$_e_d/tmp" "$_e_d/www/media" "$_e_d/www/private" || return 1
  http__www "$_e_d/www" || return 1
  echo ok >"$_e_d/www/private/index.html"
  EDGE_PASSWORD=edge-$$-secret
  printf 'edge:%s\n' "$(openssl passwd -apr1 "$EDGE_PASSWORD")" >"$_e_d/htpasswd" || return 1
  set -- "$1" $2
  _e_name=$1
  shift
  _e_first=${1%%=*}
  _e_try=0
  while [ $_e_try -lt 5 ]; do
    _e_try=$((_e_try + 1))
    EDGE_PORT=$(lab_free_port "$_e_first") || return 1
    EDGE_TLS_PORT=$(lab_free_port "$_e_first") || return 1
    [ "$EDGE_TLS_PORT" != "$EDGE_PORT" ] || EDGE_TLS_PORT=$(lab_free_port "$_e_first") || return 1
    {
      http_conf_head "$_e_d" '$server_addr "$request" $status "$http_host" "$ssl_server_name"'
      echo '    default_type application/octet-stream;'
      echo '    types { application/json json; text/html html; audio/mpeg mp3; }'
      for _e_a in "$@"; do
        _e_kind=valid
        case $_e_a in *=*) _e_kind=${_e_a#*=} _e_a=${_e_a%%=*} ;; esac
        _e_ha=$(http__hostport "$_e_a" '')
        cat <<CONF
    server {
        listen ${_e_ha%:}:$EDGE_PORT;
        listen ${_e_ha%:}:$EDGE_TLS_PORT ssl;
        server_name api.stream.test;
        ssl_certificate $TLS_DIR/$_e_kind.pem;
        ssl_certificate_key $TLS_DIR/$_e_kind.key;
        root $_e_d/www;
        if (-f $_e_d/down-$_e_a) { return 503 '{"error":"edge down"}'; }
        location /v1/ { default_type application/json; }
        location /private/ {
            auth_basic "edge";
            auth_basic_user_file $_e_d/htpasswd;
        }
    }
CONF
      done
      echo "}"
    } >"$_e_d/nginx.conf" || return 1
    lab_spawn "$_e_name" "$NGINX" -p "$_e_d/" -c "$_e_d/nginx.conf" -e stderr
    _e_ok=1
    lab_wait_log "$_e_name" 'start worker process' "$LAB_PID" 2>/dev/null || _e_ok=0
    for _e_a in "$@"; do
      _e_a=${_e_a%%=*}
      for _e_p in $EDGE_PORT $EDGE_TLS_PORT; do
        [ $_e_ok = 1 ] || break
        lab_wait_tcp "$_e_a" "$_e_p" "$LAB_PID" 2>/dev/null || _e_ok=0
      done
    done
    if [ $_e_ok = 1 ] && lab_alive "$LAB_PID" && ! grep -q 'emerg' "$LAB_DIR/$_e_name.log"; then
      return 0
    fi
    if lab_alive "$LAB_PID" || ! grep -qi 'in use' "$LAB_DIR/$_e_name.log"; then
      break
    fi
    lab_stop "$_e_name"
  done
  echo "http_start_edges $_e_name: nginx does not answer; its log:" >&2
  sed 's/^/  /' "$LAB_DIR/$_e_name.log" >&2
  lab_stop "$_e_name"
  return 1
}
