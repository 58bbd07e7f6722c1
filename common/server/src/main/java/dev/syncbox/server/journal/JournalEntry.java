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
        Instant at) {

    JournalEntry withPaths(String newPath, String newFromPath) {
        return new JournalEntry(
                fileId, operation, newPath, newFromPath, versionId, sizeBytes, contentHash, isDir, deviceId, at);
    }

    /** This entry as another operation on one path (a move seen from one side only). */
    JournalEntry as(Operation newOperation, String newPath) {
        return new JournalEntry(
                fileId, newOperation, newPath, null, versionId, sizeBytes, contentHash, isDir, deviceId, at);
    }
}
