package dev.syncbox.sync.feed;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.SharedPaths;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Pages of one journal — the user's root or a shared item's, at the device's paths — seen through
 * what the device does not have. A folder that comes into view is queued as a listing owed (its
 * subtree stays hidden until it is listed), so the page can go on past it.
 */
@Component
class JournalPages {

    /** Entries for the device, the last sequence read, whether there are more, what is hidden now. */
    record Read(List<Change> changes, long last, boolean more, Hiding hiding) {}

    private record Row(long seq, Change change) {}

    private final JdbcTemplate jdbc;
    private final Includes includes;
    private final SyncHealth health;

    JournalPages(JdbcTemplate jdbc, Includes includes, SyncHealth health) {
        this.jdbc = jdbc;
        this.includes = includes;
        this.health = health;
    }

    /** Up to {@code limit} entries of {@code stream}'s journal after its position. */
    Read read(String deviceId, Listings.Stream stream, Hiding hiding, int limit) {
        List<Row> rows = jdbc.query(
                "SELECT seq, file_id, operation, path, from_path, version_id, size_bytes, content_hash, is_dir,"
                        + " created_at FROM journal WHERE namespace_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, n) -> new Row(
                        rs.getLong(1),
                        new Change(
                                rs.getString(2),
                                shown(rs.getString(4), stream),
                                rs.getString(5) == null ? null : shown(rs.getString(5), stream),
                                rs.getString(3),
                                rs.getString(6),
                                (Long) rs.getObject(7),
                                rs.getString(8),
                                rs.getBoolean(9),
                                rs.getTimestamp(10).toInstant())),
                stream.namespaceId(),
                stream.seq(),
                limit + 1);
        if (!rows.isEmpty() && rows.get(0).seq() != stream.seq() + 1) {
            throw ChangeFeed.reset();
        }
        List<Change> changes = new ArrayList<>();
        long last = stream.seq();
        for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            health.reading(deviceId, row.change().timestamp());
            Visibility.Seen seen = Visibility.of(row.change(), hiding, stream.namespaceId(), last);
            changes.addAll(seen.changes());
            if (seen.owed() != null) {
                hiding = hiding.with(
                        includes.movedIn(deviceId, stream.namespaceId(), row.seq(), PathKeys.of(seen.owed())));
            }
            last = row.seq();
        }
        return new Read(changes, last, rows.size() > limit, hiding);
    }

    /** A journal path at the device's path: a shared item's journal is relative to the item. */
    private static String shown(String path, Listings.Stream stream) {
        return SyncPath.isRoot(stream.mountPath()) ? path : SharedPaths.rebase(path, SyncPath.ROOT, stream.mountPath());
    }
}
