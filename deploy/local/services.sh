#!/usr/bin/env bash
# Backing services of syncbox as real processes on loopback, data under $SYNCBOX_DATA_DIR (.data):
# PostgreSQL :15432, Redis :16379, s3proxy (S3) :19000, Elasticsearch :19200.
# Usage: deploy/local/services.sh start|stop [elasticsearch] | status   (idempotent; installs what is missing;
# naming elasticsearch starts or stops it alone, as the search tests do to take it away mid-stream)
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATABASES=(syncbox syncbox_test)
# Readiness waits, generous for a loaded 2-core machine (a JVM starting beside builds); a wait that
# runs out fails with the tail of the log.
WAIT_PG=120
WAIT_REDIS=30
WAIT_S3=180
WAIT_ES=420

# ---------------------------------------------------------------- PostgreSQL

# Resolves PG_DIR (cluster), PG_SOCK (unix socket dir) and PG_LOG, all reachable by the
# postgres OS user (see dir_for in lib.sh).
pg_paths() {
  PG_DIR="$(dir_for postgres pg)"
  PG_SOCK="$(dir_for postgres run/pg)"
  if [[ "$PG_DIR" == "$DATA_DIR/pg" ]]; then
    PG_LOG="$LOG_DIR/postgres.log"
  else
    PG_LOG="$(dirname "$PG_DIR")/postgres.log"
    ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
  fi
  # unix socket paths are limited to ~107 bytes
  if ((${#PG_SOCK} + 20 > 100)); then
    PG_SOCK="/tmp/syncbox-pg-$(short_hash "$DATA_DIR")"
  fi
}

pg_bin() {
  local major
  if [[ -s "$PG_DIR/PG_VERSION" ]]; then
    major="$(cat "$PG_DIR/PG_VERSION")"
    [[ -x "/usr/lib/postgresql/$major/bin/initdb" ]] || die "cluster $PG_DIR is PostgreSQL $major but /usr/lib/postgresql/$major is not installed"
    printf '/usr/lib/postgresql/%s/bin\n' "$major"
    return
  fi
  find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
    sort -V | tail -n 1 | xargs -r dirname
}

pg_running() {
  local pid
  pid="$(head -n 1 "$PG_DIR/postmaster.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

start_postgres() {
  step "PostgreSQL on 127.0.0.1:$PG_PORT"
  pg_paths
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    apt_install postgresql
  fi
  local bin
  bin="$(pg_bin)"
  [[ -n "$bin" ]] || die "no initdb under /usr/lib/postgresql"
  mkdir -p "$PG_SOCK"
  touch "$PG_LOG"
  give_to postgres:postgres "$PG_DIR" "$PG_SOCK" "$PG_LOG"
  chmod 700 "$PG_DIR"

  if [[ ! -s "$PG_DIR/PG_VERSION" ]]; then
    info "initdb $PG_DIR ($("$bin/postgres" --version | awk '{print $3}'))"
    as_user postgres "$bin/initdb" -D "$PG_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1 ||
      fail_with_log postgres "$PG_LOG" "initdb failed"
  fi

  if pg_running; then
    info "already running"
  else
    port_open "$PG_PORT" && die "port $PG_PORT is taken by another process (set SYNCBOX_PG_PORT?)"
    info "pg_ctl start"
    as_user postgres "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_LOG" -w -t "$WAIT_PG" \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null ||
      fail_with_log postgres "$PG_LOG" "pg_ctl start failed"
  fi
  wait_for_port postgres "$PG_PORT" "$WAIT_PG" "$PG_LOG"

  local db
  for db in "${DATABASES[@]}"; do
    if [[ -z "$("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAXc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      info "create database $db"
      "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
    fi
  done
}

stop_postgres() {
  pg_paths
  if ! pg_running; then
    info "postgres is not running"
    return 0
  fi
  step "stopping postgres"
  as_user postgres "$(pg_bin)/pg_ctl" -D "$PG_DIR" -m fast -w -t 60 stop >/dev/null ||
    fail_with_log postgres "$PG_LOG" "pg_ctl stop failed"
}

status_postgres() {
  pg_paths
  if pg_running; then
    printf '%-14s running  127.0.0.1:%s  pid %s  data %s\n' postgres "$PG_PORT" \
      "$(head -n 1 "$PG_DIR/postmaster.pid")" "$PG_DIR"
  else
    printf '%-14s stopped\n' postgres
  fi
}

# ---------------------------------------------------------------- Redis

REDIS_PID="$RUN_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"

redis_ping() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

start_redis() {
  step "Redis on 127.0.0.1:$REDIS_PORT"
  require_cmd redis-server redis-server
  require_cmd redis-cli redis-tools
  mkdir -p "$DATA_DIR/redis"
  if pid_running "$REDIS_PID" redis-server; then
    info "already running"
  else
    port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process (set SYNCBOX_REDIS_PORT?)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --daemonize yes --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --dir "$DATA_DIR/redis" ||
      fail_with_log redis "$REDIS_LOG" "redis-server failed to start"
  fi
  local deadline=$((SECONDS + WAIT_REDIS))
  until redis_ping; do
    ((SECONDS < deadline)) || fail_with_log redis "$REDIS_LOG" "no PONG on port $REDIS_PORT after ${WAIT_REDIS}s"
    sleep 0.1
  done
}

stop_redis() {
  if ! pid_running "$REDIS_PID" redis-server; then
    info "redis is not running"
    return 0
  fi
  local pid
  pid="$(pid_of "$REDIS_PID")"
  step "stopping redis (pid $pid)"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if ! wait_gone "$pid" 15; then
    stop_pid redis "$REDIS_PID" redis-server # shutdown refused: fall back to signals
  fi
  rm -f "$REDIS_PID"
}

status_redis() {
  if pid_running "$REDIS_PID" redis-server; then
    printf '%-14s running  127.0.0.1:%s  pid %s\n' redis "$REDIS_PORT" "$(pid_of "$REDIS_PID")"
  else
    printf '%-14s stopped\n' redis
  fi
}

# ---------------------------------------------------------------- s3proxy

S3_JAR="s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
S3_PID="$RUN_DIR/s3proxy.pid"
S3_LOG="$LOG_DIR/s3proxy.log"

fetch_s3proxy() {
  fetch_artifact "org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" "$S3_JAR"
}

start_s3proxy() {
  step "s3proxy (S3) on 127.0.0.1:$S3_PORT"
  fetch_s3proxy
  if pid_running "$S3_PID" s3proxy; then
    info "already running"
  else
    port_open "$S3_PORT" && die "port $S3_PORT is taken by another process (set SYNCBOX_S3_PORT?)"
    mkdir -p "$DATA_DIR/s3/data"
    cat >"$DATA_DIR/s3/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_IDENTITY
s3proxy.credential=$S3_CREDENTIAL
jclouds.provider=filesystem-nio2
jclouds.identity=$S3_IDENTITY
jclouds.credential=$S3_CREDENTIAL
jclouds.filesystem.basedir=$DATA_DIR/s3/data
EOF
    spawn "$S3_PID" "$S3_LOG" "$(java_home)/bin/java" -Xmx512m \
      -jar "$DIST_DIR/$S3_JAR" --properties "$DATA_DIR/s3/s3proxy.conf"
  fi
  wait_for_http s3proxy "http://127.0.0.1:$S3_PORT/" "$WAIT_S3" "$S3_LOG" "$S3_PID" any
}

stop_s3proxy() { stop_pid s3proxy "$S3_PID" s3proxy; }

status_s3proxy() {
  if pid_running "$S3_PID" s3proxy; then
    printf '%-14s running  http://127.0.0.1:%s  pid %s\n' s3proxy "$S3_PORT" "$(pid_of "$S3_PID")"
  else
    printf '%-14s stopped\n' s3proxy
  fi
}

# ---------------------------------------------------------------- Elasticsearch

ES_USER="nobody:nogroup"
ES_LAUNCH_LOG="$LOG_DIR/elasticsearch-launch.log"
ES_HEALTH="http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s"
ES_LAUNCHER_PID=""

# Resolves ES_HOME (unzipped distribution), ES_DATA (data + logs) and ES_RUN (pid file), all
# owned by and reachable for the ES user (see dir_for in lib.sh).
es_paths() {
  ES_HOME="$(dir_for "${ES_USER%%:*}" "dist/elasticsearch-$ES_VERSION")"
  ES_DATA="$(dir_for "${ES_USER%%:*}" es)"
  ES_RUN="$(dir_for "${ES_USER%%:*}" run/es)"
  ES_PID="$ES_RUN/elasticsearch.pid"
  ES_LOG="$ES_DATA/logs/syncbox.log"
}

fetch_elasticsearch() {
  [[ -f "$ES_HOME/.syncbox-unzipped" ]] && return 0
  fetch_artifact "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" "elasticsearch-$ES_VERSION.zip"
  require_cmd unzip unzip
  info "unzip elasticsearch-$ES_VERSION.zip"
  local tmp="$ES_HOME.partial"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  unzip -q "$DIST_DIR/elasticsearch-$ES_VERSION.zip" -d "$tmp"
  # ES_HOME may be a (relocated) directory already: fill it rather than replace it
  cp -a "$tmp/elasticsearch-$ES_VERSION/." "$ES_HOME/"
  rm -rf "$tmp"
  touch "$ES_HOME/.syncbox-unzipped"
}

# Launches ES in the background (it is the slowest); await_elasticsearch waits for it.
launch_elasticsearch() {
  step "Elasticsearch on 127.0.0.1:$ES_PORT (launching in background)"
  es_paths
  if pid_running "$ES_PID" org.elasticsearch; then
    info "already running"
    return 0
  fi
  fetch_elasticsearch
  port_open "$ES_PORT" && die "port $ES_PORT is taken by another process (set SYNCBOX_ES_PORT?)"
  mkdir -p "$ES_DATA/data" "$ES_DATA/logs"
  give_to "$ES_USER" "$ES_HOME" "$ES_DATA" "$ES_RUN"
  ln -sfn "$ES_LOG" "$LOG_DIR/elasticsearch.log"
  # `elasticsearch -d` returns once the node has started: run it in the background.
  as_user "${ES_USER%%:*}" env ES_JAVA_HOME="$(java_home)" ES_JAVA_OPTS="-Xms256m -Xmx256m" \
    "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" \
    -Ecluster.name=syncbox -Enode.name=syncbox-local \
    -Ediscovery.type=single-node \
    -Ehttp.host=127.0.0.1 -Ehttp.port="$ES_PORT" \
    -Etransport.host=127.0.0.1 -Etransport.port="$ES_TRANSPORT_PORT" \
    -Expack.security.enabled=false \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    -Epath.data="$ES_DATA/data" -Epath.logs="$ES_DATA/logs" \
    >"$ES_LAUNCH_LOG" 2>&1 </dev/null &
  ES_LAUNCHER_PID=$!
}

await_elasticsearch() {
  step "waiting for Elasticsearch (yellow)"
  if [[ -n "$ES_LAUNCHER_PID" ]] && ! wait "$ES_LAUNCHER_PID"; then
    cat "$ES_LAUNCH_LOG" >&2 || true
    fail_with_log elasticsearch "$ES_LOG" "bin/elasticsearch -d failed (output above)"
  fi
  wait_for_http elasticsearch "$ES_HEALTH" "$WAIT_ES" "$ES_LOG" "$ES_PID"
}

stop_elasticsearch() {
  es_paths
  stop_pid elasticsearch "$ES_PID" org.elasticsearch
}

status_elasticsearch() {
  es_paths
  if pid_running "$ES_PID" org.elasticsearch; then
    local health
    health="$(curl -s -m 5 "http://127.0.0.1:$ES_PORT/_cluster/health" | grep -o '"status":"[a-z]*"' | cut -d'"' -f4 || true)"
    printf '%-14s running  http://127.0.0.1:%s  pid %s  cluster %s\n' elasticsearch "$ES_PORT" \
      "$(pid_of "$ES_PID")" "${health:-not answering}"
  else
    printf '%-14s stopped\n' elasticsearch
  fi
}

# ---------------------------------------------------------------- main

usage() {
  echo "usage: $0 start|stop [elasticsearch] | status" >&2
  exit 2
}

main() {
  ensure_dirs
  if [[ "${1:-}" =~ ^(start|stop)$ && -z "${SYNCBOX_SERVICES_LOCKED:-}" ]]; then
    # One start/stop at a time per data dir (up.sh and test.sh may run together). flock -o keeps
    # the lock out of the daemons we start, so it is released when this script ends.
    local rc=0
    SYNCBOX_SERVICES_LOCKED=1 flock -E 75 -w 300 -o "$RUN_DIR/services.lock" "${BASH_SOURCE[0]}" "$@" || rc=$?
    ((rc != 75)) || die "another services.sh start/stop still holds $RUN_DIR/services.lock after 300s"
    exit "$rc"
  fi
  case "${1:-}${2:+ $2}" in
    "start elasticsearch")
      require_curl
      launch_elasticsearch
      await_elasticsearch
      ;;
    "stop elasticsearch")
      stop_elasticsearch
      ;;
    start)
      require_curl
      launch_elasticsearch
      start_postgres
      start_redis
      start_s3proxy
      await_elasticsearch
      step "backing services are up (data: $DATA_DIR)"
      ;;
    stop)
      stop_elasticsearch
      stop_s3proxy
      stop_redis
      stop_postgres
      ;;
    status)
      status_postgres
      status_redis
      status_s3proxy
      status_elasticsearch
      ;;
    *) usage ;;
  esac
}

main "$@"
