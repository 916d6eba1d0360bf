#!/bin/sh
# Every plugin has a man page that renders without a warning, and whose
# options match the plugin's --help (no option documented in one only).
. "$top_srcdir/tests/plugins/lib.sh"
need_cmd groff "groff missing"
for p in check_resolve check_api check_login check_stream; do
  page=$top_srcdir/docs/$p.1
  [ -f "$page" ]
  ok $? "$p: docs/$p.1 exists"
  warn=$(LC_ALL=C.UTF-8 groff -t -man -Tutf8 -ww -z "$page" 2>&1)
  is "$warn" "" "$p: the man page renders without warnings"
  "$PLUGINDIR/$p" --help >"${TMPDIR:-/tmp}/help.$$" 2>&1
  missing=
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' "${TMPDIR:-/tmp}/help.$$" | sort -u); do
    grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$page" || missing="$missing $opt"
  done
  rm -f "${TMPDIR:-/tmp}/help.$$"
  is "$missing" "" "$p: every option of --help is in the man page"
done
plan_done
