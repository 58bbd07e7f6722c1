/** Identifiers: time-ordered ULIDs for every entity syncbox creates. */
package dev.syncbox.core.id;
