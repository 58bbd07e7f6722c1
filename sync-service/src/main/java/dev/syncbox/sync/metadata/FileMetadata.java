package dev.syncbox.sync.metadata;

import java.time.Instant;
import java.util.List;

/** The seed's metadata answer, plus the path, the current version and its content hash. */
record FileMetadata(
        String fileId,
        String name,
        String path,
        boolean isDir,
        long size,
        Instant createdAt,
        Instant modifiedAt,
        long ownerId,
        String currentVersionId,
        String contentHash,
        List<Version> versions) {

    record Version(String id, long size, Instant timestamp) {}

    /** The same entry as seen at another path (a sharee's view). */
    FileMetadata at(String viewPath) {
        return new FileMetadata(
                fileId,
                dev.syncbox.core.path.SyncPath.name(viewPath),
                viewPath,
                isDir,
                size,
                createdAt,
                modifiedAt,
                ownerId,
                currentVersionId,
                contentHash,
                versions);
    }
}
