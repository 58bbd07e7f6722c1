/** What the Dropbox API adapter costs over syncbox's own API, measured through the same gateway in one run. */
package dev.syncbox.bench.dropbox;
