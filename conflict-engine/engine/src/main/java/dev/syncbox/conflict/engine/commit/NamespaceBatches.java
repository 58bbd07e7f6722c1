package dev.syncbox.conflict.engine.commit;

import dev.syncbox.conflict.engine.commit.BatchCommitter.Failure;
import dev.syncbox.conflict.engine.commit.BatchCommitter.Located;
import dev.syncbox.conflict.engine.commit.BatchCommitter.Outcome;
import dev.syncbox.conflict.engine.commit.BatchCommitter.Success;
import dev.syncbox.conflict.engine.record.ConflictLog;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileDirectory;
import dev.syncbox.server.metadata.PathKeys;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The metadata side of a batch commit in one namespace: reads the rows the batch touches once (locked),
 * plans each entry against them in memory — in order, so an entry sees the folders and files the ones
 * before it made — and writes the result in a few batched statements. The checks and messages are
 * {@link VersionCommitter}'s: a file where a folder is needed, a folder at the path, the quota.
 */
@Component
class NamespaceBatches {

    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;
    private final Journal journal;
    private final ConflictLog conflicts;
    private final FileDirectory directory;

    NamespaceBatches(JdbcTemplate jdbc, Journal journal, ConflictLog conflicts, FileDirectory directory) {
        this.directory = directory;
        this.jdbc = jdbc;
        this.journal = journal;
        this.conflicts = conflicts;
    }

    /**
     * Reads and locks the live rows at the entries' paths and above and, with {@code lockQuota}, the
     * owner's quota row, so that each entry's charge is decided in turn. Without it, the charge of
     * the whole plan is checked when written ({@link Batch#charge}): for a single commit.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Batch open(long namespaceId, long ownerId, List<Located> entries, boolean lockQuota, Instant now) {
        Set<String> keys = new LinkedHashSet<>();
        for (Located entry : entries) {
            String path = entry.location().path();
            keys.add(PathKeys.of(path));
            for (String p = SyncPath.parent(path); p != null && !SyncPath.isRoot(p); p = SyncPath.parent(p)) {
                keys.add(PathKeys.of(p));
            }
        }
        Map<String, Node> nodes = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT file_id, file_path, is_dir, current_version_id, size_bytes"
                            + " FROM files WHERE namespace_id = ? AND path_key = ANY(?) AND NOT is_deleted FOR UPDATE");
                    ps.setLong(1, namespaceId);
                    ps.setArray(2, con.createArrayOf("text", keys.toArray()));
                    return ps;
                },
                rs -> {
                    Node node = new Node(
                            rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getLong(5), false);
                    nodes.put(PathKeys.of(node.path), node);
                });
        if (!lockQuota) {
            // Its charge is checked by the quota update itself (one statement, not two).
            return new Batch(namespaceId, ownerId, nodes, 0, Long.MAX_VALUE, true, now);
        }
        long[] quota = jdbc.queryForObject(
                "SELECT used_space_bytes, max_space_bytes FROM users WHERE user_id = ? FOR UPDATE",
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)},
                ownerId);
        return new Batch(namespaceId, ownerId, nodes, quota[0], quota[1], false, now);
    }

    /** A live entry as the batch sees it; {@code fresh} when the batch itself creates it. */
    private static final class Node {
        final String fileId;
        final String path;
        final boolean dir;
        String currentVersionId;
        long size;
        final boolean fresh;

        Node(String fileId, String path, boolean dir, String currentVersionId, long size, boolean fresh) {
            this.fileId = fileId;
            this.path = path;
            this.dir = dir;
            this.currentVersionId = currentVersionId;
            this.size = size;
            this.fresh = fresh;
        }
    }

    private record NewRow(
            String fileId,
            String path,
            boolean dir,
            String versionId,
            long size,
            String contentHash,
            Instant clientModifiedAt) {}

    private record NewVersion(
            String versionId,
            String fileId,
            String deviceId,
            String parentVersionId,
            String contentHash,
            long size,
            List<String> blockIds,
            byte[] hashWindows,
            Instant clientModifiedAt) {}

    private record Update(String fileId, String versionId, long size, String contentHash, Instant clientModifiedAt) {}

    /** One namespace's plan: {@link #plan} each entry in order, then {@link #write} once. */
    final class Batch {

        private final long namespaceId;
        private final long ownerId;
        private final Map<String, Node> nodes;
        private final long maxSpace;
        /** The quota is checked when written (a batch of one), not against {@link #maxSpace}. */
        private final boolean chargeChecked;

        private final Instant now;
        private long usedSpace;
        private long charged;
        private final List<NewRow> inserts = new ArrayList<>();
        private final List<NewVersion> versions = new ArrayList<>();
        private final List<Update> updates = new ArrayList<>();
        private final Map<String, List<ConflictLog.Settling>> settled = new HashMap<>();
        private final List<JournalEntry> journaled = new ArrayList<>();

        private Batch(
                long namespaceId,
                long ownerId,
                Map<String, Node> nodes,
                long used,
                long max,
                boolean chargeChecked,
                Instant now) {
            this.namespaceId = namespaceId;
            this.ownerId = ownerId;
            this.nodes = nodes;
            this.usedSpace = used;
            this.maxSpace = max;
            this.chargeChecked = chargeChecked;
            this.now = now;
        }

        /**
         * Plans one entry: its success, its problem, or {@code null} when its parent is stale (it is
         * then committed on its own, after the batch). Nothing is planned for an entry that fails.
         */
        Outcome plan(Located entry) {
            CommitRequest request = entry.request();
            String path = entry.location().path();
            List<String> ancestors = new ArrayList<>();
            for (String p = SyncPath.parent(path); p != null && !SyncPath.isRoot(p); p = SyncPath.parent(p)) {
                ancestors.add(0, p);
            }
            // The path spelled with the existing folders' case; new folders take the request's.
            String canonical = SyncPath.ROOT;
            for (String folder : ancestors) {
                Node node = nodes.get(PathKeys.of(folder));
                if (node != null && !node.dir) {
                    return failure(
                            ErrorCode.PATH_CONFLICT,
                            "A file named '" + SyncPath.name(node.path) + "' is where a folder is needed");
                }
                canonical = node != null ? node.path : SyncPath.child(canonical, SyncPath.name(folder));
            }
            String target = SyncPath.child(canonical, SyncPath.name(path));
            Node file = nodes.get(PathKeys.of(target));
            if (file != null && file.dir) {
                return failure(
                        ErrorCode.PATH_CONFLICT,
                        "A folder exists at " + entry.location().view().path(target));
            }
            boolean created = file == null;
            boolean stale = request.parentVersionId() == null
                    ? !created && !request.overwrite()
                    : created || !request.parentVersionId().equals(file.currentVersionId);
            if (stale) {
                return null;
            }
            long delta = request.content().size() - (created ? 0 : file.size);
            if (delta > 0 && usedSpace + delta > maxSpace) {
                return failure(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
            }
            usedSpace += delta;
            charged += delta;
            canonical = SyncPath.ROOT;
            for (String folder : ancestors) {
                Node node = nodes.get(PathKeys.of(folder));
                if (node == null) {
                    String made = SyncPath.child(canonical, SyncPath.name(folder));
                    node = new Node(Ids.newId(), made, true, null, 0, true);
                    nodes.put(PathKeys.of(made), node);
                    inserts.add(new NewRow(node.fileId, made, true, null, 0, null, null));
                    journaled.add(new JournalEntry(
                            node.fileId,
                            Operation.CREATE,
                            made,
                            null,
                            null,
                            null,
                            null,
                            true,
                            request.deviceId(),
                            now));
                }
                canonical = node.path;
            }
            String versionId = Ids.newId();
            var content = request.content();
            String parentVersionId = created ? null : file.currentVersionId;
            if (created) {
                file = new Node(Ids.newId(), target, false, versionId, content.size(), true);
                nodes.put(PathKeys.of(target), file);
                inserts.add(new NewRow(
                        file.fileId,
                        target,
                        false,
                        versionId,
                        content.size(),
                        content.contentHash(),
                        request.clientModifiedAt()));
            } else if (file.fresh) {
                // Made earlier in this batch and not written yet: its row goes in with this version.
                String id = file.fileId;
                inserts.replaceAll(row -> row.fileId().equals(id)
                        ? new NewRow(
                                id,
                                row.path(),
                                false,
                                versionId,
                                content.size(),
                                content.contentHash(),
                                request.clientModifiedAt())
                        : row);
            } else {
                updates.add(new Update(
                        file.fileId, versionId, content.size(), content.contentHash(), request.clientModifiedAt()));
                settled.computeIfAbsent(request.deviceId(), d -> new ArrayList<>())
                        .add(new ConflictLog.Settling(file.fileId, parentVersionId, versionId));
            }
            file.currentVersionId = versionId;
            file.size = content.size();
            versions.add(new NewVersion(
                    versionId,
                    file.fileId,
                    request.deviceId(),
                    parentVersionId,
                    content.contentHash(),
                    content.size(),
                    content.blockIds(),
                    content.hashWindows(),
                    request.clientModifiedAt()));
            journaled.add(new JournalEntry(
                    file.fileId,
                    created ? Operation.CREATE : Operation.UPDATE,
                    file.path,
                    null,
                    versionId,
                    content.size(),
                    content.contentHash(),
                    false,
                    request.deviceId(),
                    now));
            return new Success(
                    new Committed(file.fileId, versionId, content.contentHash(), content.size(), now, created));
        }

        /** Existing files that got a new version (for cache eviction). */
        List<String> updatedFileIds() {
            return updates.stream().map(Update::fileId).toList();
        }

        /**
         * Charges the owner's quota for what is planned, once; a checked charge that does not fit is
         * {@code quota_exceeded} (the caller's transaction then rolls back). Called by {@link #write}
         * unless done before: the quota row is locked before the blocks' rows, in every commit.
         */
        void charge() {
            if (charged == 0) {
                return;
            }
            int updated = jdbc.update(
                    "UPDATE users SET used_space_bytes = used_space_bytes + ? WHERE user_id = ?"
                            + (chargeChecked ? " AND (? <= 0 OR used_space_bytes + ? <= max_space_bytes)" : ""),
                    chargeChecked
                            ? new Object[] {charged, ownerId, charged, charged}
                            : new Object[] {charged, ownerId});
            charged = 0;
            if (updated == 0) {
                throw new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
            }
        }

        /** Writes everything planned: rows, versions, quota, settled conflicts and the journal. */
        void write() {
            Timestamp at = Timestamp.from(now);
            charge();
            jdbc.batchUpdate(
                    "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, parent_dir_path,"
                            + " parent_key, is_dir, current_version_id, size_bytes, content_hash, created_at,"
                            + " modified_at, client_modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    inserts,
                    BATCH,
                    (ps, row) -> {
                        String parent = SyncPath.parent(row.path());
                        ps.setString(1, row.fileId());
                        ps.setLong(2, namespaceId);
                        ps.setLong(3, ownerId);
                        ps.setString(4, row.path());
                        ps.setString(5, PathKeys.of(row.path()));
                        ps.setString(6, parent);
                        ps.setString(7, parent == null ? null : PathKeys.of(parent));
                        ps.setBoolean(8, row.dir());
                        ps.setString(9, row.versionId());
                        ps.setLong(10, row.size());
                        ps.setString(11, row.contentHash());
                        ps.setTimestamp(12, at);
                        ps.setTimestamp(13, at);
                        ps.setTimestamp(14, timestamp(row.clientModifiedAt()));
                    });
            directory.created(
                    namespaceId, inserts.stream().map(row -> row.fileId()).toList());
            jdbc.batchUpdate(
                    "INSERT INTO file_versions (version_id, file_id, device_id, parent_version_id, content_hash,"
                            + " size_bytes, block_ids, hash_windows, created_at, namespace_id, client_modified_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    versions,
                    BATCH,
                    (ps, v) -> {
                        Array blockIds = ps.getConnection()
                                .createArrayOf("text", v.blockIds().toArray());
                        ps.setString(1, v.versionId());
                        ps.setString(2, v.fileId());
                        ps.setString(3, v.deviceId());
                        ps.setString(4, v.parentVersionId());
                        ps.setString(5, v.contentHash());
                        ps.setLong(6, v.size());
                        ps.setArray(7, blockIds);
                        ps.setBytes(8, v.hashWindows());
                        ps.setTimestamp(9, at);
                        ps.setLong(10, namespaceId);
                        ps.setTimestamp(11, timestamp(v.clientModifiedAt()));
                    });
            jdbc.batchUpdate(
                    "UPDATE files SET current_version_id = ?, size_bytes = ?, content_hash = ?, modified_at = ?,"
                            + " client_modified_at = ? WHERE namespace_id = ? AND file_id = ?",
                    updates,
                    BATCH,
                    (ps, u) -> {
                        ps.setString(1, u.versionId());
                        ps.setLong(2, u.size());
                        ps.setString(3, u.contentHash());
                        ps.setTimestamp(4, at);
                        ps.setTimestamp(5, timestamp(u.clientModifiedAt()));
                        ps.setLong(6, namespaceId);
                        ps.setString(7, u.fileId());
                    });
            settled.forEach((deviceId, files) -> conflicts.settledByAll(namespaceId, files, deviceId, now));
            journal.appendAll(namespaceId, journaled);
        }

        private static Timestamp timestamp(Instant time) {
            return time == null ? null : Timestamp.from(time);
        }

        private Failure failure(ErrorCode code, String detail) {
            return new Failure(new SyncboxException(code, detail));
        }
    }
}
