package dev.syncbox.upload.file;

import dev.syncbox.conflict.engine.commit.Committed;
import java.time.Instant;

/**
 * The seed's upload answer; {@code checksum} is the Dropbox-style content hash. {@code conflict} is set
 * when {@code mode: auto} resolved a stale {@code parent_version_id}.
 */
record UploadResponse(
        String fileId, String versionId, String checksum, Instant timestamp, Committed.ConflictOutcome conflict) {

    static UploadResponse of(Committed committed) {
        return new UploadResponse(
                committed.fileId(),
                committed.versionId(),
                committed.contentHash(),
                committed.timestamp(),
                committed.conflict());
    }
}
