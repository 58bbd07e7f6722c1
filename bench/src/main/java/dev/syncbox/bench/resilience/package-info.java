/** Latency with Redis down against Redis up: the cost of running without the cache. */
package dev.syncbox.bench.resilience;
