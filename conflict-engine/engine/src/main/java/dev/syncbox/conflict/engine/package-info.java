/**
 * The conflict engine, linked by every service that commits versions: detection (the commit's
 * compare-and-set on the parent version), resolution (3-way text merge, conflicted copies) and the
 * conflict records (docs/conflicts.md).
 */
package dev.syncbox.conflict.engine;
