/** The Redis hot cache: never the truth, and every call survives Redis being down. */
package dev.syncbox.server.cache;
