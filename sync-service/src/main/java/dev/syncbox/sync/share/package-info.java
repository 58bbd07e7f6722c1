/** Sharing files and folders with other users: the shares API (docs/sharing.md). */
package dev.syncbox.sync.share;
