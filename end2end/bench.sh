#!/usr/bin/env bash
# Sign-in benchmark against the debug build in target/ (`make bench`): a free
# port, a fresh data directory with the demo data, a quiet portal in the
# background, then `bench-signin` (server/src/bin/bench_signin.rs). The portal
# is stopped and the directory removed whatever happens. Extra arguments go to
# bench-signin, e.g. `bash end2end/bench.sh --n 500 --concurrency 4`.
set -euo pipefail
cd "$(dirname "$0")/.."
# PROFILE=release benchmarks the release build (`make bench-release`).
PROFILE=${PROFILE:-debug}
BIN=target/$PROFILE/portal
if [[ ! -x $BIN ]]; then
  echo "bench: $BIN is missing; run 'make build' (or 'make bench')" >&2
  exit 1
fi

# The client first, so nothing compiles while the portal waits.
if [[ $PROFILE == release ]]; then
  LEPTOS_OUTPUT_NAME=portal cargo build -q --release -p server --bin bench-signin --bin portal
else
  cargo build -q -p server --bin bench-signin
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/portal-bench-XXXXXX)
SETUP_LOG=$DATA/setup.log
LOG=$DATA/portal.log
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PORTAL_DB=surrealkv://$DATA/db
export PORTAL_LISTEN=127.0.0.1:$PORT
export LEPTOS_SITE_ROOT=target/site
export PORTAL_LOG_FORMAT=text PORTAL_LOG=warn RUST_LOG=warn NO_COLOR=1

if ! { "$BIN" migrate && "$BIN" seed-demo; } >"$SETUP_LOG" 2>&1; then
  echo "bench: migrate / seed-demo failed:" >&2; cat "$SETUP_LOG" >&2; exit 1
fi
"$BIN" serve >>"$LOG" 2>&1 &
SERVER_PID=$!

for _ in $(seq 300); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "bench: the portal exited early:" >&2; cat "$LOG" >&2; exit 1
  fi
  sleep 0.1
done
if ! curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz"; then
  echo "bench: the portal did not answer /healthz in 30 s:" >&2; cat "$LOG" >&2; exit 1
fi

status=0
target/$PROFILE/bench-signin --url "http://127.0.0.1:$PORT" "$@" || status=$?

# Anything the portal logged at warn or above during the run.
echo
if [[ -s $LOG ]]; then
  # Timestamps, request ids and latencies off, then counted.
  echo "portal log (warn and above), $(wc -l <"$LOG") lines:"
  sed -E 's/^[0-9T:.-]+Z //; s/ request_id=[^ ]*//g; s/ latency=[0-9]+ ms//g' "$LOG" | sort | uniq -c | sort -rn | head -n 20
else
  echo "portal log: nothing at warn or above"
fi
exit "$status"
