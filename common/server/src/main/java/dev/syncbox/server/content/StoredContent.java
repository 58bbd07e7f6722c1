package dev.syncbox.server.content;

import java.util.List;

/**
 * Content whose blocks are all in the block store, ready to be named by a version.
 *
 * @param newBytes bytes that had to be written to the store (the rest deduplicated)
 */
public record StoredContent(
        List<String> blockIds, List<Integer> blockSizes, long size, String contentHash, long newBytes) {

    public StoredContent {
        blockIds = List.copyOf(blockIds);
        blockSizes = List.copyOf(blockSizes);
    }
}
