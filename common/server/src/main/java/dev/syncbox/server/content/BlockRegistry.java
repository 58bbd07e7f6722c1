package dev.syncbox.server.content;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The {@code file_blocks} table: which blocks are stored, their sizes and refcounts. A block is
 * claimed before it is put in S3 and marked stored after, so only stored blocks ever count as
 * existing; garbage collection tombstones a row before it deletes the object (docs/history-and-trash.md,
 * "Garbage collection"). Existence is answered from Redis first ({@code block:{id}}); the database is
 * the truth.
 */
@Component
public class BlockRegistry {

    /**
     * A writer's claim: whether the block is stored already, and the token that {@link #markStored}
     * takes, valid until the block is next tombstoned.
     */
    public record Claim(boolean stored, UUID token) {}

    private final JdbcTemplate jdbc;
    private final HotCache cache;
    private final BlockStore store;
    private final SyncboxProperties properties;
    private final ApplicationEventPublisher events;

    BlockRegistry(
            JdbcTemplate jdbc,
            HotCache cache,
            BlockStore store,
            SyncboxProperties properties,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.cache = cache;
        this.store = store;
        this.properties = properties;
        this.events = events;
    }

    /** The subset of {@code blockIds} stored: one Redis round trip, one query for the misses. */
    public Set<String> existing(Collection<String> blockIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(blockIds));
        List<String> cached = cache.getAll(ids.stream().map(CacheKeys::block).toList());
        Set<String> found = new HashSet<>();
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (cached.get(i) != null ? found : misses).add(ids.get(i));
        }
        if (!misses.isEmpty()) {
            jdbc.query(
                    con -> {
                        var ps = con.prepareStatement(
                                "SELECT block_id, refcount > 0 FROM file_blocks WHERE block_id = ANY(?) AND stored");
                        ps.setArray(1, textArray(con, misses));
                        return ps;
                    },
                    rs -> {
                        found.add(rs.getString(1));
                        // Only referenced blocks: an unreferenced one could be tombstoned, and its entry
                        // evicted, between this read and the put.
                        if (rs.getBoolean(2)) {
                            cacheExisting(rs.getString(1));
                        }
                    });
        }
        return found;
    }

    /**
     * Claims a block before its bytes go to the store, committed on its own: registers it unstored,
     * or refreshes {@code last_accessed_at} so garbage collection leaves it alone. A tombstoned block
     * comes back as unstored (the writer puts it again); while the reaper is deleting its object the
     * claim waits for the row lock, and then registers the block anew.
     */
    // One statement outside any caller's transaction, in autocommit: its own transaction, without the
    // BEGIN/COMMIT round trips of a new one (two per block of every upload).
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Claim claim(String blockId, int size) {
        return jdbc.queryForObject(
                "INSERT INTO file_blocks (block_id, block_size_bytes, s3_location, refcount, stored, claim_token)"
                        + " VALUES (?, ?, ?, 0, false, ?)"
                        + " ON CONFLICT (block_id) DO UPDATE SET last_accessed_at = now(), tombstoned_at = NULL,"
                        + " claim_token = coalesce(file_blocks.claim_token, EXCLUDED.claim_token)"
                        + " RETURNING stored, claim_token",
                (rs, n) -> new Claim(rs.getBoolean(1), rs.getObject(2, UUID.class)),
                blockId,
                size,
                store.location(blockId),
                UUID.randomUUID());
    }

    /**
     * Marks a claimed block as written to the store. False when the block was tombstoned since the
     * claim (the reaper may have deleted what was put): the writer claims and puts it again.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public boolean markStored(String blockId, Claim claim) {
        int updated = jdbc.update(
                "UPDATE file_blocks SET stored = true, last_accessed_at = now() WHERE block_id = ? AND claim_token = ?",
                blockId,
                claim.token());
        if (updated == 0) {
            return false;
        }
        cacheExisting(blockId);
        return true;
    }

    /** Sizes of stored blocks, by id; unknown or unstored blocks are absent. */
    public Map<String, Integer> sizes(Collection<String> blockIds) {
        List<String> ids = List.copyOf(new HashSet<>(blockIds));
        Map<String, Integer> sizes = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT block_id, block_size_bytes FROM file_blocks WHERE block_id = ANY(?) AND stored");
                    ps.setArray(1, textArray(con, ids));
                    return ps;
                },
                rs -> {
                    sizes.put(rs.getString(1), rs.getInt(2));
                });
        return sizes;
    }

    /**
     * Sizes of blocks that must all be stored; otherwise {@code missing_blocks} listing the others,
     * whose cache entries are dropped so the client's next check sees the truth.
     */
    public Map<String, Integer> requireStored(Collection<String> blockIds) {
        Map<String, Integer> sizes = sizes(blockIds);
        List<String> missing = blockIds.stream()
                .distinct()
                .filter(id -> !sizes.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            cache.delete(missing.stream().map(CacheKeys::block).toList());
            throw missingBlocks(missing);
        }
        return sizes;
    }

    /**
     * Counts one more reference from a new version to each distinct block. Must run inside the
     * version's transaction; a block that is not stored (any more) fails the commit with {@code
     * missing_blocks}, listing them.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void reference(List<String> blockIds) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(blockIds));
        if (distinct.isEmpty()) {
            return;
        }
        List<String> referenced = jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "UPDATE file_blocks SET refcount = refcount + 1, last_accessed_at = now()"
                                    + " WHERE block_id = ANY(?) AND stored RETURNING block_id");
                    ps.setArray(1, textArray(con, distinct));
                    return ps;
                },
                (rs, n) -> rs.getString(1));
        if (referenced.size() != distinct.size()) {
            Set<String> found = new HashSet<>(referenced);
            throw missingBlocks(
                    distinct.stream().filter(id -> !found.contains(id)).toList());
        }
        events.publishEvent(new BlocksReferenced(distinct));
    }

    /** Blocks a committed version names are there: the next check finds them without a query. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(BlocksReferenced referenced) {
        referenced.blockIds().forEach(this::cacheExisting);
    }

    /** Tombstoned blocks are not there any more as far as clients are concerned. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(BlocksTombstoned tombstoned) {
        cache.delete(tombstoned.blockIds().stream().map(CacheKeys::block).toList());
    }

    /**
     * Drops one reference from each version whose block list is given (a block counted once per
     * version, as {@link #reference} counted it). Blocks reaching zero are left to garbage collection.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void dereference(Collection<List<String>> versionBlockLists) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> blocks : versionBlockLists) {
            new LinkedHashSet<>(blocks).forEach(id -> counts.merge(id, 1, Integer::sum));
        }
        if (counts.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(counts.keySet());
        Integer[] decrements = ids.stream().map(counts::get).toArray(Integer[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE file_blocks b SET refcount = greatest(b.refcount - d.n, 0),"
                    + " last_accessed_at = now() FROM unnest(?::text[], ?::int[]) AS d(id, n) WHERE b.block_id = d.id");
            ps.setArray(1, textArray(con, ids));
            ps.setArray(2, con.createArrayOf("integer", decrements));
            return ps;
        });
    }

    /**
     * The {@code missing_blocks} problem for blocks found missing elsewhere (the store lacked one
     * being read); their cache entries are dropped.
     */
    public SyncboxException missing(List<String> blockIds) {
        cache.delete(blockIds.stream().map(CacheKeys::block).toList());
        return missingBlocks(blockIds);
    }

    private static SyncboxException missingBlocks(List<String> missing) {
        return new SyncboxException(
                ErrorCode.MISSING_BLOCKS,
                missing.size() + " block(s) are not stored; upload them and commit again",
                Map.of("missing", missing));
    }

    private void cacheExisting(String blockId) {
        cache.put(CacheKeys.block(blockId), "1", properties.cache().blockTtl());
    }

    private static Array textArray(Connection con, Collection<String> values) throws SQLException {
        return con.createArrayOf("text", values.toArray(String[]::new));
    }
}
