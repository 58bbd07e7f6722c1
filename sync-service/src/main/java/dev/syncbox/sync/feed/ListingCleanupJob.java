package dev.syncbox.sync.feed;

import dev.syncbox.server.jobs.JobLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes stored listings: a completed one after a short grace (so the device may still retry its
 * last page), one nobody has paged for the TTL as abandoned. A cursor that still names a removed
 * listing gets {@code 409 reset}. One instance at a time (advisory lock), {@value #BATCH} a run.
 */
@Component
class ListingCleanupJob {

    private static final Logger log = LoggerFactory.getLogger(ListingCleanupJob.class);
    static final int BATCH = 200;

    private final JdbcTemplate jdbc;
    private final JobLock lock;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration grace;
    private final Duration ttl;
    private final Counter removed;

    ListingCleanupJob(
            JdbcTemplate jdbc,
            JobLock lock,
            PlatformTransactionManager transactionManager,
            Clock clock,
            MeterRegistry registry,
            @Value("${syncbox.sync.listings.completed-grace:PT5M}") Duration grace,
            @Value("${syncbox.sync.listings.ttl:PT1H}") Duration ttl) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.grace = grace;
        this.ttl = ttl;
        this.removed = Counter.builder("syncbox.sync.listings.removed")
                .description("Stored listings removed, completed or abandoned")
                .register(registry);
    }

    @Scheduled(
            initialDelayString = "${syncbox.sync.listings.cleanup-interval:PT5M}",
            fixedDelayString = "${syncbox.sync.listings.cleanup-interval:PT5M}")
    void scheduled() {
        // In a transaction of its own: a call from inside the bean does not pass through its @Transactional proxy,
        // and the job lock is taken for the current transaction.
        Integer count = transactions.execute(status -> cleanUp());
        if (count != null && count > 0) {
            log.info("removed {} stored listings", count);
        }
    }

    /** Removes up to a batch of completed and abandoned listings; returns how many. */
    @Transactional
    public int cleanUp() {
        if (!lock.tryLock("listing-cleanup")) {
            return 0;
        }
        Instant now = clock.instant();
        List<Long> ids = jdbc.queryForList(
                "SELECT listing_id FROM listings WHERE completed_at <= ? OR used_at <= ? ORDER BY listing_id LIMIT ?",
                Long.class,
                Timestamp.from(now.minus(grace)),
                Timestamp.from(now.minus(ttl)),
                BATCH);
        if (ids.isEmpty()) {
            return 0;
        }
        Long[] array = ids.toArray(Long[]::new);
        for (String sql : List.of(
                "DELETE FROM listings WHERE listing_id = ANY(?)",
                "DELETE FROM listing_entries WHERE listing_id = ANY(?)")) {
            jdbc.update(con -> {
                var ps = con.prepareStatement(sql);
                ps.setArray(1, con.createArrayOf("bigint", array));
                return ps;
            });
        }
        removed.increment(ids.size());
        return ids.size();
    }
}
