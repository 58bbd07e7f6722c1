/** {@code GET /files/download/{file_id}}: whole or ranged content of a version, with an ETag. */
package dev.syncbox.download.file;
