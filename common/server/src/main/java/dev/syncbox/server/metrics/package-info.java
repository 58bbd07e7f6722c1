/** Metric names from the design and the tags every service's meters carry. */
package dev.syncbox.server.metrics;
