.PHONY: run test bench

# Install what is missing, build, migrate and serve (embedded PostGIS unless DATABASE_URL is set).
run:
	scripts/run.sh

# The whole test suite against a throwaway PostGIS.
test:
	scripts/test.sh
