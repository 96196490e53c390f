#!/usr/bin/env bash
# Starts igs on its embedded defaults after installing Chromium and the fonts
# when missing. Extra arguments go to "igs serve", e.g. -addr :9000.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
exec go run . serve "$@"
