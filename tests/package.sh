#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package as a distribution would, from the upstream
# tarball (make dist) with debian/ added, source format 3.0 (quilt): `make
# deb` (debian/README.source). Then checks it (lintian --pedantic,
# hardening-check, contents, conffiles), installs it, runs the installed
# plugins, validates the installed configuration with Icinga 2 and Nagios
# 4 exactly as installed (nothing copied from the tree), and purges it,
# printing TAP. Run as root (dpkg -i), after tools/install-deps: CI does
# `bash tests/package.sh`.
#
#   tests/package.sh [-k]     -k keeps the work directory (it is printed)
#
# The copy holds what git tracks plus untracked files that are not ignored
# (so an uncommitted debian/ is packaged too), never build products of the
# real tree, which is left untouched. The machine is left as it was found:
# the package is purged at the end, also when a step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD

keep=no
[ "${1:-}" = -k ] && keep=yes

PLUGINDIR=/usr/lib/nagios/plugins
PLUGINS="check_resolve check_api check_login check_stream"
PKG=streamwatch-plugins
ICINGA_CONF=usr/share/icinga2/include/plugins-contrib.d/streamwatch.conf
NAGIOS_CONF=etc/nagios-plugins/config/streamwatch.cfg
EXAMPLES=usr/share/doc/$PKG/examples
ICINGA_EXAMPLE=$EXAMPLES/example-streaming.conf
NAGIOS_EXAMPLE=$EXAMPLES/example.cfg
LICENSE_LINE='License GPL-3.0-or-later: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>'
ICINGA2=${ICINGA2:-/usr/sbin/icinga2}
NAGIOS=${NAGIOS:-/usr/sbin/nagios4}

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
# absent DESC: a tool a test needs is missing: a failure in CI, a skip
# elsewhere (shared/spec/testing.md)
absent() {
  if [ -n "${CI:-}" ]; then not_ok "$* (missing in CI: run tools/install-deps)"
  else skip "$*"; fi
}
finish() {
  echo "1..$n"
  echo "# package cycle took $(($(date +%s) - start)) s"
  echo "# $((n - failed)) passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

if [ "$(id -u)" -ne 0 ]; then
  echo "1..0 # SKIP tests/package.sh installs a package: run it as root"
  exit 0
fi
for t in dpkg-buildpackage dpkg-checkbuilddeps dpkg-source lintian \
  hardening-check autoreconf make; do
  command -v "$t" >/dev/null || {
    echo "Bail out! $t is missing: run tools/install-deps"; exit 1; }
done

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version) || {
  echo "Bail out! debian/changelog does not parse"; exit 1; }
upstream=${version%-*}
arch=$(dpkg --print-architecture)
work=$(mktemp -d "${TMPDIR:-/tmp}/streamwatch-package.XXXXXX")
# the icinga2 and nagios4 validations run as the nagios user, who must
# reach their files under $work
chmod 755 "$work"
tree=$work/src
deb_dir=$work/deb
installed_here=no
cleanup() {
  [ "$installed_here" = yes ] && dpkg -P "$PKG" >/dev/null 2>&1
  if [ "$keep" = yes ]; then echo "# work directory kept: $work"
  else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
echo "# streamwatch $version ($arch) in $work"

# a debug-symbols package installed by hand would keep dpkg from
# removing the package: it goes first
for p in "$PKG-dbgsym" "$PKG"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok \(installed\|config-files\|unpacked\|half\)'; then
    echo "# $p was on this machine before this run: purging it first"
    dpkg -P "$p" 2>&1 | comment
  fi
done

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
    # not a git checkout: everything but a configured tree's products
    cp -a "$src/." "$tree/" && rm -f "$tree/Makefile" "$tree/config.status" "$tree/config.h"
  fi
}
check "a clean copy of the tree" copy_tree
[ -f "$tree/debian/control" ] || {
  echo "Bail out! the copy has no debian/control"; exit 1; }
cd "$tree" || exit 1

check "build dependencies are installed (dpkg-checkbuilddeps)" dpkg-checkbuilddeps

# ------------------------------------------------------------- the build
# make deb (Makefile.am): make dist, the tarball as the .orig.tar.gz, its
# tree with debian/ copied in, dpkg-buildpackage -us -uc (source + binary)
configure_tree() {
  { [ -x configure ] || ./bootstrap; } &&
    mkdir -p "$work/build" && cd "$work/build" && "$tree/configure" -q
}
if (configure_tree) >"$work/configure.log" 2>&1; then
  ok "bootstrap and configure (an out-of-tree build for make dist)"
else
  not_ok "bootstrap and configure (an out-of-tree build for make dist)"
  tail -30 "$work/configure.log" | comment
  finish
fi
b0=$(date +%s)
if make -C "$work/build" deb DEB_DIR="$deb_dir" >"$work/build.log" 2>&1; then
  ok "make deb: make dist, .orig.tar.gz, dpkg-buildpackage -us -uc ($(($(date +%s) - b0)) s)"
else
  not_ok "make deb: make dist, .orig.tar.gz, dpkg-buildpackage -us -uc"
  tail -60 "$work/build.log" | comment
fi
grep -E '^# (TOTAL|PASS|FAIL|ERROR|XFAIL|XPASS|SKIP):' "$work/build.log" |
  sed 's/^# /# unit tests at build time: /'

orig=$deb_dir/streamwatch_${upstream}.orig.tar.gz
dsc=$deb_dir/streamwatch_${version}.dsc
debtar=$deb_dir/streamwatch_${version}.debian.tar.xz
deb=$deb_dir/${PKG}_${version}_${arch}.deb
changes=$deb_dir/streamwatch_${version}_${arch}.changes
missing=
for f in "$orig" "$dsc" "$debtar" "$deb" "$changes"; do
  [ -f "$f" ] || missing="$missing $(basename "$f")"
done
if [ -z "$missing" ]; then ok "source (3.0 quilt: .orig.tar.gz, .debian.tar.xz, .dsc) and binary package built"
else
  not_ok "source (3.0 quilt: .orig.tar.gz, .debian.tar.xz, .dsc) and binary package built (missing:$missing)"
  [ -f "$deb" ] || finish
fi

# the upstream tarball is make dist's: configure, COPYING, no debian/
if [ -f "$orig" ]; then
  members=$(tar -tzf "$orig")
  top=streamwatch-$upstream
  if printf '%s\n' "$members" | grep -qx "$top/configure" &&
    printf '%s\n' "$members" | grep -qx "$top/COPYING" &&
    ! printf '%s\n' "$members" | grep -q "^$top/debian/"; then
    ok "the .orig.tar.gz is make dist's tarball (configure, COPYING, no debian/)"
  else
    not_ok "the .orig.tar.gz is make dist's tarball (configure, COPYING, no debian/)"
  fi
fi
# what a distribution does first with a source package: unpack it
if [ -f "$dsc" ]; then
  check "dpkg-source -x unpacks the source package" \
    sh -c "cd '$work' && dpkg-source -x '$dsc' unpacked && test -f unpacked/debian/rules && test -f unpacked/configure.ac"
fi

# ------------------------------------------------------------- lintian
# Source and binary (the .changes of a full build names both), pedantic
# and informational tags included: none may appear. Overrides (debian/
# *lintian-overrides, each with its reason) are shown, not counted.
lint=$(lintian --pedantic --display-info --show-overrides --fail-on none "$changes" 2>&1)
printf '%s\n' "$lint" | grep -E '^[EWIPXNO]:' | comment
if printf '%s\n' "$lint" | grep -qE '^[EW]:'; then not_ok "lintian: no error or warning"
else ok "lintian: no error or warning"; fi
if printf '%s\n' "$lint" | grep -qE '^[IPX]:'; then not_ok "lintian --pedantic: no informational, pedantic or experimental tag"
else ok "lintian --pedantic: no informational, pedantic or experimental tag"; fi

# ------------------------------------------------------------- contents
x=$work/extracted
dpkg-deb -x "$deb" "$x"
missing=
for p in $PLUGINS; do
  [ -x "$x$PLUGINDIR/$p" ] || missing="$missing $PLUGINDIR/$p"
  [ -f "$x/usr/share/man/man1/$p.1.gz" ] || missing="$missing $p.1.gz"
done
for f in $ICINGA_CONF $NAGIOS_CONF $ICINGA_EXAMPLE $NAGIOS_EXAMPLE \
  usr/share/doc/$PKG/README.md.gz usr/share/doc/$PKG/copyright; do
  [ -f "$x/$f" ] || missing="$missing /$f"
done
if [ -z "$missing" ]; then ok "the package holds the plugins, man pages, docs, Icinga 2 and Nagios commands and examples"
else not_ok "the package holds the plugins, man pages, docs, Icinga 2 and Nagios commands and examples (missing:$missing)"; fi
conffiles=$(dpkg-deb -I "$deb" conffiles 2>/dev/null)
if [ "$conffiles" = "/$NAGIOS_CONF" ]; then ok "/$NAGIOS_CONF is the one conffile"
else not_ok "/$NAGIOS_CONF is the one conffile (conffiles: ${conffiles:-none})"; fi
if grep -q '^License: GPL-3+$' "$x/usr/share/doc/$PKG/copyright" &&
  grep -qF '/usr/share/common-licenses/GPL-3' "$x/usr/share/doc/$PKG/copyright"; then
  ok "copyright: GPL-3+, pointing to /usr/share/common-licenses/GPL-3"
else
  not_ok "copyright: GPL-3+, pointing to /usr/share/common-licenses/GPL-3"
fi

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
  dpkg -P "$PKG" >/dev/null 2>&1   # half-configured (unmet dependencies)
fi

# registered EXAMPLE: the example as a user would load it, "register 0"
# removed from the hosts, services and dependencies (the templates, those
# with a name, keep theirs)
registered() {
  awk '
    /^[[:space:]]*define[[:space:]]/ { inblk = 1; n = 0; named = 0 }
    inblk {
      buf[++n] = $0
      if ($1 == "name") named = 1
      if ($0 ~ /^[[:space:]]*}/) {
        for (i = 1; i <= n; i++)
          if (named || buf[i] !~ /^[[:space:]]*register[[:space:]]+0[[:space:]]*$/) print buf[i]
        inblk = 0
      }
      next
    }
    { print }
  ' "$1"
}
RUNAS=root
id nagios >/dev/null 2>&1 && RUNAS=nagios

if [ "$installed_here" = yes ]; then
  # -V: "check_x vX.Y.Z (streamwatch X.Y.Z; ...)" first (scripts parse
  # it), then the licence; exit 3 (UNKNOWN), as monitoring-plugins' do
  out=$("$PLUGINDIR/check_resolve" -V 2>&1); rc=$?
  if [ "$rc" -eq 3 ] && printf '%s' "$out" | head -n 1 | grep -qF "streamwatch $upstream"; then
    ok "$PLUGINDIR/check_resolve -V: $(printf '%s' "$out" | head -n 1)"
  else
    not_ok "$PLUGINDIR/check_resolve -V names streamwatch $upstream and exits 3 (exit $rc: $out)"
  fi
  bad=
  badlic=
  for p in $PLUGINS; do
    out=$("$PLUGINDIR/$p" -V 2>&1)
    case $(printf '%s\n' "$out" | head -n 1) in "$p v$upstream "*) ;; *) bad="$bad $p" ;; esac
    [ "$(printf '%s\n' "$out" | sed -n 2p)" = "$LICENSE_LINE" ] || badlic="$badlic $p"
  done
  if [ -z "$bad" ]; then ok "every installed plugin answers -V"
  else not_ok "every installed plugin answers -V (not:$bad)"; fi
  if [ -z "$badlic" ]; then ok "every installed plugin's -V says GPL-3.0-or-later on its second line"
  else not_ok "every installed plugin's -V says GPL-3.0-or-later on its second line (not:$badlic)"; fi
  if command -v man >/dev/null; then
    check "man -w check_resolve finds the installed page" man -w check_resolve
  else
    skip "man is not installed"
  fi

  # Icinga 2, from the installed files only: the ITL's <plugins-contrib>
  # (which includes plugins-contrib.d/*, the package's streamwatch.conf)
  # and the installed example
  if [ -x "$ICINGA2" ]; then
    I=$work/icinga
    mkdir -p "$I/cache" "$I/lib" "$I/log" "$I/run"
    # the constants Debian's /etc/icinga2/constants.conf sets
    cat >"$I/icinga2.conf" <<EOF
const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
const NodeName = "package.example"
const ZoneName = "master"
object Endpoint NodeName {}
object Zone ZoneName { endpoints = [ NodeName ] }
include <itl>
include <plugins>
include <plugins-contrib>
include "/$ICINGA_EXAMPLE"
EOF
    chown -R "$RUNAS" "$I"
    out=$("$ICINGA2" daemon -C -c "$I/icinga2.conf" \
      -DConfiguration.RunAsUser="$RUNAS" -DConfiguration.RunAsGroup="$(id -gn "$RUNAS")" \
      -DConfiguration.ConfigDir="$I" -DConfiguration.DataDir="$I/lib" \
      -DConfiguration.LogDir="$I/log" -DConfiguration.CacheDir="$I/cache" \
      -DConfiguration.InitRunDir="$I/run" \
      -DConfiguration.ObjectsPath="$I/cache/icinga2.debug" \
      -DConfiguration.VarsPath="$I/cache/icinga2.vars" 2>&1); rc=$?
    cmds=0
    for c in streamwatch_resolve streamwatch_api streamwatch_login streamwatch_stream; do
      grep -qF "\"__name\":\"$c\"" "$I/cache/icinga2.debug" 2>/dev/null && cmds=$((cmds + 1))
    done
    services=$(printf '%s\n' "$out" | sed -n 's/.*Instantiated \([0-9]*\) Services\..*/\1/p')
    # the example's apply rules for regional probes match only hosts that
    # name probe endpoints, which this wrapper has none of: those warnings
    # are shown, every other warning fails
    unmatched='warning/ApplyRule: .* does not match anywhere'
    printf '%s\n' "$out" | grep -E "$unmatched" | comment
    other=$(printf '%s\n' "$out" | grep -E '(warning|critical)/' | grep -vE "$unmatched")
    if [ "$rc" -eq 0 ] && [ "$cmds" -eq 4 ] && [ "${services:-0}" -gt 0 ] &&
      [ -z "$other" ]; then
      ok "icinga2 daemon -C: <plugins-contrib> and the installed example ($cmds CheckCommands, $services services, no other warning)"
    else
      not_ok "icinga2 daemon -C: <plugins-contrib> and the installed example (exit $rc, $cmds of 4 CheckCommands, ${services:-no} services)"
      printf '%s\n' "$out" | grep -vE '^\[.*information/' | tail -30 | comment
    fi
  else
    absent "icinga2 is not installed"
  fi

  # Nagios 4, as Debian's nagios4 is set up (its nagios.cfg reads
  # /etc/nagios-plugins/config, where the conffile is, and its stock
  # objects), with the installed example registered instead of
  # localhost.cfg and conf.d
  if [ -x "$NAGIOS" ] && [ -f /etc/nagios4/nagios.cfg ]; then
    N=$work/nagios
    mkdir -p "$N/spool"
    if [ -f "/$NAGIOS_EXAMPLE" ]; then registered "/$NAGIOS_EXAMPLE" >"$N/example.cfg"; fi
    {
      grep -vE '^(cfg_dir=/etc/nagios4/conf\.d|cfg_file=.*/localhost\.cfg|check_result_path=|lock_file=|temp_path=|log_file=|debug_file=)' /etc/nagios4/nagios.cfg
      echo "cfg_file=$N/example.cfg"
      echo "check_result_path=$N/spool"
      echo "lock_file=$N/nagios.lock"
      echo "temp_path=$N"
      echo "log_file=$N/nagios.log"
      echo "debug_file=$N/nagios.debug"
    } >"$N/nagios.cfg"
    chown -R "$RUNAS" "$N"
    out=$("$NAGIOS" -v "$N/nagios.cfg" 2>&1); rc=$?
    # every host and service the example defines is registered and checked
    want=$(awk '/^[[:space:]]*define[[:space:]]+service[[:space:]]*[{]/ { s = 1; named = 0; next }
      s && $1 == "name" { named = 1 }
      s && /^[[:space:]]*}/ { if (!named) c++; s = 0 }
      END { print c + 0 }' "$N/example.cfg" 2>/dev/null)
    got=$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*Checked \([0-9]*\) services\..*/\1/p')
    if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^Things look okay' &&
      printf '%s\n' "$out" | grep -q '^Total Warnings: 0$' &&
      [ "${want:-0}" -gt 0 ] && [ "$got" = "$want" ]; then
      ok "nagios4 -v: /$NAGIOS_CONF and the installed example registered ($got services, no warning)"
    else
      not_ok "nagios4 -v: /$NAGIOS_CONF and the installed example registered (exit $rc, ${got:-no} of ${want:-?} services)"
      printf '%s\n' "$out" | grep -E 'Error|Warning|Checked|Total' | head -30 | comment
    fi
  else
    absent "nagios4 (nagios4-core) is not installed"
  fi

  # remove keeps the conffile, as dpkg does; purge leaves nothing
  if dpkg -r "$PKG" >"$work/dpkg-r.log" 2>&1; then ok "dpkg -r $PKG"
  else not_ok "dpkg -r $PKG"; comment <"$work/dpkg-r.log"; fi
  left=
  for p in $PLUGINS; do [ -e "$PLUGINDIR/$p" ] && left="$left $p"; done
  [ -e "/$ICINGA_CONF" ] && left="$left /$ICINGA_CONF"
  if [ -z "$left" ] && [ -f "/$NAGIOS_CONF" ]; then
    ok "after dpkg -r only the conffile /$NAGIOS_CONF is left"
  else
    not_ok "after dpkg -r only the conffile /$NAGIOS_CONF is left (left:${left:- none}; conffile $([ -f "/$NAGIOS_CONF" ] && echo kept || echo gone))"
  fi
  if dpkg -P "$PKG" >"$work/dpkg-p.log" 2>&1; then
    installed_here=no
    ok "dpkg -P $PKG"
  else
    not_ok "dpkg -P $PKG"; comment <"$work/dpkg-p.log"
  fi
  left=
  for f in $PLUGINDIR/check_resolve $PLUGINDIR/check_stream /$ICINGA_CONF \
    /$NAGIOS_CONF /usr/share/doc/$PKG /usr/share/man/man1/check_resolve.1.gz; do
    [ -e "$f" ] && left="$left $f"
  done
  dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'not-installed' ||
    ! dpkg-query -W "$PKG" >/dev/null 2>&1 || left="$left (dpkg still knows $PKG)"
  if [ -z "$left" ]; then ok "nothing of the package is left after dpkg -P, the conffile included"
  else not_ok "nothing of the package is left after dpkg -P, the conffile included (left:$left)"; fi
else
  for t in "check_resolve -V" "every plugin -V" "-V licence" "man page" "icinga2" \
    "nagios4" "dpkg -r" "after dpkg -r" "dpkg -P" "nothing left"; do
    skip "$t: the package is not installed"
  done
fi

finish
