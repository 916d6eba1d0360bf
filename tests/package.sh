#!/usr/bin/env bash
# Builds the Debian package from a clean copy of the tree, checks it
# (lintian, hardening-check, contents), installs it, runs the installed
# plugins, and removes it again, printing TAP. Run as root (dpkg -i),
# after tools/install-deps: CI does `bash tests/package.sh`.
#
#   tests/package.sh [-k]     -k keeps the build directory (it is printed)
#
# The copy holds what git tracks plus untracked files that are not ignored
# (so an uncommitted debian/ is packaged too), never build products of the
# real tree, which is left untouched. The machine is left as it was found:
# the package is removed at the end, also when a step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD

keep=no
[ "${1:-}" = -k ] && keep=yes

PLUGINDIR=/usr/lib/nagios/plugins
PLUGINS="check_resolve check_api check_login check_stream"
PKG=streamwatch-plugins
ICINGA_CONF=usr/share/icinga2/include/plugins-contrib.d/streamwatch.conf

n=0
failed=0
ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESC CMD...: one test, the command's output shown as comments
# when it fails
check() {
  local desc=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$desc"
  else not_ok "$desc"; printf '%s\n' "$out" | tail -40 | sed 's/^/# /'; fi
}
skip()   { n=$((n + 1)); echo "ok $n - $* # SKIP"; }
comment() { sed 's/^/# /'; }

if [ "$(id -u)" -ne 0 ]; then
  echo "1..0 # SKIP tests/package.sh installs a package: run it as root"
  exit 0
fi
for t in dpkg-buildpackage dpkg-checkbuilddeps lintian hardening-check fakeroot; do
  command -v "$t" >/dev/null || {
    echo "Bail out! $t is missing: run tools/install-deps"; exit 1; }
done

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version) || {
  echo "Bail out! debian/changelog does not parse"; exit 1; }
arch=$(dpkg --print-architecture)
work=$(mktemp -d "${TMPDIR:-/tmp}/streamwatch-package.XXXXXX")
tree=$work/streamwatch-${version%%-*}
installed_here=no
cleanup() {
  [ "$installed_here" = yes ] && dpkg -r "$PKG" >/dev/null 2>&1
  if [ "$keep" = yes ]; then echo "# build directory kept: $work"
  else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
echo "# streamwatch $version ($arch) in $work"

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; then
  echo "# $PKG was installed before this run: removing it first"
  dpkg -r "$PKG" 2>&1 | comment
fi

# ------------------------------------------------------------- the copy
mkdir -p "$tree"
copy_tree() {
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$src" ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do
        [ -e "$f" ] || [ -L "$f" ] || continue  # deleted, not yet committed
        printf '%s\0' "$f"
      done | xargs -0 -r cp -P --preserve=mode,timestamps --parents -t "$tree"
  else
    # a tarball: debian/rules clean (run by dpkg-buildpackage) cleans it
    cp -a "$src/." "$tree/"
  fi
}
check "a clean copy of the tree" copy_tree
[ -f "$tree/debian/control" ] || {
  echo "Bail out! the copy has no debian/control"; exit 1; }
cd "$tree" || exit 1

check "build dependencies are installed (dpkg-checkbuilddeps)" dpkg-checkbuilddeps

# The source package is built first, from the pristine copy, so that
# lintian can check the source side too.
check "source package (dpkg-source -b)" \
  sh -c "cd '$work' && dpkg-source -b '$(basename "$tree")'"

# ------------------------------------------------------------- the build
b0=$(date +%s)
if dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b ($(($(date +%s) - b0)) s)"
else
  not_ok "dpkg-buildpackage -us -uc -b"
  tail -60 "$work/build.log" | comment
fi
grep -E '^# (TOTAL|PASS|FAIL|ERROR|XFAIL|XPASS|SKIP):' "$work/build.log" |
  sed 's/^# /# unit tests at build time: /'

deb=$work/${PKG}_${version}_${arch}.deb
changes=$work/streamwatch_${version}_${arch}.changes
dsc=$work/streamwatch_${version}.dsc
if [ -f "$deb" ]; then ok "$(basename "$deb") was built"
else
  not_ok "$(basename "$deb") was built"
  echo "1..$n"; echo "# $((n - failed)) passed, $failed failed"; exit 1
fi

# ------------------------------------------------------------- lintian
# run_lintian WHAT FILE: no E: tag; W: and I: tags are shown as comments
run_lintian() {
  local what=$1 file=$2 out
  out=$(lintian --info --display-info --fail-on none "$file" 2>&1 |
    grep -E '^[EWIPXO]:')
  if printf '%s\n' "$out" | grep -q '^E:'; then not_ok "lintian: no error in the $what"
  else ok "lintian: no error in the $what"; fi
  [ -n "$out" ] && printf '%s\n' "$out" | comment
}
run_lintian "binary package" "$changes"
if [ -f "$dsc" ]; then run_lintian "source package" "$dsc"
else skip "lintian: no source package was built"; fi

# ------------------------------------------------------------- contents
x=$work/extracted
dpkg-deb -x "$deb" "$x"
missing=
for p in $PLUGINS; do
  [ -x "$x$PLUGINDIR/$p" ] || missing="$missing $PLUGINDIR/$p"
  [ -f "$x/usr/share/man/man1/$p.1.gz" ] || missing="$missing $p.1.gz"
done
for f in $ICINGA_CONF usr/share/doc/$PKG/README.md.gz usr/share/doc/$PKG/copyright; do
  [ -f "$x/$f" ] || missing="$missing /$f"
done
if [ -z "$missing" ]; then ok "the package holds the plugins, man pages, docs and Icinga 2 commands"
else not_ok "the package holds the plugins, man pages, docs and Icinga 2 commands (missing:$missing)"; fi

# Bookworm's crt1.o has no IBT/SHSTK note, so no program linked there has
# control-flow protection: that check is off (see debian/rules).
bins=()
for p in $PLUGINS; do [ -f "$x$PLUGINDIR/$p" ] && bins+=("$x$PLUGINDIR/$p"); done
check "hardening-check: PIE, stack protector, fortify, relro, bindnow" \
  hardening-check --nocfprotection "${bins[@]}"

# ------------------------------------------------------------- install
if dpkg -i "$deb" >"$work/dpkg-i.log" 2>&1; then
  installed_here=yes
  ok "dpkg -i $(basename "$deb")"
else
  not_ok "dpkg -i $(basename "$deb")"
  comment <"$work/dpkg-i.log"
  dpkg -r "$PKG" >/dev/null 2>&1   # half-configured (unmet dependencies)
fi

if [ "$installed_here" = yes ]; then
  # -V prints "check_x vX.Y.Z (streamwatch X.Y.Z; ...)" and exits 3
  # (UNKNOWN), as monitoring-plugins' plugins do (shared/spec/conventions.md)
  out=$("$PLUGINDIR/check_resolve" -V 2>&1); rc=$?
  if [ "$rc" -eq 3 ] && printf '%s' "$out" | grep -qF "streamwatch ${version%%-*}"; then
    ok "$PLUGINDIR/check_resolve -V: $out"
  else
    not_ok "$PLUGINDIR/check_resolve -V names streamwatch ${version%%-*} and exits 3 (exit $rc: $out)"
  fi
  bad=
  for p in $PLUGINS; do
    out=$("$PLUGINDIR/$p" -V 2>&1)
    case $out in "$p v${version%%-*} "*) ;; *) bad="$bad $p" ;; esac
  done
  if [ -z "$bad" ]; then ok "every installed plugin answers -V"
  else not_ok "every installed plugin answers -V (not:$bad)"; fi
  if command -v man >/dev/null; then
    check "man -w check_resolve finds the installed page" man -w check_resolve
  else
    skip "man is not installed"
  fi

  if dpkg -r "$PKG" >"$work/dpkg-r.log" 2>&1; then
    installed_here=no
    ok "dpkg -r $PKG"
  else
    not_ok "dpkg -r $PKG"; comment <"$work/dpkg-r.log"
  fi
  left=
  for p in $PLUGINS; do [ -e "$PLUGINDIR/$p" ] && left="$left $p"; done
  [ -e "/$ICINGA_CONF" ] && left="$left /$ICINGA_CONF"
  if [ -z "$left" ]; then ok "nothing of the package is left after dpkg -r"
  else not_ok "nothing of the package is left after dpkg -r (left:$left)"; fi
else
  for t in "check_resolve -V" "every plugin -V" "man page" "dpkg -r" "nothing left"; do
    skip "$t: the package is not installed"
  done
fi

echo "1..$n"
echo "# package cycle took $(($(date +%s) - start)) s"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
