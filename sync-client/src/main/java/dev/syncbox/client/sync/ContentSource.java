package dev.syncbox.client.sync;

import dev.syncbox.core.chunk.ChunkRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where a version's content comes from when the local side writes it. */
public interface ContentSource {

    /**
     * Writes the content of the file's version ({@code size} bytes; the file at {@code path}, which names it in
     * progress reports) to {@code target} (a new file the caller made for it), verifying the content hash; blocks the
     * local copy at {@code previous} (null: none) or other files here already hold are read from them instead of
     * fetched. Answers the version's blocks in content order when they were learnt, else an empty list.
     */
    List<ChunkRef> fetch(
            String path, String fileId, String versionId, String contentHash, long size, Path previous, Path target)
            throws IOException;

    /** One file of {@link #fetchAll}: a version to write to {@code target} (a new file), with no local copy to reuse. */
    record Whole(String path, String fileId, String versionId, String contentHash, long size, Path target) {}

    /**
     * Writes each file's content as {@link #fetch} with no local copy would, and answers for each, in order: null when
     * it is written and verified, otherwise why not. One that fails does not stop the others. This one fetches them
     * one at a time; a server that sends many files in one answer does better.
     */
    default List<IOException> fetchAll(List<Whole> files) {
        List<IOException> failures = new ArrayList<>(files.size());
        for (Whole f : files) {
            try {
                fetch(f.path(), f.fileId(), f.versionId(), f.contentHash(), f.size(), null, f.target());
                failures.add(null);
            } catch (IOException e) {
                failures.add(e);
            }
        }
        return failures;
    }
}
