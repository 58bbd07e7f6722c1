/** Dropbox API v2 routes of the sync service, translated to syncbox's own services (docs/dropbox-api.md). */
package dev.syncbox.sync.dropbox;
