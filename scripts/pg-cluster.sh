#!/usr/bin/env bash
# Throwaway PostgreSQL servers on loopback for tests and end-to-end runs (Debian's packages):
#   pg-cluster.sh primary DIR PORT              a new cluster in DIR/data, WAL for streaming replicas, no fsync
#   pg-cluster.sh replica DIR PORT PRIMARY_PORT a streaming replica of the primary in DIR/replica
#   pg-cluster.sh pgbouncer DIR PORT PG_PORT    PgBouncer in transaction mode, routing every database name to PG_PORT
#   pg-cluster.sh stop DIR                      stop whatever of these runs from DIR, at once
# PostgreSQL and PgBouncer refuse to run as root: as root, DIR belongs to and they run as `postgres`.
set -euo pipefail
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PGBIN/initdb" ] || { echo "error: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
own() { mkdir -p "$1"; if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$1"; fi; }
wait_for() {
    for _ in $(seq 1 200); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres && return 0; sleep 0.05; done
    echo "error: nothing answers on 127.0.0.1:$1" >&2
    return 1
}

case "${1:-}" in
primary)
    dir="$2" port="$3"
    own "$dir"
    as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    as_postgres tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 500
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 5
hot_standby = on
CONF
    echo "host replication postgres 127.0.0.1/32 trust" | as_postgres tee -a "$dir/data/pg_hba.conf" >/dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null
    ;;
replica)
    dir="$2" port="$3" primary="$4"
    own "$dir"
    as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/replica" -R -X stream -c fast
    as_postgres sed -i -e "s/^port = $primary/port = $port/" "$dir/replica/postgresql.conf"
    as_postgres "$PGBIN/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
    ;;
pgbouncer)
    dir="$2" port="$3" pg_port="$4"
    command -v pgbouncer >/dev/null 2>&1 || { echo "error: pgbouncer is not installed (apt-get install pgbouncer)" >&2; exit 1; }
    own "$dir"
    printf '"postgres" ""\n' | as_postgres tee "$dir/userlist.txt" >/dev/null
    as_postgres tee "$dir/pgbouncer.ini" >/dev/null <<INI
[databases]
* = host=127.0.0.1 port=$pg_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 1000
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    as_postgres pgbouncer -d "$dir/pgbouncer.ini"
    wait_for "$port"
    ;;
stop)
    dir="$2"
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    for data in "$dir/replica" "$dir/data"; do
        [ -f "$data/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    ;;
*)
    echo "usage: $0 primary DIR PORT | replica DIR PORT PRIMARY_PORT | pgbouncer DIR PORT PG_PORT | stop DIR" >&2
    exit 64
    ;;
esac
