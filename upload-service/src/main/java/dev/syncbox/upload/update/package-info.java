/** {@code PUT /files/{file_id}/update}: bytes written at an offset, re-chunking only the region they touch. */
package dev.syncbox.upload.update;
