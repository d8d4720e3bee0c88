#!/usr/bin/env bash
# Installs the Debian packages Wayline needs to build, run and test, when any
# is missing. Safe to run again: with everything present it does nothing.
set -euo pipefail

packages=(
  postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting
  libgeos-dev libproj-dev proj-data libpq-dev
  osm2pgrouting osmium-tool
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
