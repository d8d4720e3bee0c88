#!/usr/bin/env bash
# Runs the whole suite N times in a row as CI runs it (CI=true, a fresh
# throwaway cluster each time, the watchdog's bound), to find tests that fail
# or hang only now and then. Prints a line per run (its number, outcome,
# minutes, and the tests that failed), keeps each run's output under
# .wayline/stress/, and exits non-zero if any run failed.
#
#     scripts/stress-tests.sh 10
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:?usage: scripts/stress-tests.sh N}
logs=.wayline/stress/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$logs"
export CI=true
failures=0
for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  scripts/test.sh > "$logs/run-$run.log" 2>&1
  status=$?
  minutes=$(awk "BEGIN { printf \"%.1f\", ($(date +%s) - $started) / 60 }")
  # Swift Testing's lines for failed tests, and the watchdog's verdict.
  failed=$(grep -aoE '^✘ Test [^ ]+ failed|^watchdog: FAILED.*|^FAIL.*' "$logs/run-$run.log" | sort -u | tr '\n' ';')
  if [ "$status" -eq 0 ]; then
    echo "run $run/$runs: passed in $minutes min"
  else
    failures=$((failures + 1))
    echo "run $run/$runs: FAILED (exit $status) in $minutes min: ${failed:-see $logs/run-$run.log}"
  fi
done
echo "$((runs - failures)) passed, $failures failed (logs in $logs)"
[ "$failures" -eq 0 ]
