#!/usr/bin/env bash
# Set up (first time) and serve the example handbook on http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/mkdocs build --strict
exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000 "$@"
