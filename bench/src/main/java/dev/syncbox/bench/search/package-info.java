/**
 * Search at 200,000 files (issue 17): the indexer's throughput against a raw Elasticsearch bulk, the lag from an
 * upload to a search that finds it, and query latency through the gateway against the same query sent straight to
 * Elasticsearch.
 */
package dev.syncbox.bench.search;
