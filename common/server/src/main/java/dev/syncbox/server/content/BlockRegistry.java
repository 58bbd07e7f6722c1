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
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final TransactionTemplate alone;

    BlockRegistry(
            JdbcTemplate jdbc,
            HotCache cache,
            BlockStore store,
            SyncboxProperties properties,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.cache = cache;
        this.store = store;
        this.properties = properties;
        this.events = events;
        this.alone = new TransactionTemplate(transactionManager);
        this.alone.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
                                "SELECT block_id, refcount > 0 FROM file_blocks WHERE block_id = ANY(?::bpchar[]) AND stored");
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
    public Claim claim(String blockId, int size) {
        return committedAlone(() -> jdbc.queryForObject(
                "INSERT INTO file_blocks (block_id, block_size_bytes, s3_location, refcount, stored, claim_token)"
                        + " VALUES (?, ?, ?, 0, false, ?)"
                        + " ON CONFLICT (block_id) DO UPDATE SET last_accessed_at = now(), tombstoned_at = NULL,"
                        + " claim_token = coalesce(file_blocks.claim_token, EXCLUDED.claim_token)"
                        + " RETURNING stored, claim_token",
                (rs, n) -> new Claim(rs.getBoolean(1), rs.getObject(2, UUID.class)),
                blockId,
                size,
                store.location(blockId),
                UUID.randomUUID()));
    }

    /**
     * Marks a claimed block as written to the store. False when the block was tombstoned since the
     * claim (the reaper may have deleted what was put): the writer claims and puts it again.
     */
    public boolean markStored(String blockId, Claim claim) {
        return markStored(blockId, claim, true);
    }

    /**
     * {@link #markStored}; {@code announce} false leaves the block's cache entry to the commit that
     * is about to name it (an upload's blocks are cached once that commit is in).
     */
    public boolean markStored(String blockId, Claim claim, boolean announce) {
        int updated = committedAlone(() -> jdbc.update(
                "UPDATE file_blocks SET stored = true, last_accessed_at = now() WHERE block_id = ? AND claim_token = ?",
                blockId,
                claim.token()));
        if (updated == 0) {
            return false;
        }
        if (announce) {
            cacheExisting(blockId);
        }
        return true;
    }

    /**
     * {@link #claim} for many distinct blocks in one statement; claims by block id. Rows are taken in
     * block id order, so two batches naming the same blocks never deadlock.
     */
    public Map<String, Claim> claimAll(Map<String, Integer> sizes) {
        List<String> ids = sizes.keySet().stream().sorted().toList();
        Map<String, Claim> claims = new HashMap<>();
        if (ids.isEmpty()) {
            return claims;
        }
        committedAlone(() -> jdbc.query(
                con -> {
                    var ps = con.prepareStatement("INSERT INTO file_blocks"
                            + " (block_id, block_size_bytes, s3_location, refcount, stored, claim_token)"
                            + " SELECT c.id, c.size, c.location, 0, false, gen_random_uuid()"
                            + " FROM unnest(?::bpchar[], ?::int[], ?::text[]) AS c(id, size, location)"
                            + " ON CONFLICT (block_id) DO UPDATE SET last_accessed_at = now(), tombstoned_at = NULL,"
                            + " claim_token = coalesce(file_blocks.claim_token, EXCLUDED.claim_token)"
                            + " RETURNING block_id, stored, claim_token");
                    ps.setArray(1, textArray(con, ids));
                    ps.setArray(
                            2,
                            con.createArrayOf(
                                    "integer", ids.stream().map(sizes::get).toArray()));
                    ps.setArray(
                            3, textArray(con, ids.stream().map(store::location).toList()));
                    return ps;
                },
                (rs, n) ->
                        claims.put(rs.getString(1).trim(), new Claim(rs.getBoolean(2), rs.getObject(3, UUID.class)))));
        return claims;
    }

    /**
     * {@link #markStored} for many claimed blocks in one statement; returns the blocks marked. Any
     * other was tombstoned since its claim: the writer claims and puts it again.
     */
    public Set<String> markAllStored(Map<String, Claim> claims) {
        List<String> ids = List.copyOf(claims.keySet());
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<String> marked = new HashSet<>(committedAlone(() -> jdbc.query(
                con -> {
                    var ps = con.prepareStatement("UPDATE file_blocks b SET stored = true, last_accessed_at = now()"
                            + " FROM unnest(?::bpchar[], ?::uuid[]) AS m(id, token)"
                            + " WHERE b.block_id = m.id AND b.claim_token = m.token RETURNING b.block_id");
                    ps.setArray(1, textArray(con, ids));
                    ps.setArray(
                            2,
                            con.createArrayOf(
                                    "uuid",
                                    ids.stream()
                                            .map(id -> claims.get(id).token())
                                            .toArray()));
                    return ps;
                },
                (rs, n) -> rs.getString(1).trim())));
        cache.putAll(
                marked.stream().map(CacheKeys::block).toList(),
                "1",
                properties.cache().blockTtl());
        return marked;
    }

    /** Sizes of stored blocks, by id; unknown or unstored blocks are absent. */
    public Map<String, Integer> sizes(Collection<String> blockIds) {
        List<String> ids = List.copyOf(new HashSet<>(blockIds));
        Map<String, Integer> sizes = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT block_id, block_size_bytes FROM file_blocks WHERE block_id = ANY(?::bpchar[]) AND stored");
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
                                    + " WHERE block_id = ANY(?::bpchar[]) AND stored RETURNING block_id");
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

    /**
     * Adds {@code counts.get(id)} references to each block (a batch of versions naming it), in the
     * caller's transaction. Only stored blocks are counted; returns those, so the caller can refuse the
     * versions naming any other with {@code missing_blocks}. The caller publishes {@link
     * BlocksReferenced} for the blocks its committed versions name.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Set<String> referenceCounts(Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(counts.keySet());
        Integer[] increments = ids.stream().map(counts::get).toArray(Integer[]::new);
        Set<String> referenced = new HashSet<>(jdbc.query(
                con -> {
                    var ps = con.prepareStatement("UPDATE file_blocks b SET refcount = b.refcount + d.n,"
                            + " last_accessed_at = now() FROM unnest(?::bpchar[], ?::int[]) AS d(id, n)"
                            + " WHERE b.block_id = d.id AND b.stored RETURNING b.block_id");
                    ps.setArray(1, textArray(con, ids));
                    ps.setArray(2, con.createArrayOf("integer", increments));
                    return ps;
                },
                (rs, n) -> rs.getString(1)));
        return referenced;
    }

    /** Takes back references added by {@link #referenceCounts} in the same transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void releaseCounts(Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(counts.keySet());
        Integer[] decrements = ids.stream().map(counts::get).toArray(Integer[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE file_blocks b SET refcount = b.refcount - d.n"
                    + " FROM unnest(?::bpchar[], ?::int[]) AS d(id, n) WHERE b.block_id = d.id");
            ps.setArray(1, textArray(con, ids));
            ps.setArray(2, con.createArrayOf("integer", decrements));
            return ps;
        });
    }

    /** Blocks a committed version names are there: the next check finds them without a query. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(BlocksReferenced referenced) {
        cache.putAll(
                referenced.blockIds().stream().map(CacheKeys::block).toList(),
                "1",
                properties.cache().blockTtl());
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
            var ps = con.prepareStatement(
                    "UPDATE file_blocks b SET refcount = greatest(b.refcount - d.n, 0),"
                            + " last_accessed_at = now() FROM unnest(?::bpchar[], ?::int[]) AS d(id, n) WHERE b.block_id = d.id");
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

    /**
     * Runs one statement committed on its own, whatever the caller's transaction: a claim or a mark
     * must be visible to the reaper before the write goes on. Outside a transaction that is a plain
     * auto-committed statement (no transaction set-up); inside one, a transaction of its own.
     */
    private <T> T committedAlone(Supplier<T> statement) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return statement.get();
        }
        return alone.execute(status -> statement.get());
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
