#!/usr/bin/env bash
# The soak of issue 18: drover-check on a document of N trivial lemmas
# (default 100,000) with a SIGKILL to one of its workers every 20 ms for the
# whole run. It checks that every lemma is reported exactly once and prints
# the master's resident memory and open descriptors over the run (sampled
# every second), so a leak per kill shows as a slope. Slow: never in CI.
#
#   bash tests/bench/soak.sh [BUILD_DIR]      (env: LEMMAS, KILL_EVERY, JOBS, RETRIES)
set -euo pipefail

build=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
lemmas=${LEMMAS:-100000}
kill_every=${KILL_EVERY:-0.02}
jobs=${JOBS:-2}
retries=${RETRIES:-5}
check="$build/bin/drover-check"
[ -x "$check" ] || { echo "soak.sh: no $check (build first)" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$checker" "$sampler" 2>/dev/null || true; rm -rf "$work"' EXIT

awk -v n="$lemmas" 'BEGIN { for (i = 1; i <= n; ++i) printf "Lemma l%d: trivial.\nProof.\n  fib 1 = 1.\nQed.\n", i }' > "$work/soak.proof"

start=$(date +%s.%N)
"$check" --json --persistent -j "$jobs" --retries "$retries" "$work/soak.proof" > "$work/events.jsonl" 2> "$work/stderr.txt" &
checker=$!

# Every second: elapsed seconds, the master's VmRSS (kB) and open descriptors.
(
    while [ -d "/proc/$checker" ]; do
        rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$checker/status" 2>/dev/null || echo 0)
        fds=$(ls "/proc/$checker/fd" 2>/dev/null | wc -l)
        echo "$(date +%s.%N) ${rss:-0} $fds"
        sleep 1
    done
) > "$work/samples.txt" &
sampler=$!

# The kill storm: a random worker of this master, every KILL_EVERY seconds.
kills=0
# (Its children are all workers; /proc lists them without a pgrep per kill.)
while [ -d "/proc/$checker" ]; do
    read -r -a workers < <(cat /proc/"$checker"/task/*/children 2>/dev/null; echo)
    if [ ${#workers[@]} -gt 0 ]; then
        kill -KILL "${workers[RANDOM % ${#workers[@]}]}" 2>/dev/null && kills=$((kills + 1))
    fi
    sleep "$kill_every"
done
status=0
wait "$checker" || status=$?
end=$(date +%s.%N)
wait "$sampler" 2>/dev/null || true

reported=$(grep -c '"event":"lemma"' "$work/events.jsonl" || true)
unique=$(grep '"event":"lemma"' "$work/events.jsonl" | grep -o '"name":"[^"]*"' | sort -u | wc -l)
echo "soak: $lemmas lemmas, -j $jobs --persistent --retries $retries, SIGKILL every ${kill_every}s"
echo "soak: drover-check exit code $status after $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s; $kills kills sent"
echo "soak: lemma events $reported, distinct lemmas $unique (want $lemmas and $lemmas)"
echo "soak: statuses: $(grep '"event":"lemma"' "$work/events.jsonl" | grep -o '"status":"[^"]*"' | sort | uniq -c | tr '\n' ' ')"
grep -o '"event":"summary".*' "$work/events.jsonl" | sed 's/^/soak: summary: /' || true
awk 'NR == 1 { t0 = $1 } { rss[NR] = $2; fd[NR] = $3; t[NR] = $1 - t0 }
     END {
         if (NR == 0) { print "soak: no samples"; exit }
         q = int(NR / 4) + 1; h = int(NR / 2) + 1
         maxr = 0; maxf = 0
         for (i = 1; i <= NR; ++i) { if (rss[i] > maxr) maxr = rss[i]; if (fd[i] > maxf) maxf = fd[i] }
         printf "soak: master RSS kB at 25%%/50%%/end of the run: %d %d %d (max %d); open fds: %d %d %d (max %d); %d samples over %.0f s\n",
                rss[q], rss[h], rss[NR], maxr, fd[q], fd[h], fd[NR], maxf, NR, t[NR]
     }' "$work/samples.txt"
tail -3 "$work/stderr.txt" | sed 's/^/soak: stderr: /'
[ "$reported" -eq "$lemmas" ] && [ "$unique" -eq "$lemmas" ]
