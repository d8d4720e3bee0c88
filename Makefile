.PHONY: run test bench

# Install what is missing, build, migrate and serve (embedded PostGIS unless DATABASE_URL is set).
run:
	scripts/run.sh

# The whole test suite against a throwaway PostGIS.
test:
	scripts/test.sh

# The side-by-side benchmark harness (minutes of quiet machine; not part of CI).
bench:
	benchmarks/harness/bench.sh
