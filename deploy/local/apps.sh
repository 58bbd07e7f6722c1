#!/usr/bin/env bash
# The five syncbox services as background java processes on 127.0.0.1 (ports 8081..8085 unless
# SYNCBOX_APP_PORT_BASE or SYNCBOX_<UPLOAD|DOWNLOAD|SYNC|CONFLICT|INDEXER>_PORT move them), wired to
# the backing services of services.sh. Logs: $SYNCBOX_DATA_DIR/logs/<service>.log.
# Usage: deploy/local/apps.sh start|stop|status|reindex
#   reindex  rebuilds the search index from PostgreSQL with the indexer job's jar (indexer-job reindex,
#          docs/search.md) and prints what it did; a running indexer job waits for it.
#   start  migrates the schema once (the only Flyway run), then starts what is not running, a few at
#          a time, and waits for every /actuator/health; a service whose jar changed is restarted.
#          The jars must have been built (up.sh builds).
# Start-up is made cheap for small machines: each jar is extracted once per build into
# $SYNCBOX_DATA_DIR/apps/<service>/, runs with a class-data-sharing archive made by a training run
# (in the background, after the first start), the serial GC and, except for upload-service, the
# quick JIT (C1 only). Knobs: SYNCBOX_START_PARALLEL (2), SYNCBOX_HEALTH_TIMEOUT (300 s per service),
# SYNCBOX_CDS (auto|off), SYNCBOX_QUICK_JIT (auto|all|none), SYNCBOX_APP_JAVA_OPTS (heap and GC).
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JWT_SECRET_FILE="$DATA_DIR/jwt-secret"
APP_HOME="$DATA_DIR/apps"
HEALTH_TIMEOUT="${SYNCBOX_HEALTH_TIMEOUT:-300}"
START_PARALLEL="${SYNCBOX_START_PARALLEL:-2}"
CDS_MODE="${SYNCBOX_CDS:-auto}"
QUICK_JIT="${SYNCBOX_QUICK_JIT:-auto}"
MIGRATION_OWNER=sync-service
MIGRATION_MAIN=dev.syncbox.server.schema.SchemaMigration
MIGRATION_LOG="$LOG_DIR/migrate.log"
TRAIN_PID="$RUN_DIR/cds-train.pid"
TRAIN_LOG="$LOG_DIR/cds-train.log"

# The Maven module folder of a service: the conflict engine's service sits beside its library.
module_of() {
  case "$1" in
    conflict-engine) printf 'conflict-engine/service\n' ;;
    *) printf '%s\n' "$1" ;;
  esac
}
jar_of() { printf '%s/%s/target/%s-%s-exec.jar\n' "$SYNCBOX_ROOT" "$(module_of "$1")" "$1" "$APP_VERSION"; }
pid_file_of() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }
log_of() { printf '%s/%s.log\n' "$LOG_DIR" "$1"; }
home_of() { printf '%s/%s\n' "$APP_HOME" "$1"; }
# The extracted jar: its manifest puts lib/*.jar on the class path (no nested-jar loader).
run_jar_of() { printf '%s/%s-%s-exec.jar\n' "$(home_of "$1")" "$1" "$APP_VERSION"; }
archive_of() { printf '%s/app.jsa\n' "$(home_of "$1")"; }
port_of() {
  local app
  for app in "${APPS[@]}"; do
    [[ "${app%%:*}" == "$1" ]] && printf '%s\n' "${app##*:}" && return 0
  done
  die "unknown app $1"
}

# The jar's content hash (builds are reproducible, see the root pom): what "changed" means here.
fingerprint() { sha256sum "$1" | cut -c1-64; }

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
  # the migration step below owns the schema; the services only use it
  export SPRING_FLYWAY_ENABLED=false
  ensure_jwt_secret
  SYNCBOX_JWT_SECRET="$(cat "$JWT_SECRET_FILE")"
  export SYNCBOX_JWT_SECRET
}

# JVM options for NAME: heap and GC, the JIT mode, and the CDS archive when there is one.
java_opts_of() {
  local name="$1"
  # shellcheck disable=SC2086 # SYNCBOX_APP_JAVA_OPTS is a list of JVM options
  printf '%s\n' ${SYNCBOX_APP_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC}
  # C1 alone starts in half the CPU; upload-service hashes every byte, and download-service every block
  # it rebuilds from a delta (SHA-256 is ~10x slower in C1): both keep C2.
  # sync-service's small requests cost about twice the CPU under C1: SYNCBOX_QUICK_JIT=none for that.
  case "$QUICK_JIT" in
    all) printf '%s\n' -XX:TieredStopAtLevel=1 ;;
    none) ;;
    auto) [[ "$name" == upload-service || "$name" == download-service ]] || printf '%s\n' -XX:TieredStopAtLevel=1 ;;
    *) die "SYNCBOX_QUICK_JIT must be auto, all or none (got $QUICK_JIT)" ;;
  esac
  if [[ "$CDS_MODE" != off && -s "$(archive_of "$name")" ]]; then
    printf '%s\n' "-XX:SharedArchiveFile=$(archive_of "$name")"
  fi
}

# Extracts NAME's exec jar into its home unless the extraction there is of the same jar. A new
# extraction drops the old CDS archive, which belongs to the old files.
prepare_app() {
  local name="$1" jar home sum
  jar="$(jar_of "$name")"
  home="$(home_of "$name")"
  [[ -f "$jar" ]] || die "$jar is missing: build first (./mvnw -B -q -DskipTests package, or deploy/local/up.sh)"
  sum="$(fingerprint "$jar")"
  [[ -f "$home/jar.sha256" && "$(cat "$home/jar.sha256")" == "$sum" && -f "$(run_jar_of "$name")" ]] && return 0
  info "$name: extracting $(basename "$jar") into $home"
  rm -rf "$home.partial"
  mkdir -p "$APP_HOME"
  "$(java_home)/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$home.partial" >/dev/null ||
    die "could not extract $jar"
  printf '%s\n' "$sum" >"$home.partial/jar.sha256"
  rm -rf "$home"
  mv "$home.partial" "$home"
}

# Applies the Flyway migrations once, from the migration owner's jar, before any service starts.
migrate() {
  step "migrating the schema (Flyway, from $MIGRATION_OWNER; the services start with Flyway off)"
  prepare_app "$MIGRATION_OWNER"
  # shellcheck disable=SC2046 # one JVM option per line
  if ! "$(java_home)/bin/java" $(java_opts_of "$MIGRATION_OWNER") -cp "$(run_jar_of "$MIGRATION_OWNER")" \
    "$MIGRATION_MAIN" >"$MIGRATION_LOG" 2>&1; then
    fail_with_log migration "$MIGRATION_LOG" "the schema migration failed"
  fi
  info "$(grep '^schema ' "$MIGRATION_LOG" | tail -n 1)"
}

# up_to_date NAME : NAME runs, from the jar that is there now.
up_to_date() {
  local name="$1" pidfile
  pidfile="$(pid_file_of "$name")"
  pid_running "$pidfile" "$name" || return 1
  [[ -f "$pidfile.sha256" && "$(cat "$pidfile.sha256")" == "$(fingerprint "$(jar_of "$name")")" ]]
}

launch_app() {
  local name="$1" port pidfile log
  port="$(port_of "$name")"
  pidfile="$(pid_file_of "$name")"
  log="$(log_of "$name")"
  port_open "$port" && die "port $port is taken by another process (needed by $name)"
  step "starting $name on 127.0.0.1:$port (log: $log)"
  # shellcheck disable=SC2046 # one JVM option per line
  SERVER_PORT="$port" spawn "$pidfile" "$log" "$(java_home)/bin/java" $(java_opts_of "$name") \
    -jar "$(run_jar_of "$name")"
  cat "$(home_of "$name")/jar.sha256" >"$pidfile.sha256"
}

# cpu_seconds PID : user + system CPU time the process has used so far.
cpu_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / tck }' "/proc/$1/stat" 2>/dev/null || printf '?'
}

# Starts the services in NAMES (already prepared), at most START_PARALLEL at a time, and waits until
# each answers /actuator/health with 200. A service that exits or is not healthy within
# HEALTH_TIMEOUT seconds of its own start fails the whole start, with the tail of its log.
start_pool() {
  local queue=("$@") active=() still=() name code started_at
  declare -A since=()
  while ((${#queue[@]} > 0 || ${#active[@]} > 0)); do
    while ((${#queue[@]} > 0 && ${#active[@]} < START_PARALLEL)); do
      name="${queue[0]}"
      queue=("${queue[@]:1}")
      launch_app "$name"
      since[$name]="$SECONDS"
      active+=("$name")
    done
    sleep 0.5
    still=()
    for name in "${active[@]}"; do
      started_at="${since[$name]}"
      code="$(http_status "http://127.0.0.1:$(port_of "$name")/actuator/health")"
      if [[ "$code" == 200 ]]; then
        info "$name healthy after $((SECONDS - started_at)) s (cpu $(cpu_seconds "$(pid_of "$(pid_file_of "$name")")") s)"
      elif ! pid_running "$(pid_file_of "$name")"; then
        fail_with_log "$name" "$(log_of "$name")" "process exited before it was healthy (last answer: $code)"
      elif ((SECONDS - started_at > HEALTH_TIMEOUT)); then
        fail_with_log "$name" "$(log_of "$name")" "/actuator/health did not answer 200 within ${HEALTH_TIMEOUT}s (last: $code)"
      else
        still+=("$name")
      fi
    done
    active=("${still[@]+"${still[@]}"}")
  done
}

# Makes the missing CDS archives in the background, one service at a time and at the lowest CPU
# priority, so the first start is not held up and the next one is cheap.
train_in_background() {
  local app name missing=()
  [[ "$CDS_MODE" == off ]] && return 0
  for app in "${APPS[@]}"; do
    name="${app%%:*}"
    [[ -s "$(archive_of "$name")" ]] || missing+=("$name")
  done
  ((${#missing[@]} > 0)) || return 0
  pid_running "$TRAIN_PID" && return 0
  step "making class-data-sharing archives in the background for: ${missing[*]} (log: $TRAIN_LOG)"
  spawn "$TRAIN_PID" "$TRAIN_LOG" nice -n 19 "${BASH_SOURCE[0]}" train "${missing[@]}"
}

# One training run per service: the full context is built, then the JVM exits and writes the classes
# it loaded. Written next to the extracted jar it was made from, under a temporary name until complete.
train() {
  local name archive
  export_app_env
  for name in "$@"; do
    archive="$(archive_of "$name")"
    [[ -s "$archive" ]] && continue
    printf '==> %s: training run for %s\n' "$(date -u +%H:%M:%S)" "$archive"
    rm -f "$archive.partial"
    # shellcheck disable=SC2046 # one JVM option per line
    if SERVER_PORT=0 "$(java_home)/bin/java" $(java_opts_of "$name") -XX:ArchiveClassesAtExit="$archive.partial" \
      -Dspring.context.exit=onRefresh -jar "$(run_jar_of "$name")" >"$LOG_DIR/cds-train-$name.log" 2>&1 &&
      [[ -s "$archive.partial" ]]; then
      mv "$archive.partial" "$archive"
      printf '    %s: done (%s)\n' "$name" "$(du -h "$archive" | cut -f1)"
    else
      rm -f "$archive.partial"
      printf '    %s: training run failed, see %s\n' "$name" "$LOG_DIR/cds-train-$name.log"
    fi
  done
}

stop_training() {
  pid_running "$TRAIN_PID" || return 0
  step "stopping the background CDS training (pid $(pid_of "$TRAIN_PID"))"
  # the trainer leads its own session (spawn): signal the whole group, the JVM included
  kill -- -"$(pid_of "$TRAIN_PID")" 2>/dev/null || true
  wait_gone "$(pid_of "$TRAIN_PID")" 15 || kill -9 -- -"$(pid_of "$TRAIN_PID")" 2>/dev/null || true
  rm -f "$TRAIN_PID"
}

start() {
  local app name pending=() began="$SECONDS"
  require_curl
  export_app_env
  step "apps: ${#APPS[@]} services, at most $START_PARALLEL starting at a time (CDS $CDS_MODE, quick JIT $QUICK_JIT)"
  for app in "${APPS[@]}"; do
    name="${app%%:*}"
    if up_to_date "$name"; then
      step "$name already running on :${app##*:}"
      continue
    fi
    if pid_running "$(pid_file_of "$name")" "$name"; then
      info "$name: its jar changed, restarting"
      stop_pid "$name" "$(pid_file_of "$name")" "$name"
    fi
    pending+=("$name")
  done
  if ((${#pending[@]} == 0)); then
    train_in_background
    return 0
  fi
  stop_training
  # an extraction spends most of its time waiting, not computing: side by side they finish sooner
  local jobs=()
  for name in "${pending[@]}"; do
    prepare_app "$name" &
    jobs+=("$!")
  done
  for name in "${jobs[@]}"; do
    wait "$name" || die "extracting the jars failed (see above)"
  done
  migrate
  FAIL_HINT="The other services keep running; deploy/local/down.sh stops them."
  start_pool "${pending[@]}"
  step "services healthy in $((SECONDS - began)) s: ${pending[*]}"
  train_in_background
}

stop() {
  local i app
  stop_training
  for ((i = ${#APPS[@]} - 1; i >= 0; i--)); do
    app="${APPS[i]%%:*}"
    stop_pid "$app" "$(pid_file_of "$app")" "$app"
    rm -f "$(pid_file_of "$app").sha256"
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
  if pid_running "$TRAIN_PID"; then
    printf '%-17s running  pid %s  (class-data-sharing archives)\n' cds-training "$(pid_of "$TRAIN_PID")"
  fi
}

ensure_dirs
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reindex)
    export_app_env
    "$(java_home)/bin/java" -Xmx512m -jar "$(jar_of indexer-job)" reindex --logging.level.root=WARN
    ;;
  train)
    shift
    train "$@"
    ;;
  *)
    echo "usage: $0 start|stop|status|reindex" >&2
    exit 2
    ;;
esac
