/** File content as blocks: streaming ingest into the block store, block registry, ranged reads. */
package dev.syncbox.server.content;
