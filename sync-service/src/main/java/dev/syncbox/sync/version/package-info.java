/** Version history of a file, and restoring an old version as a new one. */
package dev.syncbox.sync.version;
