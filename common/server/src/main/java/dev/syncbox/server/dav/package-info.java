/**
 * WebDAV and the Nextcloud client protocol, shared by the services that answer its routes: where a request URI
 * points in the caller's tree, hrefs, and write locks honoured by every protocol (docs/webdav.md).
 */
package dev.syncbox.server.dav;
