/** The indexer job: feeds file metadata from the journal into Elasticsearch for search. */
package dev.syncbox.indexer;
