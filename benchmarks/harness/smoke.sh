#!/usr/bin/env bash
# Benchmark smoke for CI (`make bench-smoke`): every in-process suite, gated on
# deterministic metrics only. Instructions are counted where the kernel lets
# perf events through (this project's VMs do not; ordo-one/benchmark then
# leaves the metric out) and malloc counts everywhere. Not gated: build_*
# (memory and preprocessing time for the README; hashing is seeded per
# process, so their allocation counts vary by a few) and eviction_* (hit
# ratios of one replay, printed for the README).
#   --update   record the current values as the new thresholds
set -euo pipefail
cd "$(dirname "$0")/.."
options=(--metric mallocCountTotal --metric instructions --skip "build_.*" --skip "eviction_.*" --no-progress
         # The tool resolves relative paths against its own working directory, not ours.
         --path "$(pwd)/Thresholds")
if [ "${1:-}" = "--update" ]; then
  swift package --allow-writing-to-package-directory benchmark thresholds update "${options[@]}"
  exit 0
fi
output=$(mktemp)
trap 'rm -f "$output"' EXIT
# The plugin turns every non-zero verdict into exit 1, so the verdict is read
# from what the tool prints: WORSE fails, EQUAL or BETTER (for every suite) passes.
swift package benchmark thresholds check "${options[@]}" 2>&1 | tee "$output" || true
if grep -q "is WORSE than the defined thresholds" "$output"; then
  echo "benchmark smoke: regression against benchmarks/Thresholds" >&2
  exit 1
fi
if ! grep -qE "is (EQUAL to|BETTER than) the defined thresholds" "$output"; then
  echo "benchmark smoke: the threshold check did not run to a verdict" >&2
  exit 1
fi
if grep -q "is BETTER than" "$output"; then
  echo "benchmark smoke: improvements; run 'make bench-thresholds' to lock them in"
else
  echo "benchmark smoke: within thresholds"
fi
