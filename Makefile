.PHONY: run test bench chaos

# Install what is missing, build, migrate and serve (embedded PostGIS unless DATABASE_URL is set).
run:
	scripts/run.sh

# The whole test suite against a throwaway PostGIS.
test:
	scripts/test.sh

# The side-by-side benchmark harness (minutes of quiet machine; not part of CI).
bench:
	benchmarks/harness/bench.sh

# Fault injection (docs/reliability.md): every scenario against the release
# binary on loopback, about 20 minutes with the 10-minute soak; not part of CI,
# which runs the short form (scenarios 1, 4 and 6) inside `make test`.
chaos:
	scripts/install-deps.sh
	swift build -c release --product wayline
	python3 benchmarks/chaos/chaos.py

# CI's benchmark smoke: runs the in-process suites and fails when a deterministic
# metric (malloc count; instructions where the CPU exposes them) regresses past
# the thresholds committed in benchmarks/Thresholds. Never gates on wall clock.
bench-smoke:
	benchmarks/harness/smoke.sh

# Re-record the committed thresholds after an intended change.
bench-thresholds:
	benchmarks/harness/smoke.sh --update
