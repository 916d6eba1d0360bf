#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every plugin has a man page that renders without a warning; its --help
# and its man page list the same options (each option documented in
# both, the man page's OPTIONS entries being .TP items); --help lists the
# standard options in long form (conventions.md) with every description
# starting in one column, and fits 80 columns.
. "$top_srcdir/tests/plugins/lib.sh"
need_cmd groff "groff missing"
T=${TMPDIR:-/tmp}/manpages.$$
for p in check_resolve check_api check_login check_stream; do
  page=$top_srcdir/docs/$p.1
  [ -f "$page" ]
  ok $? "$p: docs/$p.1 exists"
  warn=$(LC_ALL=C.UTF-8 groff -t -man -Tutf8 -ww -z "$page" 2>&1)
  is "$warn" "" "$p: the man page renders without warnings"
  "$PLUGINDIR/$p" --help >"$T.help" 2>&1
  # the long options --help describes (an option line starts with ' -')
  grep -E '^ +(-[A-Za-z0-9], )?--[a-z]' "$T.help" |
    grep -oE -- '--[a-z][a-z0-9-]+' | sort -u >"$T.help.opts"
  # the long options the man page describes: its .TP entries' first line
  awk '/^\.T[PQ]$/ { getline; print }' "$page" | sed 's/\\-/-/g' |
    grep -oE -- '--[a-z][a-z0-9-]+' | sort -u >"$T.man.opts"
  is "$(comm -23 "$T.help.opts" "$T.man.opts" | tr '\n' ' ')" "" \
    "$p: every option of --help has an entry in the man page"
  is "$(comm -13 "$T.help.opts" "$T.man.opts" | tr '\n' ' ')" "" \
    "$p: every option entry of the man page is in --help"
  missing=
  for std in '-h, --help' '-V, --version' '-v, --verbose' '-t, --timeout'; do
    grep -qE -- "^ +$std" "$T.help" || missing="$missing '$std'"
  done
  is "$missing" "" "$p: --help lists the standard options in long form"
  # descriptions: after the option on its line, or alone on the next
  # lines, all starting in one column
  cols=$(grep -E '^ +-' "$T.help" |
    awk '{ if (match($0, /[^ ]  +[^ ]/)) print RSTART + RLENGTH - 1 }' | sort -u |
    tr '\n' ' ')
  is "$cols" "28 " "$p: every option's description starts in column 28"
  wide=$(awk 'length($0) > 80' "$T.help")
  is "$wide" "" "$p: --help fits 80 columns"
done
rm -f "$T.help" "$T.help.opts" "$T.man.opts"
plan_done
