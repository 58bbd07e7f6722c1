package dev.syncbox.upload.maintenance;

import dev.syncbox.server.jobs.JobLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes blocks no version names any more, once they have been untouched for the grace period, on
 * one instance at a time: tombstones a batch and commits, then has {@link BlockReaper} delete the
 * objects and remove the rows. A commit reusing such a block either raised its refcount first (the
 * row no longer qualifies) or finds it not stored and fails with {@code missing_blocks}; an upload
 * claiming it brings it back and writes it again (docs/history-and-trash.md, "Garbage collection").
 */
@Component
class BlockGarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(BlockGarbageCollector.class);

    private final TransactionTemplate transactions;
    private final JobLock lock;
    private final BlockReaper reaper;

    BlockGarbageCollector(PlatformTransactionManager transactionManager, JobLock lock, BlockReaper reaper) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.lock = lock;
        this.reaper = reaper;
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

    /** One run: tombstones a batch, then removes every tombstoned block; returns the number removed. */
    public int collect() {
        Boolean locked = transactions.execute(status -> {
            if (!lock.tryLock("block-gc")) {
                return false;
            }
            reaper.tombstoneUnreferenced();
            return true;
        });
        return Boolean.TRUE.equals(locked) ? reaper.reap() : 0;
    }
}
