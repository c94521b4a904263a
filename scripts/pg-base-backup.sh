#!/usr/bin/env bash
# A PostgreSQL base backup taken and started as a server of its own, for restore tests and drills:
#   pg-base-backup.sh take PORT DIR     pg_basebackup of the server on 127.0.0.1:PORT into DIR
#   pg-base-backup.sh start DIR PORT    start the backup as a server on 127.0.0.1:PORT (waits until it answers)
#   pg-base-backup.sh stop DIR          stop it at once
# PostgreSQL refuses to run as root: as root, the files belong to and the server runs as `postgres`.
set -euo pipefail
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PGBIN/pg_basebackup" ] || { echo "error: PostgreSQL's programs are not installed" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
take)
    port="$2" dir="$3"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$dir" -X stream -c fast
    ;;
start)
    dir="$2" port="$3"
    # The backup keeps its source's settings; it listens on a port and socket folder of its own.
    printf "port = %s\nunix_socket_directories = '%s'\n" "$port" "$dir" | as_postgres tee -a "$dir/postgresql.conf" >/dev/null
    as_postgres rm -f "$dir/standby.signal" "$dir/postmaster.pid"
    as_postgres "$PGBIN/pg_ctl" -D "$dir" -l "$dir/restored.log" -w start >/dev/null
    ;;
stop)
    as_postgres "$PGBIN/pg_ctl" -D "$2" -m immediate stop >/dev/null
    ;;
*)
    echo "usage: $0 take PORT DIR | start DIR PORT | stop DIR" >&2
    exit 64
    ;;
esac
