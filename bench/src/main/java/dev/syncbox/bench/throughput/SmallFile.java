package dev.syncbox.bench.throughput;

import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh small file: random bytes (so every upload stores a new block), its block id and its content hash. A file
 * under the smallest chunk is one block, so the commit lists exactly that block.
 */
record SmallFile(byte[] data, String blockId, String contentHash) {

    static final int SIZE = 1024;

    static SmallFile random() {
        byte[] data = new byte[SIZE];
        ThreadLocalRandom.current().nextBytes(data);
        return new SmallFile(data, BlockId.of(data, 0, data.length), ContentHasher.of(data));
    }

    /** A {@code /files/commit} body for this file at {@code path}, as a new file. */
    String commitJson(String path) {
        return "{\"file_path\":\"" + path + "\",\"parent_version_id\":null,\"blocks\":[\"" + blockId + "\"],\"size\":"
                + data.length + ",\"content_hash\":\"" + contentHash + "\"}";
    }
}
