/** Chunking: cutting file content into blocks (content-defined FastCDC or fixed size) identically on clients and servers. */
package dev.syncbox.core.chunk;
