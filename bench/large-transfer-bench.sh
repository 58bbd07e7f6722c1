#!/usr/bin/env bash
# Large-file throughput: a fresh POST /files/upload and GET /files/download of N MiB of random bytes
# through the gateway, against a raw S3 PUT (the SDK's transfer manager, multipart) and GET of the
# same bytes to the same S3 server; prints MB/s, the ratios, and the CPU seconds of upload-service,
# download-service, s3proxy, nginx, PostgreSQL and the client per transfer. Needs a running stack
# (deploy/local/up.sh; the SYNCBOX_* variables of a second stack point it there).
# Usage: bench/large-transfer-bench.sh [size-MiB] [rounds] [warm-up rounds]   (default 1024 MiB, 3, 1)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA_DIR="${SYNCBOX_DATA_DIR:-$ROOT/.data}"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"
S3="http://127.0.0.1:${SYNCBOX_S3_PORT:-19000}"

curl -sf "$GATEWAY/healthz" >/dev/null || { echo "the gateway on $GATEWAY does not answer: start the stack first"; exit 1; }

echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true

pids=()
add_pid() { # name pid-file
  [[ -s "$2" ]] && pids+=("$1=$(head -n 1 "$2")")
  return 0
}
add_pid upload-service "$DATA_DIR/run/upload-service.pid"
add_pid download-service "$DATA_DIR/run/download-service.pid"
add_pid s3proxy "$DATA_DIR/run/s3proxy.pid"
add_pid nginx "$DATA_DIR/run/nginx.pid"
add_pid postgres "$DATA_DIR/pg/postmaster.pid"

echo "==> running: $(uptime)"
java -Xmx256m -cp bench/target/benchmarks.jar dev.syncbox.bench.transfer.LargeTransferBench \
  "$GATEWAY" "$S3" "${1:-1024}" "${2:-3}" "${3:-1}" "$(getconf CLK_TCK)" "${pids[@]}"
