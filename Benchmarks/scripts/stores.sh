#!/usr/bin/env bash
# The platform's hottest reads on each store: the all-in-one server on SQLite (the embedded default),
# on PostgreSQL directly, and on PostgreSQL through PgBouncer in transaction mode. wrk, with the same
# threads, connections and duration, on three reads — a profile by id (GET /api/v1/users/me,
# authenticated), a posting by id (GET /api/v1/jobs/{id}) and a Japanese job search over 200 postings —
# each with `Cache-Control: no-store`, so the response cache keeps nothing and the database answers. Prints each run and the ratios to SQLite.
#
#   Benchmarks/scripts/stores.sh [path/to/release/iworkz]
#
# Needs wrk and PostgreSQL with PgBouncer (Debian: apt-get install wrk postgresql pgbouncer). Build
# iworkz in release first: swift build -c release --product iworkz
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${1:-.build/release/iworkz}"
THREADS="${WRK_THREADS:-2}"; CONNECTIONS="${WRK_CONNECTIONS:-16}"; DURATION="${WRK_DURATION:-10s}"
for tool in wrk python3 curl; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "no iworkz at $BIN (swift build -c release --product iworkz)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-bench-stores.XXXXXX")"
chmod 755 "$WORK"
SERVER=""
finish() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    scripts/pg-cluster.sh stop "$WORK/pg" 2>/dev/null || true
    sleep 0.3
    rm -rf "$WORK"
}
trap finish EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not ready: $1" >&2; exit 1; }

cp -R config/ "$WORK/config"
cp scripts/conformance-rate-limits.yaml "$WORK/config/rate-limits.yaml"
PG_PORT="$(free_port)"; PGB_PORT="$(free_port)"
scripts/pg-cluster.sh primary "$WORK/pg" "$PG_PORT"
scripts/pg-cluster.sh pgbouncer "$WORK/pg" "$PGB_PORT" "$PG_PORT"

declare -A RPS P99
run_store() {
    local name="$1"; shift
    local port ops
    port="$(free_port)"; ops="$(free_port)"
    IWORKZ_LOG_LEVEL=warning "$BIN" serve --host 127.0.0.1 --port "$port" --ops-port "$ops" --data-dir "$WORK/data-$name" \
        --config-dir "$WORK/config" "$@" > "$WORK/$name.log" 2>&1 &
    SERVER=$!
    wait_for "http://127.0.0.1:$ops/ready"
    local base="http://127.0.0.1:$port"
    # A worker homed in jp-tokyo, and an employer's posting there.
    curl -s -o "$WORK/worker.json" -X POST "$base/api/v1/users" -H 'Content-Type: application/json' -d '{"role": "worker",
        "email": "bench@example.jp", "display_name": "Bench", "country_of_residence": "JP", "profile": {"skills": ["welding"]}}'
    local token; token="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$WORK/worker.json")"
    curl -s -o "$WORK/employer.json" -X POST "$base/api/v1/users" -H 'Content-Type: application/json' -d '{"role": "employer",
        "email": "hr@bench.example", "display_name": "HR", "country_of_residence": "JP", "company_name": "Bench K.K.", "corporate_number": "1180301018771"}'
    local employer; employer="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$WORK/employer.json")"
    for n in $(seq 1 200); do
        curl -s -o "$WORK/job.json" -X POST "$base/api/v1/jobs" -H "Authorization: Bearer $employer" -H 'Content-Type: application/json' -d "{
          \"title\": \"溶接工 $n\", \"description\": \"鉄骨の溶接作業 $n\", \"required_skills\": [\"welding\"],
          \"eligible_residence_statuses\": [\"specified-skilled-worker-1\"], \"location\": {\"country\": \"JP\", \"prefecture\": \"Osaka\"},
          \"employment_type\": \"full-time\", \"field\": \"industrial-manufacturing\"}"
    done
    local job; job="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/job.json")"
    local search; search="$(python3 -c 'import urllib.parse; print(urllib.parse.quote("溶接"))')"
    for read in profile posting search; do
        local path header=()
        case "$read" in
        profile) path="/api/v1/users/me"; header=(-H "Authorization: Bearer $token") ;;
        posting) path="/api/v1/jobs/$job" ;;
        search) path="/api/v1/jobs?q=$search&limit=20" ;;
        esac
        header+=(-H "Cache-Control: no-store")
        curl -sf -o /dev/null "${header[@]}" "$base$path" || { echo "$name $read: $base$path does not answer" >&2; exit 1; }
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-Region: jp-tokyo" "${header[@]}" "$base$path" > "$WORK/wrk-$name-$read.txt"
        RPS[$name/$read]="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$name-$read.txt")"
        P99[$name/$read]="$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$name-$read.txt")"
        echo "$name $read: ${RPS[$name/$read]} req/s, p99 ${P99[$name/$read]}"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

run_store sqlite
run_store postgres --database-url "postgres://postgres@127.0.0.1:$PG_PORT/iworkz_direct_{region}?sslmode=disable" --create-database
run_store pgbouncer --database-url "postgres://postgres@127.0.0.1:$PGB_PORT/iworkz_pooled_{region}?sslmode=disable" --create-database

echo
echo "throughput relative to SQLite (same run):"
for read in profile posting search; do
    python3 -c 'import sys; s,p,b=map(float,sys.argv[2:5]); print(f"  {sys.argv[1]}: postgres {p/s:.2f}x, pgbouncer {b/s:.2f}x, pgbouncer/postgres {b/p:.2f}x")' \
        "$read" "${RPS[sqlite/$read]}" "${RPS[postgres/$read]}" "${RPS[pgbouncer/$read]}"
done
