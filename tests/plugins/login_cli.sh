#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_login's command line: bad options and missing secrets are UNKNOWN
# naming them; literal secrets never show in /proc/PID/cmdline.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
lab_init
P=$PLUGINDIR/check_login
U=http://127.0.0.1:1/token
CC="--client-id c --client-secret cs-0123456"

bad() { # bad OPTION ARGS...: UNKNOWN naming the option, one line
  name=$1
  shift
  run "$P" "$@"
  is_rc 3 "$* -> exit 3"
  first_line_matches "^LOGIN UNKNOWN - .*$(printf '%s' "$name" | sed 's/[][\.*^$]/\\&/g')" \
    "$* -> UNKNOWN naming $name"
  is "$(lines_count)" 1 "$* -> one line"
}

unreadable=$LAB_DIR/unreadable
printf 'x\n' >"$unreadable"
chmod 000 "$unreadable"
empty=$LAB_DIR/empty
: >"$empty"
nl_only=$LAB_DIR/nl
printf '\n' >"$nl_only"

bad -u --client-id c --client-secret cs-0123456
bad -u -u ftp://x/ $CC
bad --flow -u $U --flow magic $CC
bad --client-id -u $U
bad --client-secret -u $U --client-id c
bad --client-secret-file -u $U --client-id c --client-secret-file /nonexistent/secret
bad --client-secret-file -u $U --client-id c --client-secret-file "$empty"
bad --client-secret-file -u $U --client-id c --client-secret-file "$nl_only"
bad --client-secret-env -u $U --client-id c --client-secret-env STREAMWATCH_UNSET
bad --username -u $U --flow password $CC
bad --password-file -u $U --flow password $CC --username a --password-file /nonexistent/pw
bad --refresh-token -u $U --flow refresh-token $CC
bad --success-string -u $U --flow form --username a --password pw-0123456
bad --csrf-regex -u $U --flow form --username a --password pw-0123456 --success-string x --csrf-regex 'v="(.*)"'
bad --csrf-regex -u $U --flow form --username a --password pw-0123456 --success-string x --csrf-field f --csrf-regex '('
bad --success-regex -u $U --flow form --username a --password pw-0123456 --success-regex '(a{1,100}){1,100}'
first_line_matches 'too complex' "--success-regex: a regex too costly to compile is named so"
bad --token-cache -u $U --flow basic --username a --password pw-0123456 --token-cache /tmp/x
bad --success-string -u $U --flow basic --username a --password pw-0123456 --success-string zzz
bad --failure-string -u $U $CC --failure-string Invalid
bad --csrf-field -u $U --flow password $CC --username a --password pw-0123456 --csrf-field t
bad --form-field -u $U $CC --form-field a=b
bad --form-origin -u $U --flow form --username a --password pw-0123456 --success-string x --form-origin ftp://x/
bad --form-origin -u https://127.0.0.1:1/login --flow form --username a --password pw-0123456 --success-string x --form-origin http://127.0.0.2/
bad --form-origin -u $U $CC --form-origin http://127.0.0.2/
bad --form-origin -u $U --flow form --username a --password pw-0123456 --success-string x --form-origin http://u:fo-secret-9@127.0.0.2/
no_line_matches 'fo-secret-9' "--form-origin with userinfo: the password not shown"
bad --cookie-jar -u $U $CC --cookie-jar "$LAB_DIR/jar"
bad -u -u http://u:url-secret-9@127.0.0.1:1/token $CC
no_line_matches 'url-secret-9' "-u with userinfo in a token flow: the password not shown"
bad --client-auth -u $U $CC --client-auth header
bad --ttl-warning -u $U $CC --ttl-warning 10x
bad --ttl-warning -u $U $CC --ttl-warning -5
bad --ttl-critical -u $U $CC --ttl-critical 5:3
bad --rejected-state -u $U $CC --rejected-state maybe
bad --form-field -u $U $CC --form-field novalue
bad --tls-min -u $U $CC --tls-min 1.0
bad --connect-to -u $U $CC --connect-to 'a b'
bad -t -u $U $CC -t 0
bad --bogus -u $U $CC --bogus
# Unreadable: as root no file mode stops a read, but a directory does.
bad --client-secret-file -u $U --client-id c --client-secret-file "$LAB_DIR"
if [ "$(id -u)" != 0 ]; then
  bad --client-secret-file -u $U --client-id c --client-secret-file "$unreadable"
fi

run "$P" --help
is_rc 3 "--help exits 3"
line_matches '^Usage: check_login -u URL' "--help has the usage"
is "$(printf '%s\n' "$OUT" | awk 'length > 80' | head -1)" "" "--help fits 80 columns"
# the standard options each on a line of their own in long form, as every
# plugin has them, and every meaning in one column (28)
for o in '-v, --verbose' '-h, --help' '-V, --version' '-t, --timeout=' \
    '-4, --use-ipv4' '-6, --use-ipv6' '--extra-opts=' '-w, --warning=' '-c, --critical='; do
  printf '%s\n' "$OUT" | grep -Eq "^ (    )?$(printf '%s' "$o" | sed 's/[][.*^$]/\\&/g')"
  ok $? "--help lists '$o' on a line of its own"
done
bad_cols=$(printf '%s\n' "$OUT" | sed -n '/^Options:/,/^$/p' | awk '
  /^ (-[A-Za-z0-9],|   ) -/ {
    rest = substr($0, 6); i = index(rest, "  ")
    if (i == 0) next
    col = 5 + i; while (substr($0, col + 1, 1) == " ") col++
    if (col != 27) print
    next
  }
  substr($0, 1, 27) ~ /^ *$/ && substr($0, 28, 1) != " " { next }
  /^  *[^ ]/ { print }')
is "$bad_cols" "" "--help: every meaning starts in column 28"
run "$P" -V
is_rc 3 "-V exits 3"
first_line_matches '^check_login v[0-9.]+ \(streamwatch [0-9.]+; libcurl/' "-V names libcurl"

# Literal secrets are wiped from argv at once (Nagios resource macros
# put them on the command line): ps never shows them.
lab_start_blackhole HOLE || bail_out "black hole did not start"
H=http://127.0.0.1:$HOLE_PORT
cmdline_hides HOLE client-secret-visible "--client-secret=VALUE wiped" \
  "$P" -u "$H/token" --client-id c --client-secret=client-secret-visible -t 3
cmdline_hides HOLE pass-word-visible "--password VALUE wiped" \
  "$P" -u "$H/token" --flow password --client-id c --client-secret-env HOME \
  --username u --password pass-word-visible -t 3
cmdline_hides HOLE refresh-visible "--refresh-token=VALUE wiped" \
  "$P" -u "$H/token" --flow refresh-token --client-id c --client-secret-env HOME \
  --refresh-token=refresh-visible -t 3
cmdline_hides HOLE basic-pw-visible "basic flow --password wiped" \
  "$P" --flow basic -u "$H/x" --username u --password=basic-pw-visible -t 3

plan_done
