/** Dropbox API v2 routes served by sync-service, translated to its own services (docs/dropbox-api.md). */
package dev.syncbox.sync.dropbox;
