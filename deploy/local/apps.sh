#!/usr/bin/env bash
# The five syncbox services as background `java -jar` processes on 127.0.0.1:8081..8085, wired
# to the backing services of services.sh. Logs: $SYNCBOX_DATA_DIR/logs/<service>.log.
# Usage: deploy/local/apps.sh start|stop|status
#   start  starts what is not running (restarts a service whose jar is newer than its process)
#          and waits for every /actuator/health; the jars must have been built (up.sh builds)
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JWT_SECRET_FILE="$DATA_DIR/jwt-secret"
HEALTH_TIMEOUT="${SYNCBOX_HEALTH_TIMEOUT:-180}"

jar_of() { printf '%s/%s/target/%s-%s-exec.jar\n' "$SYNCBOX_ROOT" "$1" "$1" "$APP_VERSION"; }
pid_file_of() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }
log_of() { printf '%s/%s.log\n' "$LOG_DIR" "$1"; }

# A 64-hex-char secret made once per data dir, readable by its owner only.
ensure_jwt_secret() {
  if [[ ! -s "$JWT_SECRET_FILE" ]]; then
    step "generating $JWT_SECRET_FILE"
    (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$JWT_SECRET_FILE")
  fi
  chmod 600 "$JWT_SECRET_FILE"
}

export_app_env() {
  export SYNCBOX_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/syncbox"
  export SYNCBOX_DB_USER="postgres"
  export SYNCBOX_DB_PASSWORD=""
  export SYNCBOX_REDIS_HOST="127.0.0.1"
  export SYNCBOX_REDIS_PORT="$REDIS_PORT"
  export SYNCBOX_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
  export SYNCBOX_S3_REGION="us-east-1"
  export SYNCBOX_S3_ACCESS_KEY="$S3_IDENTITY"
  export SYNCBOX_S3_SECRET_KEY="$S3_CREDENTIAL"
  export SYNCBOX_S3_BUCKET="syncbox-blocks"
  export SYNCBOX_ES_URL="http://127.0.0.1:$ES_PORT"
  ensure_jwt_secret
  SYNCBOX_JWT_SECRET="$(cat "$JWT_SECRET_FILE")"
  export SYNCBOX_JWT_SECRET
}

start_app() {
  local name="$1" port="$2" jar pidfile log
  jar="$(jar_of "$name")"
  pidfile="$(pid_file_of "$name")"
  log="$(log_of "$name")"
  [[ -f "$jar" ]] || die "$jar is missing: build first (./mvnw -B -q -DskipTests package, or deploy/local/up.sh)"
  if pid_running "$pidfile" "$name"; then
    if [[ "$jar" -nt "$pidfile" ]]; then
      info "$name: jar is newer than the running process, restarting"
      stop_pid "$name" "$pidfile" "$name"
    else
      step "$name already running on :$port"
      return 0
    fi
  fi
  port_open "$port" && die "port $port is taken by another process (needed by $name)"
  step "starting $name on 127.0.0.1:$port (log: $log)"
  # shellcheck disable=SC2086 # SYNCBOX_APP_JAVA_OPTS is a list of JVM options
  SERVER_PORT="$port" spawn "$pidfile" "$log" "$(java_home)/bin/java" ${SYNCBOX_APP_JAVA_OPTS:--Xmx512m} \
    -jar "$jar"
}

start() {
  local app
  require_curl
  export_app_env
  for app in "${APPS[@]}"; do
    start_app "${app%%:*}" "${app##*:}"
  done
  FAIL_HINT="The other services keep running; deploy/local/down.sh stops them."
  for app in "${APPS[@]}"; do
    step "waiting for ${app%%:*} /actuator/health"
    wait_for_http "${app%%:*}" "http://127.0.0.1:${app##*:}/actuator/health" "$HEALTH_TIMEOUT" \
      "$(log_of "${app%%:*}")" "$(pid_file_of "${app%%:*}")"
  done
}

stop() {
  local i app
  for ((i = ${#APPS[@]} - 1; i >= 0; i--)); do
    app="${APPS[i]%%:*}"
    stop_pid "$app" "$(pid_file_of "$app")" "$app"
  done
}

status() {
  local app name port pidfile
  for app in "${APPS[@]}"; do
    name="${app%%:*}" port="${app##*:}" pidfile="$(pid_file_of "$name")"
    if pid_running "$pidfile" "$name"; then
      printf '%-17s running  http://127.0.0.1:%s  pid %s  health %s\n' "$name" "$port" \
        "$(pid_of "$pidfile")" "$(http_status "http://127.0.0.1:$port/actuator/health")"
    else
      printf '%-17s stopped\n' "$name"
    fi
  done
}

ensure_dirs
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
