package dev.syncbox.server.files;

import java.util.List;

/**
 * Versions became current for many existing files of a namespace at once (a batch commit). Files the
 * batch created are not named: nothing can be cached under an id that did not exist.
 */
public record FilesCommitted(long namespaceId, List<String> fileIds) implements MetadataChange {

    public FilesCommitted {
        fileIds = List.copyOf(fileIds);
    }
}
