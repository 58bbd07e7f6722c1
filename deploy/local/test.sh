#!/usr/bin/env bash
# THE test command: starts the backing services, validates the deploy files that need no
# container engine, checks the gateway in front of stub services (gateway-test.sh), then runs the
# whole Maven build with every test (./mvnw -B verify).
# Usage: deploy/local/test.sh [extra Maven arguments, e.g. -pl sync-service -am]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"
cd "$SYNCBOX_ROOT"

"$HERE/services.sh" start

step "docker-compose config -q (docker-compose.yml)"
require_cmd docker-compose docker-compose
# The compose file requires a JWT secret; any value will do for a syntax check.
SYNCBOX_JWT_SECRET="${SYNCBOX_JWT_SECRET:-compose-config-check}" \
  docker-compose -f docker-compose.yml config -q || die "docker-compose.yml is invalid"

step "promtool: Prometheus configs, alert rules and their unit tests"
require_cmd promtool prometheus
promtool check config deploy/prometheus/prometheus.yml >/dev/null || die "deploy/prometheus/prometheus.yml is invalid"
promtool check config deploy/prometheus/prometheus-compose.yml >/dev/null || die "deploy/prometheus/prometheus-compose.yml is invalid"
promtool check rules deploy/prometheus/alerts.yml >/dev/null || die "deploy/prometheus/alerts.yml is invalid"
promtool test rules deploy/prometheus/alerts_test.yml || die "alert rule unit tests failed"

step "Grafana dashboards are valid JSON"
require_cmd python3 python3-minimal
for f in deploy/grafana/dashboards/*.json; do
  python3 -m json.tool "$f" >/dev/null || die "$f is not valid JSON"
done

"$HERE/gateway.sh" check
"$HERE/gateway-test.sh"

step "./mvnw -B verify $*"
exec ./mvnw -B verify "$@"
