package dev.syncbox.server.search;

import java.time.Instant;

/**
 * One entry of the index: a live file or folder as its namespace holds it (paths are the owner's).
 *
 * @param contentHash the content's hash, {@code null} for a folder
 * @param content the text extracted from the content, {@code null} when there is none
 */
public record FileDocument(
        String fileId,
        long namespaceId,
        long ownerId,
        String path,
        boolean dir,
        long size,
        Instant modifiedAt,
        String contentHash,
        String content) {}
