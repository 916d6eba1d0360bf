#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file of the tree carries the licence line
# (SPDX-License-Identifier: GPL-3.0-or-later) in its first lines, and
# COPYING holds the GPL version 3 (README.md, debian/copyright).
. "$top_srcdir/tests/plugins/lib.sh"
cd "$top_srcdir" || bail_out "no source tree"
grep -q 'GNU GENERAL PUBLIC LICENSE' COPYING &&
  grep -q 'Version 3, 29 June 2007' COPYING
ok $? "COPYING is the GPL version 3"
missing=
for f in $(find lib include plugins tests tools bench docs .ci \
  \( -path tests/fuzz/corpus -o -name __pycache__ \) -prune -o -type f \
  \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \
  -o -name '*.pl' -o -name '*.am' -o -name '*.1' -o -name '*.conf' \
  -o -name '*.cfg' -o -perm -u+x \) -print 2>/dev/null) \
  Makefile.am configure.ac bootstrap; do
  [ -f "$f" ] || continue
  case $f in *.c | *.h | *.sh | *.py | *.pl | *.am | *.1 | *.conf | *.cfg | \
    Makefile.am | configure.ac) ;;
  *) head -c 2 "$f" | grep -q '^#!' || continue ;; # a script, not a binary
  esac
  head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' ||
    missing="$missing $f"
done
is "$missing" "" "every source file names its licence in its first lines"
plan_done
