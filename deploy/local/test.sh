#!/usr/bin/env bash
# THE test command: starts the backing services, validates the deploy files that need no
# container engine, checks the gateway in front of stub services (gateway-test.sh), then runs the
# whole Maven build with every test (./mvnw -B verify) and, when run without arguments, the fault injections of
# reliability/faults.sh, the Dropbox JavaScript SDK and rclone checks of reliability/dropbox-js.sh and
# dropbox-rclone.sh, the web app's end-to-end tests in headless Chromium (web-e2e.sh), and the alert check of alerts-check.sh against the system started as deploy/local/up.sh starts it.
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

# Optional: kubectl is not installable from Debian's archive. KubernetesManifestsTest (in the verify below)
# renders and checks deploy/k8s without it.
step "kubectl kustomize: deploy/k8s overlays"
if command -v kubectl >/dev/null 2>&1; then
  for overlay in deploy/k8s/overlays/*/; do
    kubectl kustomize "$overlay" >/dev/null || die "$overlay does not render"
  done
else
  info "kubectl not installed: skipped"
fi

"$HERE/gateway.sh" check
"$HERE/gateway-test.sh"

# The system tests run real WebDAV clients against the services (docs/nextcloud.md, docs/webdav.md): the Nextcloud
# desktop client's command line, rclone's webdav backend and the litmus suite, all from Debian's archive.
step "WebDAV clients for the system tests: nextcloudcmd, rclone, litmus"
require_cmd nextcloudcmd nextcloud-desktop-cmd
require_cmd rclone rclone
require_cmd litmus litmus

step "./mvnw -B verify $*"
./mvnw -B verify "$@"
(($# == 0)) || exit 0

# The whole suite also runs the fault injections against the system as the local run starts it (built by the verify
# above), and stops what it started.
step "reliability/faults.sh: faults against the running system"
export SYNCBOX_CDS=off
started=0
if ! curl -sf -m 5 "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null; then
  SYNCBOX_SKIP_BUILD=1 "$HERE/up.sh"
  started=1
fi
status=0
"$SYNCBOX_ROOT/reliability/faults.sh" || status=$?
# The official Dropbox JavaScript SDK against the same system, through the gateway (docs/dropbox-api.md).
step "reliability/dropbox-js.sh: the Dropbox JavaScript SDK against the running system"
"$SYNCBOX_ROOT/reliability/dropbox-js.sh" || status=$?
step "reliability/dropbox-rclone.sh: rclone's Dropbox backend against the running system"
"$SYNCBOX_ROOT/reliability/dropbox-rclone.sh" || status=$?
# The web app in headless Chromium against the same system (docs/web-app.md).
step "deploy/local/web-e2e.sh: the web app's end-to-end tests against the running system"
"$HERE/web-e2e.sh" || status=$?
# Then the alert rules against the same system: a conflict rate over 1 % makes ConflictRateHigh pending
# in a local Prometheus.
step "deploy/local/alerts-check.sh: ConflictRateHigh in a local Prometheus scraping the running system"
"$HERE/alerts-check.sh" || status=$?
if ((started)); then
  "$HERE/down.sh"
fi
exit "$status"
