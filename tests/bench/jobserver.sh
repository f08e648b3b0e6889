#!/usr/bin/env bash
# tests/bench/jobserver.sh: what sharing make's job slots costs
# (docs/jobserver.md). N lemmas of `spin 5` checked by drover-check -j 2:
#   - alone (no jobserver: MAKEFLAGS unset);
#   - as a recipe marked '+' of `make -j2`, so one of the two slots is a
#     token read from make's pipe and written back after every lemma;
#   - with --jobs-cap 2, both slots from the token server (drover-slots).
# The three alternate RUNS times; each prints the median of its wall times
# (the summary's wall_ms) as tasks/s, and the ratio to the run alone; and,
# less sensitive to a load that changes during the script, the median of
# the ratios within each round (a run alone and the two that follow it).
# Not a test: about a minute on 2 cores, after a build.
#   BUILD_DIR   the build (default: build beside this checkout)
#   N           lemmas per run (default 400)
#   RUNS        runs of each (default 5)
#   ARGS        more drover-check arguments, such as --persistent
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$here/build}
n=${N:-400}
runs=${RUNS:-5}
extra=${ARGS:-}
check="$build/bin/drover-check"
work=$(mktemp -d /tmp/drover-jobs-XXXXXX)
trap 'rm -rf "$work"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL DROVER_JOBS

for i in $(seq "$n"); do
    printf 'Lemma l%d: it spins.\nProof.\n  spin 5.\nQed.\n' "$i"
done > "$work/doc.proof"
printf 'all:\n\t+%s -j 2 %s --json doc.proof > out.json\n' "$check" "$extra" > "$work/Makefile"

wall() { python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["wall_ms"])' "$1"; }
alone=() make=() server=()
for r in $(seq "$runs"); do
    (cd "$work" && "$check" -j 2 $extra --json doc.proof > out.json)
    alone+=("$(wall "$work/out.json")")
    (cd "$work" && make -s -j2)
    make+=("$(wall "$work/out.json")")
    (cd "$work" && XDG_RUNTIME_DIR="$work" "$check" -j 2 --jobs-cap 2 $extra --json doc.proof > out.json)
    server+=("$(wall "$work/out.json")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ma=$(median "${alone[@]}") mm=$(median "${make[@]}") ms=$(median "${server[@]}")
python3 - "$n" "$ma" "$mm" "$ms" "${alone[*]}" "${make[*]}" "${server[*]}" "$extra" <<'PY'
import sys
n, a, m, s = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"{n} x spin 5, drover-check -j 2 {sys.argv[8]}".rstrip() + f" (median of {len(sys.argv[5].split())} runs each, wall ms)")
print(f"  alone                  {n * 1000 / a:8.0f} tasks/s  ({sys.argv[5]})")
print(f"  under make -j2 ('+')   {n * 1000 / m:8.0f} tasks/s  ({sys.argv[6]})  {a / m:.3f}x of alone")
print(f"  --jobs-cap 2           {n * 1000 / s:8.0f} tasks/s  ({sys.argv[7]})  {a / s:.3f}x of alone")
import statistics
alone_runs = [int(x) for x in sys.argv[5].split()]
paired_make = statistics.median(a_ / m_ for a_, m_ in zip(alone_runs, map(int, sys.argv[6].split())))
paired_server = statistics.median(a_ / s_ for a_, s_ in zip(alone_runs, map(int, sys.argv[7].split())))
print(f"  median of the rounds' ratios: under make {paired_make:.3f}x, --jobs-cap 2 {paired_server:.3f}x")
print(f"goal: under make at most 5% slower (>= 0.950x): {'met' if a / m >= 0.95 else 'NOT met'}")
PY
