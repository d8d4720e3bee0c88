#!/usr/bin/env bash
# Quick start, command 2: the whole test suite against a real PostgreSQL +
# PostGIS. Starts a throwaway cluster of its own (unless
# WAYLINE_TEST_DATABASE_URL names a server to use), runs `swift test`, and
# removes the cluster again, whatever the outcome.
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
  # fsync it is several times faster to create databases in. Tests run two
  # instances at once, each with its pool and listening connections, and
  # osm2pgrouting needs one more: the default 100 connections can be too few.
  WAYLINE_TEST_DATABASE_URL=$(.build/debug/wayline db start --data-dir "$cluster" \
    --set fsync=off --set synchronous_commit=off --set full_page_writes=off --set max_connections=1000)
  export WAYLINE_TEST_DATABASE_URL
fi

# One suite at a time: run side by side on two cores, suites with time bounds
# (instances seeing each other's writes within a second, a `wayline serve`
# stopping in time) competed with road imports for the CPU, and one run hung
# with an import's wait and a test application's shutdown unfinished. In
# turn, the whole suite takes about two minutes here (one in parallel).
swift test --skip-build --no-parallel "$@"

# The short form of the fault scenarios (docs/reliability.md): PostgreSQL
# killed under load, a slow database, SIGTERM under load, against the binary
# just built, each with a cluster of its own. Skipped when a filter was given.
if [ $# -eq 0 ]; then
  python3 benchmarks/chaos/chaos.py --short --binary .build/debug/wayline
fi
