#!/usr/bin/env bash
# Stops the local run: the local Prometheus (if started), the gateway and the five services; with --all also PostgreSQL, Redis,
# s3proxy, Elasticsearch and the local Redis Cluster of the tests (if started). Data stays in $SYNCBOX_DATA_DIR (.data) until you remove it.
# Usage: deploy/local/down.sh [--all]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  "" | --all) ;;
  *)
    echo "usage: $0 [--all]" >&2
    exit 2
    ;;
esac

"$HERE/prometheus.sh" stop
"$HERE/gateway.sh" stop
"$HERE/apps.sh" stop
if [[ "${1:-}" == --all ]]; then
  "$HERE/services.sh" stop
  "$HERE/redis-cluster.sh" stop
fi
echo "==> syncbox is down"
