#!/usr/bin/env bash
# tests/bench/coq-stdpp.sh: stdpp (Debian's libcoq-stdpp sources, copied to a
# temporary directory) built from clean by coq_makefile's Makefile with
# `make -j2`, then by drover-check -j 2 the first time (no history: ranked
# by size) and again with the first run's times. Prints a table with the
# ideal max(critical path, sum / 2) from the files' own CPU times, and
# --quick against make's vos then vok. Not a test: takes ~6 minutes on
# 2 cores; run it on a quiet machine, after a build.
#   BUILD_DIR  the build (default: build beside this checkout)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$here/build}
check="$build/bin/drover-check"
stdpp="$(coqc -where)/user-contrib/stdpp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/theories"
cp "$stdpp"/*.v "$work/theories/"
cd "$work"
{ echo "-Q theories stdpp"; ls theories/*.v; } > _CoqProject
clean() { find theories \( -name '*.vo' -o -name '*.vos' -o -name '*.vok' -o -name '*.glob' -o -name '.*.aux' \) -delete; }
seconds() { python3 -c "import time; print(time.monotonic())"; }

coq_makefile -f _CoqProject -o Makefile >/dev/null 2>&1
t0=$(seconds); make -j2 >/dev/null 2>&1; t1=$(seconds)
make_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
clean

rm -f .drover-times.json
"$check" --json -j 2 . > first.json
clean
"$check" --json -j 2 . > second.json
clean
t0=$(seconds); make -j2 vos >/dev/null 2>&1; make -j2 vok >/dev/null 2>&1; t1=$(seconds)
quick_make_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
clean
"$check" --json --quick -j 2 . > quick.json
coqdep -f _CoqProject > deps.txt 2>/dev/null

python3 - "$make_s" "$quick_make_s" <<'PY'
import json, sys, collections
make_s, quick_make_s = float(sys.argv[1]), float(sys.argv[2])
def load(name):
    files, summary = {}, None
    for line in open(name):
        e = json.loads(line)
        if e["event"] == "file": files[e["file"]] = e
        elif e["event"] == "summary": summary = e
    return files, summary
first, s1 = load("first.json")
second, s2 = load("second.json")
quick, sq = load("quick.json")
assert s1["ok"] == s1["files"] and s2["ok"] == s2["files"] and sq["ok"] == sq["files"], "not every file built"
# The ideal from each file's CPU time: what it costs whatever runs beside it.
ms = {f: e["cpu_ms"] for f, e in second.items()}
needs = collections.defaultdict(list)
for line in open("deps.txt"):
    if ": " not in line: continue
    head, deps = line.split(": ", 1)
    target = head.split()[0]
    if not target.endswith(".vo"): continue
    src = target[:-1]
    needs[src] = [d[:-1] for d in deps.split() if d.endswith(".vo") and d[:-1] in ms and d[:-1] != src]
memo = {}
def chain(f):  # the longest chain of files that f needs, f included
    if f not in memo:
        memo[f] = ms[f] + max([chain(d) for d in needs[f]] or [0])
    return memo[f]
critical = max(chain(f) for f in ms) / 1000
total = sum(ms.values()) / 1000
ideal = max(critical, total / 2)
def one_busy(files):  # seconds during which exactly one file was building
    points = sorted([(e["start_ms"], 1) for e in files.values() if e["start_ms"] is not None] +
                    [(e["end_ms"], -1) for e in files.values() if e["start_ms"] is not None])
    busy, last, alone = 0, 0, 0
    for t, d in points:
        if busy == 1: alone += t - last
        busy += d; last = t
    return alone / 1000
w1, w2 = s1["wall_ms"] / 1000, s2["wall_ms"] / 1000
print("| build of stdpp (48 files) from clean, 2 cores | seconds | against the ideal | against make -j2 |")
print("| --- | --- | --- | --- |")
print(f"| make -j2 (coq_makefile) | {make_s:.1f} | {make_s/ideal:.2f}x | 1.00x |")
print(f"| drover-check -j 2, first run (ranked by size) | {w1:.1f} | {w1/ideal:.2f}x | {w1/make_s:.2f}x |")
print(f"| drover-check -j 2, with the first run's times | {w2:.1f} | {w2/ideal:.2f}x | {w2/make_s:.2f}x |")
print(f"| ideal: max(critical path {critical:.1f}, sum {total:.1f} / 2) of CPU times | {ideal:.1f} | 1.00x | {ideal/make_s:.2f}x |")
wq = sq["wall_ms"] / 1000
print(f"| make -j2 vos && make -j2 vok | {quick_make_s:.1f} | - | - |")
print(f"| drover-check --quick -j 2 | {wq:.1f} | - | {wq/quick_make_s:.2f}x of make vos+vok |")
print()
print(f"one file building alone: {one_busy(first):.1f} s (first run), {one_busy(second):.1f} s (with times);"
      f" the rest of the wall time over the ideal is coqdep, spawning and dispatch")
slow = sorted(ms.items(), key=lambda kv: -kv[1])[:5]
print("slowest files (CPU):", ", ".join(f"{f.split('/')[-1]} {v/1000:.1f} s" for f, v in slow))
wall = sum(e["ms"] for e in second.values()) / 1000
print(f"sum of wall times {wall:.1f} s against {total:.1f} s of CPU: what two coqc on two cores cost each other")
PY
