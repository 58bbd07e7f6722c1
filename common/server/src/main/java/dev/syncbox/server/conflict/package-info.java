/** Conflicts: commits based on a version that is no longer current, merged or kept as copies. */
package dev.syncbox.server.conflict;
