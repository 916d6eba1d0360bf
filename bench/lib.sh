# SPDX-License-Identifier: GPL-3.0-or-later
# bench/lib.sh: measuring helpers for the benchmarks under bench/.
# POSIX sh (dash). Source after tests/streamlab/lab.sh and dns.sh, after
# lab_init (the scratch files live in $LAB_DIR, so lab_cleanup removes them):
#
#   . "$top_srcdir/tests/streamlab/lab.sh"; . "$top_srcdir/tests/streamlab/dns.sh"
#   . "$top_srcdir/bench/lib.sh"
#   lab_init
#   bench_measure cr 30 "$PLUGINDIR/check_resolve" -H api.stream.test -s 127.0.0.1:5353
#   bench_median cr wall          # median wall time, ms
#   bench_callgrind cr "$PLUGINDIR/check_resolve" -H ...   # BENCH_IR_SELF, BENCH_IR_ALL
#
# These are measurements, not tests: nothing here passes or fails on a
# number. The only hard failure is a command that does not exit as expected
# (a benchmark of a failing check measures the wrong thing).
#
# Interface
#   bench_measure TAG N CMD...   runs CMD N times (after BENCH_WARMUP runs,
#                 default 3, that are not recorded), stdin and output to
#                 /dev/null, and writes one line per run to $LAB_DIR/TAG.runs:
#                   wall_us cpu_us maxrss_kb exit_statuses
#                 CMD may be a sequence: "cmd1 a b ;; cmd2 c ;; cmd3" (the
#                 word ';;' separates commands run one after another; wall is
#                 the whole sequence, CPU the sum, RSS the max, statuses are
#                 joined with ','), e.g. an admin's three check_dns in a row.
#   bench_median TAG FIELD       median of wall (ms), cpu (ms) or rss (KiB)
#                 over TAG's runs; prints a number (ms with 2 decimals).
#   bench_statuses TAG           the distinct exit statuses seen, e.g. "0"
#   bench_ratio A B              A / B with 1 decimal ("-" when B is 0 or empty)
#   bench_time_once CMD...       one run under /usr/bin/time -f; prints
#                 "WALL_s USER_s SYS_s MAXRSS_KiB" (GNU time's own 10 ms
#                 resolution for the times: a sanity check, not a result)
#   bench_hyperfine TAG N CMD... median wall (ms) from hyperfine -N (no
#                 shell), a cross-check of bench_measure; prints "-" when
#                 hyperfine is missing. CMD is one command line (a string).
#   bench_callgrind TAG CMD...   one run under valgrind --tool=callgrind
#                 --trace-children=yes, one log and one profile per process
#                 (%p) in $LAB_DIR/cg.TAG/. Sets BENCH_IR_SELF (instructions
#                 of CMD's own process), BENCH_IR_ALL (sum over CMD and every
#                 process it ran: nslookup, dig) and BENCH_IR_PROCS (how many
#                 processes); BENCH_CG_PROFILE is the top process's profile.
#   bench_cg_top PROFILE N       the N functions with the highest self cost
#                 (callgrind_annotate), as markdown table rows
#   bench_cg_objects PROFILE     self cost summed per shared object, as
#                 markdown table rows (ld.so, libc, libcares, the binary)
#   bench_probe_build DIR [SUFFIX LIB...]  compiles the bare-libcurl probe
#                 (source below: one GET with libcurl and nothing else, the
#                 floor of any libcurl plugin) into DIR/probe with ${CC:-cc}
#                 and pkg-config's libcurl flags; with SUFFIX, into
#                 DIR/probeSUFFIX, also linked (--no-as-needed) with the
#                 pkg-config packages LIB... (what a plugin links beside
#                 libcurl, to weigh their loading); sets BENCH_PROBE to its path,
#                 or leaves it empty and BENCH_PROBE_ERR saying why (no
#                 compiler, no curl headers) and returns 1. Usage:
#                   probe get [--insecure] [--cainfo F] [--capath D] URL
#                 (plus the start-up steps: probe none|init|info, --nothing,
#                 --no-conf, --certinfo, --exit; see the source)
#   bench_ca_dir DIR CA...       a hashed CA directory (OpenSSL's CApath
#                 layout) holding the system's certificates (symlinks to
#                 $BENCH_SYSCERTS/*.pem, default /etc/ssl/certs) plus copies
#                 of the given CA files, hashed with `openssl rehash`; sets
#                 BENCH_CA_DIR_N (how many certificates). What a check with
#                 the system's trust plus a lab CA is given.
#   bench_doc_section FILE NAME SRC  replaces the block of FILE between
#                 "<!-- BEGIN bench/NAME -->" and "<!-- END bench/NAME -->"
#                 with file SRC's text (appends the block when FILE has
#                 none): each benchmark --write's its own part of a shared
#                 document and leaves the others' alone
#
# How the numbers are taken (bench_measure): a small python3 runner
# posix_spawn()s the command and reaps it with wait4(), the system call
# /usr/bin/time uses, so CPU is the kernel's rusage for the child: ru_utime +
# ru_stime in microseconds, including every descendant the child waited for
# (nslookup, dig). Wall is CLOCK_MONOTONIC from just before the spawn to just
# after the reap, so it includes fork/exec and the dynamic loader, as
# /usr/bin/time's does. /usr/bin/time prints wall and CPU with 10 ms
# resolution (%e, %U, %S have two decimals), too coarse for a 1 ms plugin.
# Peak RSS comes from a second run of the same command, right after, under
# /usr/bin/time -f %M (ru_maxrss): for a process tree that is the peak of the
# LARGEST single process in it (check_dns or the nslookup it forks), not a
# sum. Its floor is about 1 MiB (what /usr/bin/time's forked child holds
# before exec; /bin/true shows ~1000 KiB). It is not taken from the python
# runner's wait4 because a child spawned by a 9 MiB python starts from
# python's RSS.
# Variables: BENCH_WARMUP (default 3), VALGRIND (default valgrind),
#   HYPERFINE (default hyperfine), LAB_PY (from lab.sh), CC (probe),
#   OPENSSL (default openssl; bench_ca_dir), BENCH_SYSCERTS.

BENCH_WARMUP=${BENCH_WARMUP:-3}
VALGRIND=${VALGRIND:-valgrind}
HYPERFINE=${HYPERFINE:-hyperfine}
BENCH_SYSCERTS=${BENCH_SYSCERTS:-/etc/ssl/certs}

bench_measure() {
  _b_tag=$1
  _b_n=$2
  shift 2
  "$LAB_PY" -c '
import os, sys, time
n, warm, out, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[3] + ".rss"
seq, cur = [], []
for w in sys.argv[4:]:
    if w == ";;":
        seq.append(cur); cur = []
    else:
        cur.append(w)
seq.append(cur)
if any(not c for c in seq):
    sys.exit("bench_measure: empty command")
null = os.open(os.devnull, os.O_RDWR)
acts = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
        (os.POSIX_SPAWN_DUP2, null, 2)]
env = dict(os.environ)
def run(argv):
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=acts)
    _, st, ru = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(st), ru
def once():
    cpu, sts = 0.0, []
    t0 = time.monotonic_ns()
    for argv in seq:
        st, ru = run(argv)
        cpu += ru.ru_utime + ru.ru_stime
        sts.append(str(st))
    wall = time.monotonic_ns() - t0
    # peak RSS from a second run under /usr/bin/time: a process spawned by
    # this (large) python would carry python`s RSS into its ru_maxrss
    rss = 0
    for argv in seq:
        run(["/usr/bin/time", "-f", "%M", "-o", tmp] + argv)
        with open(tmp) as f:
            rss = max(rss, int(f.read().split()[-1]))
    return "%d %d %d %s" % (wall // 1000, round(cpu * 1e6), rss, ",".join(sts))
for _ in range(warm):
    once()
with open(out, "w") as f:
    for _ in range(n):
        f.write(once() + "\n")
' "$_b_n" "$BENCH_WARMUP" "$LAB_DIR/$_b_tag.runs" "$@"
}

bench_median() {
  case $2 in
    wall) _b_col=1 _b_div=1000 ;;
    cpu) _b_col=2 _b_div=1000 ;;
    rss) _b_col=3 _b_div=1 ;;
    *) echo "bench_median: field wall, cpu or rss" >&2; return 1 ;;
  esac
  cut -d' ' -f$_b_col "$LAB_DIR/$1.runs" | sort -n | awk -v d="$_b_div" '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "-"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      if (d == 1) printf "%d\n", m; else printf "%.2f\n", m / d
    }'
}

bench_statuses() {
  cut -d' ' -f4 "$LAB_DIR/$1.runs" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"
    else printf "%.1f\n", a / b }'
}

bench_time_once() {
  _b_f=$LAB_DIR/time.once
  /usr/bin/time -f '%e %U %S %M' -o "$_b_f" "$@" </dev/null >/dev/null 2>&1
  tail -n 1 "$_b_f"
}

bench_hyperfine() {
  _b_tag=$1
  _b_n=$2
  shift 2
  if ! command -v "$HYPERFINE" >/dev/null 2>&1; then echo -; return 0; fi
  "$HYPERFINE" -N --style none --warmup "$BENCH_WARMUP" --runs "$_b_n" \
    --export-json "$LAB_DIR/$_b_tag.hf.json" "$*" >/dev/null 2>&1 || { echo -; return 0; }
  "$LAB_PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f" % (r["median"] * 1000))
' "$LAB_DIR/$_b_tag.hf.json"
}

bench_callgrind() {
  _b_tag=$1
  shift
  _b_d=$LAB_DIR/cg.$_b_tag
  rm -rf "$_b_d"
  mkdir "$_b_d" || return 1
  "$VALGRIND" --tool=callgrind --trace-children=yes \
    --callgrind-out-file="$_b_d/out.%p" --log-file="$_b_d/log.%p" \
    "$@" </dev/null >/dev/null 2>&1
  BENCH_IR_SELF=
  BENCH_IR_ALL=0
  BENCH_IR_PROCS=0
  BENCH_CG_PROFILE=
  for _b_log in "$_b_d"/log.*; do
    [ -f "$_b_log" ] || continue
    _b_ir=$(sed -n 's/.*Collected : *\([0-9][0-9]*\).*/\1/p' "$_b_log")
    [ -n "$_b_ir" ] || continue
    BENCH_IR_ALL=$((BENCH_IR_ALL + _b_ir))
    BENCH_IR_PROCS=$((BENCH_IR_PROCS + 1))
    # the top process: the one whose command line is CMD (its children
    # were exec'ed as nslookup or dig)
    if grep -q "== Command: $1\( \|\$\)" "$_b_log"; then
      BENCH_IR_SELF=$_b_ir
      # shellcheck disable=SC2034 # for the caller
      BENCH_CG_PROFILE=$_b_d/out.${_b_log##*/log.}
    fi
  done
  [ "$BENCH_IR_PROCS" -gt 0 ] && [ -n "$BENCH_IR_SELF" ]
}

bench__cg_parse() {
  # self cost (Ir) per function and per object, from the profile itself
  # (callgrind's out-file format: ob=/fn= with name compression, a cost
  # line after calls= is inclusive and is skipped)
  "$LAB_PY" -c '
import re, sys
path, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
names = {"ob": {}, "fn": {}}
cur = {"ob": "?", "fn": "?"}
fn_cost, ob_cost, total = {}, {}, 0
skip = False
def name(kind, val):
    m = re.match(r"\((\d+)\)(?: (.*))?$", val)
    if not m:
        return val
    if m.group(2) is not None:
        names[kind][m.group(1)] = m.group(2)
    return names[kind].get(m.group(1), "?")
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    if not line:
        continue
    c = line[0]
    if c.isdigit() or c in "+-*":
        if skip:
            skip = False
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        ir = int(parts[1])
        key = (cur["ob"], cur["fn"])
        fn_cost[key] = fn_cost.get(key, 0) + ir
        ob_cost[cur["ob"]] = ob_cost.get(cur["ob"], 0) + ir
        total += ir
        continue
    k, _, v = line.partition("=")
    if k in ("ob", "fn"):
        cur[k] = name(k, v)
    elif k in ("cob", "cfn"):
        name(k[1:], v)
    elif k == "calls":
        skip = True
short = lambda o: o.rsplit("/", 1)[-1]
if total == 0:
    sys.exit(0)
if mode == "top":
    for (ob, fn), ir in sorted(fn_cost.items(), key=lambda x: -x[1])[:n]:
        print("| %s | %s | %d | %.1f%% |" % (fn, short(ob), ir, 100.0 * ir / total))
else:
    for ob, ir in sorted(ob_cost.items(), key=lambda x: -x[1]):
        print("| %s | %d | %.1f%% |" % (short(ob), ir, 100.0 * ir / total))
' "$@"
}

bench_cg_top() {
  bench__cg_parse "$1" top "$2"
}

bench_cg_objects() {
  bench__cg_parse "$1" objects 0
}

# bench_probe_build DIR: the bare-libcurl probe, DIR/probe (see the
# interface above). It does what a libcurl plugin cannot do without: load
# libcurl, curl_global_init, one easy handle, the options that matter
# (protocols, a sink for the body, TLS verification and its CA store),
# curl_easy_perform, clean-up, exit through libc's exit (atexit: OpenSSL's
# clean-up) as a plain program does; --exit ends with _exit right after the
# request instead (what streamwatch's plugins do once the result is out).
bench_probe_build() {
  BENCH_PROBE=
  BENCH_PROBE_ERR=
  cat >"$1/probe.c" <<'EOF'
/* bench/lib.sh's probe: the libcurl steps a plugin takes, stopping after
 * one. probe none|init|info|get [--nothing] [--no-conf] [--certinfo]
 * [--insecure] [--exit] [--cainfo F] [--capath D] [URL] */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static size_t sink(char *d, size_t s, size_t n, void *a) {
  (void)d;
  (void)a;
  return s * n;
}
int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "none", *url = NULL;
  const char *cainfo = NULL, *capath = NULL;
  long flags = CURL_GLOBAL_DEFAULT, certinfo = 0, insecure = 0, quick = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--nothing"))
      flags = CURL_GLOBAL_NOTHING;
    else if (!strcmp(argv[i], "--no-conf"))
      setenv("OPENSSL_CONF", "/dev/null", 1); /* read at OpenSSL's init */
    else if (!strcmp(argv[i], "--certinfo"))
      certinfo = 1;
    else if (!strcmp(argv[i], "--insecure"))
      insecure = 1;
    else if (!strcmp(argv[i], "--exit"))
      quick = 1;
    else if (!strcmp(argv[i], "--cainfo") && i + 1 < argc)
      cainfo = argv[++i];
    else if (!strcmp(argv[i], "--capath") && i + 1 < argc)
      capath = argv[++i];
    else
      url = argv[i];
  }
  if (!strcmp(mode, "none"))
    return 0;
  if (curl_global_init(flags) != CURLE_OK)
    return 3;
  if (!strcmp(mode, "init")) {
    curl_global_cleanup();
    return 0;
  }
  CURL *h = curl_easy_init();
  if (!h)
    return 3;
  if (!strcmp(mode, "info")) { /* libcurl's built-in CA defaults */
    char *ci = NULL, *cp = NULL;
    curl_easy_getinfo(h, CURLINFO_CAINFO, &ci);
    curl_easy_getinfo(h, CURLINFO_CAPATH, &cp);
    printf("%s %s %s\n", curl_version(), ci ? ci : "(none)", cp ? cp : "(none)");
    return 0;
  }
  if (!url)
    return 2;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
  curl_easy_setopt(h, CURLOPT_CERTINFO, certinfo);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L);
  if (cainfo)
    curl_easy_setopt(h, CURLOPT_CAINFO, cainfo);
  if (capath) { /* no bundle: the hashed directory only */
    curl_easy_setopt(h, CURLOPT_CAINFO, (char *)NULL);
    curl_easy_setopt(h, CURLOPT_CAPATH, capath);
  }
  CURLcode rc = curl_easy_perform(h);
  if (certinfo) {
    struct curl_certinfo *ci = NULL;
    curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci);
  }
  if (rc != CURLE_OK)
    fprintf(stderr, "probe: %s\n", curl_easy_strerror(rc));
  if (quick)
    _exit(rc == CURLE_OK ? 0 : 1);
  curl_easy_cleanup(h);
  curl_global_cleanup();
  return rc == CURLE_OK ? 0 : 1;
}
EOF
  _b_pd=$1 _b_ps=${2:-}
  [ $# -lt 2 ] || shift 2
  _b_pc=$(pkg-config --cflags libcurl 2>/dev/null) _b_pl=$(pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
  if [ -n "$_b_ps" ]; then
    _b_px=$(pkg-config --libs "$@" 2>"$_b_pd/probe$_b_ps.err") || {
      BENCH_PROBE_ERR="pkg-config $*: $(head -n 1 "$_b_pd/probe$_b_ps.err")"
      return 1
    }
    _b_pl="$_b_pl -Wl,--no-as-needed $_b_px -Wl,--as-needed"
  fi
  # shellcheck disable=SC2086 # the flags are words
  if "${CC:-cc}" -O2 $_b_pc -o "$_b_pd/probe$_b_ps" "$_b_pd/probe.c" $_b_pl 2>"$_b_pd/probe$_b_ps.err"; then
    # shellcheck disable=SC2034 # for the caller
    BENCH_PROBE=$_b_pd/probe$_b_ps
    return 0
  fi
  BENCH_PROBE_ERR=$(head -n 3 "$_b_pd/probe$_b_ps.err" | tr '\n' ' ')
  [ -n "$BENCH_PROBE_ERR" ] || BENCH_PROBE_ERR="${CC:-cc} failed"
  return 1
}

# bench_ca_dir DIR CA...: the system's certificates and the given CAs in a
# new hashed directory DIR (see the interface above)
bench_ca_dir() {
  _b_cd=$1
  shift
  mkdir -p "$_b_cd" || return 1
  BENCH_CA_DIR_N=0
  for _b_c in "$BENCH_SYSCERTS"/*.pem; do
    [ -f "$_b_c" ] || continue
    ln -sf "$_b_c" "$_b_cd/" || return 1
    BENCH_CA_DIR_N=$((BENCH_CA_DIR_N + 1))
  done
  for _b_c in "$@"; do
    cp "$_b_c" "$_b_cd/bench-$(basename "$_b_c")" || return 1
    BENCH_CA_DIR_N=$((BENCH_CA_DIR_N + 1))
  done
  "${OPENSSL:-openssl}" rehash "$_b_cd" 2>"$_b_cd.err" || {
    echo "bench_ca_dir: openssl rehash $_b_cd: $(head -n 2 "$_b_cd.err" | tr '\n' ' ')" >&2
    return 1
  }
}

# bench_doc_section FILE NAME SRC: puts the text of file SRC into FILE
# between the lines "<!-- BEGIN bench/NAME -->" and "<!-- END bench/NAME -->",
# replacing what was there, or appends that block when FILE has none (FILE
# is created when missing). Everything outside the block is kept as it is,
# so several benchmarks can share one document (docs/performance.md:
# bench/resolve's block, then bench/api's). Written through FILE.tmp + mv.
bench_doc_section() {
  [ -f "$3" ] || { echo "bench_doc_section: no $3" >&2; return 1; }
  [ -f "$1" ] || : >"$1" || return 1
  awk -v name="$2" -v src="$3" '
    function block() {
      print "<!-- BEGIN bench/" name " -->"
      while ((getline l < src) > 0) print l
      close(src)
      print "<!-- END bench/" name " -->"
    }
    $0 == "<!-- BEGIN bench/" name " -->" { block(); skip = 1; done = 1; next }
    skip && $0 == "<!-- END bench/" name " -->" { skip = 0; next }
    skip { next }
    { print }
    END {
      if (skip) exit 1   # BEGIN without END: leave FILE alone
      if (!done) { if (NR > 0) print ""; block() }
    }' "$1" >"$1.tmp" && mv "$1.tmp" "$1" || { rm -f "$1.tmp"; return 1; }
}
