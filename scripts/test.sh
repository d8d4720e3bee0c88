#!/usr/bin/env bash
# Quick start, command 2: the whole test suite against a real PostgreSQL +
# PostGIS. Starts a throwaway cluster of its own (unless
# WAYLINE_TEST_DATABASE_URL names a server to use), runs `swift test`, and
# removes the cluster again, whatever the outcome.
#
# No run can hang: every suite has a Swift Testing time limit, and each
# `swift test` runs under scripts/watchdog.py, which past
# WAYLINE_TEST_BOUND seconds (default 1200) prints the tests still running,
# every thread's backtrace, the database sessions and the PostgreSQL log's
# tail, then fails.
#
# Arguments are passed to `swift test` (a `--filter`, say); with any, only
# that one run is made, without the short chaos form.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build --build-tests

if [ -z "${WAYLINE_TEST_DATABASE_URL:-}" ]; then
  cluster=$(mktemp -d /tmp/wayline-test-XXXXXX)
  cleanup() {
    .build/debug/wayline db stop --data-dir "$cluster" >/dev/null 2>&1 || true
    rm -rf "$cluster"
  }
  trap cleanup EXIT
  # Durability is pointless for a cluster deleted after the run; without
  # fsync it is several times faster to create databases in. Tests run
  # several instances at once, each with its pool and listening
  # connections, and an import needs one more: the default 100
  # connections are too few.
  WAYLINE_TEST_DATABASE_URL=$(.build/debug/wayline db start --data-dir "$cluster" \
    --set fsync=off --set synchronous_commit=off --set full_page_writes=off --set max_connections=1000)
  export WAYLINE_TEST_DATABASE_URL
  postgres_log="$cluster/postgres.log"
fi

events=$(mktemp -d /tmp/wayline-events-XXXXXX)
tests="$(swift build --show-bin-path)/waylinePackageTests.xctest"
# Runs the Swift Testing suites under the watchdog, output a line at a time.
# The test bundle is run directly, as `swift test` would run it, for Swift
# Testing's own options: `swift test` passes no parallelization width.
run_tests() { # name, test options...
  local name=$1
  shift
  python3 -u scripts/watchdog.py --limit "${WAYLINE_TEST_BOUND:-1200}" --events "$events/$name.jsonl" \
    ${postgres_log:+--postgres-log "$postgres_log"} --database-url "$WAYLINE_TEST_DATABASE_URL" -- \
    stdbuf -oL -eL "$tests" --testing-library swift-testing \
    --event-stream-output-path "$events/$name.jsonl" --event-stream-version 0 "$@"
}

if [ $# -gt 0 ]; then
  run_tests filtered --no-parallel "$@"
  exit
fi

# Four tests at a time: unbounded, every suite started at once, each
# test application with its pools, and the database and both cores were
# swamped (instances not ready in seconds, 503s, bounds missed).
#
# Suites that hold a time bound of their own, or load both cores for long
# (a road import, Schemathesis, a `wayline serve` process and its clients)
# run after the others, one test at a time, so that none is judged while
# another's burst of work has the CPU. Everything else runs in parallel.
alone='ServeShutdownTests|CacheAPITests|LiveIndexTests|JobRunnerTests|PerformanceLogTests|ObservabilityTests|ContractTests|OSRMClientTests|ImportCommandTests|GeofenceWebhookTests|GeofenceEventStreamTests|CacheNotificationTests|DatabaseHealthTests|AbandonTests|ComputeSlotsTests'
failed=()
run_tests parallel --parallel --experimental-maximum-parallelization-width "${WAYLINE_TEST_WIDTH:-4}" --skip "$alone" || failed+=("the parallel suites")
run_tests alone --no-parallel --filter "$alone" || failed+=("the suites run alone")

# The short form of the fault scenarios (docs/reliability.md): PostgreSQL
# killed under load, a slow database, SIGTERM under load, against the binary
# just built, each with a cluster of its own.
timeout 900 python3 -u benchmarks/chaos/chaos.py --short --binary .build/debug/wayline || failed+=("the short chaos form")

if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "all tests passed"
