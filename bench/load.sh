#!/usr/bin/env bash
# Sustained mixed load through the gateway for a fixed time: small uploads, block-list commits, downloads, feed reads
# and long-polls, from clients each on an account of their own. Prints requests, errors and p50/p95/p99 per
# operation, each service's resident memory after the warm-up, at the end and at its peak, and each service's
# connection pool (most busy, most waiting, timeouts); each p95 also as a ratio to the p95 of the cheapest
# authenticated request (GET /auth/check) run first by the same clients for 30 s, the limit measured in the same run.
# Brings the system up if the gateway does not answer.
# See docs/reliability.md.
# Usage: bench/load.sh [minutes] [clients]   (default 5 minutes, 8 clients)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
MINUTES="${1:-5}"
CLIENTS="${2:-8}"

if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  step "the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi

ARGS=()
for app in "${APPS[@]}"; do
  name="${app%%:*}"
  port="${app##*:}"
  pid="$(pid_of "$RUN_DIR/$name.pid")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    ARGS+=(--service "$name=$port" --proc "$name=$pid")
  else
    warn "no running $name found under $DATA_DIR"
  fi
done

step "building the load generator"
./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
step "running (load average $(cut -d' ' -f1-3 /proc/loadavg))"
java -Xmx512m -cp bench/target/benchmarks.jar dev.syncbox.bench.throughput.MixedLoad \
  --gateway "$GATEWAY" --clients "$CLIENTS" --warmup-s 30 --minutes "$MINUTES" --floor-s 30 "${ARGS[@]}"
