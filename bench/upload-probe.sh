#!/usr/bin/env bash
# Rows (a) and (e) of bench/throughput.sh for 1 KiB uploads alone, repeated (default 3 rounds): a few minutes, for
# comparing two builds on the same running stack. The figures are absolute; the full bench is the one to quote.
# With --cpu, each round measures row (e) alone for every kind of request (no-op, upload, mkdir, feed page).
# Usage: bench/upload-probe.sh [--rounds N] [--cpu]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
curl -sf "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null || die "the gateway does not answer: start the system first"
PROCS=()
for app in upload-service sync-service; do
  pid="$(pid_of "$RUN_DIR/$app.pid")" && [[ -n "$pid" ]] && PROCS+=(--proc "$app=$pid")
done
PROCS+=(--proc "postgres=$(head -n 1 "$DATA_DIR/pg/postmaster.pid")")
for svc in redis s3proxy nginx; do
  pid="$(pid_of "$RUN_DIR/$svc.pid")" && [[ -n "$pid" ]] && PROCS+=(--proc "$svc=$pid")
done
[[ -f bench/target/benchmarks.jar ]] || ./mvnw -q -B -P bench -pl bench -am package -DskipTests -Dspotless.check.skip=true
java -Xmx1g -cp bench/target/benchmarks.jar dev.syncbox.bench.throughput.UploadProbe \
  --gateway "http://127.0.0.1:$GATEWAY_PORT" --clk-tck "$(getconf CLK_TCK)" "${PROCS[@]}" "$@"
