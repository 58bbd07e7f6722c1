package dev.syncbox.server.content;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@code file_blocks} table: which blocks are stored, their sizes and refcounts. Existence is
 * answered from Redis first ({@code block:{id}}), the database being the truth.
 */
@Component
public class BlockRegistry {

    private final JdbcTemplate jdbc;
    private final HotCache cache;
    private final BlockStore store;
    private final SyncboxProperties properties;

    BlockRegistry(JdbcTemplate jdbc, HotCache cache, BlockStore store, SyncboxProperties properties) {
        this.jdbc = jdbc;
        this.cache = cache;
        this.store = store;
        this.properties = properties;
    }

    /** The subset of {@code blockIds} already stored: one Redis round trip, one query for the misses. */
    public Set<String> existing(Collection<String> blockIds) {
        List<String> ids = List.copyOf(new HashSet<>(blockIds));
        List<String> cached = cache.getAll(ids.stream().map(CacheKeys::block).toList());
        Set<String> found = new HashSet<>();
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (cached.get(i) != null ? found : misses).add(ids.get(i));
        }
        if (!misses.isEmpty()) {
            List<String> inDb = jdbc.query(
                    con -> {
                        var ps = con.prepareStatement("SELECT block_id FROM file_blocks WHERE block_id = ANY(?)");
                        ps.setArray(1, textArray(con, misses));
                        return ps;
                    },
                    (rs, n) -> rs.getString(1));
            inDb.forEach(
                    id -> cache.put(CacheKeys.block(id), "1", properties.cache().blockTtl()));
            found.addAll(inDb);
        }
        return found;
    }

    public boolean exists(String blockId) {
        return existing(List.of(blockId)).contains(blockId);
    }

    /** Sizes of stored blocks, by id. */
    public Map<String, Integer> sizes(Collection<String> blockIds) {
        List<String> ids = List.copyOf(new HashSet<>(blockIds));
        Map<String, Integer> sizes = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT block_id, block_size_bytes FROM file_blocks WHERE block_id = ANY(?)");
                    ps.setArray(1, textArray(con, ids));
                    return ps;
                },
                rs -> {
                    sizes.put(rs.getString(1), rs.getInt(2));
                });
        return sizes;
    }

    /**
     * Counts one more reference from a new version to each distinct block, registering blocks seen for
     * the first time. Must run inside the version's transaction, after the blocks reached the store.
     */
    public void reference(List<String> blockIds, List<Integer> blockSizes) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (int i = 0; i < blockIds.size(); i++) {
            distinct.putIfAbsent(blockIds.get(i), blockSizes.get(i));
        }
        if (distinct.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(distinct.keySet());
        List<String> locations = ids.stream().map(store::location).toList();
        Integer[] sizes = distinct.values().toArray(Integer[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO file_blocks (block_id, block_size_bytes, s3_location, refcount)"
                    + " SELECT id, size, location, 1 FROM unnest(?::text[], ?::int[], ?::text[]) AS t(id, size, location)"
                    + " ON CONFLICT (block_id) DO UPDATE SET refcount = file_blocks.refcount + 1,"
                    + " last_accessed_at = now()");
            ps.setArray(1, textArray(con, ids));
            ps.setArray(2, con.createArrayOf("integer", sizes));
            ps.setArray(3, textArray(con, locations));
            return ps;
        });
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                ids.forEach(id ->
                        cache.put(CacheKeys.block(id), "1", properties.cache().blockTtl()));
            }
        });
    }

    private static Array textArray(Connection con, Collection<String> values) throws SQLException {
        return con.createArrayOf("text", values.toArray(String[]::new));
    }
}
