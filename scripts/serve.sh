#!/usr/bin/env bash
# Set up (first time) and serve the example handbook on http://127.0.0.1:8000/
# HANDBOK_ENGINE=properdocs builds and serves with ProperDocs (the maintained MkDocs 1.x fork)
# instead of MkDocs; both read the same mkdocs.yml. Default: mkdocs.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE="${HANDBOK_ENGINE:-mkdocs}"
case "$ENGINE" in
  mkdocs|properdocs) ;;
  *) echo "HANDBOK_ENGINE ska vara mkdocs eller properdocs, inte ”$ENGINE”." >&2; exit 2 ;;
esac
scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/"$ENGINE" build --strict -f mkdocs.yml
exec .venv/bin/"$ENGINE" serve -f mkdocs.yml --dev-addr 127.0.0.1:8000 "$@"
