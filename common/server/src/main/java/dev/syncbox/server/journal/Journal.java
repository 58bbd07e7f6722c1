package dev.syncbox.server.journal;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.SharedPaths;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.context.ApplicationEventPublisher;
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

    /** Transaction resource: {@link #lockedNamespaces}. */
    private static final Object LOCKED = new Object();

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    Journal(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * Locks the namespace for the rest of the transaction, serializing its metadata changes. Call it
     * first, before reading what the change depends on.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(long namespaceId) {
        Boolean shared = jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM shared_roots r WHERE r.namespace_id = ?)"
                        + " FROM namespaces n WHERE n.namespace_id = ? FOR UPDATE OF n",
                Boolean.class,
                namespaceId,
                namespaceId);
        // A share of something in this namespace is made under its lock, so the answer holds until
        // this transaction ends: appends need not look for shared items when there are none.
        lockedNamespaces().put(namespaceId, shared);
    }

    /** The namespaces this transaction has locked, and whether anything in each is shared; null if none. */
    @SuppressWarnings("unchecked")
    private static Map<Long, Boolean> locked() {
        return (Map<Long, Boolean>) TransactionSynchronizationManager.getResource(LOCKED);
    }

    /** {@link #locked}, made and bound to the transaction on first use. */
    private static Map<Long, Boolean> lockedNamespaces() {
        Map<Long, Boolean> locked = locked();
        if (locked == null) {
            locked = new HashMap<>();
            TransactionSynchronizationManager.bindResource(LOCKED, locked);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(LOCKED);
                }
            });
        }
        return locked;
    }

    /** Appends entries in order with one sequence reservation and one batch of inserts. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(long namespaceId, List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long last = insert(namespaceId, entries);
        stamp(namespaceId, last - entries.size() + 1, entries);
        mirror(namespaceId, entries);
    }

    /** Appends an entry and returns its sequence number. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long append(long namespaceId, JournalEntry entry) {
        long seq = insert(namespaceId, List.of(entry));
        stamp(namespaceId, seq, List.of(entry));
        mirror(namespaceId, List.of(entry));
        return seq;
    }

    /**
     * Records on each entry's row the sequence of its latest change ({@code files.change_seq}): a WebDAV folder's
     * ETag is built from its descendants' (docs/webdav.md). Only the namespace's own sequence: mirrored entries in a
     * shared item's journal are not stamped.
     */
    private void stamp(long namespaceId, long first, List<JournalEntry> entries) {
        if (entries.size() == 1) {
            jdbc.update(
                    "UPDATE files SET change_seq = ? WHERE namespace_id = ? AND file_id = ?",
                    first,
                    namespaceId,
                    entries.get(0).fileId());
            return;
        }
        Map<String, Long> latest = new java.util.LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            latest.put(entries.get(i).fileId(), first + i);
        }
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE files f SET change_seq = v.seq"
                    + " FROM unnest(?::varchar[], ?::bigint[]) AS v(file_id, seq)"
                    + " WHERE f.namespace_id = ? AND f.file_id = v.file_id");
            ps.setArray(1, con.createArrayOf("varchar", latest.keySet().toArray()));
            ps.setArray(2, con.createArrayOf("bigint", latest.values().toArray()));
            ps.setLong(3, namespaceId);
            return ps;
        });
    }

    /** Inserts entries at the namespace's next sequences; returns the last one. */
    private long insert(long namespaceId, List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        if (entries.size() == 1) {
            // The sequence and the row in one statement: the common case of one change.
            JournalEntry entry = entries.get(0);
            Long seq = jdbc.queryForObject(
                    "WITH next AS (UPDATE namespaces SET last_seq = last_seq + 1 WHERE namespace_id = ?"
                            + " RETURNING last_seq) INSERT INTO journal (namespace_id, seq, file_id, operation, path,"
                            + " from_path, version_id, size_bytes, content_hash, is_dir, device_id, created_at)"
                            + " SELECT ?::bigint, next.last_seq, ?::varchar, ?::varchar, ?::varchar, ?::varchar,"
                            + " ?::varchar, ?::bigint, ?::bpchar, ?::boolean, ?::varchar, ?::timestamptz FROM next"
                            + " RETURNING seq",
                    Long.class,
                    namespaceId,
                    namespaceId,
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
            events.publishEvent(new JournalAppended(namespaceId));
            return seq;
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
                IntStream.range(0, entries.size()).boxed().toList(),
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
        events.publishEvent(new JournalAppended(namespaceId));
        return last;
    }

    /**
     * Copies the entries that touch a shared item into the item's own journal, with paths relative
     * to it, in the same transaction (docs/sharing.md). One query when nothing in the namespace is
     * shared. Runs after the change's rows are written, so paths read here are the new ones.
     */
    private void mirror(long namespaceId, List<JournalEntry> entries) {
        Map<Long, Boolean> locked = locked();
        if (locked != null && Boolean.FALSE.equals(locked.get(namespaceId))) {
            return;
        }
        List<SharedJournal.Root> roots = jdbc.query(
                "SELECT r.shared_namespace_id, f.file_id, f.file_path FROM shared_roots r"
                        + " JOIN files f ON f.namespace_id = r.namespace_id AND f.file_id = r.file_id"
                        + " WHERE r.namespace_id = ?",
                (rs, n) -> new SharedJournal.Root(rs.getLong(1), rs.getString(2), rs.getString(3)),
                namespaceId);
        for (SharedJournal.Root root : roots) {
            List<JournalEntry> mirrored = new ArrayList<>();
            for (JournalEntry entry : entries) {
                SharedJournal.Mirrored m = SharedJournal.mirror(entry, root);
                mirrored.addAll(m.entries());
                if (m.movedInFolder() != null) {
                    mirrored.addAll(descendants(namespaceId, m.movedInFolder(), entry, root));
                }
            }
            insert(root.namespaceId(), mirrored);
        }
    }

    /** A folder moved into a shared item from outside: its contents are new to the sharees. */
    private List<JournalEntry> descendants(
            long namespaceId, String folderPath, JournalEntry move, SharedJournal.Root root) {
        String key = PathKeys.of(folderPath);
        return jdbc.query(
                "SELECT file_id, file_path, is_dir, current_version_id, size_bytes, content_hash FROM files"
                        + " WHERE namespace_id = ? AND NOT is_deleted AND path_key >= ? AND path_key < ?"
                        + " ORDER BY path_key",
                (rs, n) -> new JournalEntry(
                        rs.getString(1),
                        Operation.CREATE,
                        SharedPaths.rebase(rs.getString(2), root.path(), SyncPath.ROOT),
                        null,
                        rs.getString(4),
                        rs.getBoolean(3) ? null : rs.getLong(5),
                        rs.getString(6),
                        rs.getBoolean(3),
                        move.deviceId(),
                        move.at()),
                namespaceId,
                key + "/",
                key + "0");
    }
}
