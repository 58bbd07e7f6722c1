/** {@code GET /files/{file_id}/thumbnail}: a JPEG of an image file's version, made on demand and kept in S3. */
package dev.syncbox.download.thumbnail;
