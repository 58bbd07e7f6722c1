package dev.syncbox.server.files;

import java.util.List;

/** Entries came back from the trash. */
public record EntriesRestored(long namespaceId, List<String> fileIds) implements MetadataChange {

    public EntriesRestored {
        fileIds = List.copyOf(fileIds);
    }
}
