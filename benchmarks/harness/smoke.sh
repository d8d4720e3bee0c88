#!/usr/bin/env bash
# Benchmark smoke for CI (`make bench-smoke`): every in-process suite, gated on
# deterministic metrics only. Instructions are counted where the kernel lets
# perf events through (this project's VMs do not; ordo-one/benchmark then
# leaves the metric out) and malloc counts everywhere.
#   --update   record the current values as the new thresholds
set -euo pipefail
cd "$(dirname "$0")/.."
metrics=(--metric mallocCountTotal --metric instructions)
# The tool resolves relative paths against its own working directory, not ours.
thresholds=(--path "$(pwd)/Thresholds")
if [ "${1:-}" = "--update" ]; then
  swift package --allow-writing-to-package-directory benchmark thresholds update "${metrics[@]}" "${thresholds[@]}" --no-progress
  exit 0
fi
set +e
swift package benchmark thresholds check "${metrics[@]}" "${thresholds[@]}" --no-progress
status=$?
set -e
# 0: equal to the thresholds; 4: only improvements (re-record with `make bench-thresholds`).
case $status in
  0) echo "benchmark smoke: within thresholds" ;;
  4) echo "benchmark smoke: improvements only; run 'make bench-thresholds' to lock them in" ;;
  *) echo "benchmark smoke: regression against benchmarks/Thresholds (exit $status)" >&2; exit 1 ;;
esac
