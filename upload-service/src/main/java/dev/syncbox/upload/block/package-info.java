/** Blocks by hash: which ones the server has, and uploading the missing ones whole or as deltas. */
package dev.syncbox.upload.block;
