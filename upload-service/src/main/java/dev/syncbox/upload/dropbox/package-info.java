/** Dropbox API v2 upload routes ({@code files/upload} and {@code files/upload_session/*}) over syncbox's uploads. */
package dev.syncbox.upload.dropbox;
