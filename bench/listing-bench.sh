#!/usr/bin/env bash
# What a consistent first sync costs (docs/benchmarks.md): the first /files/sync page of a new device,
# which stores the complete listing, in namespaces of 10 thousand, 100 thousand and 1 million files.
# Brings the local system up if the gateway does not answer. Takes a few minutes (1M rows).
# Usage: bench/listing-bench.sh [sizes...]   (SYNCBOX_URL overrides the gateway, SYNCBOX_PG the database)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
URL="${SYNCBOX_URL:-http://127.0.0.1:${SYNCBOX_PORT:-8080}}"
PG="${SYNCBOX_PG:-postgresql://postgres@127.0.0.1:${SYNCBOX_PG_PORT:-15432}/syncbox}"

if [ -z "${SYNCBOX_URL:-}" ] && ! curl -sf "$URL/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
echo "==> running"
java -cp bench/target/benchmarks.jar dev.syncbox.bench.sync.ListingBench "$URL" "$PG" "$@"
