/** Multi-device sync figures: long-poll wake-up latency and the cost of a feed page against tree size. */
package dev.syncbox.bench.sync;
