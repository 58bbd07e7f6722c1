package dev.syncbox.sync.trash;

import dev.syncbox.server.files.FileRemoval;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes trash entries past their recovery deadline, for good: versions, refcounts, used space. One
 * instance at a time (a PostgreSQL advisory lock); at most {@value #BATCH} entries a run.
 */
@Component
class PurgeJob {

    private static final Logger log = LoggerFactory.getLogger(PurgeJob.class);
    static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final JobLock lock;
    private final TransactionTemplate transactions;
    private final FileRemoval removal;
    private final Clock clock;
    private final Counter purged;

    PurgeJob(
            JdbcTemplate jdbc,
            JobLock lock,
            PlatformTransactionManager transactionManager,
            FileRemoval removal,
            Clock clock,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.removal = removal;
        this.clock = clock;
        this.purged = Counter.builder("syncbox.trash.purged")
                .description("Trash entries deleted for good at their deadline: files now unrecoverable")
                .register(registry);
    }

    @Scheduled(
            initialDelayString = "${syncbox.trash.purge-interval:PT1H}",
            fixedDelayString = "${syncbox.trash.purge-interval:PT1H}")
    void scheduled() {
        // In a transaction of its own: a call from inside the bean does not pass through its @Transactional proxy,
        // and the job lock is taken for the current transaction.
        Integer count = transactions.execute(status -> purgeExpired());
        if (count != null && count > 0) {
            log.info("purged {} trash entries past their recovery deadline", count);
        }
    }

    /** Purges expired entries; returns how many. */
    @Transactional
    public int purgeExpired() {
        if (!lock.tryLock("trash-purge")) {
            return 0;
        }
        List<String> expired = jdbc.queryForList(
                "SELECT file_id FROM trash WHERE recovery_deadline <= ? ORDER BY recovery_deadline LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED",
                String.class,
                Timestamp.from(clock.instant()),
                BATCH);
        expired.forEach(removal::purge);
        purged.increment(expired.size());
        return expired.size();
    }
}
