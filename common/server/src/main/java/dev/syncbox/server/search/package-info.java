/**
 * The search index (docs/search.md): the only place {@code co.elastic.clients} types live. The indexer job writes it,
 * sync-service's {@code /files/search} reads it; both speak to it through {@link dev.syncbox.server.search.FileIndex}.
 * Its beans exist only in a service that names {@code syncbox.search.url}.
 */
package dev.syncbox.server.search;
