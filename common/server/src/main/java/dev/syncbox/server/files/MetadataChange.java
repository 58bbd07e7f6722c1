package dev.syncbox.server.files;

import java.util.List;

/**
 * A change to files' metadata (path, current version, liveness), published inside the transaction that
 * makes it; once it commits, what was cached about these files is dropped ({@link MetadataEvictions}).
 */
public sealed interface MetadataChange
        permits FileCommitted, FilesCommitted, EntriesMoved, EntriesDeleted, EntriesRestored, EntriesPurged {

    List<String> fileIds();
}
