#!/usr/bin/env bash
# tests/fuzz/run.sh: builds the wire protocol's fuzz target (tests/fuzz, a
# CMake project of its own), writes its seed corpus, and runs it for a
# bounded number of executions. Exits non-zero when it finds a crash (the
# input is kept under $FUZZ_BUILD_DIR/artifacts).
#
# Packages beyond the main build's (cmake ninja-build g++ qt6-base-dev
# libgl-dev), on Debian 12 with --no-install-recommends:
#   clang               /usr/bin/clang++ (clang-14)
#   libclang-rt-14-dev  libFuzzer and the sanitizer and profile runtimes
#                       (libclang_rt.{fuzzer,asan,ubsan_standalone,profile}-x86_64.a)
#   llvm                only for FUZZ_COVERAGE=1: llvm-profdata, llvm-cov (llvm-14)
#
# Environment:
#   FUZZ_BUILD_DIR  where to build and keep the corpus ($PWD/build-fuzz)
#   FUZZ_RUNS       executions of the fuzz run (250000: about 3 minutes on
#                   2 cores; 0 only replays the corpus)
#   FUZZ_MAX_TIME   ceiling of the fuzz run in seconds (300)
#   FUZZ_COVERAGE=1 then build a coverage variant, replay the corpus the
#                   run produced, and print the coverage of wire.cpp
#   FUZZ_CXX        the compiler (clang++)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${FUZZ_BUILD_DIR:-$PWD/build-fuzz}"
runs="${FUZZ_RUNS:-250000}"
max_time="${FUZZ_MAX_TIME:-300}"
cxx="${FUZZ_CXX:-clang++}"

configure_and_build() { # <dir> [cmake options...]
    local dir="$1"
    shift
    cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" "$@" >"$dir.configure.log" 2>&1 \
        || { cat "$dir.configure.log"; exit 1; }
    # One job, niced: this runs next to other builds.
    nice cmake --build "$dir" -j1
}

llvm_tool() { # the -14 name if there is one
    if command -v "$1-14" >/dev/null; then echo "$1-14"; else echo "$1"; fi
}

mkdir -p "$build"
echo "== building the fuzz target in $build/sanitize"
configure_and_build "$build/sanitize"

# Seeds and dictionary are generated from the project's own encoders each
# time; the corpus the fuzzer grows is kept between runs.
rm -rf "$build/seeds" "$build/known-issues"
"$build/sanitize/make_corpus" "$build/seeds" "$build/wire.dict" "$build/known-issues"
mkdir -p "$build/corpus" "$build/artifacts"

echo "== fuzzing: $runs executions, at most $max_time s"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
start=$(date +%s)
status=0
"$build/sanitize/fuzz_frames" -runs="$runs" -max_total_time="$max_time" -timeout=30 \
    -dict="$build/wire.dict" -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
    "$build/corpus" "$build/seeds" >"$build/fuzz.log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))
grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$build/fuzz.log" || true
echo "wall time: ${elapsed} s; corpus: $(ls "$build/corpus" | wc -l) inputs"
if [ "$status" -ne 0 ] || [ -n "$(ls -A "$build/artifacts")" ]; then
    echo "!! the fuzzer found a problem (exit $status); the end of $build/fuzz.log:"
    grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse)' "$build/fuzz.log" | tail -60
    ls -l "$build/artifacts"
    exit 1
fi

# The inputs of issues the target found once, replayed: each must pass now.
for input in "$build"/known-issues/*; do
    if ! "$build/sanitize/fuzz_frames" "$input" >"$build/known-issue.log" 2>&1; then
        echo "!! a fixed issue is back: $(basename "$input") ($(grep -m1 'runtime error' "$build/known-issue.log" | sed 's/.*runtime error: //'))"
        exit 1
    fi
    echo "fixed issue stays fixed: $(basename "$input")"
done

[ "${FUZZ_COVERAGE:-0}" = 1 ] || exit 0

echo "== coverage of wire.cpp over the corpus"
configure_and_build "$build/coverage" -DDROVER_FUZZ_COVERAGE=ON
profile="$build/coverage/fuzz.profdata"
rm -f "$build"/coverage/*.profraw
LLVM_PROFILE_FILE="$build/coverage/fuzz-%p.profraw" "$build/coverage/fuzz_frames" -runs=0 \
    "$build/corpus" "$build/seeds" >"$build/coverage.log" 2>&1
"$(llvm_tool llvm-profdata)" merge -sparse "$build"/coverage/*.profraw -o "$profile"
wire="$(cd "$here/../../manager/src/wire" && pwd)/wire.cpp"
cov="$(llvm_tool llvm-cov)"
"$cov" report "$build/coverage/fuzz_frames" -instr-profile="$profile" -show-branch-summary=true "$wire"
echo "-- lines of wire.cpp never run:"
"$cov" show "$build/coverage/fuzz_frames" -instr-profile="$profile" "$wire" \
    | sed -n 's/^ *\([0-9]\{1,\}\)| *0|\(.*\)$/  \1:\2/p'
echo "-- branches of wire.cpp taken one way only:"
"$cov" show "$build/coverage/fuzz_frames" -instr-profile="$profile" -show-branches=count "$wire" \
    | grep -E 'Branch \([0-9]+:[0-9]+\): \[True: 0,|, False: 0\]' | sed 's/^ *| *//; s/^/  /' || true
