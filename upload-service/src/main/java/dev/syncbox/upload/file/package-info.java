/** {@code POST /files/upload}: a whole file as a multipart stream, chunked and deduplicated on the fly. */
package dev.syncbox.upload.file;
