package dev.syncbox.core.chunk;

import dev.syncbox.core.hash.BlockId;

/** Where a chunk lies in a file and its block id (lowercase hex SHA-256 of its bytes). */
public record ChunkRef(long offset, int length, String blockId) {

    public ChunkRef {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("length must be > 0, got " + length);
        }
        if (!BlockId.isValid(blockId)) {
            throw new IllegalArgumentException("not a block id: " + blockId);
        }
    }

    /** The offset just past this chunk. */
    public long end() {
        return offset + length;
    }
}
