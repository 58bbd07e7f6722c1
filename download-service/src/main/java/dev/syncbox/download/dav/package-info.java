/** WebDAV's {@code GET} and {@code HEAD} of a file on the three DAV routes, streamed from the block store. */
package dev.syncbox.download.dav;
