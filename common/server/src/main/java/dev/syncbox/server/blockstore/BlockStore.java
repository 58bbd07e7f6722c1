package dev.syncbox.server.blockstore;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;

/**
 * Immutable blocks keyed by the hex SHA-256 of their bytes. Failures to reach the store surface as
 * {@code SyncboxException(STORAGE_UNAVAILABLE)}.
 */
public interface BlockStore {

    /** Stores a block; storing an existing block again is a no-op. {@code sha256} is its raw digest. */
    void put(String blockId, byte[] sha256, byte[] data, int offset, int length);

    /**
     * Stores an object in the given S3 storage class (the archive tier's packs, docs/version-store.md); a store
     * without storage classes stores it as {@link #put} does.
     */
    default void putInClass(String key, byte[] sha256, byte[] data, int offset, int length, String storageClass) {
        put(key, sha256, data, offset, length);
    }

    /** Opens bytes {@code [from, toInclusive]} of a block; {@link BlockMissingException} if it is gone. */
    InputStream open(String blockId, long from, long toInclusive);

    boolean exists(String blockId);

    /**
     * A small object kept beside the blocks that is not one (a thumbnail: derived, and made again when missing), read
     * whole: its bytes, at most {@code maxBytes} of them, or empty when the store has nothing under {@code key}.
     * Blocks themselves are read through {@code BlockReads}, which knows how each is stored.
     */
    default Optional<byte[]> readObject(String key, int maxBytes) {
        try (InputStream in = open(key, 0, maxBytes - 1L)) {
            return Optional.of(in.readNBytes(maxBytes));
        } catch (BlockMissingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SyncboxException(ErrorCode.STORAGE_UNAVAILABLE, "Reading " + key + " from storage failed", e);
        }
    }

    /** Deletes blocks; a block already gone is fine, one the store refuses to delete fails the call. */
    void delete(Collection<String> blockIds);

    /** Where the block lives, as recorded in {@code file_blocks.s3_location}. */
    String location(String blockId);

    /** Number of stored objects; for operators and tests. */
    long count();
}
