# shellcheck shell=bash disable=SC2034 # constants here are used by the scripts sourcing this file
# Shared helpers for the deploy/local scripts: paths, ports, logging, apt, pid files, waits.
# Sourced, never executed. Everything is relative to the repository root.

SYNCBOX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# ---- ports (defaults are part of the contract with the Java side and its tests) ----
PG_PORT="${SYNCBOX_PG_PORT:-15432}"
REDIS_PORT="${SYNCBOX_REDIS_PORT:-16379}"
S3_PORT="${SYNCBOX_S3_PORT:-19000}"
ES_PORT="${SYNCBOX_ES_PORT:-19200}"
ES_TRANSPORT_PORT="${SYNCBOX_ES_TRANSPORT_PORT:-19300}"
GATEWAY_PORT="${SYNCBOX_PORT:-8080}"

# ---- versions of the downloaded servers ----
S3PROXY_VERSION="4.1.0"
ES_VERSION="8.19.21"

# ---- S3 credentials of the local s3proxy (local-only, not a secret) ----
S3_IDENTITY="syncbox-local"
S3_CREDENTIAL="syncbox-local-secret"

# ---- the five Spring Boot services: name:port (8081..8085 unless moved, e.g. for a second stack) ----
APP_PORT_BASE="${SYNCBOX_APP_PORT_BASE:-8081}"
APPS=(
  "upload-service:${SYNCBOX_UPLOAD_PORT:-$APP_PORT_BASE}"
  "download-service:${SYNCBOX_DOWNLOAD_PORT:-$((APP_PORT_BASE + 1))}"
  "sync-service:${SYNCBOX_SYNC_PORT:-$((APP_PORT_BASE + 2))}"
  "conflict-engine:${SYNCBOX_CONFLICT_PORT:-$((APP_PORT_BASE + 3))}"
  "indexer-job:${SYNCBOX_INDEXER_PORT:-$((APP_PORT_BASE + 4))}"
)
APP_VERSION="0.1.0-SNAPSHOT"

# ---- data directory layout ----
DATA_DIR="${SYNCBOX_DATA_DIR:-$SYNCBOX_ROOT/.data}"
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
DIST_DIR="$DATA_DIR/dist"

step() { printf '==> %s\n' "$*"; }

# check NAME COMMAND... : runs COMMAND, counts it in PASSED or FAILED and prints the outcome; a script that
# defines check_detail has it called after a failure, to show what it saw.
check() {
  local name="$1"
  shift
  if "$@"; then
    PASSED=$((${PASSED:-0} + 1))
    printf '    ok    %s\n' "$name"
  else
    FAILED=$((${FAILED:-0} + 1))
    printf '    FAIL  %s\n' "$name"
    if declare -F check_detail >/dev/null; then
      check_detail
    fi
  fi
}
info() { printf '    %s\n' "$*"; }
warn() { printf 'WARN: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

ensure_dirs() {
  mkdir -p "$LOG_DIR" "$RUN_DIR" "$DIST_DIR"
}

# ---- packages ----

_APT_UPDATED=0
# apt_install PKG... : installs the packages that are not installed yet (apt-get update once).
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "missing packages ${missing[*]}: run as root or install them yourself"
  if ((_APT_UPDATED == 0)); then
    info "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  info "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed"
}

# require_cmd CMD PKG : makes sure CMD exists, installing PKG with apt if needed.
require_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  step "installing $2 (for $1)"
  apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || die "$1 still not found after installing $2"
}

# java_home : JAVA_HOME if set, else the home of the default `java`.
java_home() {
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    printf '%s\n' "$JAVA_HOME"
  else
    local java
    java="$(command -v java)" || die "java not found (Java 17 required)"
    java="$(readlink -f "$java")"
    printf '%s\n' "${java%/bin/java}"
  fi
}

# maven ARGS... : the repository's Maven wrapper, or plain mvn when the wrapper is absent.
maven() {
  if [[ -x "$SYNCBOX_ROOT/mvnw" ]]; then
    "$SYNCBOX_ROOT/mvnw" "$@"
  else
    require_cmd mvn maven
    mvn "$@"
  fi
}

# fetch_artifact GAV FILE : copies a Maven Central artifact into $DIST_DIR once.
# Runs Maven from $DIST_DIR (no pom there), so a half-edited project pom cannot break it.
fetch_artifact() {
  local gav="$1" file="$2" group artifact version type classifier cached
  [[ -s "$DIST_DIR/$file" ]] && return 0
  # already in the local Maven repository (an earlier checkout fetched it): a copy, no Maven start-up
  IFS=: read -r group artifact version type classifier <<<"$gav"
  cached="$HOME/.m2/repository/${group//.//}/$artifact/$version/$artifact-$version${classifier:+-$classifier}.${type:-jar}"
  if [[ -s "$cached" ]]; then
    info "copying $gav from $HOME/.m2/repository"
    cp "$cached" "$DIST_DIR/$file.partial" && mv "$DIST_DIR/$file.partial" "$DIST_DIR/$file"
    return 0
  fi
  step "downloading $gav"
  (cd "$DIST_DIR" && maven -B -q dependency:copy -Dartifact="$gav" -DoutputDirectory="$DIST_DIR" -Dmdep.useBaseVersion=true) ||
    die "could not download $gav"
  [[ -s "$DIST_DIR/$file" ]] || die "$gav downloaded but $DIST_DIR/$file is missing"
}

# ---- pid files ----

# pid_of FILE : prints the pid stored in FILE (nothing if absent).
pid_of() {
  [[ -s "$1" ]] && tr -dc '0-9' <"$1"
  return 0
}

# pid_running FILE [PATTERN] : the process in FILE is alive (and its command line matches PATTERN).
pid_running() {
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -z "${2:-}" ]] && return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

# wait_gone PID SECONDS : waits until PID has exited; fails if it is still alive after SECONDS.
wait_gone() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$1" 2>/dev/null
}

# stop_pid NAME FILE [PATTERN] : SIGTERM, wait up to 30 s, then SIGKILL; removes the pid file.
stop_pid() {
  local name="$1" file="$2" pattern="${3:-}" pid
  if ! pid_running "$file" "$pattern"; then
    info "$name is not running"
    rm -f "$file"
    return 0
  fi
  pid="$(pid_of "$file")"
  step "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 30; then
    warn "$name did not stop in 30 s, killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# spawn PIDFILE LOGFILE CMD... : runs CMD detached (own session), appending to LOGFILE;
# the process writes its own pid before exec, so PIDFILE is right whatever setsid does.
spawn() {
  local pidfile="$1" log="$2" i
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $1 belong to the inner shell
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' spawn "$pidfile" "$@" >>"$log" 2>&1 </dev/null &
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start: $*"
}

# as_user USER CMD... : runs CMD as USER when we are root (from /, so no cwd warnings),
# as ourselves otherwise.
as_user() {
  local user="$1"
  shift
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    "$@"
  fi
}

# give_to USER:GROUP PATH... : chown when root (no-op otherwise).
give_to() {
  local owner="$1"
  shift
  [[ $(id -u) -eq 0 ]] && chown -R "$owner" "$@"
  return 0
}

# short_hash STRING : 12 hex chars identifying STRING (used for per-checkout /var/tmp and /tmp names).
short_hash() {
  printf '%s' "$1" | sha256sum | cut -c1-12
}

# user_can_reach USER DIR : USER may traverse every directory down to DIR (always true when not root).
user_can_reach() {
  [[ $(id -u) -ne 0 ]] || runuser -u "$1" -- test -x "$2" 2>/dev/null
}

# Where data lives when a service user (postgres, nobody) cannot traverse $DATA_DIR (e.g. a repo
# under /root): one folder per data dir under /var/tmp, linked from $DATA_DIR.
FALLBACK_DIR="/var/tmp/syncbox-$(short_hash "$DATA_DIR")"

# dir_for USER REL : prints the real directory for $DATA_DIR/REL that USER can reach, creating it.
# Normally that is $DATA_DIR/REL itself; otherwise $FALLBACK_DIR/REL with a symlink at $DATA_DIR/REL.
dir_for() {
  local user="$1" rel="$2"
  if [[ -L "$DATA_DIR/$rel" ]]; then
    readlink -f "$DATA_DIR/$rel"
  elif user_can_reach "$user" "$DATA_DIR"; then
    mkdir -p "$DATA_DIR/$rel"
    printf '%s\n' "$DATA_DIR/$rel"
  else
    info "$user cannot traverse $DATA_DIR: $rel goes to $FALLBACK_DIR/$rel (linked from $DATA_DIR)" >&2
    mkdir -p "$FALLBACK_DIR/$rel" "$(dirname "$DATA_DIR/$rel")"
    chmod 755 "$FALLBACK_DIR"
    if [[ -d "$DATA_DIR/$rel" ]]; then
      rmdir "$DATA_DIR/$rel" 2>/dev/null || die "$DATA_DIR/$rel is not empty: move it to $FALLBACK_DIR/$rel"
    fi
    ln -sfn "$FALLBACK_DIR/$rel" "$DATA_DIR/$rel"
    printf '%s\n' "$FALLBACK_DIR/$rel"
  fi
}

# ---- readiness ----

# port_open PORT : something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# fail_with_log NAME LOGFILE MESSAGE : prints MESSAGE and the tail of the log, then exits.
fail_with_log() {
  printf 'ERROR: %s: %s\n' "$1" "$3" >&2
  if [[ -n "$2" && -f "$2" ]]; then
    printf -- '---- last lines of %s ----\n' "$2" >&2
    tail -n 30 "$2" >&2
    printf -- '----\n' >&2
  fi
  [[ -n "${FAIL_HINT:-}" ]] && printf '%s\n' "$FAIL_HINT" >&2
  exit 1
}

# wait_for_port NAME PORT TIMEOUT_S LOGFILE [PIDFILE]
wait_for_port() {
  local name="$1" port="$2" timeout="$3" log="${4:-}" pidfile="${5:-}" deadline=$((SECONDS + $3))
  until port_open "$port"; do
    if [[ -n "$pidfile" ]] && ! pid_running "$pidfile"; then
      fail_with_log "$name" "$log" "process exited before opening port $port"
    fi
    ((SECONDS < deadline)) || fail_with_log "$name" "$log" "port $port not open after ${timeout}s"
    sleep 0.2
  done
}

# http_status URL : prints the HTTP status (000 when nothing answers).
http_status() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true
}

# wait_for_http NAME URL TIMEOUT_S LOGFILE [PIDFILE] [EXPECT]
# EXPECT: a status regex (default 200); "any" accepts every HTTP answer.
wait_for_http() {
  local name="$1" url="$2" timeout="$3" log="${4:-}" pidfile="${5:-}" expect="${6:-200}"
  local deadline=$((SECONDS + $3)) code
  while :; do
    code="$(http_status "$url")"
    if [[ "$expect" == any ]]; then
      [[ "$code" != 000 && -n "$code" ]] && return 0
    elif [[ "$code" =~ ^($expect)$ ]]; then
      return 0
    fi
    if [[ -n "$pidfile" ]] && ! pid_running "$pidfile"; then
      fail_with_log "$name" "$log" "process exited (last answer from $url: $code)"
    fi
    ((SECONDS < deadline)) || fail_with_log "$name" "$log" "$url did not answer $expect within ${timeout}s (last: $code)"
    sleep 0.5
  done
}

require_curl() { require_cmd curl curl; }
