#!/usr/bin/env bash
# Runs the whole system locally: backing services, a fresh build, the five services and the
# nginx gateway on http://127.0.0.1:${SYNCBOX_PORT:-8080}. Idempotent: what runs stays running
# (a service whose jar was rebuilt is restarted).
# Usage: deploy/local/up.sh [--prometheus]   (SYNCBOX_SKIP_BUILD=1 skips the Maven build;
#        --prometheus also starts a local Prometheus with the alert rules on 127.0.0.1:9090)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"

prometheus=0
case "${1:-}" in
  "") ;;
  --prometheus) prometheus=1 ;;
  *)
    echo "usage: $0 [--prometheus]" >&2
    exit 2
    ;;
esac

"$HERE/services.sh" start

if [[ "${SYNCBOX_SKIP_BUILD:-0}" == 1 ]]; then
  step "skipping the build (SYNCBOX_SKIP_BUILD=1)"
else
  step "building the services (./mvnw -B -q -DskipTests package)"
  (cd "$SYNCBOX_ROOT" && ./mvnw -B -q -DskipTests package) || die "build failed"
fi

"$HERE/apps.sh" start
"$HERE/gateway.sh" start
if ((prometheus)); then
  "$HERE/prometheus.sh" start
fi

cat <<MSG

syncbox is up: http://127.0.0.1:$GATEWAY_PORT
  logs:   $LOG_DIR/ (<service>.log, nginx-access.log, nginx-error.log,
          postgres.log, redis.log, s3proxy.log, elasticsearch.log)
  status: deploy/local/services.sh status; deploy/local/apps.sh status; deploy/local/gateway.sh status
  operators: each service's metrics at http://127.0.0.1:<port>/actuator/prometheus and its OpenAPI
          document at /v3/api-docs (ports 8081-8085, loopback only); with --prometheus, alerts at
          http://127.0.0.1:${SYNCBOX_PROMETHEUS_PORT:-9090}/alerts
  stop:   deploy/local/down.sh  (gateway and services; --all also stops PostgreSQL, Redis, S3, ES)
MSG
