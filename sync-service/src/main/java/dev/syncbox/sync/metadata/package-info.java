/** {@code GET /files/{file_id}/metadata}: a file's attributes and its version list, cached in Redis. */
package dev.syncbox.sync.metadata;
