package dev.syncbox.sync.trash;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.files.EntriesDeleted;
import dev.syncbox.server.files.EntriesRestored;
import dev.syncbox.server.files.FileRemoval;
import dev.syncbox.server.files.Folders;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.share.View;
import dev.syncbox.server.web.CurrentUser;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The trash. Deleting marks the entry and, for a folder, its whole subtree as deleted, as one trash
 * entry restorable until {@code recovery_deadline}; restoring puts it back at its path, or beside it
 * under a "(restored)" name when the path is taken — never over anything. Every step is journaled.
 */
@Service
public class Trash {

    private final UserRepository users;
    private final Sharing sharing;
    private final FileRepository files;
    private final Folders folders;
    private final Journal journal;
    private final FileRemoval removal;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final SyncboxProperties properties;
    private final DavLocks locks;
    private final Clock clock;

    Trash(
            UserRepository users,
            Sharing sharing,
            FileRepository files,
            Folders folders,
            Journal journal,
            FileRemoval removal,
            JdbcTemplate jdbc,
            ApplicationEventPublisher events,
            SyncboxProperties properties,
            Clock clock,
            DavLocks locks) {
        this.users = users;
        this.sharing = sharing;
        this.files = files;
        this.folders = folders;
        this.journal = journal;
        this.removal = removal;
        this.jdbc = jdbc;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.locks = locks;
    }

    @Transactional
    public TrashController.Deleted delete(CurrentUser user, String fileId, boolean toTrash) {
        long namespaceId = deletable(user, fileId).namespaceId();
        journal.lock(namespaceId);
        // Checked again under the lock: a concurrent move or revocation may have changed the answer.
        FileEntity entry = deletable(user, fileId);
        // Every protocol honours WebDAV locks: someone else's lock on the entry, its folder or inside it stands.
        locks.requireNotLockedByOthers(user.userId(), namespaceId, entry.path(), true, entry.isDir());
        Instant now = clock.instant();
        Instant deadline = now.plus(properties.trash().retention());
        String key = PathKeys.of(entry.path());
        List<String> deleted = jdbc.queryForList(
                "UPDATE files SET is_deleted = true, deleted_at = ?, trash_root_id = ? WHERE namespace_id = ?"
                        + " AND NOT is_deleted AND (file_id = ? OR (path_key >= ? AND path_key < ?)) RETURNING file_id",
                String.class,
                Timestamp.from(now),
                fileId,
                namespaceId,
                fileId,
                entry.isDir() ? key + "/" : key,
                entry.isDir() ? key + "0" : key);
        Long size = jdbc.queryForObject(
                "SELECT coalesce(sum(size_bytes), 0) FROM files WHERE namespace_id = ? AND trash_root_id = ?"
                        + " AND NOT is_dir",
                Long.class,
                namespaceId,
                fileId);
        jdbc.update(
                "INSERT INTO trash (file_id, deleted_by_user_id, deleted_path, deleted_at, recovery_deadline,"
                        + " namespace_id, is_dir, size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                fileId,
                user.userId(),
                entry.path(),
                Timestamp.from(now),
                Timestamp.from(deadline),
                namespaceId,
                entry.isDir(),
                size);
        journal.append(
                namespaceId,
                new JournalEntry(
                        fileId,
                        Operation.DELETE,
                        entry.path(),
                        null,
                        null,
                        null,
                        null,
                        entry.isDir(),
                        user.deviceId(),
                        now));
        locks.release(namespaceId, entry.path());
        events.publishEvent(new EntriesDeleted(namespaceId, deleted));
        if (!toTrash) {
            removal.purge(fileId);
            return new TrashController.Deleted(fileId, now, null);
        }
        return new TrashController.Deleted(fileId, now, deadline);
    }

    /** The caller's trash, and what was deleted inside folders shared with them (at their paths). */
    public List<TrashController.TrashEntry> list(CurrentUser user) {
        List<TrashController.TrashEntry> entries = new ArrayList<>(trashed(namespace(user), null, View.OWNER));
        for (Sharing.Mounted mount : sharing.mounts(user.userId())) {
            if (mount.root().isDir()) {
                entries.addAll(trashed(
                        mount.root().namespaceId(), PathKeys.of(mount.root().path()), mount.view()));
            }
        }
        entries.sort(Comparator.comparing(TrashController.TrashEntry::deletedAt)
                .reversed()
                .thenComparing(TrashController.TrashEntry::fileId));
        return entries;
    }

    private List<TrashController.TrashEntry> trashed(long namespaceId, String underKey, View view) {
        String under = underKey == null ? "" : " AND starts_with(lower(deleted_path), ?)";
        Object[] args = underKey == null ? new Object[] {namespaceId} : new Object[] {namespaceId, underKey + "/"};
        return jdbc.query(
                "SELECT file_id, deleted_path, is_dir, size_bytes, deleted_at, recovery_deadline FROM trash"
                        + " WHERE namespace_id = ?" + under + " ORDER BY deleted_at DESC, file_id",
                (rs, n) -> new TrashController.TrashEntry(
                        rs.getString(1),
                        view.path(rs.getString(2)),
                        rs.getBoolean(3),
                        rs.getLong(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6).toInstant()),
                args);
    }

    @Transactional
    public TrashController.Restored restore(CurrentUser user, String fileId) {
        long namespaceId = trashEntry(user, fileId).file().namespaceId();
        journal.lock(namespaceId);
        Sharing.Visible visible = trashEntry(user, fileId);
        String deletedPath = trashedPath(namespaceId, fileId);
        FileEntity root = files.findInNamespace(namespaceId, fileId).orElseThrow();
        Instant now = clock.instant();
        String wanted = folders.ensureParents(root.ownerId(), namespaceId, deletedPath, user.deviceId(), now);
        String target = files.findLive(namespaceId, PathKeys.of(wanted)).isPresent()
                ? folders.freeSibling(namespaceId, wanted, "restored")
                : wanted;
        String oldPath = root.path();
        if (!target.equals(oldPath)) {
            reroot(namespaceId, fileId, oldPath, target);
        }
        jdbc.update(
                "UPDATE files SET is_deleted = false, deleted_at = NULL, trash_root_id = NULL, modified_at = ?"
                        + " WHERE namespace_id = ? AND trash_root_id = ?",
                Timestamp.from(now),
                namespaceId,
                fileId);
        jdbc.update("DELETE FROM trash WHERE namespace_id = ? AND file_id = ?", namespaceId, fileId);
        List<JournalEntry> created = jdbc.query(
                "SELECT file_id, file_path, current_version_id, size_bytes, content_hash, is_dir FROM files"
                        + " WHERE namespace_id = ? AND NOT is_deleted AND (file_id = ? OR (path_key >= ? AND path_key < ?))"
                        + " ORDER BY path_key",
                (rs, n) -> new JournalEntry(
                        rs.getString(1),
                        Operation.CREATE,
                        rs.getString(2),
                        null,
                        rs.getString(3),
                        rs.getBoolean(6) ? null : rs.getLong(4),
                        rs.getString(5),
                        rs.getBoolean(6),
                        user.deviceId(),
                        now),
                namespaceId,
                fileId,
                PathKeys.of(target) + "/",
                PathKeys.of(target) + "0");
        journal.appendAll(namespaceId, created);
        events.publishEvent(new EntriesRestored(
                namespaceId, created.stream().map(JournalEntry::fileId).toList()));
        return new TrashController.Restored(fileId, visible.view().path(target), root.isDir());
    }

    @Transactional
    public void purge(CurrentUser user, String fileId) {
        long namespaceId = trashEntry(user, fileId).file().namespaceId();
        trashedPath(namespaceId, fileId);
        removal.purge(fileId);
    }

    @Transactional
    public int empty(CurrentUser user) {
        List<String> entries = jdbc.queryForList(
                "SELECT file_id FROM trash WHERE namespace_id = ? FOR UPDATE", String.class, namespace(user));
        entries.forEach(removal::purge);
        return entries.size();
    }

    /** A live entry the caller may delete: theirs, or under a folder shared with them to write. */
    private FileEntity deletable(CurrentUser user, String fileId) {
        Sharing.Visible visible = sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> Sharing.notFound(fileId))
                .writable();
        requireNotMountPoint(visible);
        return visible.file();
    }

    /** A trash entry the caller may restore or purge: theirs, or in a folder shared with them to write. */
    private Sharing.Visible trashEntry(CurrentUser user, String fileId) {
        return sharing.find(user.userId(), fileId)
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No trash entry " + fileId))
                .writable();
    }

    /** A sharee can't delete the shared item itself: they leave the share instead. */
    private static void requireNotMountPoint(Sharing.Visible visible) {
        if (!visible.view().owner()
                && visible.file().getId().equals(visible.view().grant().rootFileId())) {
            throw new SyncboxException(
                    ErrorCode.PERMISSION_DENIED, "Only the owner can delete a shared item; leave the share instead");
        }
    }

    private String trashedPath(long namespaceId, String fileId) {
        List<String> path = jdbc.queryForList(
                "SELECT deleted_path FROM trash WHERE file_id = ? AND namespace_id = ? FOR UPDATE",
                String.class,
                fileId,
                namespaceId);
        if (path.isEmpty()) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No trash entry " + fileId);
        }
        return path.get(0);
    }

    /** Gives the rows of a trash entry, still marked deleted, the path they are restored to. */
    private void reroot(long namespaceId, String rootId, String from, String to) {
        String fromKey = PathKeys.of(from);
        String toKey = PathKeys.of(to);
        jdbc.update(
                "UPDATE files SET file_path = ? || substr(file_path, ?), path_key = ? || substr(path_key, ?),"
                        + " parent_dir_path = CASE WHEN file_id = ? THEN ? ELSE ? || substr(parent_dir_path, ?) END,"
                        + " parent_key = CASE WHEN file_id = ? THEN ? ELSE ? || substr(parent_key, ?) END"
                        + " WHERE namespace_id = ? AND trash_root_id = ?",
                to,
                from.length() + 1,
                toKey,
                fromKey.length() + 1,
                rootId,
                SyncPath.parent(to),
                to,
                from.length() + 1,
                rootId,
                PathKeys.of(SyncPath.parent(to)),
                toKey,
                fromKey.length() + 1,
                namespaceId,
                rootId);
    }

    private long namespace(CurrentUser user) {
        return users.findById(user.userId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"))
                .rootNamespaceId();
    }
}
