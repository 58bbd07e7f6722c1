/**
 * Who may see and change what: ownership, shares of files and folders, the sharee's view of a shared
 * item mounted in their tree, and the journal of a shared item (docs/sharing.md).
 */
package dev.syncbox.server.share;
