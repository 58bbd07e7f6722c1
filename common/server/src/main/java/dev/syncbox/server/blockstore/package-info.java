/** Content-addressed block storage: the port and its S3 adapter (the only place AWS SDK types live). */
package dev.syncbox.server.blockstore;
