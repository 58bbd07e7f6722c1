#!/usr/bin/env bash
# Bytes on the wire to sync one edit of a 100 MiB random file: syncbox (content-defined blocks +
# block deltas), the seed's fixed 4 MiB blocks, and rsync's delta mode, in one run.
# Brings the local system up if the gateway does not answer. Prints a markdown table.
# Usage: bench/delta-bench.sh [size-MiB]   (default 100)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA_DIR="${SYNCBOX_DATA_DIR:-$ROOT/.data}"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"

if ! command -v rsync >/dev/null; then
  echo "==> installing rsync" && apt-get install -y -q rsync >/dev/null
fi
if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
# The gateway must log wire bytes per request; restart it if it runs an older config.
./deploy/local/gateway.sh start >/dev/null

echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
echo "==> running (a few minutes: the seed scheme re-sends ~100 MiB for an insert)"
java -Xmx3g -cp bench/target/benchmarks.jar dev.syncbox.bench.wire.DeltaWireBench \
  "$GATEWAY" "$DATA_DIR/logs/nginx-access.log" "${1:-100}"
