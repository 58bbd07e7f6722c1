package dev.syncbox.sync.dropbox;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.SharedPaths;
import dev.syncbox.sync.dropbox.DropboxCursors.ListCursor;
import dev.syncbox.sync.dropbox.DropboxCursors.Stage;
import dev.syncbox.sync.dropbox.DropboxCursors.Stream;
import dev.syncbox.sync.dropbox.DropboxRows.Row;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A journal replayed for {@code files/list_folder/continue}, by state: each entry names a path that changed, and what
 * is sent is the entry's current row (one query for the whole page), not what the entry said. A move is also a
 * {@code deleted} where it came from, a delete is {@code deleted}; a folder moved (or renamed) into a recursive scope
 * queues a listing of its contents. Replaying an entry twice, or after a listing that already showed its outcome, is
 * harmless, which is what lets the pages of a first listing come from different transactions.
 */
@Component
class DropboxReplay {

    /** What one journal gave: entries, its new position, folders to list. */
    record Replayed(List<Map<String, Object>> entries, Stream stream, List<Stage> stages) {}

    /** Folders moved in that one page queues at most, so that a cursor stays small. */
    static final int MAX_STAGES = 32;

    private record Entry(long seq, String fileId, String operation, String path, String from) {}

    private final JdbcTemplate jdbc;
    private final DropboxRows rows;

    DropboxReplay(JdbcTemplate jdbc, DropboxRows rows) {
        this.jdbc = jdbc;
        this.rows = rows;
    }

    /** Up to {@code limit} journal entries of {@code stream} after its position, as the scope sees them. */
    Replayed replay(ListCursor cursor, Stream stream, long head, int limit) {
        List<Entry> entries = jdbc.query(
                "SELECT seq, file_id, operation, path, from_path FROM journal WHERE namespace_id = ? AND seq > ?"
                        + " ORDER BY seq LIMIT ?",
                (rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                stream.namespace(),
                stream.seq(),
                limit);
        if ((entries.isEmpty() && head > stream.seq())
                || (!entries.isEmpty() && entries.get(0).seq() != stream.seq() + 1)) {
            // Trimmed past the cursor: the client must list again.
            throw DropboxApiException.route(DropboxErrors.tag("reset"));
        }
        Set<String> ids = new LinkedHashSet<>();
        entries.forEach(e -> ids.add(e.fileId()));
        if (stream.item() != null) {
            ids.add(stream.item());
        }
        Map<String, Row> current = rows.byId(ids);
        Row item = stream.item() == null ? null : current.get(stream.item());
        List<Map<String, Object>> out = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        long last = stream.seq();
        for (Entry entry : entries) {
            last = entry.seq();
            if ("DELETE".equals(entry.operation())) {
                deleted(cursor, shown(stream, entry.path()), out);
                continue;
            }
            if ("MOVE".equals(entry.operation()) && entry.from() != null) {
                deleted(cursor, shown(stream, entry.from()), out);
            }
            Row row = current.get(entry.fileId());
            String view = row == null ? null : view(stream, item, row);
            if (view == null || !inScope(cursor, view)) {
                continue;
            }
            out.add(row.metadata(view));
            if (row.dir() && cursor.recursive() && "MOVE".equals(entry.operation()) && !SyncPath.isRoot(view)) {
                stages.add(new Stage(view, false));
                if (stages.size() == MAX_STAGES) {
                    break; // the cursor carries them: the page ends here, the rest of the journal follows them
                }
            }
        }
        return new Replayed(out, stream.at(last), stages);
    }

    private static void deleted(ListCursor cursor, String view, List<Map<String, Object>> out) {
        if (inScope(cursor, view)) {
            out.add(DropboxWire.deleted(view));
        }
    }

    /** A journal path at the user's path: a shared item's journal is relative to the item. */
    private static String shown(Stream stream, String path) {
        return stream.item() == null ? path : SharedPaths.rebase(path, SyncPath.ROOT, stream.mount());
    }

    /** Where the user sees a live row now; null when they do not (deleted, or moved out of the shared item). */
    private static String view(Stream stream, Row item, Row row) {
        if (row.deleted() || row.namespace() != (stream.item() == null ? stream.namespace() : namespaceOf(item))) {
            return null;
        }
        if (stream.item() == null) {
            return row.path();
        }
        if (item.deleted() || !(row.id().equals(item.id()) || SharedPaths.within(row.path(), item.path()))) {
            return null;
        }
        return SharedPaths.rebase(row.path(), item.path(), stream.mount());
    }

    private static long namespaceOf(Row item) {
        return item == null ? -1 : item.namespace();
    }

    /** Whether the scope shows {@code view}: under it (recursive) or right in it. */
    static boolean inScope(ListCursor cursor, String view) {
        if (SyncPath.isRoot(view)) {
            return false;
        }
        if (cursor.recursive()) {
            return SharedPaths.within(view, cursor.scope());
        }
        return PathKeys.of(SyncPath.parent(view)).equals(PathKeys.of(cursor.scope()));
    }
}
