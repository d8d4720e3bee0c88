#!/usr/bin/env bash
# Installs the Debian packages Wayline needs to build, run and test, when any
# is missing. Safe to run again: with everything present it does nothing.
set -euo pipefail

packages=(
  postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting
  libgeos-dev libproj-dev proj-data libpq-dev
  osmium-tool
)

# --test adds the Python clients the tests drive; --bench adds what the
# side-by-side harness drives or compares against. The
# harness starts Redis and nginx on ports of its own; where systemd runs,
# Debian also starts their system services when it installs them.
if [ "${1:-}" = "--bench" ]; then
  packages+=(wrk redis-server redis-tools nginx)
fi
# promtool (Debian's prometheus package) lints the metrics exposition in the
# tests; gdb gives scripts/watchdog.py the backtraces of a hung test run;
# openssl makes the TLS test's certificate, which curl reads.
if [ "${1:-}" = "--test" ]; then
  packages+=(prometheus gdb openssl curl)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# From PyPI: the baselines of the benchmarks (pypolyline, a Rust core;
# pandana, a C++ contraction hierarchy), and the real OSRM clients the tests drive (routingpy; osrm-py, whose
# module is `osrm`: the PyPI package named osrm is another project).
pip_install() { # module, package
  python3 -c "import $1" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "$2"
}
if [ "${1:-}" = "--bench" ]; then
  pip_install pypolyline pypolyline
  pip_install pandana pandana
fi
if [ "${1:-}" = "--test" ]; then
  pip_install routingpy routingpy
  pip_install osrm osrm-py
  pip_install prometheus_client prometheus-client
  pip_install openapi_spec_validator openapi-spec-validator
  pip_install schemathesis schemathesis
fi
