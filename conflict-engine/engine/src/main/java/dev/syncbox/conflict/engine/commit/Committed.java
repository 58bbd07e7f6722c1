package dev.syncbox.conflict.engine.commit;

import java.time.Instant;

/**
 * The outcome of a commit: the file and its new current version, and the conflict it ran into, if
 * any (then the file may be a conflicted copy beside the one the client meant).
 */
public record Committed(
        String fileId,
        String versionId,
        String contentHash,
        long size,
        Instant timestamp,
        boolean created,
        ConflictOutcome conflict) {

    /** How a conflict ended for this commit. */
    public record ConflictOutcome(String conflictId, String resolution, String status) {}

    public Committed(
            String fileId, String versionId, String contentHash, long size, Instant timestamp, boolean created) {
        this(fileId, versionId, contentHash, size, timestamp, created, null);
    }
}
