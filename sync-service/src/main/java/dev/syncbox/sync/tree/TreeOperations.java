package dev.syncbox.sync.tree;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.files.EntriesMoved;
import dev.syncbox.server.files.Folders;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.share.View;
import dev.syncbox.server.web.CurrentUser;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Folder creation and moves, each one transaction with its journal entry. Moving a folder is one
 * statement over its subtree (an index range on the byte-ordered path key) and one MOVE entry, so
 * devices rename locally instead of downloading again, whatever the subtree's size.
 */
@Service
public class TreeOperations {

    private final Sharing sharing;
    private final FileRepository files;
    private final Folders folders;
    private final Journal journal;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final DavLocks locks;

    TreeOperations(
            Sharing sharing,
            FileRepository files,
            Folders folders,
            Journal journal,
            JdbcTemplate jdbc,
            ApplicationEventPublisher events,
            Clock clock,
            DavLocks locks) {
        this.locks = locks;
        this.sharing = sharing;
        this.files = files;
        this.folders = folders;
        this.journal = journal;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public TreeController.Entry createFolder(CurrentUser user, String rawPath) {
        String path = SyncPath.normalize(rawPath);
        if (SyncPath.isRoot(path)) {
            throw new SyncboxException(ErrorCode.PATH_CONFLICT, "The root folder exists");
        }
        Sharing.Location location = sharing.locateForWrite(user.userId(), path);
        long namespaceId = location.namespaceId();
        journal.lock(namespaceId);
        // Every protocol honours WebDAV locks: someone else's lock on the path or its folder stands.
        locks.requireNotLockedByOthers(user.userId(), namespaceId, location.path(), true, false);
        FileEntity folder = folders.createWithParents(
                location.ownerId(),
                namespaceId,
                location.path(),
                user.deviceId(),
                clock.instant(),
                location.view()::path);
        return FolderListings.entry(folder, location.view());
    }

    /** What a move reads and checks, done once to find the namespace to lock and again under the lock. */
    private record MovePlan(Sharing.Visible source, Sharing.Location target) {}

    private MovePlan plan(CurrentUser user, String fromPath, String fileId, String to) {
        Sharing.Visible found = (fileId != null
                        ? sharing.find(user.userId(), fileId)
                                .filter(v -> !v.file().isDeleted())
                        : sharing.at(user.userId(), SyncPath.normalize(fromPath)))
                .orElseThrow(() ->
                        new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + (fileId != null ? fileId : fromPath)))
                .writable();
        View view = found.view();
        if (!view.owner() && found.file().getId().equals(view.grant().rootFileId())) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "Only the owner can move or rename a shared item");
        }
        Sharing.Location target = sharing.locateForWrite(user.userId(), to);
        if (target.namespaceId() != found.file().namespaceId()) {
            throw new SyncboxException(
                    ErrorCode.CROSS_NAMESPACE_MOVE,
                    "Moving into or out of a shared folder copies between owners; upload the copy and delete the original");
        }
        return new MovePlan(found, target);
    }

    @Transactional
    public TreeController.Moved move(CurrentUser user, String fromPath, String fileId, String rawTo) {
        String requestedTo = SyncPath.normalize(rawTo);
        if (SyncPath.isRoot(requestedTo)) {
            throw new SyncboxException(ErrorCode.PATH_CONFLICT, "Nothing can be moved onto the root");
        }
        long namespaceId =
                plan(user, fromPath, fileId, requestedTo).source().file().namespaceId();
        journal.lock(namespaceId);
        // Under the lock, again: a concurrent move, rename or revocation may have changed the answer.
        MovePlan plan = plan(user, fromPath, fileId, requestedTo);
        View view = plan.source().view();
        Sharing.Location target = plan.target();
        FileEntity source = files.findInNamespace(
                        namespaceId, plan.source().file().getId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + fileId));
        String to = target.path();
        String oldPath = source.path();
        String oldKey = PathKeys.of(oldPath);
        String toKey = PathKeys.of(to);
        if (source.isDir() && toKey.startsWith(oldKey + "/")) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A folder cannot move into itself");
        }
        locks.requireNotLockedByOthers(user.userId(), namespaceId, oldPath, true, source.isDir());
        locks.requireNotLockedByOthers(user.userId(), namespaceId, to, true, false);
        Instant now = clock.instant();
        String canonical = folders.ensureParents(target.ownerId(), namespaceId, to, user.deviceId(), now);
        if (canonical.equals(oldPath)) {
            return new TreeController.Moved(source.getId(), view.path(oldPath), view.path(oldPath), source.isDir());
        }
        if (!PathKeys.of(canonical).equals(oldKey)) {
            files.findLive(namespaceId, PathKeys.of(canonical)).ifPresent(existing -> {
                throw new SyncboxException(
                        ErrorCode.PATH_CONFLICT, "Something exists at " + view.path(existing.path()));
            });
        }
        // By (namespace_id, file_id), not saved by its id alone; the entity is detached by it, then kept in step.
        String parent = SyncPath.parent(canonical);
        files.move(
                namespaceId,
                source.getId(),
                canonical,
                PathKeys.of(canonical),
                parent,
                parent == null ? null : PathKeys.of(parent),
                now);
        source.moveTo(canonical, now);
        List<String> moved = new ArrayList<>(List.of(source.getId()));
        if (source.isDir()) {
            moved.addAll(moveDescendants(namespaceId, oldPath, canonical, now));
        }
        journal.append(
                namespaceId,
                new JournalEntry(
                        source.getId(),
                        Operation.MOVE,
                        canonical,
                        oldPath,
                        source.currentVersionId(),
                        source.isDir() ? null : source.sizeBytes(),
                        source.contentHash(),
                        source.isDir(),
                        user.deviceId(),
                        now));
        // Locks name paths, and nothing is at the old ones any more.
        locks.release(namespaceId, oldPath);
        events.publishEvent(new EntriesMoved(namespaceId, moved));
        return new TreeController.Moved(source.getId(), view.path(oldPath), view.path(canonical), source.isDir());
    }

    /** Re-roots every entry under {@code from} at {@code to}; returns their ids. */
    private List<String> moveDescendants(long namespaceId, String from, String to, Instant now) {
        String fromKey = PathKeys.of(from);
        String toKey = PathKeys.of(to);
        return jdbc.queryForList(
                "UPDATE files SET file_path = ? || substr(file_path, ?), path_key = ? || substr(path_key, ?),"
                        + " parent_dir_path = ? || substr(parent_dir_path, ?), parent_key = ? || substr(parent_key, ?),"
                        + " modified_at = ?"
                        + " WHERE namespace_id = ? AND NOT is_deleted AND path_key >= ? AND path_key < ?"
                        + " RETURNING file_id",
                String.class,
                to,
                from.length() + 1,
                toKey,
                fromKey.length() + 1,
                to,
                from.length() + 1,
                toKey,
                fromKey.length() + 1,
                Timestamp.from(now),
                namespaceId,
                fromKey + "/",
                fromKey + "0");
    }
}
