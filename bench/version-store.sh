#!/usr/bin/env bash
# What 100 versions of a 100 MiB file cost in the block store before and after the version store
# re-stores superseded blocks as deltas, and how fast the oldest and newest versions read then
# (docs/version-store.md). Brings the local system up if the gateway does not answer.
# Prints a markdown table.
# Usage: bench/version-store.sh [size-MiB] [versions]   (defaults 100 and 100)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"

if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
for app in "${APPS[@]}"; do
  [[ "${app%%:*}" == upload-service ]] && UPLOAD="http://127.0.0.1:${app##*:}"
done

echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
echo "==> running (a few minutes: every version is pushed through the gateway, then read back)"
java -Xmx3g -cp bench/target/benchmarks.jar dev.syncbox.bench.wire.VersionStoreBench \
  "$GATEWAY" "$UPLOAD" "jdbc:postgresql://127.0.0.1:$PG_PORT/syncbox" "${1:-100}" "${2:-100}"
