#!/usr/bin/env bash
# The ThreadSanitizer pass (issue 18): builds the manager, the worker and the
# suites that drive real workers with -fsanitize=thread (DROVER_TSAN=ON), runs
# those suites, and fails if any process -- a test or a worker it started --
# wrote a ThreadSanitizer report. Only Qt's own uninstrumented internals are
# suppressed, in cmake/tsan.supp.
#   bash cmake/tsan.sh
# Options through the environment: BUILD_DIR (default $PWD/build-tsan), JOBS
# (default nproc), TSAN_OPTIONS (appended to the options below, so it can
# override them, e.g. TSAN_OPTIONS=halt_on_error=0 to see every report).
# Needs what cmake/run.sh installs (g++ brings libtsan2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$PWD/build-tsan}
jobs=${JOBS:-$(nproc)}
suppressions=$here/cmake/tsan.supp

# The suites that exercise the manager and the worker (tests/CMakeLists.txt):
# those of the scripted test kind, and those that run the proof, par and query
# plugins in real workers; with the programs and plugins they start. Not
# tst_ide (widgets), tst_drovercheck (builds drover-check and the IDE demo),
# tst_prooflang* and tst_pluginregistry (no worker, no second thread).
suites=(tst_badinput tst_chaos tst_contract tst_faults tst_functions tst_hardening tst_limits tst_mapstream tst_peers tst_prefetch tst_queueemptied tst_shutdown
        tst_stress tst_wire tst_workerlistmodel tst_workeroutput tst_par tst_query tst_repair)
helpers=(drover-worker drover_scripted drover_geometry drover-rogue drover-testmaster drover-flood
         drover_proof drover_par drover_query)

minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

start=$SECONDS
# (The suites see DROVER_SANITIZE defined under TSan too, so tst_faults skips
# its 1 GiB address-space limit, under which a TSan program cannot start.)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DDROVER_SANITIZE=OFF -DDROVER_TSAN=ON >/dev/null
cmake --build "$build" --parallel "$jobs" --target "${helpers[@]}" "${suites[@]}"
built=$SECONDS
echo "tsan.sh: build took $(minutes $((built - start)))"

# Every process writes its reports to $logs/report.<pid>: the workers inherit
# TSAN_OPTIONS from the test (the manager starts them with the system
# environment plus its own variables, manager/src/pool/workerpool.cpp), and a report
# in a worker would otherwise be lost in the captured worker output or count
# only as a worker that died. atexit_sleep_ms=0: by default a TSan program
# sleeps 1 s as it exits, and the suites time how workers exit (which of two
# retired workers is gone first, quit timeouts); tst_repair failed so.
logs=$build/tsan-logs
rm -rf "$logs"
mkdir -p "$logs"
options="suppressions=$suppressions halt_on_error=1 second_deadlock_stack=1"
export TSAN_OPTIONS="$options atexit_sleep_ms=0 log_path=$logs/report ${TSAN_OPTIONS:-}"

regex="^($(IFS='|'; echo "${suites[*]}"))\$"
status=0
ctest --test-dir "$build" -R "$regex" --output-on-failure --parallel "$jobs" \
      --timeout 900 || status=$?
echo "tsan.sh: tests took $(minutes $((SECONDS - built)))"

shopt -s nullglob
reports=("$logs"/report.*)
if [ ${#reports[@]} -gt 0 ]; then
    for r in "${reports[@]}"; do
        echo "---- $r"
        cat "$r"
    done
    echo "tsan.sh: ${#reports[@]} process(es) wrote a ThreadSanitizer report (above)" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "tsan.sh: ctest failed ($status) without a ThreadSanitizer report" >&2
    exit "$status"
fi
echo "tsan.sh: no ThreadSanitizer report"
