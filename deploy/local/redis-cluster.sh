#!/usr/bin/env bash
# A 3-master Redis Cluster on loopback for the cluster test (RedisClusterIT) and for trying the services
# against a cluster: ports 17001-17003 (cluster bus 27001-27003), no replicas, nothing persisted; data
# (nodes.conf) under $SYNCBOX_DATA_DIR/redis-cluster, logs in $SYNCBOX_DATA_DIR/logs.
# Point a service at it with SYNCBOX_REDIS_CLUSTER_NODES=127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003.
# Usage: deploy/local/redis-cluster.sh start|stop|status   (idempotent; installs redis if missing)
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER_PORT="${SYNCBOX_REDIS_CLUSTER_PORT:-17001}"
CLUSTER_PORTS=("$CLUSTER_PORT" "$((CLUSTER_PORT + 1))" "$((CLUSTER_PORT + 2))")
CLUSTER_DIR="$DATA_DIR/redis-cluster"
WAIT_NODE=30
WAIT_CLUSTER=60

node_pid() { printf '%s/redis-cluster-%s.pid\n' "$RUN_DIR" "$1"; }
node_log() { printf '%s/redis-cluster-%s.log\n' "$LOG_DIR" "$1"; }
node_cli() {
  local port="$1"
  shift
  redis-cli -h 127.0.0.1 -p "$port" "$@"
}
node_running() { pid_running "$(node_pid "$1")" redis-server; }

# node_info PORT FIELD : one field of CLUSTER INFO (empty when the node does not answer).
node_info() {
  node_cli "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n "s/^$2://p"
}

nodes_list() {
  local port list=()
  for port in "${CLUSTER_PORTS[@]}"; do
    list+=("127.0.0.1:$port")
  done
  (
    IFS=,
    printf '%s\n' "${list[*]}"
  )
}

# cluster_ok : every node says cluster_state:ok and knows all the others.
cluster_ok() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do
    [[ "$(node_info "$port" cluster_state)" == ok ]] || return 1
    [[ "$(node_info "$port" cluster_known_nodes)" == "${#CLUSTER_PORTS[@]}" ]] || return 1
  done
}

# cluster_blank : no node has slots or knows another node (fresh, never created).
cluster_blank() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do
    [[ "$(node_info "$port" cluster_slots_assigned)" == 0 ]] || return 1
    [[ "$(node_info "$port" cluster_known_nodes)" == 1 ]] || return 1
  done
}

start_node() {
  local port="$1" pidfile log
  pidfile="$(node_pid "$port")"
  log="$(node_log "$port")"
  if node_running "$port"; then
    info "node :$port already running"
  else
    port_open "$port" && die "port $port is taken by another process (set SYNCBOX_REDIS_CLUSTER_PORT?)"
    port_open "$((port + 10000))" && die "cluster bus port $((port + 10000)) is taken by another process"
    mkdir -p "$CLUSTER_DIR/$port"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --daemonize yes --pidfile "$pidfile" --logfile "$log" --dir "$CLUSTER_DIR/$port" ||
      fail_with_log "redis-cluster :$port" "$log" "redis-server failed to start"
  fi
  local deadline=$((SECONDS + WAIT_NODE))
  until [[ "$(node_cli "$port" ping 2>/dev/null)" == PONG ]]; do
    ((SECONDS < deadline)) || fail_with_log "redis-cluster :$port" "$log" "no PONG after ${WAIT_NODE}s"
    sleep 0.1
  done
}

# Forgets whatever cluster the nodes were in (a half-made one, or nodes.conf of another layout).
reset_nodes() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do
    node_cli "$port" flushall >/dev/null
    node_cli "$port" cluster reset hard >/dev/null
  done
}

start_cluster() {
  step "Redis Cluster on 127.0.0.1:${CLUSTER_PORTS[0]}-${CLUSTER_PORTS[-1]} (3 masters)"
  require_cmd redis-server redis-server
  require_cmd redis-cli redis-tools
  local port
  for port in "${CLUSTER_PORTS[@]}"; do
    start_node "$port"
  done
  if cluster_ok; then
    info "cluster already formed"
  else
    if ! cluster_blank; then
      # Nodes restarted from their nodes.conf join up again by themselves; give them a moment.
      local deadline=$((SECONDS + 10))
      until cluster_ok || ((SECONDS >= deadline)); do
        sleep 0.5
      done
      if ! cluster_ok; then
        info "nodes in a broken or foreign cluster: resetting them"
        reset_nodes
      fi
    fi
    if ! cluster_ok; then
      local nodes=()
      for port in "${CLUSTER_PORTS[@]}"; do
        nodes+=("127.0.0.1:$port")
      done
      info "redis-cli --cluster create ${nodes[*]}"
      redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >>"$LOG_DIR/redis-cluster-create.log" 2>&1 ||
        fail_with_log redis-cluster "$LOG_DIR/redis-cluster-create.log" "redis-cli --cluster create failed"
    fi
  fi
  local deadline=$((SECONDS + WAIT_CLUSTER))
  until cluster_ok; do
    ((SECONDS < deadline)) || fail_with_log redis-cluster "$(node_log "${CLUSTER_PORTS[0]}")" "no cluster_state:ok after ${WAIT_CLUSTER}s"
    sleep 0.2
  done
  info "cluster_state:ok  SYNCBOX_REDIS_CLUSTER_NODES=$(nodes_list)"
}

stop_cluster() {
  local port pid pidfile
  for port in "${CLUSTER_PORTS[@]}"; do
    pidfile="$(node_pid "$port")"
    if ! node_running "$port"; then
      info "redis-cluster node :$port is not running"
      rm -f "$pidfile"
      continue
    fi
    pid="$(pid_of "$pidfile")"
    step "stopping redis-cluster node :$port (pid $pid)"
    node_cli "$port" shutdown nosave >/dev/null 2>&1 || true
    if ! wait_gone "$pid" 15; then
      stop_pid "redis-cluster :$port" "$pidfile" redis-server # shutdown refused: fall back to signals
    fi
    rm -f "$pidfile"
  done
  # Nothing is persisted: the next start forms a fresh cluster rather than reloading this one's layout.
  rm -rf "$CLUSTER_DIR"
}

status_cluster() {
  local port state
  for port in "${CLUSTER_PORTS[@]}"; do
    if node_running "$port"; then
      state="$(node_info "$port" cluster_state)"
      printf '%-14s running  127.0.0.1:%s  pid %s  cluster_state %s  keys %s\n' "redis-cluster" "$port" \
        "$(pid_of "$(node_pid "$port")")" "${state:-not answering}" "$(node_cli "$port" dbsize 2>/dev/null || echo '?')"
    else
      printf '%-14s stopped  127.0.0.1:%s\n' "redis-cluster" "$port"
    fi
  done
}

usage() {
  echo "usage: $0 start|stop|status" >&2
  exit 2
}

main() {
  ensure_dirs
  if [[ "${1:-}" =~ ^(start|stop)$ && -z "${SYNCBOX_REDIS_CLUSTER_LOCKED:-}" ]]; then
    # One start/stop at a time per data dir (tests may start it together); -o keeps the lock out of the
    # daemons, so it is released when this script ends.
    local rc=0
    SYNCBOX_REDIS_CLUSTER_LOCKED=1 flock -E 75 -w 120 -o "$RUN_DIR/redis-cluster.lock" "${BASH_SOURCE[0]}" "$@" || rc=$?
    ((rc != 75)) || die "another redis-cluster.sh start/stop still holds $RUN_DIR/redis-cluster.lock after 120s"
    exit "$rc"
  fi
  case "${1:-}" in
    start) start_cluster ;;
    stop) stop_cluster ;;
    status) status_cluster ;;
    *) usage ;;
  esac
}

main "$@"
