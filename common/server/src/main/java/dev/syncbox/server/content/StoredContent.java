package dev.syncbox.server.content;

import java.util.List;

/**
 * Content whose blocks are all in the block store, ready to be named by a version.
 *
 * @param hashWindows SHA-256 of each 4 MiB window, concatenated; {@code contentHash} is their SHA-256
 * @param newBytes bytes that had to be written to the store (the rest deduplicated)
 */
public record StoredContent(
        List<String> blockIds,
        List<Integer> blockSizes,
        long size,
        String contentHash,
        byte[] hashWindows,
        long newBytes) {

    public StoredContent {
        blockIds = List.copyOf(blockIds);
        blockSizes = List.copyOf(blockSizes);
    }
}
