#!/usr/bin/env bash
# The gateway in front of one backend-api process, against nginx reverse-proxying the same process:
# wrk with the same threads, connections and duration on an authenticated GET /api/v1/users/me (no
# cache: the answer is private), both proxies reaching the backend over mTLS (TLS 1.3, the gateway's
# certificate) with kept-alive connections. Prints each run and the ratios gateway ÷ nginx.
#
#   Benchmarks/scripts/gateway-vs-nginx.sh [path/to/release/iworkz]
#
# Needs nginx and wrk (Debian: apt-get install nginx-light wrk). Build iworkz in release first:
#   swift build -c release --product iworkz
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${1:-.build/release/iworkz}"
THREADS="${WRK_THREADS:-2}"; CONNECTIONS="${WRK_CONNECTIONS:-32}"; DURATION="${WRK_DURATION:-15s}"
for tool in nginx wrk python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "no iworkz at $BIN (swift build -c release --product iworkz)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-bench.XXXXXX")"
PIDS=()
ROLE_PIDS=()
finish() {
    for pid in "${PIDS[@]}" "${ROLE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    sleep 0.5
    rm -rf "$WORK"
}
trap finish EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not ready: $1" >&2; exit 1; }

# The shipped configuration, with rate limits no benchmark reaches.
cp -R config/ "$WORK/config"
cp scripts/conformance-rate-limits.yaml "$WORK/config/rate-limits.yaml"
"$BIN" certs init --data-dir "$WORK/shared" --config-dir "$WORK/config" > /dev/null
CERTS="$WORK/shared/certs"

BACKEND="$(free_port)"; BACKEND_OPS="$(free_port)"; GATEWAY="$(free_port)"; GATEWAY_OPS="$(free_port)"; NGINX="$(free_port)"
ENGINE="$(free_port)"; ENGINE_OPS="$(free_port)"; AGENT="$(free_port)"; AGENT_OPS="$(free_port)"
cat > "$WORK/topology.yaml" <<YAML
regions:
  jp-tokyo:
    backend-api: [https://127.0.0.1:$BACKEND]
    matching-engine: [https://127.0.0.1:$ENGINE]
    ai-agent: [https://127.0.0.1:$AGENT]
YAML
# The region's matching engine and agent, which the gateway's topology names (the benchmark does not call them).
"$BIN" serve --role matching-engine --region jp-tokyo --port "$ENGINE" --ops-port "$ENGINE_OPS" --topology "$WORK/topology.yaml" \
    --config-dir "$WORK/config" --certs-dir "$CERTS" --issuer "http://127.0.0.1:$GATEWAY" > "$WORK/engine.log" 2>&1 &
ROLE_PIDS=($!)
"$BIN" serve --role ai-agent --region jp-tokyo --port "$AGENT" --ops-port "$AGENT_OPS" --topology "$WORK/topology.yaml" \
    --config-dir "$WORK/config" --certs-dir "$CERTS" --issuer "http://127.0.0.1:$GATEWAY" > "$WORK/agent.log" 2>&1 &
ROLE_PIDS+=($!)
"$BIN" serve --role backend-api --region jp-tokyo --port "$BACKEND" --ops-port "$BACKEND_OPS" --data-dir "$WORK/jp" \
    --config-dir "$WORK/config" --certs-dir "$CERTS" --issuer "http://127.0.0.1:$GATEWAY" > "$WORK/backend.log" 2>&1 &
PIDS+=($!)
"$BIN" serve --role gateway --region jp-tokyo --topology "$WORK/topology.yaml" --port "$GATEWAY" --ops-port "$GATEWAY_OPS" \
    --data-dir "$WORK/gw" --config-dir "$WORK/config" --certs-dir "$CERTS" --issuer "http://127.0.0.1:$GATEWAY" > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
    server {
        listen 127.0.0.1:$NGINX;
        location / {
            proxy_pass https://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_ssl_protocols TLSv1.3;
            proxy_ssl_certificate $CERTS/jp-tokyo/gateway.pem;
            proxy_ssl_certificate_key $CERTS/jp-tokyo/gateway-key.pem;
            proxy_ssl_trusted_certificate $CERTS/ca.pem;
            proxy_ssl_verify on;
            proxy_ssl_name backend-api.jp-tokyo.iworkz.internal;
            proxy_ssl_session_reuse on;
        }
    }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_for "http://127.0.0.1:$BACKEND_OPS/ready"
wait_for "http://127.0.0.1:$GATEWAY/ready"

TOKEN="$(curl -s -X POST "http://127.0.0.1:$GATEWAY/api/v1/users" -H 'Content-Type: application/json' -d '{
  "role": "employer", "email": "bench@example.jp", "display_name": "Bench", "country_of_residence": "JP",
  "company_name": "Bench K.K.", "corporate_number": "1180301018771"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
for port in "$GATEWAY" "$NGINX"; do
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/users/me")"
    [ "$status" = 200 ] || { echo "port $port answered $status"; tail -n 5 "$WORK"/*.log; exit 1; }
done

run() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/api/v1/users/me" > "$WORK/$2.wrk"
    python3 - "$WORK/$2.wrk" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(label):
    m = re.search(label + r"\s+([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{sys.argv[2]:8} {rps:10.0f} req/s   p50 {ms('50%'):7.2f} ms   p99 {ms('99%'):7.2f} ms   non-2xx {errors.group(1) if errors else 0}")
open(sys.argv[1] + ".summary", "w").write(f"{rps} {ms('99%')}\n")
PY
}
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, GET /api/v1/users/me with a bearer token, backend-api over mTLS behind each:"
run "$NGINX" nginx
GATEWAY_PID="${PIDS[1]}"
if [ -n "${PERF_OUTPUT:-}" ]; then
    # Profile the gateway process while wrk runs against it (perf, call graphs).
    perf record -F 499 -g -p "$GATEWAY_PID" -o "$PERF_OUTPUT" -- sleep 10 >/dev/null 2>&1 &
    PERF_PID=$!
fi
run "$GATEWAY" gateway
[ -n "${PERF_OUTPUT:-}" ] && wait "$PERF_PID"
read -r NGINX_RPS NGINX_P99 < "$WORK/nginx.wrk.summary"
read -r GATEWAY_RPS GATEWAY_P99 < "$WORK/gateway.wrk.summary"
python3 -c "import sys; n,n99,g,g99=map(float,sys.argv[1:]); print(f'gateway / nginx: throughput {g/n:.2f}x, p99 {g99/n99:.2f}x')" \
    "$NGINX_RPS" "$NGINX_P99" "$GATEWAY_RPS" "$GATEWAY_P99"
