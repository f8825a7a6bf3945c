#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, browser tests included.
# Developers may skip the browser tests locally: scripts/test.sh -m "not browser"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
