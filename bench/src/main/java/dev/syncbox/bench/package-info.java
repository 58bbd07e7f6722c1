/** JMH benchmarks of syncbox's hot paths; run them with {@code bench/chunk-throughput.sh}. */
package dev.syncbox.bench;
