#!/usr/bin/env bash
# The web app's two new paths (docs/web-app.md) against limits measured in the same run through the same
# gateway: tus uploads (POST /files/tus, then the file in one PATCH as the web app sends it, and in 8 MiB PATCHes)
# against the multipart POST /files/upload, for 64 MiB and for small files; thumbnails (GET /files/{id}/thumbnail?size=256) of
# 2000x1500 JPEGs and PNGs on their first request against this process making the same thumbnail with ImageIO, and
# on their second (from S3) against GET /files/download/{id} of a file of the thumbnail's bytes.
# Brings the local system up if the gateway does not answer. Prints a markdown table. Bytes on the wire come from the
# gateway's access log. Leaves a bench user with its files behind.
# Usage: bench/web.sh [rounds] [small-files] [threads] [pictures-per-format] [cached-requests]
#        (defaults 5, 300, 4, 12, 2000)
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
echo "==> running (several minutes)"
java -Xmx2g -Djava.awt.headless=true -cp bench/target/benchmarks.jar dev.syncbox.bench.web.WebBench \
  "$GATEWAY" "$LOG_DIR/nginx-access.log" "${1:-5}" "${2:-300}" "${3:-4}" "${4:-12}" "${5:-2000}"
