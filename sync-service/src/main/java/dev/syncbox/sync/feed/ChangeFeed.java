package dev.syncbox.sync.feed;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.share.SharedPaths;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.device.Devices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pages of a device's feed, O(changes) whatever the size of the tree. Without a cursor the feed
 * starts with the complete current state (paged by path, parents first) taken at a journal position,
 * then continues with the journal from there. Folders the device has just included come next as
 * their current contents; then journal entries in commit order. Excluded subtrees are left out.
 */
@Service
class ChangeFeed {

    record Page(List<Change> changes, String nextCursor, boolean hasMore) {}

    /** One page before encoding. */
    record Step(List<Change> changes, Cursor next, boolean more) {}

    static final String FILE_COLUMNS =
            "file_id, file_path, is_dir, current_version_id, size_bytes, content_hash, modified_at, path_key";

    private final JdbcTemplate jdbc;
    private final CursorCodec codec;
    private final Devices devices;
    private final UserRepository users;
    private final HotCache cache;
    private final Clock clock;
    private final Timer syncLatency;
    private final MountFeeds mounts;

    ChangeFeed(
            JdbcTemplate jdbc,
            CursorCodec codec,
            Devices devices,
            UserRepository users,
            HotCache cache,
            Clock clock,
            MeterRegistry registry,
            MountFeeds mounts) {
        this.mounts = mounts;
        this.jdbc = jdbc;
        this.codec = codec;
        this.devices = devices;
        this.users = users;
        this.cache = cache;
        this.clock = clock;
        this.syncLatency = Timer.builder("syncbox.sync.latency")
                .description("From a change's commit to its delivery to a device")
                .register(registry);
    }

    long rootNamespace(CurrentUser user) {
        return users.findById(user.userId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"))
                .rootNamespaceId();
    }

    /** The namespace and journal position a cursor stands at, checked for the caller. */
    Cursor open(CurrentUser user, String cursorText) {
        Cursor cursor = codec.decode(cursorText, user.userId());
        if (cursor.namespaceId() != rootNamespace(user) || cursor.seq() > head(cursor.namespaceId())) {
            throw reset();
        }
        return cursor;
    }

    /** Whether something shared with the user is not yet delivered to this cursor. */
    boolean sharedPending(CurrentUser user, Cursor cursor) {
        return mounts.pending(user, cursor);
    }

    long head(long namespaceId) {
        return jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, namespaceId);
    }

    @Transactional
    public Page page(CurrentUser user, String cursorText, int limit) {
        Cursor cursor;
        if (cursorText == null || cursorText.isBlank()) {
            long namespaceId = rootNamespace(user);
            cursor = new Cursor(
                    user.userId(),
                    namespaceId,
                    head(namespaceId),
                    "",
                    lastInclude(user.deviceId()),
                    0,
                    null,
                    List.of());
        } else {
            cursor = open(user, cursorText);
            jdbc.update(
                    "DELETE FROM selective_sync_includes WHERE device_id = ? AND include_id <= ?",
                    user.deviceId(),
                    cursor.includesDone());
        }
        Exclusions exclusions = Exclusions.of(devices.excluded(user.deviceId()));
        Step step;
        if (cursor.inSnapshot()) {
            step = snapshot(cursor, exclusions, limit);
        } else {
            Include include = nextInclude(user.deviceId(), cursor);
            step = include != null
                    ? include(cursor, include, exclusions, limit)
                    : journal(user, cursor, exclusions, limit);
        }
        if (!step.more()) {
            // The root is caught up: then what is shared with the user, one item at a time.
            step = step.changes().isEmpty()
                    ? mounts.step(user, step.next(), exclusions, limit)
                    : new Step(step.changes(), step.next(), mounts.pending(user, step.next()));
        }
        String next = codec.encode(step.next());
        record(user, next);
        return new Page(step.changes(), next, step.more());
    }

    private Step snapshot(Cursor cursor, Exclusions exclusions, int limit) {
        List<Row> rows = jdbc.query(
                "SELECT " + FILE_COLUMNS + " FROM files WHERE namespace_id = ? AND NOT is_deleted AND path_key > ?"
                        + " ORDER BY path_key LIMIT ?",
                ChangeFeed::row,
                cursor.namespaceId(),
                cursor.snapshotAfter(),
                limit + 1);
        List<Change> changes = creates(rows, exclusions, limit);
        if (rows.size() > limit) {
            return new Step(
                    changes, cursor.withSnapshotAfter(rows.get(limit - 1).pathKey()), true);
        }
        Cursor next = cursor.withJournal(cursor.seq());
        return new Step(changes, next, head(cursor.namespaceId()) > cursor.seq());
    }

    private record Include(long id, String pathKey) {}

    private Include nextInclude(String deviceId, Cursor cursor) {
        List<Include> includes = jdbc.query(
                "SELECT include_id, path_key FROM selective_sync_includes WHERE device_id = ? AND include_id > ?"
                        + " ORDER BY include_id LIMIT 1",
                (rs, n) -> new Include(rs.getLong(1), rs.getString(2)),
                deviceId,
                cursor.includeId() != 0 ? cursor.includeId() - 1 : cursor.includesDone());
        return includes.isEmpty() ? null : includes.get(0);
    }

    private Step include(Cursor cursor, Include include, Exclusions exclusions, int limit) {
        for (Cursor.Mount mount : cursor.mounts()) {
            if (SharedPaths.within(include.pathKey(), mount.mountPath())) {
                // In something shared with the user: that item's snapshot is sent again, at its turn.
                List<Cursor.Mount> rest =
                        cursor.mounts().stream().filter(m -> m != mount).toList();
                return new Step(List.of(), cursor.withIncludeDone(include.id()).withMounts(rest), true);
            }
        }
        String after = include.id() == cursor.includeId() ? cursor.includeAfter() : "";
        List<Row> rows = jdbc.query(
                "SELECT " + FILE_COLUMNS + " FROM files WHERE namespace_id = ? AND NOT is_deleted"
                        + " AND (path_key = ? OR (path_key >= ? AND path_key < ?)) AND path_key > ?"
                        + " ORDER BY path_key LIMIT ?",
                ChangeFeed::row,
                cursor.namespaceId(),
                include.pathKey(),
                include.pathKey() + "/",
                include.pathKey() + "0",
                after,
                limit + 1);
        List<Change> changes = creates(rows, exclusions, limit);
        if (rows.size() > limit) {
            return new Step(
                    changes,
                    cursor.withInclude(include.id(), rows.get(limit - 1).pathKey()),
                    true);
        }
        return new Step(changes, cursor.withIncludeDone(include.id()), true);
    }

    private Step journal(CurrentUser user, Cursor cursor, Exclusions exclusions, int limit) {
        List<JournalRow> rows = jdbc.query(
                "SELECT seq, file_id, operation, path, from_path, version_id, size_bytes, content_hash, is_dir,"
                        + " created_at FROM journal WHERE namespace_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, n) -> new JournalRow(
                        rs.getLong(1),
                        new Change(
                                rs.getString(2),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(3),
                                rs.getString(6),
                                (Long) rs.getObject(7),
                                rs.getString(8),
                                rs.getBoolean(9),
                                rs.getTimestamp(10).toInstant())),
                cursor.namespaceId(),
                cursor.seq(),
                limit + 1);
        if (!rows.isEmpty() && rows.get(0).seq() != cursor.seq() + 1) {
            throw reset();
        }
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        long seq = cursor.seq();
        boolean more = rows.size() > limit;
        for (JournalRow row : rows.subList(0, Math.min(limit, rows.size()))) {
            seq = row.seq();
            syncLatency.record(Duration.between(row.change().timestamp(), now));
            Change change = row.change();
            if (movedIntoView(change, exclusions)) {
                // The device never had this folder's contents: they come next, as for an included folder.
                jdbc.update(
                        "INSERT INTO selective_sync_includes (device_id, namespace_id, path_key) VALUES (?, ?, ?)",
                        user.deviceId(),
                        cursor.namespaceId(),
                        PathKeys.of(change.path()));
                more = true;
                break;
            }
            Change visible = visible(change, exclusions);
            if (visible != null) {
                changes.add(visible);
            }
        }
        return new Step(changes, cursor.withJournal(seq), more);
    }

    private static boolean movedIntoView(Change change, Exclusions exclusions) {
        return "MOVE".equals(change.operation())
                && change.isDir()
                && exclusions.excludes(change.fromPath())
                && !exclusions.excludes(change.path());
    }

    /** A journal entry as this device sees it, or null when it falls in an excluded subtree. */
    static Change visible(Change change, Exclusions exclusions) {
        boolean hidden = exclusions.excludes(change.path());
        if (!"MOVE".equals(change.operation())) {
            return hidden ? null : change;
        }
        boolean wasHidden = exclusions.excludes(change.fromPath());
        if (hidden && wasHidden) {
            return null;
        }
        if (hidden) {
            return new Change(
                    change.fileId(),
                    change.fromPath(),
                    null,
                    "DELETE",
                    null,
                    null,
                    null,
                    change.isDir(),
                    change.timestamp());
        }
        if (wasHidden) {
            return new Change(
                    change.fileId(),
                    change.path(),
                    null,
                    "CREATE",
                    change.versionId(),
                    change.size(),
                    change.contentHash(),
                    change.isDir(),
                    change.timestamp());
        }
        return change;
    }

    private record JournalRow(long seq, Change change) {}

    record Row(Change change, String pathKey) {}

    static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                new Change(
                        rs.getString(1),
                        rs.getString(2),
                        null,
                        "CREATE",
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getBoolean(3),
                        rs.getTimestamp(7).toInstant()),
                rs.getString(8));
    }

    static List<Change> creates(List<Row> rows, Exclusions exclusions, int limit) {
        return rows.subList(0, Math.min(limit, rows.size())).stream()
                .map(Row::change)
                .filter(c -> !exclusions.excludes(c.path()))
                .toList();
    }

    private long lastInclude(String deviceId) {
        Long last = jdbc.queryForObject(
                "SELECT max(include_id) FROM selective_sync_includes WHERE device_id = ?", Long.class, deviceId);
        return last == null ? 0 : last;
    }

    private void record(CurrentUser user, String cursor) {
        jdbc.update(
                "INSERT INTO sync_cursors (user_id, device_id, last_cursor, updated_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (user_id, device_id) DO UPDATE SET last_cursor = EXCLUDED.last_cursor,"
                        + " updated_at = EXCLUDED.updated_at",
                user.userId(),
                user.deviceId(),
                cursor,
                Timestamp.from(clock.instant()));
        cache.put("sync:cursor:" + user.userId() + ":" + user.deviceId(), cursor, Duration.ofHours(24));
    }

    static SyncboxException reset() {
        return new SyncboxException(
                ErrorCode.RESET, "This cursor can no longer be served; list again without a cursor");
    }
}
