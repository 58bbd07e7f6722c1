/** The upload service: takes file content, stores its blocks once, and commits versions. */
package dev.syncbox.upload;
