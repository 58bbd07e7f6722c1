/**
 * {@code bench/throughput.sh}: every hot-path figure of syncbox measured in one run beside the machine's own limits
 * (pgbench, raw S3, a bare authenticated request through the gateway), each printed as a ratio to its limit.
 */
package dev.syncbox.bench.throughput;
