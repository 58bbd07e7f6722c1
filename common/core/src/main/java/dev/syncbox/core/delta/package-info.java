/**
 * Delta sync: encoding a changed block against blocks the server already has ({@link BlockDelta}), and planning what
 * a client uploads after a local edit ({@link DeltaPlanner}).
 */
package dev.syncbox.core.delta;
