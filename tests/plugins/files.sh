#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck disable=SC2086 # $opt: an option and its value, split on purpose
# File options and the -t deadline (issue 12, "Time"): every option that
# names a file takes only a regular file -- a FIFO with no writer (which
# hung every plugin past -t), a directory, /dev/zero -- and refuses
# anything else at once with UNKNOWN naming the option, on one line. A
# file that never answers (a hung mount: here open(2) blocking through an
# LD_PRELOAD shim) ends at the -t given on the command line, wherever it
# stands, with UNKNOWN saying the options and files were being read.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
lab_init
U=http://127.0.0.1:1/
F=$LAB_DIR/fifo
mkfifo "$F" || bail_out "mkfifo failed"
mkdir "$LAB_DIR/dir"

# refused DESC NAME CMD...: CMD refuses NAME's file at once
refused() {
  _r_desc=$1 _r_name=$2
  shift 2
  run "$@"
  is_rc 3 "$_r_desc: exit 3"
  first_line_matches "^[A-Z]+ UNKNOWN - .*$(printf '%s' "$_r_name" | sed 's/[][\.*^$]/\\&/g')" \
    "$_r_desc: UNKNOWN naming $_r_name"
  is "$(lines_count)" 1 "$_r_desc: one line"
  wall_below 1.5 "$_r_desc: at once, well within -t 5"
}

# every file option of every plugin, given a FIFO without a writer
for opt in --bearer-file --data-file --token-cache --ca-file --client-cert --client-key; do
  refused "check_api $opt FIFO" "$opt" "$PLUGINDIR/check_api" -u $U $opt "$F" -t 5
  first_line_matches 'is not a regular file \(a FIFO\)' "check_api $opt FIFO: says it is a FIFO"
done
for opt in --client-secret-file --password-file --refresh-token-file --ca-file --client-cert --client-key; do
  refused "check_login $opt FIFO" "$opt" "$PLUGINDIR/check_login" -u $U --client-id c $opt "$F" -t 5
done
refused "check_login --cookie-jar FIFO" --cookie-jar "$PLUGINDIR/check_login" -u $U \
  --flow form --username u --password pw-0123456 --success-string x --cookie-jar "$F" -t 5
for opt in --bearer-file --ca-file --client-cert --client-key; do
  refused "check_stream $opt FIFO" "$opt" "$PLUGINDIR/check_stream" -u $U $opt "$F" -t 5
done
refused "check_resolve --resolv-conf FIFO" --resolv-conf "$PLUGINDIR/check_resolve" -H a.test --resolv-conf "$F" -t 5
for p in check_api check_login check_stream check_resolve; do
  refused "$p --extra-opts=@FIFO" --extra-opts "$PLUGINDIR/$p" "--extra-opts=@$F" -t 5
  refused "$p MP_CONFIG_FILE=FIFO" --extra-opts env MP_CONFIG_FILE="$F" "$PLUGINDIR/$p" --extra-opts -t 5
done

# other kinds of non-regular files
refused "--bearer-file /dev/zero (endless)" --bearer-file "$PLUGINDIR/check_api" -u $U --bearer-file /dev/zero -t 5
first_line_matches 'a character device' "/dev/zero: says what it is"
refused "--data-file DIR" --data-file "$PLUGINDIR/check_api" -u $U --data-file "$LAB_DIR/dir" -t 5
first_line_matches 'a directory' "a directory: says what it is"

# A file that never answers: the alarm is armed before any file is read,
# for the -t the command line gives (after the file option, abbreviated,
# in a cluster), and reports UNKNOWN naming the stage.
SHIM=$LAB_DIR/hang.so
cat >"$LAB_DIR/hang.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
/* open(2) of a path holding "HUNG" never returns, as on a hung mount */
int open(const char *p, int flags, ...) {
  static int (*real)(const char *, int, ...);
  va_list ap;
  int mode;
  if (!real)
    real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
  if (strstr(p, "HUNG"))
    for (;;)
      pause();
  va_start(ap, flags);
  mode = va_arg(ap, int);
  va_end(ap);
  return real(p, flags, mode);
}
EOF
if [ -n "${SW_VALGRIND:-}" ]; then
  skip_one "a hung file ends at -t" "memcheck runs the plugin, not the shim"
elif [ "$SW_BUILD" = sanitizer ]; then
  skip_one "a hung file ends at -t" "ASan must be the first library loaded"
elif ! ${CC:-cc} -shared -fPIC -o "$SHIM" "$LAB_DIR/hang.c" -ldl 2>/dev/null; then
  skip_one "a hung file ends at -t" "no C compiler to build the LD_PRELOAD shim"
else
  H=$LAB_DIR/HUNG
  : >"$H"
  # hung DESC SECONDS CMD...: UNKNOWN at SECONDS (+0.5), naming the stage
  hung() {
    _h_desc=$1 _h_t=$2
    shift 2
    run env LD_PRELOAD="$SHIM" "$@"
    is_rc 3 "$_h_desc: exit 3 (UNKNOWN: a local file, not the service)"
    first_line_matches "^[A-Z]+ UNKNOWN - timed out after $_h_t s while reading options and files$" \
      "$_h_desc: says the options and files were being read"
    is "$(lines_count)" 1 "$_h_desc: one line"
    wall_below "$(awk -v t="$_h_t" 'BEGIN { print t + 0.5 }')" "$_h_desc: ends at -t $_h_t"
  }
  hung "check_api --bearer-file on a hung mount, -t 1 after it" 1 \
    "$PLUGINDIR/check_api" -u $U --bearer-file "$H" -t 1
  hung "check_login --client-secret-file, --time=1.5" 1.5 \
    "$PLUGINDIR/check_login" -u $U --client-id c --client-secret-file "$H" --time=1.5
  hung "check_stream --extra-opts=@hung, -vt1" 1 \
    "$PLUGINDIR/check_stream" -u $U "--extra-opts=@$H" -vt1
  hung "check_resolve --resolv-conf hung, -t 1:ok" 1 \
    "$PLUGINDIR/check_resolve" -H a.test --resolv-conf "$H" -t 1:ok
  hung "check_api -t1 before --data-file hung" 1 \
    "$PLUGINDIR/check_api" -u $U -t1 --data-file "$H"
fi
plan_done
