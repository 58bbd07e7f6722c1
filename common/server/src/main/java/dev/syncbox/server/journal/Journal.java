package dev.syncbox.server.journal;

import dev.syncbox.server.cache.ChangeBus;
import java.sql.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends to a namespace's journal. Sequence numbers come from the namespace row, bumped under its
 * row lock, so they are gap-free and in commit order.
 */
@Component
public class Journal {

    private final JdbcTemplate jdbc;
    private final ChangeBus bus;

    Journal(JdbcTemplate jdbc, ChangeBus bus) {
        this.jdbc = jdbc;
        this.bus = bus;
    }

    /**
     * Locks the namespace for the rest of the transaction, serializing its metadata changes. Call it
     * first, before reading what the change depends on.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(long namespaceId) {
        jdbc.queryForObject(
                "SELECT last_seq FROM namespaces WHERE namespace_id = ? FOR UPDATE", Long.class, namespaceId);
    }

    /** Appends an entry and returns its sequence number. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long append(long namespaceId, JournalEntry entry) {
        Long seq = jdbc.queryForObject(
                "UPDATE namespaces SET last_seq = last_seq + 1 WHERE namespace_id = ? RETURNING last_seq",
                Long.class,
                namespaceId);
        jdbc.update(
                "INSERT INTO journal (namespace_id, seq, file_id, operation, path, from_path, version_id, size_bytes,"
                        + " content_hash, is_dir, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                namespaceId,
                seq,
                entry.fileId(),
                entry.operation().name(),
                entry.path(),
                entry.fromPath(),
                entry.versionId(),
                entry.sizeBytes(),
                entry.contentHash(),
                entry.isDir(),
                entry.deviceId(),
                Timestamp.from(entry.at()));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                bus.publish(namespaceId);
            }
        });
        return seq;
    }
}
