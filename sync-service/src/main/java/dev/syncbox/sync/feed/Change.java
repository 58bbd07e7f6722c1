package dev.syncbox.sync.feed;

import java.time.Instant;

/** One entry of a device's feed. {@code from_path} is set on MOVE. */
record Change(
        String fileId,
        String path,
        String fromPath,
        String operation,
        String versionId,
        Long size,
        String contentHash,
        boolean isDir,
        Instant timestamp) {}
