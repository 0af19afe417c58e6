#!/usr/bin/env bash
# Runs the Playwright suite against the debug build in target/: a free port,
# a fresh data directory, Debian's Chromium. Playwright starts the portal
# and stops it whatever happens. Extra arguments go to `playwright test`.
set -euo pipefail
cd "$(dirname "$0")"
PORTAL_E2E_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORTAL_E2E_DATA=$(mktemp -d /tmp/portal-e2e-XXXXXX)
export PORTAL_E2E_PORT PORTAL_E2E_DATA
trap 'rm -rf "$PORTAL_E2E_DATA"' EXIT
npx playwright test "$@"
