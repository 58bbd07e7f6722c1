/**
 * The Dropbox API v2 wire format, shared by the services that answer its routes: {@code .tag} unions, errors as
 * Dropbox sends them, revs, ids, paths and timestamps in the forms the official SDKs accept (docs/dropbox-api.md).
 */
package dev.syncbox.server.dropbox;
