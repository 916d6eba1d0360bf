#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check-valgrind's helper: the plugin tests run the plugins through
# memcheck by pointing PLUGINDIR at wrappers made here.
#
#   valgrind.sh wrap PLUGINDIR DIR   DIR/plugins/check_* exec valgrind on
#                                    PLUGINDIR's plugin; one log per run
#                                    in DIR/logs (empty when clean)
#   valgrind.sh verify DIR           prints each log with an error and
#                                    exits 1 when any has one; says how
#                                    many runs were checked
#
# memcheck: --error-exitcode=99 (a test asserting an exit code then fails
# on the spot), --leak-check=full, errors for definite leaks only: a
# plugin's 0 definitely lost is the bar; what the libraries keep
# reachable until exit is theirs.
set -eu
case ${1:-} in
  wrap)
    real=$2 dir=$3
    rm -rf "$dir" && mkdir -p "$dir/plugins" "$dir/logs"
    for p in "$real"/check_*; do
      [ -x "$p" ] && [ -f "$p" ] || continue
      case $p in *.o) continue ;; esac
      name=$(basename "$p")
      cat >"$dir/plugins/$name" <<WRAP
#!/bin/sh
exec valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \\
  --show-leak-kinds=definite --errors-for-leak-kinds=definite \\
  --log-file='$dir/logs/$name.%p.log' '$p' "\$@"
WRAP
      chmod +x "$dir/plugins/$name"
    done
    ;;
  verify)
    dir=$2
    runs=$(find "$dir/logs" -name '*.log' | wc -l | tr -d ' ')
    bad=$(find "$dir/logs" -name '*.log' -size +0 | sort)
    if [ -n "$bad" ]; then
      for f in $bad; do printf '=== %s\n' "$f"; head -n 60 "$f"; done
      echo "valgrind: memcheck errors in $(printf '%s\n' "$bad" | wc -l | tr -d ' ') of $runs plugin runs"
      exit 1
    fi
    [ "$runs" -gt 0 ] || { echo "valgrind: no plugin run was checked"; exit 1; }
    echo "valgrind: $runs plugin runs, 0 memcheck errors, 0 definitely lost"
    ;;
  *)
    echo "usage: valgrind.sh wrap PLUGINDIR DIR | verify DIR" >&2
    exit 2
    ;;
esac
