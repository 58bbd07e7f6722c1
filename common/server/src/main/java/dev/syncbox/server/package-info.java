/** What every syncbox service shares: schema, metadata, journal, block store, cache, auth and errors. */
package dev.syncbox.server;
