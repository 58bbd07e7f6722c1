/** Resumable upload sessions: start, append at an offset, finish with a commit; expired ones are cleaned up. */
package dev.syncbox.upload.session;
