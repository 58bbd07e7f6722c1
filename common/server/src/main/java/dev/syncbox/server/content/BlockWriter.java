package dev.syncbox.server.content;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Writes one block: hashes it, and unless it is already stored, claims it, puts it in S3 and marks it
 * stored — in that order, so metadata never names a block the store lacks. A mark refused because
 * the block was tombstoned meanwhile starts the write over.
 */
@Component
public class BlockWriter {

    /** What happened to a block: its id, and whether its bytes had to be written. */
    public record Written(String blockId, int size, boolean newlyStored) {}

    /** Claims of one write that garbage collection may overtake before the write gives up. */
    static final int MAX_ATTEMPTS = 3;

    private final BlockStore store;
    private final BlockRegistry registry;
    private final Counter blocksWritten;
    private final Counter blocksReused;

    BlockWriter(BlockStore store, BlockRegistry registry, MeterRegistry meters) {
        this.store = store;
        this.registry = registry;
        this.blocksWritten = Counter.builder("syncbox.blocks.written")
                .description("Blocks whose bytes were written to the block store")
                .register(meters);
        this.blocksReused = Counter.builder("syncbox.blocks.reused")
                .description("Blocks received that were already stored (deduplicated)")
                .register(meters);
    }

    /** Stores a block whose id is its SHA-256. */
    public Written write(byte[] data, int off, int len) {
        byte[] digest = digest(data, off, len);
        return store(Hex.encode(digest), digest, data, off, len);
    }

    /** Stores a block a client named; a block whose bytes hash to another id is refused. */
    public Written writeVerified(String expectedId, byte[] data, int off, int len) {
        byte[] digest = digest(data, off, len);
        String actual = Hex.encode(digest);
        if (!actual.equals(expectedId)) {
            throw new SyncboxException(
                    ErrorCode.BLOCK_HASH_MISMATCH,
                    "The block's bytes hash to " + actual + ", not " + expectedId,
                    Map.of("block_id", expectedId, "actual_block_id", actual));
        }
        return store(actual, digest, data, off, len);
    }

    private Written store(String id, byte[] digest, byte[] data, int off, int len) {
        for (int attempt = 1; ; attempt++) {
            // The registry's row, not the cache: a write must never skip a block the store lacks.
            BlockRegistry.Claim claim = registry.claim(id, len);
            if (claim.stored()) {
                blocksReused.increment();
                return new Written(id, len, false);
            }
            store.put(id, digest, data, off, len);
            if (registry.markStored(id, claim)) {
                blocksWritten.increment();
                return new Written(id, len, true);
            }
            // Tombstoned since the claim, so this put may be deleted: claim the block and write it again.
            if (attempt == MAX_ATTEMPTS) {
                throw new SyncboxException(
                        ErrorCode.STORAGE_UNAVAILABLE, "Block " + id + " was collected while being written; try again");
            }
        }
    }

    private static byte[] digest(byte[] data, int off, int len) {
        var sha = Sha256.newDigest();
        sha.update(data, off, len);
        return sha.digest();
    }
}
