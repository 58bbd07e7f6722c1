#!/usr/bin/env bash
# WebDAV against syncbox's own API (issue 19, docs/webdav.md), the same work through both
# doors of the same gateway in one run: folder listings, the poll of an unchanged account, small uploads, 64 MiB
# downloads and uploads. Brings the local system up if the gateway does not answer. Prints a markdown table.
# Leaves a bench user with its files behind.
# Usage: bench/dav.sh [files] [small-uploads] [threads]   (defaults 20000, 1000, 4)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"

if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
echo "==> running (a few minutes)"
java -Xmx2g -cp bench/target/benchmarks.jar dev.syncbox.bench.dav.DavBench \
  "$GATEWAY" "${1:-20000}" "${2:-1000}" "${3:-4}"
