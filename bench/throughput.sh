#!/usr/bin/env bash
# Every hot-path figure of syncbox in one run, each beside a limit of the same machine measured in the same run:
# pgbench -N tps, raw S3 PUT/GET of the same bytes (AWS SDK transfer manager), a bare authenticated no-op request
# through the gateway. Prints one Markdown table (figure, limit, ratio, target, met?) and the CPU each process of
# the stack spends per request. Brings the system up if the gateway does not answer, with the full JIT in every
# service as in production (SYNCBOX_QUICK_JIT=none; a running system is measured as it runs). See docs/benchmarks.md.
# Usage: bench/throughput.sh [--quick] [--big-mib N]
#   full run (default): ~10-15 minutes on a 2-core machine; --quick: a few minutes, 128 MiB big file.
# Ports and data dir as in deploy/local/lib.sh (SYNCBOX_PORT, SYNCBOX_PG_PORT, SYNCBOX_S3_PORT, SYNCBOX_DATA_DIR…),
# so it runs against a second stack as well. pgbench works in its own database (SYNCBOX_BENCH_PG_DB, default
# pgbench_limit), initialised once; the syncbox databases are never touched by it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
PGBENCH_DB="${SYNCBOX_BENCH_PG_DB:-pgbench_limit}"
PGBENCH_SCALE=10

for arg in "$@"; do
  case "$arg" in
    --quick | --big-mib | [0-9]*) ;;
    *) die "usage: $0 [--quick] [--big-mib N]" ;;
  esac
done

if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  # The full JIT in every service, as in production (the local run's default starts four with C1 only).
  step "the gateway does not answer: starting the system (SYNCBOX_QUICK_JIT=none)" &&
    SYNCBOX_QUICK_JIT="${SYNCBOX_QUICK_JIT:-none}" ./deploy/local/up.sh
fi

# pgbench of the server's own version (Debian keeps it beside the server binaries), installed only if missing
pgbench_bin() {
  local bin
  bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pgbench' 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$bin" ]] || bin="$(command -v pgbench || true)"
  if [[ -z "$bin" ]]; then
    step "installing pgbench (postgresql)"
    apt_install postgresql
    bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pgbench' | sort -V | tail -n 1)"
  fi
  [[ -n "$bin" ]] || die "pgbench not found"
  printf '%s\n' "$bin"
}
PGBENCH="$(pgbench_bin)"
PSQL="$(dirname "$PGBENCH")/psql"
[[ -x "$PSQL" ]] || PSQL="$(command -v psql)"
pg() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -tAXq -v ON_ERROR_STOP=1 -c "$2"; }

if [[ -z "$(pg postgres "SELECT 1 FROM pg_database WHERE datname = '$PGBENCH_DB'")" ]]; then
  step "creating database $PGBENCH_DB for pgbench"
  pg postgres "CREATE DATABASE $PGBENCH_DB"
fi
if [[ "$(pg "$PGBENCH_DB" "SELECT count(*) FROM pg_tables WHERE tablename = 'pgbench_branches'")" != 1 ||
  "$(pg "$PGBENCH_DB" "SELECT count(*) FROM pgbench_branches")" != "$PGBENCH_SCALE" ]]; then
  step "pgbench -i -s $PGBENCH_SCALE $PGBENCH_DB (once)"
  "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -q -s "$PGBENCH_SCALE" "$PGBENCH_DB" >/dev/null 2>&1 ||
    die "pgbench -i failed"
fi

# The processes whose CPU is counted in (e): each a process tree (PostgreSQL's backends, nginx's workers).
PROCS=()
track() { # NAME PID
  if [[ -n "$2" ]] && kill -0 "$2" 2>/dev/null; then
    PROCS+=(--proc "$1=$2")
  else
    warn "no running $1 found under $DATA_DIR: its CPU is not counted"
  fi
}
for app in upload-service download-service sync-service conflict-engine indexer-job; do
  track "$app" "$(pid_of "$RUN_DIR/$app.pid")"
done
track postgres "$(head -n 1 "$DATA_DIR/pg/postmaster.pid" 2>/dev/null || true)"
track redis "$(pid_of "$RUN_DIR/redis.pid")"
track s3proxy "$(pid_of "$RUN_DIR/s3proxy.pid")"
track nginx "$(pid_of "$RUN_DIR/nginx.pid")"
track elasticsearch "$(pid_of "$RUN_DIR/es/elasticsearch.pid")"

step "building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
step "running (load average $(cut -d' ' -f1-3 /proc/loadavg))"
java -Xmx1g -cp bench/target/benchmarks.jar dev.syncbox.bench.throughput.ThroughputBench \
  --gateway "$GATEWAY" --s3 "http://127.0.0.1:$S3_PORT" \
  --pgbench "$PGBENCH" --pg-port "$PG_PORT" --pg-db "$PGBENCH_DB" --clk-tck "$(getconf CLK_TCK)" \
  "${PROCS[@]}" "$@"
