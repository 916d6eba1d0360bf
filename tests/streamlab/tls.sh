# SPDX-License-Identifier: GPL-3.0-or-later
# streamlab TLS: a test CA and server certificates, made with openssl at test time.
# shellcheck shell=sh disable=SC2034
# POSIX sh (dash); source after lab.sh and call lab_init first:
#
#   . "$top_srcdir/tests/streamlab/lab.sh"; . "$top_srcdir/tests/streamlab/tls.sh"
#   lab_init
#   tls_have_openssl || skip_all "openssl not installed"
#   tls_make_certs || exit 1
#   check_api -u https://api.stream.test:$PORT/ --ca-file "$TLS_CA" ...
#
# Interface
#   tls_make_certs      makes $LAB_DIR/tls/ (once per LAB_DIR: a second call
#                       returns at once) and sets, in the calling shell:
#     TLS_DIR           $LAB_DIR/tls
#     TLS_CA            $TLS_DIR/ca.pem (the test CA's certificate; PEM)
#     TLS_KINDS         "valid expired notyet wrongname selfsigned expiring5"
#     TLS_EXPIRING5_END notAfter of expiring5 as seconds since the epoch
#   tls_have_openssl    true when $OPENSSL runs
#   OPENSSL             default: openssl (from PATH)
#
# Files in $TLS_DIR (all PEM; keys are EC P-256, unencrypted, PKCS#8):
#   ca.pem ca.key       CA "CN=streamlab test CA, O=streamlab", self-signed,
#                       CA:TRUE, valid 2019-01-01 .. 2101-01-01 (so it covers
#                       every leaf below, the expired one too)
#   KIND.pem KIND.key   leaf for each KIND, CA:FALSE, serverAuth; KIND.pem
#                       holds the leaf only (the CA is the trust anchor):
#     valid       CN=api.stream.test, SAN DNS:api.stream.test, DNS:localhost,
#                 IP:127.0.0.1, IP:::1; by the CA; now-1 day .. now+365 days
#     expired     same names; by the CA; 2020-01-01 .. 2021-01-01 (UTC)
#                 openssl verify: "certificate has expired" (error 10)
#     notyet      same names; by the CA; 2099-01-01 .. 2100-01-01
#                 openssl verify: "certificate is not yet valid" (error 9)
#     wrongname   CN=other.example, SAN DNS:other.example only; by the CA;
#                 now-1 day .. now+365 days: verifies, but not for
#                 api.stream.test, localhost or 127.0.0.1 (hostname mismatch)
#     selfsigned  same names as valid, signed by its own key (not the CA);
#                 now .. now+365 days; openssl: "self-signed certificate"
#                 (error 18)
#     expiring5   same names as valid; by the CA; now-1 day .. now+5 days+1
#                 hour, so (notAfter - now) / 86400 truncates to 5 (and
#                 rounds to 5) for the first hour after tls_make_certs
#   KIND-chain.pem      leaf followed by ca.pem (for a server that should
#                       send the chain; the CA-signed kinds only)
# Takes about 0.2 s (openssl ca with -startdate/-enddate: openssl 3.0's
# x509 -req cannot backdate). Nothing outside $TLS_DIR is touched: the
# openssl config used is $TLS_DIR/openssl.cnf.

OPENSSL=${OPENSSL:-openssl}
TLS_KINDS="valid expired notyet wrongname selfsigned expiring5"

tls_have_openssl() {
  "$OPENSSL" version >/dev/null 2>&1
}

# tls__date OFFSET: UTC time OFFSET from now (date -d syntax) as openssl ca
# wants it (YYYYMMDDHHMMSSZ)
tls__date() {
  date -u -d "$1" +%Y%m%d%H%M%SZ
}

tls__config() {
  cat <<EOF
# streamlab test CA (tls.sh); paths relative to $TLS_DIR
[ ca ]
default_ca = lab_ca

[ lab_ca ]
dir = $TLS_DIR/ca.db
database = \$dir/index.txt
new_certs_dir = \$dir/new
certificate = $TLS_DIR/ca.pem
private_key = $TLS_DIR/ca.key
default_md = sha256
policy = lab_policy
unique_subject = no
copy_extensions = none
email_in_dn = no
preserve = yes
rand_serial = yes

[ lab_policy ]
commonName = supplied
organizationName = optional

[ req ]
distinguished_name = req_dn
prompt = no
default_md = sha256

[ req_dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ srv ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:api.stream.test, DNS:localhost, IP:127.0.0.1, IP:::1

[ srv_self ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:api.stream.test, DNS:localhost, IP:127.0.0.1, IP:::1

[ srv_other ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:other.example
EOF
}

tls__key() {
  "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TLS_DIR/$1.key" 2>>"$TLS_DIR/openssl.log"
}

# tls__sign KIND SUBJECT EXTENSIONS STARTDATE ENDDATE: key, CSR, openssl ca
tls__sign() {
  tls__key "$1" &&
    "$OPENSSL" req -new -config "$TLS_DIR/openssl.cnf" -key "$TLS_DIR/$1.key" \
      -subj "$2" -out "$TLS_DIR/$1.csr" 2>>"$TLS_DIR/openssl.log" &&
    "$OPENSSL" ca -batch -notext -config "$TLS_DIR/openssl.cnf" -extensions "$3" \
      -startdate "$4" -enddate "$5" -in "$TLS_DIR/$1.csr" -out "$TLS_DIR/$1.pem" \
      >>"$TLS_DIR/openssl.log" 2>&1 &&
    cat "$TLS_DIR/$1.pem" "$TLS_DIR/ca.pem" >"$TLS_DIR/$1-chain.pem"
}

tls_make_certs() {
  [ -n "${LAB_DIR:-}" ] || { echo "tls_make_certs: call lab_init first" >&2; return 1; }
  TLS_DIR=$LAB_DIR/tls
  TLS_CA=$TLS_DIR/ca.pem
  if [ -f "$TLS_DIR/done" ]; then
    TLS_EXPIRING5_END=$(cat "$TLS_DIR/done")
    return 0
  fi
  tls_have_openssl || { echo "tls_make_certs: $OPENSSL does not run" >&2; return 1; }
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR/ca.db/new" || return 1
  : >"$TLS_DIR/ca.db/index.txt"
  : >"$TLS_DIR/openssl.log"
  tls__config >"$TLS_DIR/openssl.cnf" || return 1
  _tls_now=$(date -u +%s)
  _tls_from=$(tls__date "@$((_tls_now - 86400))")
  _tls_year=$(tls__date "@$((_tls_now + 365 * 86400))")
  TLS_EXPIRING5_END=$((_tls_now + 5 * 86400 + 3600))
  _tls_soon=$(tls__date "@$TLS_EXPIRING5_END")
  # the CA signs itself through openssl ca too, to get its long validity
  if tls__key ca &&
    "$OPENSSL" req -new -config "$TLS_DIR/openssl.cnf" -key "$TLS_DIR/ca.key" \
      -subj "/O=streamlab/CN=streamlab test CA" -out "$TLS_DIR/ca.csr" 2>>"$TLS_DIR/openssl.log" &&
    "$OPENSSL" ca -batch -notext -selfsign -config "$TLS_DIR/openssl.cnf" \
      -keyfile "$TLS_DIR/ca.key" -extensions v3_ca \
      -startdate 20190101000000Z -enddate 21010101000000Z \
      -in "$TLS_DIR/ca.csr" -out "$TLS_DIR/ca.pem" >>"$TLS_DIR/openssl.log" 2>&1 &&
    tls__sign valid "/CN=api.stream.test" srv "$_tls_from" "$_tls_year" &&
    tls__sign expired "/CN=api.stream.test" srv 20200101000000Z 20210101000000Z &&
    tls__sign notyet "/CN=api.stream.test" srv 20990101000000Z 21000101000000Z &&
    tls__sign wrongname "/CN=other.example" srv_other "$_tls_from" "$_tls_year" &&
    tls__sign expiring5 "/CN=api.stream.test" srv "$_tls_from" "$_tls_soon" &&
    tls__key selfsigned &&
    "$OPENSSL" req -new -x509 -config "$TLS_DIR/openssl.cnf" -extensions srv_self \
      -key "$TLS_DIR/selfsigned.key" -subj "/CN=api.stream.test" -days 365 \
      -out "$TLS_DIR/selfsigned.pem" 2>>"$TLS_DIR/openssl.log"; then
    echo "$TLS_EXPIRING5_END" >"$TLS_DIR/done"
    return 0
  fi
  echo "tls_make_certs: openssl failed; its output:" >&2
  sed 's/^/  /' "$TLS_DIR/openssl.log" >&2
  return 1
}
