package dev.syncbox.server.blockstore;

/** The store has no object for a block that metadata says exists: lost, or garbage-collected under us. */
public class BlockMissingException extends RuntimeException {

    private final String blockId;

    public BlockMissingException(String blockId, Throwable cause) {
        super("Block " + blockId + " is not in the block store", cause);
        this.blockId = blockId;
    }

    public String blockId() {
        return blockId;
    }
}
