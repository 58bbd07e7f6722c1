package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.sync.dropbox.DropboxCursors.ListCursor;
import dev.syncbox.sync.dropbox.DropboxCursors.Stage;
import dev.syncbox.sync.dropbox.DropboxRows.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Listings of folders as they are now, a page at a time by path key: the first listing of a scope, a share new to the
 * user, a folder moved into the scope. Each page reads the current rows; the journal positions the cursor took before
 * the first page make the later pages converge (what changed meanwhile is replayed by state, see {@link
 * DropboxReplay}).
 */
@Component
class DropboxStages {

    /** Entries of one page, and the cursor's stages and position after it. */
    record Served(List<Map<String, Object>> entries, List<Stage> stages, String after) {}

    private final Sharing sharing;
    private final DropboxRows rows;

    DropboxStages(Sharing sharing, DropboxRows rows) {
        this.sharing = sharing;
        this.rows = rows;
    }

    /** Up to {@code limit} entries from the cursor's stages, in order. */
    Served serve(ListCursor cursor, int limit) {
        List<Map<String, Object>> entries = new ArrayList<>();
        List<Stage> stages = new ArrayList<>(cursor.stages());
        String after = cursor.after();
        while (!stages.isEmpty() && entries.size() < limit) {
            Stage stage = stages.get(0);
            after = stage(cursor, stage, after, limit - entries.size(), entries);
            if (after == null) {
                stages.remove(0);
            }
        }
        return new Served(entries, List.copyOf(stages), stages.isEmpty() ? null : after);
    }

    /** Adds up to {@code room} entries of one stage; where it stopped, or null when it is done. */
    private String stage(ListCursor cursor, Stage stage, String after, int room, List<Map<String, Object>> out) {
        Sharing.Location location;
        try {
            location = sharing.locate(cursor.user(), stage.path());
        } catch (SyncboxException e) {
            return null; // a path under a shared file: nothing to list
        }
        String ownerKey = PathKeys.of(location.path());
        if (!SyncPath.isRoot(location.path())) {
            Row folder = rows.live(location.namespaceId(), ownerKey);
            if (folder == null) {
                return null; // gone since: its journal says so
            }
            if (after == null && stage.self()) {
                out.add(folder.metadata(location.view().path(folder.path())));
                room--;
            }
            boolean contentsShown =
                    cursor.recursive() || PathKeys.of(stage.path()).equals(PathKeys.of(cursor.scope()));
            if (!folder.dir() || !contentsShown) {
                return null; // a file, or a mount point in a listing of the root alone
            }
            if (room == 0) {
                return PathKeys.of(stage.path());
            }
        }
        String viewKey = PathKeys.of(stage.path());
        // The position is kept at the user's path: translated to the owner's, whose folder may have been renamed.
        String ownerAfter = after == null || after.equals(viewKey)
                ? null
                : prefix(ownerKey) + after.substring(prefix(viewKey).length());
        List<Row> page = rows.under(
                location.namespaceId(), ownerKey, cursor.recursive(), cursor.deleted(), ownerAfter, room + 1);
        String last = null;
        for (Row row : page.subList(0, Math.min(room, page.size()))) {
            String view = location.view().path(row.path());
            out.add(row.metadata(view));
            last = PathKeys.of(view);
        }
        return page.size() > room ? last : null;
    }

    private static String prefix(String key) {
        return "/".equals(key) ? "" : key;
    }
}
