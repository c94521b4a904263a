#!/usr/bin/env bash
# Job search over 1,000,000 generated postings on SQLite and on PostgreSQL (and pg_trgm for
# comparison), in release:  Benchmarks/scripts/job-search.sh [benchmark options]
#
# Starts a throwaway PostgreSQL on loopback (Debian's packages) with a database whose LC_CTYPE is
# C.UTF-8 (pg_trgm needs it to see CJK characters; the platform's bigram index does not), and keeps
# the SQLite catalog in IWORKZ_BENCH_SEARCH_DIR (default /tmp/iworkz-bench-search) for the next run.
# Loading takes minutes per engine; IWORKZ_BENCH_POSTINGS sets a smaller catalog.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iworkz-bench-search-pg.XXXXXX")"
chmod 755 "$WORK"
cleanup() { "$ROOT/scripts/pg-cluster.sh" stop "$WORK/pg" 2>/dev/null || true; sleep 0.3; rm -rf "$WORK"; }
trap cleanup EXIT
PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
scripts/pg-cluster.sh primary "$WORK/pg" "$PG_PORT"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE DATABASE iworkz_bench_search TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
export IWORKZ_BENCH_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/iworkz_bench_search?sslmode=disable"
export IWORKZ_BENCH_SEARCH_DIR="${IWORKZ_BENCH_SEARCH_DIR:-/tmp/iworkz-bench-search}"
cd Benchmarks
swift package benchmark --target JobSearch "$@"
