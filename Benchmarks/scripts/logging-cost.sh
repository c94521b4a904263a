#!/usr/bin/env bash
# What one JSON log line per request costs the all-in-one server: wrk on an authenticated
# GET /api/v1/users/me with the log level at info (a line per request) and at warning (none),
# same binary, same data. Prints both runs and the ratio.
#
#   Benchmarks/scripts/logging-cost.sh [path/to/release/iworkz]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-.build/release/iworkz}"
THREADS="${WRK_THREADS:-2}"; CONNECTIONS="${WRK_CONNECTIONS:-32}"; DURATION="${WRK_DURATION:-15s}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-logbench.XXXXXX")"
PID=""
finish() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; sleep 0.5; rm -rf "$WORK"; }
trap finish EXIT
cp -R config/ "$WORK/config"
cp scripts/conformance-rate-limits.yaml "$WORK/config/rate-limits.yaml"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
OPS="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
start() {
    "$BIN" serve --port "$PORT" --ops-port "$OPS" --data-dir "$WORK/data" --config-dir "$WORK/config" --log-level "$1" > "$WORK/server-$1.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/ready" && return 0; sleep 0.1; done
    echo "server did not start" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
start info
TOKEN="$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/users" -H 'Content-Type: application/json' -d '{
  "role": "employer", "email": "bench@example.jp", "display_name": "Bench", "country_of_residence": "JP",
  "company_name": "Bench K.K.", "corporate_number": "1180301018771"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/users/me" \
        | python3 -c 'import re,sys; t=sys.stdin.read(); r=float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)); print(r)'
}
INFO="$(measure)"; stop
start warning
WARNING="$(measure)"; stop
echo "log level info (one line per request): $INFO req/s; warning (no line): $WARNING req/s"
python3 -c "import sys; i,w=map(float,sys.argv[1:]); print(f'with logging / without: {i/w:.2f}x')" "$INFO" "$WARNING"
