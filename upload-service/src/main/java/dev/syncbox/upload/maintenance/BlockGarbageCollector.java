package dev.syncbox.upload.maintenance;

import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.jobs.JobLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes blocks no version names any more, once they have been untouched for the grace period.
 * The rows are taken with {@code FOR UPDATE SKIP LOCKED} and deleted, the S3 objects deleted, and
 * only then does the transaction commit. A commit reusing such a block either raised its refcount
 * first (the row no longer qualifies) or waits for the deletion and then fails with
 * {@code missing_blocks} — it never names a block that is gone. An upload claiming the block either
 * refreshed {@code last_accessed_at} first or waits and writes it again (docs/delta-sync.md).
 */
@Component
class BlockGarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(BlockGarbageCollector.class);
    static final int BATCH = 1000;

    private final JdbcTemplate jdbc;
    private final JobLock lock;
    private final BlockStore store;
    private final HotCache cache;
    private final SyncboxProperties properties;
    private final Clock clock;
    private final Counter deleted;

    BlockGarbageCollector(
            JdbcTemplate jdbc,
            JobLock lock,
            BlockStore store,
            HotCache cache,
            SyncboxProperties properties,
            Clock clock,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.store = store;
        this.cache = cache;
        this.properties = properties;
        this.clock = clock;
        this.deleted = Counter.builder("syncbox.blocks.collected")
                .description("Unreferenced blocks deleted from the block store")
                .register(registry);
    }

    @Scheduled(
            initialDelayString = "${syncbox.upload.gc-interval:PT1H}",
            fixedDelayString = "${syncbox.upload.gc-interval:PT1H}")
    void scheduled() {
        int collected = collect();
        if (collected > 0) {
            log.info("deleted {} unreferenced blocks", collected);
        }
    }

    /** One batch of garbage collection; returns the number of blocks deleted. */
    @Transactional
    public int collect() {
        if (!lock.tryLock("block-gc")) {
            return 0;
        }
        List<String> doomed = jdbc.queryForList(
                "DELETE FROM file_blocks b WHERE b.block_id IN (SELECT block_id FROM file_blocks"
                        + " WHERE refcount = 0 AND last_accessed_at < ? ORDER BY last_accessed_at LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED) AND b.refcount = 0"
                        + " AND NOT EXISTS (SELECT 1 FROM upload_sessions s WHERE s.block_ids @> ARRAY[b.block_id::text])"
                        + " RETURNING b.block_id",
                String.class,
                Timestamp.from(clock.instant().minus(properties.upload().orphanGrace())),
                BATCH);
        if (doomed.isEmpty()) {
            return 0;
        }
        jdbc.update(con -> {
            var ps = con.prepareStatement("DELETE FROM block_grants WHERE block_id = ANY(?)");
            ps.setArray(1, con.createArrayOf("text", doomed.toArray()));
            return ps;
        });
        cache.delete(doomed.stream().map(CacheKeys::block).toList());
        store.delete(doomed);
        deleted.increment(doomed.size());
        return doomed.size();
    }
}
