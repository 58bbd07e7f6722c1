/** The indexer: tails every namespace's journal into the search index, and rebuilds the index from PostgreSQL. */
package dev.syncbox.indexer.indexing;
