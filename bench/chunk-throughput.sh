#!/usr/bin/env bash
# Chunk + hash throughput on one core against plain SHA-256 (JMH, 64 MiB of random data).
# Usage: bench/chunk-throughput.sh [more JMH options]. Needs only the JDK; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -P bench -pl bench -am package -DskipTests

results="$(mktemp -d)/chunk-hash.csv"
java -jar bench/target/benchmarks.jar ChunkHashBenchmark -f 1 -wi 3 -i 5 -t 1 -rf csv -rff "$results" "$@"

echo
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(java -version 2>&1 | head -1)"
echo "SHA-NI: $(grep -q -m1 -w sha_ni /proc/cpuinfo && echo yes || echo no)"
# Every benchmark operation processes 64 MiB, so MB/s = ops/s * 64 MiB / 10^6.
awk -F, -v bytes=$((64 * 1024 * 1024)) '
    NR == 1 { next }
    {
        gsub(/"/, "")
        name = $1; sub(/.*\./, "", name)
        mbs[name] = $5 * bytes / 1e6; err[name] = $6 * bytes / 1e6; order[++n] = name
    }
    END {
        base = mbs["sha256"]
        printf "\n%-26s %10s %9s %12s\n", "benchmark", "MB/s", "+/-", "vs SHA-256"
        split("sha256 fastCdcBoundaries fastCdcSha256 fixed4MiBSha256 fastCdcSha256ContentHash", wanted, " ")
        for (i = 1; i in wanted; i++) { shown[wanted[i]] = 1; row(wanted[i]) }
        for (i = 1; i <= n; i++) if (!(order[i] in shown)) row(order[i])
        if (base > 0 && ("fastCdcSha256" in mbs)) {
            printf "\nchunk+hash (FastCDC + SHA-256 per chunk) / plain SHA-256 = %.2f (target >= 0.80)\n", mbs["fastCdcSha256"] / base
        }
    }
    function row(name) {
        if (name in mbs) printf "%-26s %10.0f %9.0f %11.2fx\n", name, mbs[name], err[name], (base > 0 ? mbs[name] / base : 0)
    }' "$results"
