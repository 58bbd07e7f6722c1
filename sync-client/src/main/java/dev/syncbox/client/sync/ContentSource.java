package dev.syncbox.client.sync;

import java.io.IOException;
import java.nio.file.Path;

/** Where a version's content comes from when the local side writes it. */
public interface ContentSource {

    /**
     * Writes the content of the file's version (the file at {@code path}, which names it in progress reports) to {@code target} (a new file the caller made for it), verifying the
     * content hash; blocks the local copy at {@code previous} already holds (null: none) are read from it instead of
     * fetched.
     */
    void fetch(String path, String fileId, String versionId, String contentHash, Path previous, Path target)
            throws IOException;
}
