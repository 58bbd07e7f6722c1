package dev.syncbox.server.files;

import java.util.List;

/** An entry moved or was renamed; for a folder, {@code fileIds} holds every entry under it too. */
public record EntriesMoved(long namespaceId, List<String> fileIds) implements MetadataChange {

    public EntriesMoved {
        fileIds = List.copyOf(fileIds);
    }
}
