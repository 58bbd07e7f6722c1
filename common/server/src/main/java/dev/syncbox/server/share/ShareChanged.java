package dev.syncbox.server.share;

/**
 * What is shared with a user changed: a share created, changed, ended, or its item purged. Once it
 * commits, the user's grants are read afresh and their long-polls wake.
 */
public record ShareChanged(long userId, long rootNamespaceId) {}
