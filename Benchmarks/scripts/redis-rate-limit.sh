#!/usr/bin/env bash
# The shared rate-limit decision on a single Redis node vs a 3 + 3 Redis Cluster, both throwaway
# servers on loopback, in release:  Benchmarks/scripts/redis-rate-limit.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-bench-redis.XXXXXX")"
SINGLE_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cleanup() {
    "$ROOT/scripts/redis-cluster.sh" stop "$WORK/cluster" || true
    [ -f "$WORK/single.pid" ] && kill "$(cat "$WORK/single.pid")" 2>/dev/null || true
    sleep 0.5
    rm -rf "$WORK"
}
trap cleanup EXIT
redis-server --bind 127.0.0.1 --port "$SINGLE_PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$WORK/single.pid" --dir "$WORK" --logfile "$WORK/single.log"
CLUSTER_PORT="$(scripts/redis-cluster.sh free-port)"
scripts/redis-cluster.sh start "$WORK/cluster" "$CLUSTER_PORT"
export IWORKZ_BENCH_REDIS_URL="redis://127.0.0.1:$SINGLE_PORT"
export IWORKZ_BENCH_REDIS_CLUSTER_URL="redis://127.0.0.1:$CLUSTER_PORT,127.0.0.1:$((CLUSTER_PORT + 1))"
cd Benchmarks
swift package benchmark --target RedisRateLimit "$@"
