/** The sync service: accounts and devices, file metadata, and (later) the change feed. */
package dev.syncbox.sync;
