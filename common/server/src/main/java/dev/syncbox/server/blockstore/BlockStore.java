package dev.syncbox.server.blockstore;

import java.io.InputStream;
import java.util.Collection;

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

    /** Deletes blocks; a block already gone is fine, one the store refuses to delete fails the call. */
    void delete(Collection<String> blockIds);

    /** Where the block lives, as recorded in {@code file_blocks.s3_location}. */
    String location(String blockId);

    /** Number of stored objects; for operators and tests. */
    long count();
}
