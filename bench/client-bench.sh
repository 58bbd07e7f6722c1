#!/usr/bin/env bash
# The desktop client against Syncthing, in one run on loopback: (a) a new 1 KiB file written on A
# until complete on B, p50/p95; (b) a 1 KiB overwrite in a 100 MiB file: bytes on the wire and time
# to B, with rsync's delta mode as a third reference; (e) the client's chunk + hash of a 1 GiB file
# against plain SHA-256; (c) a tree of small files (1 KiB, a hundred a folder) moved into A, until
# B has all of it. Installs Syncthing and rsync (apt) if missing; brings the local system up if the
# gateway does not answer. Prints markdown tables.
# Usage: bench/client-bench.sh [trials] [size-MiB] [small-files]   (default 50, 100, 10000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA_DIR="${SYNCBOX_DATA_DIR:-$ROOT/.data}"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"

for tool in syncthing rsync; do
  if ! command -v "$tool" >/dev/null; then
    echo "==> installing $tool" && apt-get install -y -q "$tool" >/dev/null
  fi
done
echo "==> building the client and the benchmark"
./mvnw -q -B -pl sync-client -am package -DskipTests -Dspotless.check.skip=true
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
# (e) needs no server, and is measured before a stack starts: a freshly started one compiles and
# trains its class-data archives for minutes, and would take the second core (e) is about.
echo "==> (e) chunk + hash"
java -cp bench/target/benchmarks.jar dev.syncbox.bench.client.CutBench 1024
if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
echo "==> (a) and (b) against Syncthing (a few minutes)"
java -Xmx2g -cp bench/target/benchmarks.jar dev.syncbox.bench.client.ClientBench \
  "$GATEWAY" "$DATA_DIR/logs/nginx-access.log" "$ROOT/sync-client/target/syncbox.jar" "${1:-50}" "${2:-100}" "${3:-10000}"
