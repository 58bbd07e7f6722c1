package dev.syncbox.server.files;

import java.util.List;

/** Entries went to the trash (a folder with everything under it). */
public record EntriesDeleted(long namespaceId, List<String> fileIds) implements MetadataChange {

    public EntriesDeleted {
        fileIds = List.copyOf(fileIds);
    }
}
