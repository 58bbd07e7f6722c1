#!/usr/bin/env bash
# The optional local Prometheus: scrapes the five services of the local run every 15 s and
# evaluates deploy/prometheus/alerts.yml, on http://127.0.0.1:${SYNCBOX_PROMETHEUS_PORT:-9090}
# (loopback only). Started by `deploy/local/up.sh --prometheus`, stopped by deploy/local/down.sh.
# Prometheus comes from Debian's `prometheus` package (installed when missing); its system service,
# if the package starts one, is left alone: this one has its own port, config and data directory.
# Usage: deploy/local/prometheus.sh start|stop|status
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"

PROM_PORT="${SYNCBOX_PROMETHEUS_PORT:-9090}"
PROM_PID="$RUN_DIR/prometheus.pid"
PROM_LOG="$LOG_DIR/prometheus.log"
PROM_DIR="$DATA_DIR/prometheus"
WAIT_PROMETHEUS="${SYNCBOX_WAIT_PROMETHEUS:-60}"

# The checked-in config, with this run's ports and the rules by absolute path.
write_config() {
  local config="$PROM_DIR/prometheus.yml" entry port default
  cp "$SYNCBOX_ROOT/deploy/prometheus/prometheus.yml" "$config"
  sed -i "s#^  - alerts.yml#  - $SYNCBOX_ROOT/deploy/prometheus/alerts.yml#; s#127.0.0.1:9090#127.0.0.1:$PROM_PORT#" "$config"
  default=8081
  for entry in "${APPS[@]}"; do
    port="${entry##*:}"
    sed -i "s#\"127.0.0.1:$default\"\\]#\"127.0.0.1:$port\"]#" "$config"
    default=$((default + 1))
  done
  printf '%s\n' "$config"
}

start() {
  ensure_dirs
  require_cmd prometheus prometheus
  mkdir -p "$PROM_DIR/data"
  if pid_running "$PROM_PID" prometheus; then
    info "prometheus already running (pid $(pid_of "$PROM_PID"))"
    return 0
  fi
  port_open "$PROM_PORT" && die "port $PROM_PORT is taken (SYNCBOX_PROMETHEUS_PORT moves the local Prometheus)"
  local config
  config="$(write_config)"
  step "prometheus on 127.0.0.1:$PROM_PORT (alerts: deploy/prometheus/alerts.yml)"
  spawn "$PROM_PID" "$PROM_LOG" prometheus \
    --config.file="$config" \
    --storage.tsdb.path="$PROM_DIR/data" \
    --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$PROM_PORT"
  wait_for_http prometheus "http://127.0.0.1:$PROM_PORT/-/ready" "$WAIT_PROMETHEUS" "$PROM_LOG" "$PROM_PID"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid prometheus "$PROM_PID" prometheus ;;
  status)
    if pid_running "$PROM_PID" prometheus; then
      echo "prometheus: running (pid $(pid_of "$PROM_PID")) on http://127.0.0.1:$PROM_PORT"
    else
      echo "prometheus: stopped"
    fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
