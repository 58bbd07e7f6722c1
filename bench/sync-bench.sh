#!/usr/bin/env bash
# Multi-device sync figures: (a) long-poll wake-up latency, p50/p95/p99 over 200 trials;
# (b) one /files/sync page of 10 new changes in a namespace of 10 thousand vs 1 million files.
# Brings the local system up if the gateway does not answer. Takes a few minutes (1M rows).
# Usage: bench/sync-bench.sh [trials]   (default 200)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"
PG="postgresql://postgres@127.0.0.1:${SYNCBOX_PG_PORT:-15432}/syncbox"

if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
echo "==> running"
java -cp bench/target/benchmarks.jar dev.syncbox.bench.sync.SyncBench "$GATEWAY" "$PG" "${1:-200}"
