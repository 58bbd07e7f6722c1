/** The Elasticsearch adapter: the only place {@code co.elastic.clients} types live. */
package dev.syncbox.indexer.search;
