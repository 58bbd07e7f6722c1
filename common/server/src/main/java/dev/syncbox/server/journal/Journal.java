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

    /** Appends entries in order with one sequence reservation and one batch of inserts. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(long namespaceId, java.util.List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Long last = jdbc.queryForObject(
                "UPDATE namespaces SET last_seq = last_seq + ? WHERE namespace_id = ? RETURNING last_seq",
                Long.class,
                entries.size(),
                namespaceId);
        long first = last - entries.size() + 1;
        jdbc.batchUpdate(
                "INSERT INTO journal (namespace_id, seq, file_id, operation, path, from_path, version_id, size_bytes,"
                        + " content_hash, is_dir, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                java.util.stream.IntStream.range(0, entries.size()).boxed().toList(),
                1000,
                (ps, index) -> {
                    JournalEntry entry = entries.get(index);
                    ps.setLong(1, namespaceId);
                    ps.setLong(2, first + index);
                    ps.setString(3, entry.fileId());
                    ps.setString(4, entry.operation().name());
                    ps.setString(5, entry.path());
                    ps.setString(6, entry.fromPath());
                    ps.setString(7, entry.versionId());
                    ps.setObject(8, entry.sizeBytes());
                    ps.setString(9, entry.contentHash());
                    ps.setBoolean(10, entry.isDir());
                    ps.setString(11, entry.deviceId());
                    ps.setTimestamp(12, Timestamp.from(entry.at()));
                });
        publishAfterCommit(namespaceId);
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
        publishAfterCommit(namespaceId);
        return seq;
    }

    /** Wakes long-polls on every instance once the change is visible. */
    private void publishAfterCommit(long namespaceId) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                bus.publish(namespaceId);
            }
        });
    }
}
