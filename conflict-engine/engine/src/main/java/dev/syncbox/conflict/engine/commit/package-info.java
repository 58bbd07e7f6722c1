/**
 * The conflict-aware commit: a version becomes current only on top of the version it was based on;
 * a stale parent is rejected or resolved, with no content I/O under the namespace lock.
 */
package dev.syncbox.conflict.engine.commit;
