/** Delete to trash, restore from it within 30 days, permanent deletion and the purge of expired entries. */
package dev.syncbox.sync.trash;
