package dev.syncbox.server.journal;

import java.time.Instant;

/** One change to one file or folder of a namespace. */
public record JournalEntry(
        String fileId,
        Operation operation,
        String path,
        String fromPath,
        String versionId,
        Long sizeBytes,
        String contentHash,
        boolean isDir,
        String deviceId,
        Instant at) {}
