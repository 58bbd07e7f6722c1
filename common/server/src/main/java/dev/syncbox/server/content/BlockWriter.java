package dev.syncbox.server.content;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes one block: hashes it, and unless it is already stored, claims it, puts it in S3 and marks it
 * stored — in that order, so metadata never names a block the store lacks. A mark refused because
 * the block was tombstoned meanwhile starts the write over.
 */
@Component
public class BlockWriter implements DisposableBean {

    /** What happened to a block: its id, and whether its bytes had to be written. */
    public record Written(String blockId, int size, boolean newlyStored) {}

    /** A block a client named, with its bytes. */
    public record Named(String expectedId, byte[] data) {}

    /** Puts to the block store at once for one {@link #writeAllVerified} call. */
    static final int PUTS_IN_FLIGHT = 8;

    /** Claims of one write that garbage collection may overtake before the write gives up. */
    static final int MAX_ATTEMPTS = 3;

    private final ExecutorService putters = Executors.newFixedThreadPool(PUTS_IN_FLIGHT, runnable -> {
        Thread thread = new Thread(runnable, "block-batch-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockStore store;
    private final BlockRegistry registry;
    private final MeterRegistry meters;

    BlockWriter(BlockStore store, BlockRegistry registry, MeterRegistry meters) {
        this.store = store;
        this.registry = registry;
        this.meters = meters;
    }

    /**
     * Registers this writer's meters at zero. Called by the service that writes blocks, so that only it
     * exports them, and Prometheus sees their first increase.
     */
    public void registerMeters() {
        writtenCounter();
        storedBytes();
        reusedCounter();
    }

    /** Counts a block newly written to the store. */
    private void written(int len) {
        writtenCounter().increment();
        storedBytes().increment(len);
    }

    /** Counts a block received that was already stored (deduplicated before it was written). */
    private void reused() {
        reusedCounter().increment();
    }

    private Counter writtenCounter() {
        return Counter.builder("syncbox.blocks.written")
                .description("Blocks whose bytes were written to the block store")
                .register(meters);
    }

    private Counter storedBytes() {
        return Counter.builder("syncbox.blocks.stored.bytes")
                .description("Bytes of the blocks newly written to the block store")
                .baseUnit("bytes")
                .register(meters);
    }

    private Counter reusedCounter() {
        return Counter.builder("syncbox.blocks.reused")
                .description("Blocks received that were already stored (deduplicated)")
                .register(meters);
    }

    /** Stores a block whose id is its SHA-256, for content about to be committed. */
    public Written write(byte[] data, int off, int len) {
        byte[] digest = digest(data, off, len);
        // Content written here goes on to a commit, which caches its blocks once it is in.
        return store(Hex.encode(digest), digest, data, off, len, false);
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
        return store(actual, digest, data, off, len, true);
    }

    private Written store(String id, byte[] digest, byte[] data, int off, int len, boolean announce) {
        for (int attempt = 1; ; attempt++) {
            // The registry's row, not the cache: a write must never skip a block the store lacks.
            BlockRegistry.Claim claim = registry.claim(id, len);
            if (claim.stored()) {
                reused();
                return new Written(id, len, false);
            }
            store.put(id, digest, data, off, len);
            if (registry.markStored(id, claim, announce)) {
                written(len);
                return new Written(id, len, true);
            }
            // Tombstoned since the claim, so this put may be deleted: claim the block and write it again.
            if (attempt == MAX_ATTEMPTS) {
                throw new SyncboxException(
                        ErrorCode.STORAGE_UNAVAILABLE, "Block " + id + " was collected while being written; try again");
            }
        }
    }

    /**
     * {@link #writeVerified} for many blocks at once: claims in one statement, puts the unstored ones
     * in parallel, marks them stored in one statement. The answer, in order, is a {@link Written} or
     * the {@link SyncboxException} for each block; one block's failure is only its own.
     */
    public List<Object> writeAllVerified(List<Named> blocks) {
        Object[] results = new Object[blocks.size()];
        Map<String, byte[]> pending = new LinkedHashMap<>();
        Map<String, byte[]> digests = new HashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            Named block = blocks.get(i);
            byte[] digest = digest(block.data(), 0, block.data().length);
            String actual = Hex.encode(digest);
            if (!actual.equals(block.expectedId())) {
                results[i] = new SyncboxException(
                        ErrorCode.BLOCK_HASH_MISMATCH,
                        "The block's bytes hash to " + actual + ", not " + block.expectedId(),
                        Map.of("block_id", block.expectedId(), "actual_block_id", actual));
            } else {
                pending.putIfAbsent(actual, block.data());
                digests.put(actual, digest);
            }
        }
        Map<String, Object> outcomes = new ConcurrentHashMap<>();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Map<String, Integer> sizes = new HashMap<>();
            pending.forEach((id, data) -> sizes.put(id, data.length));
            Map<String, BlockRegistry.Claim> claims = registry.claimAll(sizes);
            Map<String, BlockRegistry.Claim> put = new ConcurrentHashMap<>();
            List<String> ids = List.copyOf(pending.keySet());
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            Semaphore slots = new Semaphore(PUTS_IN_FLIGHT);
            for (String id : ids) {
                BlockRegistry.Claim claim = claims.get(id);
                if (claim.stored()) {
                    reused();
                    outcomes.put(id, new Written(id, pending.get(id).length, false));
                    continue;
                }
                slots.acquireUninterruptibly();
                byte[] data = pending.get(id);
                puts.add(CompletableFuture.runAsync(() -> store.put(id, digests.get(id), data, 0, data.length), putters)
                        .handle((ok, failure) -> {
                            slots.release();
                            if (failure == null) {
                                put.put(id, claim);
                            } else {
                                outcomes.put(id, failure.getCause() != null ? failure.getCause() : failure);
                            }
                            return null;
                        }));
            }
            puts.forEach(CompletableFuture::join);
            Set<String> marked = registry.markAllStored(put);
            marked.forEach(id -> {
                written(pending.get(id).length);
                outcomes.put(id, new Written(id, pending.get(id).length, true));
            });
            pending.keySet().removeIf(outcomes::containsKey);
            // Left: tombstoned since the claim, so the put may have been deleted; claim and write again.
            if (attempt == MAX_ATTEMPTS) {
                pending.keySet()
                        .forEach(id -> outcomes.put(
                                id,
                                new SyncboxException(
                                        ErrorCode.STORAGE_UNAVAILABLE,
                                        "Block " + id + " was collected while being written; try again")));
                pending.clear();
            }
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (results[i] == null) {
                Object outcome = outcomes.get(blocks.get(i).expectedId());
                results[i] = outcome instanceof Throwable t && !(t instanceof SyncboxException)
                        ? new SyncboxException(ErrorCode.STORAGE_UNAVAILABLE, "The block could not be stored", t)
                        : outcome;
            }
        }
        return List.of(results);
    }

    @Override
    public void destroy() {
        putters.shutdownNow();
    }

    private static byte[] digest(byte[] data, int off, int len) {
        var sha = Sha256.newDigest();
        sha.update(data, off, len);
        return sha.digest();
    }
}
