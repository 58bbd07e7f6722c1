/** The change feed: {@code /files/sync} pages of journal entries behind a signed cursor, long-poll and the sync socket. */
package dev.syncbox.sync.feed;
