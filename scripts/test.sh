#!/usr/bin/env bash
# Runs the whole test suite against real Chromium after installing it and the
# fonts when missing. Extra arguments go to "go test".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
go vet ./...
go test -race -count=1 -timeout 30m "$@" ./...
