#!/usr/bin/env bash
# A throwaway Redis Cluster of three masters and three replicas on loopback, for tests and the
# production end-to-end script (after ../shared/reference/recipes/redis_cluster.sh).
#
#   scripts/redis-cluster.sh start DIR FIRST_PORT [USER PASSWORD]   nodes on FIRST_PORT … FIRST_PORT+5
#   scripts/redis-cluster.sh stop DIR
#   scripts/redis-cluster.sh free-port                               a FIRST_PORT whose six ports and
#                                                                    cluster-bus ports (+10000) are free
#
# Each node's settings are in DIR/PORT/redis.conf, so a node killed by a test can be started again with
# `redis-server DIR/PORT/redis.conf`. With USER and PASSWORD, the nodes admit only that ACL user (and
# authenticate to each other as it); the default user is switched off.
set -euo pipefail

command="${1:?usage: redis-cluster.sh start DIR FIRST_PORT [USER PASSWORD] | stop DIR | free-port}"

case "$command" in
free-port)
    python3 - <<'PY'
import random, socket
def free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    base = random.randrange(20000, 45000)
    if all(free(base + i) and free(base + 10000 + i) for i in range(6)):
        print(base); break
else:
    raise SystemExit("no six free ports found")
PY
    ;;
start)
    dir="${2:?DIR}"
    first="${3:?FIRST_PORT}"
    user="${4:-}"
    password="${5:-}"
    [ "$first" -le 55530 ] || { echo "error: a cluster node's bus listens on port+10000: FIRST_PORT must be at most 55530" >&2; exit 1; }
    auth=()
    for i in 0 1 2 3 4 5; do
        port=$((first + i))
        mkdir -p "$dir/$port"
        {
            echo "bind 127.0.0.1"
            echo "port $port"
            echo "cluster-enabled yes"
            echo "cluster-config-file $dir/$port/nodes.conf"
            echo "cluster-node-timeout 2000"
            echo "dir $dir/$port"
            echo "save \"\""
            echo "appendonly no"
            echo "daemonize yes"
            echo "pidfile $dir/$port/redis.pid"
            echo "logfile $dir/$port/redis.log"
            echo "enable-debug-command local"
            if [ -n "$user" ]; then
                echo "user default off"
                echo "user $user on >$password ~* &* +@all"
                echo "masteruser $user"
                echo "masterauth $password"
            fi
        } > "$dir/$port/redis.conf"
        redis-server "$dir/$port/redis.conf"
    done
    if [ -n "$user" ]; then auth=(--user "$user" --pass "$password" --no-auth-warning); fi
    for i in 0 1 2 3 4 5; do
        port=$((first + i))
        for _ in $(seq 1 200); do
            redis-cli "${auth[@]}" -p "$port" ping 2>/dev/null | grep -q PONG && break
            sleep 0.05
        done
    done
    nodes=()
    for i in 0 1 2 3 4 5; do nodes+=("127.0.0.1:$((first + i))"); done
    redis-cli "${auth[@]}" --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes > "$dir/create.log"
    for _ in $(seq 1 400); do
        redis-cli "${auth[@]}" -p "$first" cluster info | grep -q 'cluster_state:ok' && break
        sleep 0.05
    done
    for _ in $(seq 1 400); do
        [ "$(redis-cli "${auth[@]}" -p "$first" cluster nodes | grep -c ' slave ')" = 3 ] && break
        sleep 0.05
    done
    redis-cli "${auth[@]}" -p "$first" cluster info | grep -q 'cluster_state:ok' || { echo "error: the cluster did not form (see $dir/*/redis.log)" >&2; exit 1; }
    ;;
stop)
    dir="${2:?DIR}"
    for pidfile in "$dir"/*/redis.pid; do
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$pid" 2>/dev/null || true
    done
    ;;
*)
    echo "usage: redis-cluster.sh start DIR FIRST_PORT [USER PASSWORD] | stop DIR | free-port" >&2
    exit 2
    ;;
esac
