/** What WebDAV costs over syncbox's own API, through the same gateway in one run. */
package dev.syncbox.bench.dav;
