package dev.syncbox.server.files;

import java.util.List;

/** Trashed entries were removed for good, with their versions. */
public record EntriesPurged(List<String> fileIds) implements MetadataChange {

    public EntriesPurged {
        fileIds = List.copyOf(fileIds);
    }
}
