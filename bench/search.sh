#!/usr/bin/env bash
# Search at 200,000 files (issue 17, docs/search.md): the indexer's throughput (tailing a backlog and a full
# reindex) against a raw Elasticsearch _bulk of as many equivalent documents, the lag from an upload to a search
# that finds it, and name, path and content query latency through the gateway against the same queries sent
# straight to Elasticsearch. Brings the local system up if the gateway does not answer. Prints a markdown table.
# Leaves a bench user with 200,000 files behind (and their documents in the index).
# Usage: bench/search.sh [files] [lag-samples] [queries] [query-threads]   (defaults 200000, 200, 500, 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
GATEWAY="http://127.0.0.1:${SYNCBOX_PORT:-8080}"
ES="http://127.0.0.1:$ES_PORT"

if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "==> the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi
for app in "${APPS[@]}"; do
  [[ "${app%%:*}" == indexer-job ]] && INDEXER="http://127.0.0.1:${app##*:}"
done
code="$(curl -s -o /dev/null -w '%{http_code}' "$INDEXER/actuator/indexer" || true)"
[[ "$code" == 200 ]] ||
  die "GET $INDEXER/actuator/indexer answered $code: the indexer job is not running this code (deploy/local/down.sh, then up.sh)"

echo "==> building the benchmark"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
echo "==> running (about 10 minutes: 200,000 files committed and indexed, a reindex, a raw bulk, lag and queries)"
java -Xmx3g -cp bench/target/benchmarks.jar dev.syncbox.bench.search.SearchBench \
  "$GATEWAY" "$INDEXER" "$ES" "jdbc:postgresql://127.0.0.1:$PG_PORT/syncbox" \
  "${1:-200000}" "${2:-200}" "${3:-500}" "${4:-2}"
