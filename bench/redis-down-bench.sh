#!/usr/bin/env bash
# Latency with Redis down against Redis up: mkdir, a 4 KiB upload and a feed page, p50/p95 and the
# down/up ratio, plus the first write after Redis comes back. Starts its own sync-service and
# upload-service (on the PostgreSQL and S3 of deploy/local/services.sh) pointed at a redis-server
# that the benchmark itself starts, kills and restarts; the shared Redis is never touched.
# Usage: bench/redis-down-bench.sh [rounds]   (default 200 a phase)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DB_URL="${SYNCBOX_BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:${SYNCBOX_PG_PORT:-15432}/syncbox}"
BUCKET="${SYNCBOX_BENCH_S3_BUCKET:-syncbox-bench-redis-down}"
REDIS_PORT="${SYNCBOX_BENCH_REDIS_PORT:-26399}"
SYNC_PORT="${SYNCBOX_BENCH_SYNC_PORT:-18183}"
UPLOAD_PORT="${SYNCBOX_BENCH_UPLOAD_PORT:-18181}"
LOGS="$ROOT/bench/target/redis-down-bench"

echo "==> building the services and the benchmark"
./mvnw -q -B -pl sync-service,upload-service -am package -DskipTests -Dspotless.check.skip=true
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
mkdir -p "$LOGS"

PIDS=()
stop() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT
start() { # name port jar
  SERVER_PORT="$2" SYNCBOX_DB_URL="$DB_URL" SYNCBOX_REDIS_PORT="$REDIS_PORT" SYNCBOX_S3_BUCKET="$BUCKET" \
    SYNCBOX_CACHE_PREFIX="bench-redis-down:" SYNCBOX_JWT_SECRET="redis-down-bench-only-0123456789abcdef" \
    java -Xmx512m -jar "$3" >"$LOGS/$1.log" 2>&1 &
  PIDS+=($!)
}
echo "==> starting sync-service :$SYNC_PORT and upload-service :$UPLOAD_PORT (Redis :$REDIS_PORT not up yet)"
start sync-service "$SYNC_PORT" sync-service/target/sync-service-0.1.0-SNAPSHOT-exec.jar
start upload-service "$UPLOAD_PORT" upload-service/target/upload-service-0.1.0-SNAPSHOT-exec.jar
for port in "$SYNC_PORT" "$UPLOAD_PORT"; do
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:$port/actuator/health/liveness" >/dev/null && break
    sleep 1
  done
  curl -sf "http://127.0.0.1:$port/actuator/health/liveness" >/dev/null || { echo "service on :$port did not start; see $LOGS"; exit 1; }
done
echo "==> running"
java -cp bench/target/benchmarks.jar dev.syncbox.bench.resilience.RedisDownBench \
  "http://127.0.0.1:$SYNC_PORT" "http://127.0.0.1:$UPLOAD_PORT" "$REDIS_PORT" "${1:-200}"
