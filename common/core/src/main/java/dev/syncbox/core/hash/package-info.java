/** Hashing: block ids (SHA-256 of a block's bytes) and Dropbox's {@code content_hash} of a whole file. */
package dev.syncbox.core.hash;
