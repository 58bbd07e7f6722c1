package dev.syncbox.sync.feed;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.share.SharedPaths;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Complete listings a device pages through — its first sync, a shared item's snapshot, a folder
 * included again — each consistent with one journal position: taken in the page's REPEATABLE READ
 * transaction, which also read that journal's head, so the listing is exactly the state the journal
 * has reached there. One that fits in the page is sent straight away; a larger one is stored once
 * ({@code listing_entries}, ordinals in path order) and paged from there. A stored listing that is
 * gone or incomplete is {@code 409 reset}, never a silent gap.
 */
@Component
class Listings {

    /** Where a stream's paths appear in the device's tree: {@code "/"} for the user's root. */
    record Stream(long namespaceId, long seq, String mountPath) {}

    /**
     * What to list: the live rows of {@code filesNamespace} under {@code subtreeKey} (null: all), of
     * which the owner path {@code basePath} is the stream's own root.
     */
    record Source(long filesNamespace, String subtreeKey, String basePath) {}

    /** A page of a listing, and the listing to go on with (null when it is complete). */
    record Served(List<Change> changes, Cursor.Listing next) {}

    private record Header(long namespaceId, long seq, String basePath, int entries) {}

    private record Row(long ord, Change change) {}

    private static final String COLUMNS =
            "file_id, file_path, is_dir, current_version_id, size_bytes, content_hash, modified_at";
    private static final String STORED_COLUMNS =
            "file_id, file_path, is_dir, version_id, size_bytes, content_hash, modified_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Timer materialized;

    Listings(JdbcTemplate jdbc, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.materialized = Timer.builder("syncbox.sync.listing.materialize")
                .description("Storing a listing too large for one page")
                .register(registry);
    }

    /**
     * Lists {@code source} as of {@code stream.seq()}, which must be the head read in this
     * transaction; the first {@code limit} entries are sent now.
     */
    Served start(Stream stream, Source source, Hiding hiding, int limit) {
        List<Row> rows = jdbc.query(
                "SELECT 0, " + COLUMNS + " FROM files WHERE namespace_id = ? AND NOT is_deleted" + subtree(source)
                        + " ORDER BY path_key LIMIT ?",
                Listings::row,
                args(source, limit + 1));
        if (rows.size() <= limit) {
            return new Served(shown(rows, stream, source.basePath(), hiding), null);
        }
        long id = jdbc.queryForObject("SELECT nextval('listing_ids')", Long.class);
        int entries = materialized.record(() -> jdbc.update(
                "INSERT INTO listing_entries (listing_id, ord, " + STORED_COLUMNS + ")"
                        + " SELECT ?, row_number() OVER (ORDER BY path_key), " + COLUMNS
                        + " FROM files WHERE namespace_id = ? AND NOT is_deleted" + subtree(source),
                prepend(id, args(source))));
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(
                "INSERT INTO listings (listing_id, namespace_id, seq, base_path, entries, created_at, used_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                id,
                stream.namespaceId(),
                stream.seq(),
                source.basePath(),
                entries,
                now,
                now);
        return serve(new Cursor.Listing(id, 0), stream, hiding, limit);
    }

    /** The next page of a stored listing, which must stand at {@code stream}'s position. */
    Served serve(Cursor.Listing at, Stream stream, Hiding hiding, int limit) {
        Header header = header(at.id()).orElseThrow(ChangeFeed::reset);
        if (header.namespaceId() != stream.namespaceId() || header.seq() != stream.seq()) {
            throw ChangeFeed.reset();
        }
        List<Row> rows = jdbc.query(
                "SELECT ord, " + STORED_COLUMNS
                        + " FROM listing_entries WHERE listing_id = ? AND ord > ? ORDER BY ord LIMIT ?",
                Listings::row,
                at.id(),
                at.after(),
                limit);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).ord() != at.after() + 1 + i) {
                throw ChangeFeed.reset();
            }
        }
        long last = at.after() + rows.size();
        if ((rows.size() < limit && last != header.entries()) || last > header.entries()) {
            throw ChangeFeed.reset();
        }
        List<Change> changes = shown(rows, stream, header.basePath(), hiding);
        return new Served(changes, last == header.entries() ? null : new Cursor.Listing(at.id(), last));
    }

    /** The journal a stored listing stands at, if it is still there. */
    Optional<Long> namespaceOf(long listingId) {
        return header(listingId).map(Header::namespaceId);
    }

    /** Marks listings still being paged as used now, and those just finished as completed. */
    void touch(List<Long> used, List<Long> completed) {
        Timestamp now = Timestamp.from(clock.instant());
        for (long id : used) {
            jdbc.update("UPDATE listings SET used_at = ? WHERE listing_id = ?", now, id);
        }
        for (long id : completed) {
            jdbc.update(
                    "UPDATE listings SET used_at = ?, completed_at = coalesce(completed_at, ?) WHERE listing_id = ?",
                    now,
                    now,
                    id);
        }
    }

    private Optional<Header> header(long id) {
        return jdbc
                .query(
                        "SELECT namespace_id, seq, base_path, entries FROM listings WHERE listing_id = ?",
                        (rs, n) -> new Header(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4)),
                        id)
                .stream()
                .findFirst();
    }

    private static List<Change> shown(List<Row> rows, Stream stream, String basePath, Hiding hiding) {
        List<Change> changes = new ArrayList<>();
        for (Row row : rows) {
            Change c = row.change();
            String path = SyncPath.isRoot(basePath) && SyncPath.isRoot(stream.mountPath())
                    ? c.path()
                    : SharedPaths.rebase(c.path(), basePath, stream.mountPath());
            if (!hiding.hides(path, stream.namespaceId(), stream.seq())) {
                changes.add(new Change(
                        c.fileId(),
                        path,
                        null,
                        "CREATE",
                        c.versionId(),
                        c.size(),
                        c.contentHash(),
                        c.isDir(),
                        c.timestamp()));
            }
        }
        return changes;
    }

    private static String subtree(Source source) {
        return source.subtreeKey() == null ? "" : " AND (path_key = ? OR (path_key >= ? AND path_key < ?))";
    }

    private static Object[] args(Source source, Object... more) {
        List<Object> args = new ArrayList<>(List.of(source.filesNamespace()));
        if (source.subtreeKey() != null) {
            args.addAll(List.of(source.subtreeKey(), source.subtreeKey() + "/", source.subtreeKey() + "0"));
        }
        args.addAll(List.of(more));
        return args.toArray();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getLong(1),
                new Change(
                        rs.getString(2),
                        rs.getString(3),
                        null,
                        "CREATE",
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getString(7),
                        rs.getBoolean(4),
                        rs.getTimestamp(8).toInstant()));
    }
}
