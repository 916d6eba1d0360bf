#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_resolve's command line: every bad option or range is UNKNOWN
# naming the option; --help, --version and --extra-opts as the
# Monitoring Plugins do them. Needs no server, except one that refuses.
. "$top_srcdir/tests/plugins/lib.sh"
P=$PLUGINDIR/check_resolve

bad() { # bad OPTION-NAME ARGS...: UNKNOWN naming the option
  name=$1
  shift
  run "$P" "$@"
  is_rc 3 "$* -> exit 3"
  first_line_matches "^RESOLVE UNKNOWN - .*$(printf '%s' "$name" | sed 's/[][\.*^$]/\\&/g')" \
    "$* -> UNKNOWN naming $name"
  is "$(lines_count)" 1 "$* -> one line"
}

bad -H
bad -H -s 127.0.0.1
bad -t -H a -s 127.0.0.1 -t 0
bad -t -H a -s 127.0.0.1 -t -1
bad -t -H a -s 127.0.0.1 -t abc
bad -t -H a -s 127.0.0.1 -t 1e3
bad -t -H a -s 127.0.0.1 -t 5:bogus
bad -w -H a -s 127.0.0.1 -w 10x
bad -w -H a -s 127.0.0.1 -w :
bad -w -H a -s 127.0.0.1 -w ""
bad -c -H a -s 127.0.0.1 -c 5:3
bad -c -H a -s 127.0.0.1 -c nan
bad -c -H a -s 127.0.0.1 -c inf
bad --fail-critical -H a -s 127.0.0.1 --fail-critical x
bad --fail-warning -H a -s 127.0.0.1 --fail-warning 3:1
bad -q -H a -s 127.0.0.1 -q BOGUS
bad -s -H a -s 1.2.3
bad -s -H a -s host.example
bad -s -H a -s 127.0.0.1:99999
bad -s -H a -s 127.0.0.1 -s 127.0.0.1:53
bad -s -H a -s 127.0.0.1 -6
bad -H -H a -H A -s 127.0.0.1
# names c-ares cannot put in a query were a CRITICAL "cannot build query"
# about a healthy resolver (issue 12): refused
bad -H -H "$(printf '%64s' '' | tr ' ' a).test" -s 127.0.0.1
bad -H -H a..test -s 127.0.0.1
bad -H -H .a.test -s 127.0.0.1
bad -a -H a -s 127.0.0.1 -a 10.0.0.0/33
# an -a that can never match the asked type would page about a healthy
# service (issue 12): refused
bad -a -H a -s 127.0.0.1 -a host.example.
bad -a -H a -s 127.0.0.1 -q AAAA -a 10.0.0.0/8
# two -H whose labels print the same ('=' and '|' become '_')
bad -H -H 'a=b.test' -H 'a|b.test' -s 127.0.0.1
bad -L -H a -s 127.0.0.1 -L
# --client-subnet: ADDRESS/PREFIX, the host bits zero (resolve_trust.sh
# has the whole list)
bad --client-subnet -H a -s 127.0.0.1 --client-subnet 10.1.0.0
bad --client-subnet -H a -s 127.0.0.1 --client-subnet 10.1.0.0/33
bad --client-subnet -H a -s 127.0.0.1 --client-subnet 10.1.2.3/16
first_line_matches 'the network is 10\.1\.0\.0/16' "--client-subnet with host bits: the network is named"
# lists and names where one value is expected (issue 13): UNKNOWN naming
# the option and the fix, never a CRITICAL about a healthy service
bad -s -H a -s 127.0.0.1,127.0.0.2
first_line_matches 'give -s once per resolver' "-s list: the fix is named"
bad -H -H a.test,b.test -s 127.0.0.1
first_line_matches 'give -H once per name' "-H list: the fix is named"
bad -q -H a -s 127.0.0.1 -q A,AAAA
first_line_matches 'one query type per run' "-q list: the fix is named"
bad -s -H a -s ns.1=127.0.0.1
first_line_matches 'NAME=ADDR' "-s with a bad NAME: the syntax is named"
bad -s -H a -s =127.0.0.1
bad -s -H a -s "$(printf '%33s' '' | tr ' ' n)=127.0.0.1"
bad -s -H a -s ns=127.0.0.1 -s ns=127.0.0.2
first_line_matches 'give each its own name' "one NAME twice: the fix is named"
bad -s -H a -s ns=127.0.0.1 -s ns=127.0.0.1:53
# two queries whose labels print the same: -H a_b on c, -H a on b_c
bad -H/-s -H a_b -H a -s c=127.0.0.1 -s b_c=127.0.0.2
first_line_matches 'same perfdata label time_a_b_c' "label clash: the label is named"
bad -a -H a -s 127.0.0.1 -a 10.0.0.1,
bad -a -H a -s 127.0.0.1 -a 10.0.0.1,host.example.
bad -a -H a -s 127.0.0.1 -n -a 10.0.0.1
first_line_matches 'not used with -n' "-a with -n: refused, both named"
bad --retries -H a -s 127.0.0.1 --retries 0
bad --retries -H a -s 127.0.0.1 --retries 6
bad --bogus -H a -s 127.0.0.1 --bogus
bad -s -H a -s
bad unexpected -H a -s 127.0.0.1 stray

# --resolv-conf: missing file, a file without nameservers
bad --resolv-conf -H a --resolv-conf /nonexistent/resolv.conf
conf=$(mktemp) && trap 'rm -f "$conf" "$ini"' EXIT
printf 'search example\noptions ndots:2\n' >"$conf"
bad --resolv-conf -H a --resolv-conf "$conf"
printf 'nameserver ::1\n' >"$conf"
bad --resolv-conf -H a --resolv-conf "$conf" -4

# --resolv-conf was read up to 16 KiB and the rest ignored: a nameserver
# after 16 KiB of comments was lost (issue 12). Now the whole file, up to
# 1 MiB, and a larger one is refused naming the option and the limit.
awk 'BEGIN { for (i = 0; i < 600; i++) print "# a long comment line, forty bytes or so"; print "nameserver 127.0.0.253" }' >"$conf"
run "$P" -H a.stream.test --resolv-conf "$conf"
is_rc 2 "--resolv-conf: nameserver after 16 KiB -> asked (refused: CRITICAL)"
first_line_matches 'connection refused from 127\.0\.0\.253 \(1/1 failed\)' \
  "--resolv-conf: the nameserver past 16 KiB is used"
head -c 1048577 /dev/zero | tr '\0' '#' >"$conf"
bad --resolv-conf -H a --resolv-conf "$conf"
first_line_matches 'larger than 1048576 bytes' "--resolv-conf over 1 MiB: the limit is named"
bad --resolv-conf -H a --resolv-conf /dev/null

run "$P" --help
is_rc 3 "--help exits 3"
first_line_matches '^check_resolve: DNS' "--help starts with what it does"
line_matches '^Usage: check_resolve -H NAME' "--help has the usage"
line_matches '^ +--fail-critical=RANGE' "--help lists --fail-critical"
line_matches '^Examples:' "--help has examples"
long=$(printf '%s\n' "$OUT" | awk 'length > 80' | head -1)
is "$long" "" "--help fits 80 columns"
# standard options in long form, as the other plugins list them
for o in '-h, --help' '-V, --version' '-v, --verbose' '-t, --timeout=' \
  '--extra-opts=' '-s, --server=\[NAME=\]ADDR\[:PORT\]' '-a, --expect=VALUE\[,VALUE...\]'; do
  line_matches "^ +$o" "--help lists $o"
done
# aligned: an option's meaning starts at column 28, on its line or the
# next (issue 13: '--fail-critical=RANGE number...' and others ran on)
misaligned=$(printf '%s\n' "$OUT" | sed -n '/^Options:/,/^$/p' | awk '
  /^ (-[A-Za-z0-9], |    )-/ { t = $0; sub(/^ +/, "", t)
    if (index(t, "  ") && (substr($0, 26, 2) != "  " || substr($0, 28, 1) == " ")) print; next }
  /^ / { if (substr($0, 1, 27) ~ /[^ ]/ || substr($0, 28, 1) == " ") print }')
is "$misaligned" "" "--help: every meaning at column 28"
# the man page documents exactly the options --help lists, same spelling
help_opts=$(printf '%s\n' "$OUT" | sed -n '/^Options:/,/^$/p' |
  awk '/^ (-[A-Za-z0-9], |    )-/ { print substr($0, 1, 27) }' |
  grep -oE -- '--?[A-Za-z0-9][a-z0-9-]*' | sort -u)
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$top_srcdir/docs/check_resolve.1" |
  awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' | sed 's/\\-/-/g' |
  grep -oE -- '--?[A-Za-z0-9][a-z0-9-]*' | sort -u)
is "$(printf '%s\n' "$help_opts" | grep -vxF "$man_opts" | tr '\n' ' ')" "" "every --help option is in the man page's OPTIONS"
is "$(printf '%s\n' "$man_opts" | grep -vxF "$help_opts" | tr '\n' ' ')" "" "every man page option is in --help"

run "$P" -V
is_rc 3 "-V exits 3"
first_line_matches '^check_resolve v[0-9]+\.[0-9]+\.[0-9]+ \(streamwatch [0-9.]+; c-ares/[0-9.]+\)$' \
  "-V names the version and c-ares"

# --resolv-conf really supplies the resolvers (nothing listens on port 53
# at these addresses: each is refused, and named)
printf '# test\nnameserver 127.0.0.251\nnameserver 127.0.0.252\nnameserver ::1\n' >"$conf"
run "$P" -H a.stream.test --resolv-conf "$conf" -4
is_rc 2 "--resolv-conf resolvers refused -> CRITICAL"
first_line_matches 'connection refused from 127\.0\.0\.251, connection refused from 127\.0\.0\.252 \(2/2 failed\)' \
  "--resolv-conf -4: both IPv4 nameservers asked, ::1 left out"
perf_ok "perfdata parses"

# --extra-opts: options from an ini section, command line wins
ini=$(mktemp)
printf '[check_resolve]\nhostname=a.stream.test\nserver=127.0.0.251\n# comment\n[dns_eu]\nhostname = b.stream.test\nserver = 127.0.0.252\ntimeout=3\n' >"$ini"
run "$P" --extra-opts="@$ini"
is_rc 2 "--extra-opts=@FILE reads [check_resolve]"
first_line_matches '^RESOLVE CRITICAL - a\.stream\.test A: connection refused from 127\.0\.0\.251 ' \
  "--extra-opts options used"
run "$P" --extra-opts="dns_eu@$ini" -H c.stream.test
first_line_matches '^RESOLVE CRITICAL - b\.stream\.test A: connection refused from 127\.0\.0\.252; c\.stream\.test A: connection refused from 127\.0\.0\.252 \(2/2 failed\)' \
  "--extra-opts=SECTION@FILE plus a command-line -H"
run env MP_CONFIG_FILE="$ini" "$P" --extra-opts=dns_eu
first_line_matches '^RESOLVE CRITICAL - b\.stream\.test A: connection refused from 127\.0\.0\.252 ' \
  "--extra-opts=SECTION with MP_CONFIG_FILE"
run "$P" --extra="dns_eu@$ini"
first_line_matches '^RESOLVE CRITICAL - b\.stream\.test A: connection refused from 127\.0\.0\.252 ' \
  "--extra (abbreviated as getopt allows) is expanded too"
bad --extra-opts --extra-opts="nosuch@$ini"
bad --extra-opts --extra-opts="@/nonexistent/plugins.ini"

# A comma locale changes nothing in the perfdata.
run env LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 "$P" -H a.stream.test -s 127.0.0.251 -w 0.5
no_line_matches '=[0-9]+,[0-9]' "comma locale: perfdata numbers keep '.'"
perf_ok "comma locale: perfdata parses"

plan_done
