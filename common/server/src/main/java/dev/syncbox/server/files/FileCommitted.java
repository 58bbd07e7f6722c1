package dev.syncbox.server.files;

import java.util.List;

/** A version became the current one of a file: any commit, merge, conflicted copy or restore. */
public record FileCommitted(long namespaceId, String fileId, String versionId) implements MetadataChange {

    @Override
    public List<String> fileIds() {
        return List.of(fileId);
    }
}
