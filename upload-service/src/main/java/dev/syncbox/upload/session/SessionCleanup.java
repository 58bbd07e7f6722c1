package dev.syncbox.upload.session;

import dev.syncbox.server.jobs.JobLock;
import dev.syncbox.upload.maintenance.BlockReaper;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes expired upload sessions and tombstones the blocks only they named, once those blocks have
 * gone unreferenced for the grace period, in one transaction; then {@link BlockReaper} deletes the
 * objects and removes the rows, as for any garbage. Runs on one instance at a time (a PostgreSQL
 * advisory lock).
 */
@Component
class SessionCleanup {

    private static final Logger log = LoggerFactory.getLogger(SessionCleanup.class);

    record Cleaned(int sessions, int blocks) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JobLock lock;
    private final BlockReaper reaper;
    private final Clock clock;

    SessionCleanup(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            JobLock lock,
            BlockReaper reaper,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.lock = lock;
        this.reaper = reaper;
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

    /** Returns the sessions removed and the blocks tombstoned with them. */
    public Cleaned cleanUp() {
        Cleaned cleaned = transactions.execute(status -> {
            if (!lock.tryLock("upload-session-cleanup")) {
                return null;
            }
            List<List<String>> expired = jdbc.query(
                    "DELETE FROM upload_sessions WHERE expires_at <= ? RETURNING block_ids",
                    (rs, n) -> List.of((String[]) rs.getArray(1).getArray()),
                    Timestamp.from(clock.instant()));
            Set<String> candidates = new LinkedHashSet<>();
            expired.forEach(candidates::addAll);
            return new Cleaned(expired.size(), reaper.tombstone(candidates).size());
        });
        if (cleaned == null) {
            return new Cleaned(0, 0);
        }
        // Also finishes tombstones an interrupted earlier run left.
        reaper.reap();
        return cleaned;
    }
}
