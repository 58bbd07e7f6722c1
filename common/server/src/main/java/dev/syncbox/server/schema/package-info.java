/** The database schema's one owner: Flyway run once before the services start. */
package dev.syncbox.server.schema;
