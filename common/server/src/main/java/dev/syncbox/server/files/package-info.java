/** Committing versions of files: the one transaction that names stored blocks in metadata. */
package dev.syncbox.server.files;
