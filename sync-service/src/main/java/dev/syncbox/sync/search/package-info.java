/** {@code GET /files/search}: finds files by name, path and content in what the caller can read (docs/search.md). */
package dev.syncbox.sync.search;
