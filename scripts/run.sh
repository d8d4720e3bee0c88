#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and serve.
# Without DATABASE_URL the service starts its own PostgreSQL under
# WAYLINE_DATA_DIR (default .wayline/), migrates it and serves on
# WAYLINE_HOST:WAYLINE_PORT (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product wayline
exec .build/release/wayline serve
