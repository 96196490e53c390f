#!/usr/bin/env bash
# Starts igs on its embedded defaults after installing Chromium and the fonts
# when missing. Extra arguments go to "igs serve", e.g. -addr :9000.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The built binary replaces this script, so the PID of the script is the PID
# of the service, and SIGINT or SIGTERM to it stops the service cleanly.
go build -o igs .
exec ./igs serve "$@"
