/**
 * WebDAV (RFC 4918) on syncbox's tree for Nextcloud and DAV clients: properties, folders, deletes, moves, copies and
 * locks, each done by syncbox's own operations so that access control, the journal and the trash are the same.
 */
package dev.syncbox.sync.dav;
