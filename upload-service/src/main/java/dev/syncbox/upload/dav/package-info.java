/**
 * The content side of WebDAV and Nextcloud: {@code PUT} of a file, and Nextcloud's chunked uploads (v2) under
 * {@code /remote.php/dav/uploads/}, over syncbox's block store, upload sessions and commits.
 */
package dev.syncbox.upload.dav;
