/** The change feed: {@code /files/sync} pages of journal entries behind a signed cursor, and long-poll. */
package dev.syncbox.sync.feed;
