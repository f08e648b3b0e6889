#!/usr/bin/env bash
# tests/bench/coq-documents.sh: Coq documents checked as an editor has them
# checked (docs/coq.md, "Interactive documents"). For stdpp's list.v and
# fin_maps.v and the stdlib's Lists/List.v (copies in a temporary directory,
# checked against the installed libraries), in one run:
#   - plain `coqc`;
#   - Coq's own parallel mode, `coqc -async-proofs on -async-proofs-j 2`
#     (given at most ASYNC_LIMIT seconds, default 300);
#   - drover-check --sentences with 1 and 2 workers: the time to every
#     sentence checked, coqidetop's start included;
#   - an edit in the last proof, checked again on the same worker, against
#     the same sentences added and run on a bare coqidetop.
# Prints a table with the ratios to plain coqc. Not a test: about 10 minutes
# on 2 cores; run it on a quiet machine, after a build.
#   BUILD_DIR    the build (default: build beside this checkout)
#   FILES        which of list fin_maps List (default all three)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$here/build}
limit=${ASYNC_LIMIT:-300}
coqlib=$(coqc -where)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A source=([list]="$coqlib/user-contrib/stdpp/list.v"
                   [fin_maps]="$coqlib/user-contrib/stdpp/fin_maps.v"
                   [List]="$coqlib/theories/Lists/List.v")
seconds() { python3 -c "import time; print(time.monotonic())"; }
# Coq's async mode in a process group of its own, ended whole (coqc and its
# proof workers, which orphan each other) when it runs past the limit.
run_async() {
    setsid coqc -async-proofs on -async-proofs-j 2 "$1" >/dev/null 2>&1 &
    local pid=$! tenths=0
    while kill -0 "$pid" 2>/dev/null; do
        sleep 0.1
        tenths=$((tenths + 1))
        if [ "$tenths" -ge $((limit * 10)) ]; then
            kill -KILL -- "-$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            return 1
        fi
    done
    wait "$pid"
}
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

printf '%-12s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n' file sentences coqc async async/c 1w 1w/c 2w 2w/c edit/alone
for name in ${FILES:-list fin_maps List}; do
    dir="$work/$name"
    mkdir -p "$dir"
    cp "${source[$name]}" "$dir/$name.v"
    cd "$dir"
    t0=$(seconds); coqc "$name.v" >/dev/null 2>&1; t1=$(seconds)
    coqc_s=$(elapsed "$t0" "$t1")
    rm -f "$name.vo" "$name.vos" "$name.vok" "$name.glob" ".$name.aux"
    t0=$(seconds)
    if run_async "$name.v"; then
        t1=$(seconds); async_s=$(elapsed "$t0" "$t1")
    else
        async_s=">$limit"
    fi
    rm -f "$name.vo" "$name.vos" "$name.vok" "$name.glob" ".$name.aux"
    "$build/bin/drover-check" --json --sentences -j 1 "$name.v" > one.json || true
    "$build/bin/drover-check" --json --sentences -j 2 "$name.v" > two.json || true
    "$build/bin/drover-bench-coqdoc" "$name.v" > edit.json
    python3 - "$name" "$coqc_s" "$async_s" <<'PY'
import json, sys
name, coqc, asyn = sys.argv[1], float(sys.argv[2]), sys.argv[3]
def summary(path):
    for line in open(path):
        e = json.loads(line)
        if e["event"] == "summary":
            return e
one, two = summary("one.json"), summary("two.json")
edit = json.load(open("edit.json"))
for s in (one, two):
    assert s["checked"] == s["sentences"], f"{name}: not every sentence checked: {s}"
ratio = lambda x: f"{x / coqc:.2f}x"
async_ratio = ratio(float(asyn)) if not asyn.startswith(">") else ">" + ratio(float(asyn[1:]))
w1, w2 = one["wall_ms"] / 1000, two["wall_ms"] / 1000
edit_ratio = edit["edit_ms"] / max(edit["alone_ms"], 1)
print(f"{name:12s} {one['sentences']:9d} {coqc:9.2f} {asyn:>9s} {async_ratio:>9s} {w1:9.2f} {ratio(w1):>9s} "
      f"{w2:9.2f} {ratio(w2):>9s} {edit_ratio:8.2f}x")
print(f"{'':12s} 2 workers: {two['workers']} used; edit: resumed at sentence {edit['resumed_at']}, "
      f"{edit['added']} added, {edit['edit_ms']} ms against {edit['alone_ms']} ms alone", file=sys.stderr)
PY
    cd "$work"
done
