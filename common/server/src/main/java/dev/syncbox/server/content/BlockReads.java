package dev.syncbox.server.content;

import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockMissingException;
import dev.syncbox.server.blockstore.BlockStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every read of a block's bytes goes through here, so that no caller needs to know how a block is stored: whole, as
 * the object named by its id, or, once the version store has re-stored it (docs/version-store.md), as a delta against
 * another block, which may be a delta itself. A delta-stored block is rebuilt whole from its chain and checked against
 * its id (the SHA-256 of its bytes) before any of it is handed out; a whole block streams from the store as it is.
 *
 * <p>Callers that read many blocks at once ({@link ContentReader}) {@link #locate} them in one query first.
 */
@Component
public class BlockReads {

    /** Hops from a delta-stored block to the whole block its chain ends at; the version store keeps within it. */
    public static final int MAX_CHAIN = 8;

    private final BlockStore store;
    private final JdbcTemplate jdbc;

    @org.springframework.beans.factory.annotation.Autowired
    BlockReads(BlockStore store, JdbcTemplate jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    /** Over a store that holds every block whole (tests of the layers above, without a database). */
    BlockReads(BlockStore store) {
        this(store, null);
    }

    /**
     * How a delta-stored block is kept: against {@code baseId}, whose size is {@code baseSize}; in its own object, or
     * at {@code packOffset} of the archive pack {@code packId} once packed.
     */
    public record Delta(String blockId, String baseId, int deltaBytes, int baseSize, String packId, long packOffset) {

        /** The object that holds the delta: named after the block and its base, so a re-encoding never overwrites. */
        public String objectKey() {
            return objectKey(blockId, baseId);
        }

        public static String objectKey(String blockId, String baseId) {
            return blockId + ".delta." + baseId;
        }

        /** The object of an archive pack. */
        public static String packKey(String packId) {
            return "pack." + packId;
        }
    }

    /** Where blocks are: the delta-stored ones among those asked for and along their chains; any other is whole. */
    public record Located(Map<String, Delta> deltas) {

        public static final Located ALL_WHOLE = new Located(Map.of());

        public boolean isDelta(String blockId) {
            return deltas.containsKey(blockId);
        }
    }

    /** One query for any number of blocks, chains included. */
    public Located locate(Collection<String> blockIds) {
        if (blockIds.isEmpty() || jdbc == null) {
            return Located.ALL_WHOLE;
        }
        Map<String, Delta> deltas = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "WITH RECURSIVE chain (block_id, base_block_id, delta_bytes, hops) AS ("
                                    + " SELECT block_id, base_block_id, delta_bytes, 1 FROM block_deltas"
                                    + " WHERE block_id = ANY(?::bpchar[])"
                                    + " UNION SELECT d.block_id, d.base_block_id, d.delta_bytes, c.hops + 1 FROM block_deltas d"
                                    + " JOIN chain c ON d.block_id = c.base_block_id WHERE c.hops <= ?)"
                                    + " SELECT DISTINCT c.block_id, c.base_block_id, c.delta_bytes, b.block_size_bytes, d.pack_id,"
                                    + " d.pack_offset"
                                    + " FROM chain c JOIN file_blocks b ON b.block_id = c.base_block_id"
                                    + " JOIN block_deltas d ON d.block_id = c.block_id");
                    ps.setArray(
                            1,
                            con.createArrayOf(
                                    "text", blockIds.stream().distinct().toArray()));
                    ps.setInt(2, MAX_CHAIN * 2);
                    return ps;
                },
                rs -> {
                    deltas.put(
                            rs.getString(1),
                            new Delta(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getInt(3),
                                    rs.getInt(4),
                                    rs.getString(5),
                                    rs.getLong(6)));
                });
        return deltas.isEmpty() ? Located.ALL_WHOLE : new Located(Map.copyOf(deltas));
    }

    /** Bytes {@code [from, toInclusive]} of a block of {@code size} bytes, located already. */
    public InputStream open(Located where, String blockId, int size, long from, long toInclusive) {
        Delta delta = where.deltas().get(blockId);
        if (delta == null) {
            try {
                return store.open(blockId, from, toInclusive);
            } catch (BlockMissingException gone) {
                // Re-stored as a delta since it was located, and its whole object removed: look again.
                Located again = locate(List.of(blockId));
                if (!again.isDelta(blockId)) {
                    throw gone;
                }
                return open(again, blockId, size, from, toInclusive);
            }
        }
        byte[] whole = rebuild(where, blockId, size);
        return new ByteArrayInputStream(whole, (int) from, (int) (toInclusive - from + 1));
    }

    /** Bytes {@code [from, toInclusive]} of a block of {@code size} bytes. */
    public InputStream open(String blockId, int size, long from, long toInclusive) {
        return open(locate(List.of(blockId)), blockId, size, from, toInclusive);
    }

    /** A whole block, checked against its id when it was rebuilt from a delta. */
    public byte[] read(String blockId, int size) {
        return read(locate(List.of(blockId)), blockId, size);
    }

    /** A whole block, located already. */
    public byte[] read(Located where, String blockId, int size) {
        if (where.isDelta(blockId)) {
            return rebuild(where, blockId, size);
        }
        if (size == 0) {
            return new byte[0];
        }
        try (InputStream in = open(where, blockId, size, 0, size - 1)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The SHA-256 of what the store holds for a block, rebuilt from its chain if it is delta-stored; null if an object
     * it needs is gone or a delta does not decode (what the scrubber records as corrupt).
     */
    public String actualHash(String blockId, int size) {
        Located where = locate(List.of(blockId));
        try {
            if (where.isDelta(blockId)) {
                return Sha256.hex(rebuildUnchecked(where, blockId, 0));
            }
            var sha = Sha256.newDigest();
            try (InputStream in = store.open(blockId, 0, Math.max(0, size - 1))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    sha.update(buffer, 0, n);
                }
            }
            return Hex.encode(sha.digest());
        } catch (BlockMissingException | BlockCorruptException e) {
            return null;
        } catch (SyncboxException e) {
            if (e.code() == dev.syncbox.core.error.ErrorCode.INVALID_REQUEST) {
                return null; // a delta that does not decode
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A delta's own object, before it is packed (the version store's archive step). */
    public byte[] looseDelta(String blockId, String baseId, int length) {
        return readObject(Delta.objectKey(blockId, baseId), length);
    }

    /** The block rebuilt from its chain, checked against its id. */
    private byte[] rebuild(Located where, String blockId, int size) {
        byte[] whole;
        try {
            whole = rebuildUnchecked(where, blockId, 0);
        } catch (BlockMissingException gone) {
            // Its delta went with a collection that did not finish, and the block came back whole: read that.
            whole = readObject(blockId, size);
        }
        if (whole.length != size || !Sha256.hex(whole).equals(blockId)) {
            throw new BlockCorruptException(blockId, "rebuilt from its delta chain, it does not match its id");
        }
        return whole;
    }

    private byte[] rebuildUnchecked(Located where, String blockId, int hops) {
        Delta delta = where.deltas().get(blockId);
        if (delta == null) {
            throw new IllegalStateException("not delta-stored: " + blockId);
        }
        if (hops > MAX_CHAIN * 2) {
            throw new BlockCorruptException(blockId, "its delta chain does not end in a whole block");
        }
        byte[] base = where.isDelta(delta.baseId())
                ? rebuildUnchecked(where, delta.baseId(), hops + 1)
                : readObject(delta.baseId(), delta.baseSize());
        return BlockDelta.apply(List.of(base), readDelta(delta));
    }

    /** A delta's bytes, from its own object or its pack; looked up again if it was packed since it was located. */
    private byte[] readDelta(Delta delta) {
        try {
            return readDeltaAt(delta);
        } catch (BlockMissingException gone) {
            Delta again = locate(List.of(delta.blockId())).deltas().get(delta.blockId());
            if (again == null || Objects.equals(again.packId(), delta.packId())) {
                throw gone;
            }
            return readDeltaAt(again);
        }
    }

    private byte[] readDeltaAt(Delta delta) {
        if (delta.packId() == null) {
            return readObject(delta.objectKey(), delta.deltaBytes());
        }
        if (delta.deltaBytes() == 0) {
            return new byte[0];
        }
        String key = Delta.packKey(delta.packId());
        try (InputStream in = store.open(key, delta.packOffset(), delta.packOffset() + delta.deltaBytes() - 1)) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != delta.deltaBytes()) {
                throw new BlockCorruptException(delta.blockId(), "its packed delta is cut short");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readObject(String key, int size) {
        if (size == 0) {
            return new byte[0];
        }
        try (InputStream in = store.open(key, 0, size - 1)) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != size) {
                throw new BlockCorruptException(key, "holds " + bytes.length + " bytes, not " + size);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A block's stored bytes do not rebuild to its id. */
    public static final class BlockCorruptException extends RuntimeException {

        private final String blockId;

        public BlockCorruptException(String blockId, String why) {
            super("Block " + blockId + ": " + why);
            this.blockId = Objects.requireNonNull(blockId);
        }

        public String blockId() {
            return blockId;
        }
    }
}
