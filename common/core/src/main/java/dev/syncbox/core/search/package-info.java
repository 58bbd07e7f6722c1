/**
 * How names and paths are split into the words the search index holds and a query asks for (docs/search.md): plain
 * Java, so the services, the indexer and the search benchmark split them alike.
 */
package dev.syncbox.core.search;
