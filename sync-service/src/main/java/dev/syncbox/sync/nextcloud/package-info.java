/**
 * The small endpoints a Nextcloud client asks before it syncs over WebDAV: {@code status.php}, the OCS capabilities
 * and the signed-in user (docs/nextcloud.md). Their JSON is Nextcloud's own wire format, not syncbox's.
 */
package dev.syncbox.sync.nextcloud;
