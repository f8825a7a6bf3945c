#!/usr/bin/env bash
# Creates .venv and installs handbok with everything the example site and the tests need.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's chromium for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# constraints.txt pins every dependency (see its header for how to upgrade them).
.venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test]'
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
APT_UPDATED=""
apt_install() {  # apt_install PACKAGE...: Debian packages, with one apt-get update per run
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
# WeasyPrint (render/pdf.py) loads Pango through cffi and needs a font: install them when missing.
MISSING=""
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    MISSING="$MISSING $package"
  fi
done
if [ -n "$MISSING" ] && command -v apt-get >/dev/null 2>&1; then
  # shellcheck disable=SC2086  # one word per package
  apt_install $MISSING
fi
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium fonts-dejavu-core
fi
