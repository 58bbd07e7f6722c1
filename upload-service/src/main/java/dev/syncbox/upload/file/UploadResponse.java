package dev.syncbox.upload.file;

import java.time.Instant;

/** The seed's upload answer; {@code checksum} is the Dropbox-style content hash. */
record UploadResponse(String fileId, String versionId, String checksum, Instant timestamp) {}
