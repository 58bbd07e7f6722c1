/**
 * The Redis adapter: hot cache, change bus and shared failure limits, all behind one circuit
 * breaker. Never the truth, and every call survives Redis being down, slow or restarting; Redis,
 * Lettuce, Resilience4j and Bucket4j types live here only.
 */
package dev.syncbox.server.cache;
