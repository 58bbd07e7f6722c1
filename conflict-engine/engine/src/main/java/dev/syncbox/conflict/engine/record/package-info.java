/** The {@code conflicts} table and the conflict metrics: what diverged, how it ended, how long it took. */
package dev.syncbox.conflict.engine.record;
