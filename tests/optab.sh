#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The option tables (plugins/*/*_optab.c) are the one source of every
# plugin's options: getopt and --help read them at run time, and here
# what they make is compared, byte for byte, with what is written down:
# 1. the man page's option heads (the line after each .TP or .TQ of
#    OPTIONS), in order: tests/optab man shows the heads to write;
# 2. the arguments block of each CheckCommand in
#    docs/icinga2/streamwatch.conf: tools/optab-sync rewrites it;
# 3. every option docs/nagios/commands.cfg passes is in the table.
. "$top_srcdir/tests/plugins/lib.sh"
TOOL=$top_builddir/tests/optab
[ -x "$TOOL" ] || bail_out "tests/optab not built"
T=${TMPDIR:-/tmp}/optab.$$
CONF=$top_srcdir/docs/icinga2/streamwatch.conf
NAGIOS=$top_srcdir/docs/nagios/commands.cfg
for p in check_resolve check_api check_login check_stream; do
  "$TOOL" man "$p" >"$T.want" || bail_out "tests/optab man $p failed"
  awk '/^\.SH/ { o = ($0 == ".SH OPTIONS") } o && /^\.T[PQ]$/ { getline; print }' \
    "$top_srcdir/docs/$p.1" >"$T.got"
  d=$(diff "$T.want" "$T.got")
  is "$d" "" "$p: the man page's option heads are the table's"
  "$TOOL" icinga "$p" >"$T.want" || bail_out "tests/optab icinga $p failed"
  awk -v cmd="\"streamwatch_${p#check_}\"" '
    /^object CheckCommand / { o = ($3 == cmd) }
    o && /^  arguments = \{$/ { a = 1 }
    a { print }
    a && /^  }$/ { a = 0 }' "$CONF" >"$T.got"
  d=$(diff "$T.want" "$T.got")
  is "$d" "" "$p: the Icinga 2 arguments are the table's (tools/optab-sync)"
  # the options of the Nagios command lines that run this plugin
  "$TOOL" help "$p" | grep -oE -- '^ +(-[A-Za-z0-9], )?--[a-z0-9-]+' |
    tr -d ' ' | tr ',' '\n' | sort -u >"$T.opts"
  grep -E "command_line .*/$p " "$NAGIOS" | grep -oE -- ' --?[A-Za-z0-9][a-z0-9-]*' |
    tr -d ' ' | sort -u >"$T.used"
  [ -s "$T.used" ]
  ok $? "$p: docs/nagios/commands.cfg runs it with options"
  is "$(comm -13 "$T.opts" "$T.used" | tr '\n' ' ')" "" \
    "$p: every option docs/nagios/commands.cfg passes is in the table"
done
rm -f "$T.want" "$T.got" "$T.opts" "$T.used"
plan_done
