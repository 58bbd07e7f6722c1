package dev.syncbox.upload.session;

import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.jobs.JobLock;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Removes expired upload sessions and the blocks only they named, once those blocks have gone
 * unreferenced for the grace period. Runs on one instance at a time (a PostgreSQL advisory lock).
 * Blocks are deleted from S3 while their rows are locked and before the deletion commits, so an
 * upload that claims the same block waits and then writes it again.
 */
@Component
class SessionCleanup {

    private static final Logger log = LoggerFactory.getLogger(SessionCleanup.class);

    record Cleaned(int sessions, int blocks) {}

    private final JdbcTemplate jdbc;
    private final JobLock lock;
    private final BlockStore store;
    private final HotCache cache;
    private final SyncboxProperties properties;
    private final Clock clock;

    SessionCleanup(
            JdbcTemplate jdbc,
            JobLock lock,
            BlockStore store,
            HotCache cache,
            SyncboxProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.store = store;
        this.cache = cache;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(
            initialDelayString = "${syncbox.upload.cleanup-interval:PT1H}",
            fixedDelayString = "${syncbox.upload.cleanup-interval:PT1H}")
    void scheduled() {
        Cleaned cleaned = cleanUp();
        if (cleaned.sessions() > 0) {
            log.info("removed {} expired upload sessions and {} orphan blocks", cleaned.sessions(), cleaned.blocks());
        }
    }

    @Transactional
    public Cleaned cleanUp() {
        if (!lock.tryLock("upload-session-cleanup")) {
            return new Cleaned(0, 0);
        }
        Instant now = clock.instant();
        List<List<String>> expired = jdbc.query(
                "DELETE FROM upload_sessions WHERE expires_at <= ? RETURNING block_ids",
                (rs, n) -> List.of((String[]) rs.getArray(1).getArray()),
                Timestamp.from(now));
        int sessions = expired.size();
        Set<String> candidates = new LinkedHashSet<>();
        expired.forEach(candidates::addAll);
        if (candidates.isEmpty()) {
            return new Cleaned(sessions, 0);
        }
        List<String> orphans = jdbc.query(
                con -> {
                    var ps = con.prepareStatement("DELETE FROM file_blocks b WHERE b.block_id = ANY(?)"
                            + " AND b.refcount = 0 AND b.last_accessed_at < ?"
                            + " AND NOT EXISTS (SELECT 1 FROM upload_sessions s WHERE s.block_ids @> ARRAY[b.block_id::text])"
                            + " RETURNING block_id");
                    Array ids = con.createArrayOf("text", candidates.toArray());
                    ps.setArray(1, ids);
                    ps.setTimestamp(
                            2, Timestamp.from(now.minus(properties.upload().orphanGrace())));
                    return ps;
                },
                (rs, n) -> rs.getString(1));
        cache.delete(orphans.stream().map(CacheKeys::block).toList());
        store.delete(orphans);
        return new Cleaned(sessions, orphans.size());
    }
}
