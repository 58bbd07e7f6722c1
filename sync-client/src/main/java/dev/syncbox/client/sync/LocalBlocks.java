package dev.syncbox.client.sync;

import dev.syncbox.core.chunk.ChunkRef;
import java.util.List;

/**
 * What this folder already holds, so a download takes it from here instead of the network: whole files by content
 * hash, and the blocks of files cut into several. Answers are leads, not facts: a file may have changed since it was
 * hashed, so whoever reads from one checks the bytes against the hash they should have.
 */
public interface LocalBlocks {

    /** A block of {@code size} bytes at {@code offset} in the file at {@code path} (folder-relative). */
    record Held(String path, long offset, int size) {}

    /** Files that had this content when they were last hashed, a few at most. */
    List<String> withContent(String contentHash);

    /** Where a block with this id lay when its files were last hashed, a few places at most. */
    List<Held> block(String blockId);

    /**
     * The blocks of content this folder now holds (a file uploaded or downloaded), in content order. Content of one
     * block (or none) is not kept: the whole-file lookup by content hash already finds it.
     */
    void record(String contentHash, List<ChunkRef> blocks);

    /** Nothing held: every download comes from the server. */
    LocalBlocks NONE = new LocalBlocks() {
        @Override
        public List<String> withContent(String contentHash) {
            return List.of();
        }

        @Override
        public List<Held> block(String blockId) {
            return List.of();
        }

        @Override
        public void record(String contentHash, List<ChunkRef> blocks) {}
    };
}
