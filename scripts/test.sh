#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): install, start the servers, check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_DEV=1 bash scripts/install.sh
bash scripts/services.sh
export PATH="$PWD/.venv/bin:$PATH"
export CI="${CI:-true}"  # tests that need an installed tool fail here instead of skipping
ruff check .
lint-imports
pytest "$@"
