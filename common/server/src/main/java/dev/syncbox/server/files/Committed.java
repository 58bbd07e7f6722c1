package dev.syncbox.server.files;

import java.time.Instant;

/** The outcome of a commit: the file and its new current version. */
public record Committed(
        String fileId, String versionId, String contentHash, long size, Instant timestamp, boolean created) {}
