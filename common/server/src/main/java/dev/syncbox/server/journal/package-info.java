/** The per-namespace change journal: every metadata change appends here in its own transaction. */
package dev.syncbox.server.journal;
