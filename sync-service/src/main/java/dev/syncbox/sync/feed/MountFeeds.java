package dev.syncbox.sync.feed;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.SharedPaths;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The part of a device's feed that comes from items shared with its user (docs/sharing.md). Each
 * shared item is a namespace with its own journal, paths relative to the item: a new share is sent
 * as a snapshot of the item's contents at the mount point, then its journal follows; a share that
 * ended (revoked, left, or the item deleted) is sent as a delete of the mount point.
 */
@Component
class MountFeeds {

    private final Sharing sharing;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final JournalHeads journalHeads;

    MountFeeds(Sharing sharing, JdbcTemplate jdbc, Clock clock, JournalHeads journalHeads) {
        this.journalHeads = journalHeads;
        this.sharing = sharing;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private String rootFileId(long namespaceId) {
        return jdbc.queryForObject(
                "SELECT root_file_id FROM namespaces WHERE namespace_id = ?", String.class, namespaceId);
    }

    /** Whether a shared item has something this cursor has not delivered. */
    boolean pending(CurrentUser user, Cursor cursor) {
        List<Sharing.Mounted> live = sharing.mounts(user.userId());
        Map<Long, Cursor.Mount> known = byNamespace(cursor);
        if (live.size() != known.size()) {
            return true;
        }
        Map<Long, Long> heads = heads(live);
        for (Sharing.Mounted m : live) {
            Cursor.Mount at = known.get(m.grant().namespaceId());
            if (at == null
                    || !at.mountPath().equals(m.grant().mountPath())
                    || at.inSnapshot()
                    || heads.getOrDefault(m.grant().namespaceId(), 0L) > at.seq()) {
                return true;
            }
        }
        return false;
    }

    /** The next page from shared items: ended shares first, then the first item with news. */
    ChangeFeed.Step step(CurrentUser user, Cursor cursor, Exclusions exclusions, int limit) {
        List<Sharing.Mounted> live = sharing.mounts(user.userId());
        List<Change> ended = new ArrayList<>();
        List<Cursor.Mount> kept = new ArrayList<>();
        for (Cursor.Mount at : cursor.mounts()) {
            boolean stillThere = live.stream()
                    .anyMatch(m -> m.grant().namespaceId() == at.namespaceId()
                            && m.grant().mountPath().equals(at.mountPath()));
            if (stillThere) {
                kept.add(at);
            } else if (!exclusions.excludes(at.mountPath())) {
                ended.add(new Change(
                        rootFileId(at.namespaceId()),
                        at.mountPath(),
                        null,
                        "DELETE",
                        null,
                        null,
                        null,
                        at.dir(),
                        clock.instant()));
            }
        }
        if (kept.size() != cursor.mounts().size()) {
            return new ChangeFeed.Step(ended, cursor.withMounts(kept), true);
        }
        Map<Long, Cursor.Mount> known = byNamespace(cursor);
        Map<Long, Long> heads = heads(live);
        for (Sharing.Mounted m : live) {
            long namespaceId = m.grant().namespaceId();
            long head = heads.getOrDefault(namespaceId, 0L);
            Cursor.Mount at = known.get(namespaceId);
            if (at == null) {
                at = new Cursor.Mount(
                        namespaceId, head, "", m.grant().mountPath(), m.grant().dir());
            }
            if (at.inSnapshot()) {
                return snapshot(cursor, m, at, exclusions, limit);
            }
            if (head > at.seq()) {
                return journal(cursor, m, at, exclusions, limit);
            }
        }
        return new ChangeFeed.Step(List.of(), cursor, false);
    }

    private ChangeFeed.Step snapshot(
            Cursor cursor, Sharing.Mounted m, Cursor.Mount at, Exclusions exclusions, int limit) {
        String rootKey = PathKeys.of(m.root().path());
        List<ChangeFeed.Row> rows = jdbc.query(
                "SELECT " + ChangeFeed.FILE_COLUMNS + " FROM files WHERE namespace_id = ? AND NOT is_deleted"
                        + " AND (path_key = ? OR (path_key >= ? AND path_key < ?)) AND path_key > ?"
                        + " ORDER BY path_key LIMIT ?",
                ChangeFeed::row,
                m.root().namespaceId(),
                rootKey,
                rootKey + "/",
                rootKey + "0",
                at.snapshotAfter(),
                limit + 1);
        List<ChangeFeed.Row> shown = rows.subList(0, Math.min(limit, rows.size())).stream()
                .map(r -> new ChangeFeed.Row(
                        shownAt(r.change(), m.view().path(r.change().path())), r.pathKey()))
                .toList();
        List<Change> changes = ChangeFeed.creates(shown, exclusions, limit);
        Cursor.Mount next =
                rows.size() > limit ? at.withSnapshotAfter(rows.get(limit - 1).pathKey()) : at.withJournal(at.seq());
        return new ChangeFeed.Step(changes, cursor.withMount(next), true);
    }

    private ChangeFeed.Step journal(
            Cursor cursor, Sharing.Mounted m, Cursor.Mount at, Exclusions exclusions, int limit) {
        List<Long> seqs = new ArrayList<>();
        List<Change> entries = jdbc.query(
                "SELECT seq, file_id, operation, path, from_path, version_id, size_bytes, content_hash, is_dir,"
                        + " created_at FROM journal WHERE namespace_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, n) -> {
                    seqs.add(rs.getLong(1));
                    return new Change(
                            rs.getString(2),
                            mounted(rs.getString(4), at),
                            rs.getString(5) == null ? null : mounted(rs.getString(5), at),
                            rs.getString(3),
                            rs.getString(6),
                            (Long) rs.getObject(7),
                            rs.getString(8),
                            rs.getBoolean(9),
                            rs.getTimestamp(10).toInstant());
                },
                at.namespaceId(),
                at.seq(),
                limit);
        if (!seqs.isEmpty() && seqs.get(0) != at.seq() + 1) {
            throw ChangeFeed.reset();
        }
        List<Change> changes = new ArrayList<>();
        for (Change entry : entries) {
            Change visible = ChangeFeed.visible(entry, exclusions);
            if (visible != null) {
                changes.add(visible);
            }
        }
        long last = seqs.isEmpty() ? at.seq() : seqs.get(seqs.size() - 1);
        return new ChangeFeed.Step(changes, cursor.withMount(at.withJournal(last)), true);
    }

    /** A path of a shared item's journal ("/" is the item) at the mount point. */
    private static String mounted(String relative, Cursor.Mount at) {
        return SharedPaths.rebase(relative, SyncPath.ROOT, at.mountPath());
    }

    /** A snapshot row shown at the sharee's path. */
    private static Change shownAt(Change c, String path) {
        return new Change(
                c.fileId(),
                path,
                null,
                c.operation(),
                c.versionId(),
                c.size(),
                c.contentHash(),
                c.isDir(),
                c.timestamp());
    }

    private static Map<Long, Cursor.Mount> byNamespace(Cursor cursor) {
        Map<Long, Cursor.Mount> known = new HashMap<>();
        cursor.mounts().forEach(m -> known.put(m.namespaceId(), m));
        return known;
    }

    private Map<Long, Long> heads(List<Sharing.Mounted> mounts) {
        return journalHeads.of(mounts.stream().map(m -> m.grant().namespaceId()).toList());
    }
}
