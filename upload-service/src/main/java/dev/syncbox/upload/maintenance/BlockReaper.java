package dev.syncbox.upload.maintenance;

import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.BlockReads;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlocksTombstoned;
import dev.syncbox.server.jobs.JobLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way blocks leave the system, in three steps that each leave a consistent state and that
 * the next run finishes: (1) tombstone the rows of unreferenced blocks — they stop counting as
 * stored, their cache entries go once that commits; (2) delete the S3 objects while holding the
 * locks of rows still tombstoned, so a claim of one of them waits; (3) remove the rows, and with
 * them their grants (a foreign key). The state machine and its races are in
 * docs/history-and-trash.md, "Garbage collection".
 */
@Component
public class BlockReaper {

    /** The points between steps, where {@link Probe} is called. */
    enum Step {
        /** Rows tombstoned, not yet committed. */
        TOMBSTONES_WRITTEN,
        /** Tombstones committed; their rows locked for deletion, objects not yet deleted. */
        ROWS_LOCKED,
        /** Objects deleted, rows not yet removed. */
        OBJECTS_DELETED,
        /** Rows removed, not yet committed. */
        ROWS_REMOVED
    }

    /** Called between steps; a test seam for aborting the reaper there (does nothing otherwise). */
    interface Probe {
        void reached(Step step, List<String> blockIds);
    }

    static final int BATCH = 1000;
    /** Batches one {@link #reap()} removes at most, so a backlog cannot hold a run forever. */
    static final int MAX_BATCHES = 20;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JobLock lock;
    private final BlockStore store;
    private final HotCache cache;
    private final BlockRegistry blocks;
    private final ApplicationEventPublisher events;
    private final SyncboxProperties properties;
    private final Clock clock;
    private final Counter collected;
    private volatile Probe probe = (step, ids) -> {};

    BlockReaper(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            JobLock lock,
            BlockStore store,
            HotCache cache,
            BlockRegistry blocks,
            ApplicationEventPublisher events,
            SyncboxProperties properties,
            Clock clock,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.lock = lock;
        this.store = store;
        this.cache = cache;
        this.blocks = blocks;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.collected = Counter.builder("syncbox.blocks.collected")
                .description("Unreferenced blocks deleted from the block store")
                .register(registry);
    }

    void probe(Probe probe) {
        this.probe = probe;
    }

    /**
     * Step 1 for any block: tombstones up to {@value #BATCH} blocks that no version names, that no
     * upload session names and that nobody touched for the grace period. Runs in the caller's
     * transaction; returns their ids.
     */
    public List<String> tombstoneUnreferenced() {
        return tombstoneAmong(null);
    }

    /** Step 1 among {@code candidates} only (the blocks of expired upload sessions), on the same terms. */
    public List<String> tombstone(Collection<String> candidates) {
        return tombstoneAmong(List.copyOf(candidates));
    }

    /** Step 1 among {@code candidates}, or among all blocks when null. */
    private List<String> tombstoneAmong(List<String> candidates) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("tombstones are written in the caller's transaction");
        }
        if (candidates != null && candidates.isEmpty()) {
            return List.of();
        }
        List<String> ids = jdbc.query(
                con -> {
                    var ps = con.prepareStatement("UPDATE file_blocks SET tombstoned_at = now(), stored = false,"
                            + " claim_token = NULL WHERE block_id IN (SELECT block_id FROM file_blocks b"
                            + " WHERE refcount = 0 AND tombstoned_at IS NULL AND last_accessed_at < ?"
                            + (candidates == null ? "" : " AND block_id = ANY(?::bpchar[])")
                            + " AND NOT EXISTS (SELECT 1 FROM upload_sessions s WHERE s.block_ids @> ARRAY[b.block_id::text])"
                            + " AND NOT EXISTS (SELECT 1 FROM block_deltas d WHERE d.base_block_id = b.block_id)"
                            + " ORDER BY last_accessed_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING block_id");
                    int i = 1;
                    ps.setTimestamp(
                            i++,
                            Timestamp.from(
                                    clock.instant().minus(properties.upload().orphanGrace())));
                    if (candidates != null) {
                        ps.setArray(i++, con.createArrayOf("text", candidates.toArray()));
                    }
                    ps.setInt(i, candidates == null ? BATCH : candidates.size());
                    return ps;
                },
                (rs, n) -> rs.getString(1));
        events.publishEvent(new BlocksTombstoned(ids));
        probe.reached(Step.TOMBSTONES_WRITTEN, ids);
        return ids;
    }

    /**
     * Steps 2 and 3 for every tombstoned block, whoever tombstoned it and however far an earlier run
     * got, one transaction per batch; returns the number of blocks removed. Must run outside a
     * transaction: objects are deleted only once their tombstones are committed.
     */
    public int reap() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("reap() deletes objects, so their tombstones must be committed first");
        }
        int removed = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            List<String> ids = transactions.execute(status -> reapBatch());
            if (ids == null) {
                break;
            }
            // Again, in case the eviction after the tombstone was lost (Redis down) or raced a reader.
            cache.delete(keys(ids));
            collected.increment(ids.size());
            removed += ids.size();
            if (ids.size() < BATCH) {
                break;
            }
        }
        return removed;
    }

    /** One batch of steps 2 and 3; null when another instance is reaping. */
    private List<String> reapBatch() {
        if (!lock.tryLock("block-reap")) {
            return null;
        }
        List<String> ids = jdbc.queryForList(
                "SELECT block_id FROM file_blocks WHERE tombstoned_at IS NOT NULL"
                        + " ORDER BY tombstoned_at LIMIT ? FOR UPDATE SKIP LOCKED",
                String.class,
                BATCH);
        if (ids.isEmpty()) {
            return ids;
        }
        probe.reached(Step.ROWS_LOCKED, ids);
        // Blocks the version store keeps as deltas: their delta objects go too, and each releases its base.
        List<String[]> deltas = jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT block_id, base_block_id, pack_id FROM block_deltas WHERE block_id = ANY(?::bpchar[])");
                    ps.setArray(1, con.createArrayOf("text", ids.toArray()));
                    return ps;
                },
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        List<String> objects = new ArrayList<>(ids);
        deltas.forEach(d -> objects.add(BlockReads.Delta.objectKey(d[0], d[1])));
        // Under the row locks: a claim un-tombstoning one of these waits until its row is gone.
        store.delete(objects);
        probe.reached(Step.OBJECTS_DELETED, ids);
        if (!deltas.isEmpty()) {
            jdbc.update(con -> {
                var ps = con.prepareStatement("DELETE FROM block_deltas WHERE block_id = ANY(?::bpchar[])");
                ps.setArray(1, con.createArrayOf("text", ids.toArray()));
                return ps;
            });
            // Each delta releases its base once; a base left with no reference waits out the grace period.
            blocks.dereference(deltas.stream().map(d -> List.of(d[1])).toList());
            releasePacks(deltas);
        }
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "DELETE FROM file_blocks WHERE block_id = ANY(?::bpchar[]) AND tombstoned_at IS NOT NULL");
            ps.setArray(1, con.createArrayOf("text", ids.toArray()));
            return ps;
        });
        probe.reached(Step.ROWS_REMOVED, ids);
        return ids;
    }

    /**
     * Packed deltas leave their archive packs: a pack's count of live members drops, and a pack left with none is
     * deleted, object and row. A pack is never rewritten: what a member leaves behind stays until the pack goes.
     */
    private void releasePacks(List<String[]> deltas) {
        String[] packs = deltas.stream().map(d -> d[2]).filter(p -> p != null).toArray(String[]::new);
        if (packs.length == 0) {
            return;
        }
        List<String> empty = jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "UPDATE delta_packs p SET live_members = greatest(p.live_members - d.n, 0)"
                                    + " FROM (SELECT id, count(*) AS n FROM unnest(?::varchar[]) AS id GROUP BY id) d"
                                    + " WHERE p.pack_id = d.id RETURNING p.pack_id, p.live_members");
                    ps.setArray(1, con.createArrayOf("text", packs));
                    return ps;
                },
                (rs, n) -> rs.getInt(2) == 0 ? rs.getString(1) : null);
        empty.removeIf(p -> p == null);
        if (empty.isEmpty()) {
            return;
        }
        store.delete(empty.stream().map(BlockReads.Delta::packKey).toList());
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "DELETE FROM delta_packs WHERE pack_id = ANY(?::varchar[]) AND live_members = 0");
            ps.setArray(1, con.createArrayOf("text", empty.toArray()));
            return ps;
        });
    }

    private static List<String> keys(List<String> ids) {
        List<String> keys = new ArrayList<>(ids.size());
        ids.forEach(id -> keys.add(CacheKeys.block(id)));
        return keys;
    }
}
