#!/usr/bin/env bash
# Runs the whole test suite: builds, starts the servers the integration tests need (none yet for the
# embedded defaults), and runs every Swift Testing suite, including the live-server tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/bin/swift ]; then
    export PATH="/opt/swift/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "error: swift is not installed (https://www.swift.org/install/linux/)" >&2; exit 1; }

echo "==> building (debug) with tests"
swift build --build-tests

echo "==> running tests"
swift test --skip-build "$@"
