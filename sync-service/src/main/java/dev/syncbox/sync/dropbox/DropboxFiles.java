package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.trash.Trash;
import dev.syncbox.sync.tree.TreeController;
import dev.syncbox.sync.tree.TreeOperations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Folders, deletes and moves in Dropbox's terms, done by syncbox's own tree and trash: this class decides which
 * member of the route's error union a failure is, checking what it can before the change so that the answer names
 * the side (source or destination) that failed.
 */
@Service
class DropboxFiles {

    /** Autorename tries this many names per query. */
    private static final int CANDIDATES = 20;

    private final DropboxLookup lookup;
    private final Sharing sharing;
    private final FileRepository files;
    private final TreeOperations tree;
    private final Trash trash;
    private final Journal journal;
    private final DropboxCopies copies;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    DropboxFiles(
            DropboxLookup lookup,
            Sharing sharing,
            FileRepository files,
            TreeOperations tree,
            Trash trash,
            Journal journal,
            DropboxCopies copies,
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager) {
        this.lookup = lookup;
        this.sharing = sharing;
        this.files = files;
        this.tree = tree;
        this.trash = trash;
        this.journal = journal;
        this.copies = copies;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** {@code files/get_metadata}. */
    Map<String, Object> metadata(CurrentUser user, String argument, boolean includeDeleted) {
        DropboxWire.Target target = DropboxLookup.target(argument, "path");
        if (target.byPath() && SyncPath.isRoot(target.path())) {
            // As Dropbox: the root has no metadata.
            throw DropboxApiException.badInput("Error in call to API function \"files/get_metadata\": request body:"
                    + " path: The root folder is unsupported.");
        }
        if (target.versionId() != null) {
            return lookup.entry(user, target)
                    .filter(v -> !v.file().isDir())
                    .map(v -> copies.versionMetadata(v, target.versionId()))
                    .orElseThrow(() -> DropboxLookup.notFound("path"));
        }
        var live = lookup.live(user, target);
        if (live.isPresent()) {
            return DropboxWire.metadata(live.get().file(), live.get().path());
        }
        if (includeDeleted) {
            var deleted = (target.byPath() ? lookup.deleted(user, target.path()) : lookup.entry(user, target))
                    .map(Sharing.Visible::path);
            if (deleted.isPresent()) {
                return DropboxWire.deleted(deleted.get());
            }
        }
        throw DropboxLookup.notFound("path");
    }

    /** {@code files/create_folder_v2}: the new folder's metadata. */
    Map<String, Object> createFolder(CurrentUser user, String argument, boolean autorename) {
        String path = DropboxLookup.writePath(argument, "path");
        if (autorename && !SyncPath.isRoot(path)) {
            path = free(user, path);
        }
        try {
            TreeController.Entry folder = tree.createFolder(user, path);
            return DropboxWire.folder(folder.path(), folder.fileId());
        } catch (SyncboxException e) {
            throw lookup.write("path", user, path, e);
        }
    }

    /** {@code files/delete_v2}: the entry as it was, now in syncbox's trash. */
    Map<String, Object> delete(CurrentUser user, String argument, String parentRev) {
        DropboxWire.Target target = DropboxLookup.target(argument, "path_lookup");
        Sharing.Visible found = lookup.require(user, target, "path_lookup");
        if (parentRev != null && found.file().isDir()) {
            throw DropboxLookup.route("path_lookup", DropboxErrors.tag("not_file"));
        }
        if (!found.view().writable()) {
            throw DropboxLookup.route("path_write", DropboxErrors.tag("no_write_permission"));
        }
        String fileId = found.file().getId();
        try {
            return transactions.execute(status -> {
                // Under the namespace lock, so that no commit slips in between the rev check and the delete.
                journal.lock(found.file().namespaceId());
                FileEntity current = files.findInNamespace(found.file().namespaceId(), fileId)
                        .filter(f -> !f.isDeleted())
                        .orElseThrow(() -> DropboxLookup.notFound("path_lookup"));
                if (parentRev != null && !parentRev.equals(DropboxWire.rev(current.currentVersionId()))) {
                    throw DropboxLookup.route(
                            "path_write", DropboxErrors.nested("conflict", DropboxErrors.tag("file")));
                }
                trash.delete(user, fileId, true);
                return DropboxWire.metadata(current, found.view().path(current.path()));
            });
        } catch (SyncboxException e) {
            throw switch (e.code()) {
                case NOT_FOUND -> DropboxLookup.notFound("path_lookup");
                case PERMISSION_DENIED -> DropboxLookup.route("path_write", DropboxErrors.tag("no_write_permission"));
                default -> DropboxErrors.write("path_write", e);
            };
        }
    }

    /** The source and destination of a move or copy, checked as far as can be before the change. */
    record Relocation(Sharing.Visible source, String to) {}

    /** {@code from_path} and {@code to_path} resolved, with RelocationError's members for what is wrong. */
    Relocation relocation(CurrentUser user, String fromArgument, String toArgument, boolean autorename, boolean move) {
        DropboxWire.Target from = DropboxLookup.target(fromArgument, "from_lookup");
        String to = DropboxLookup.writePath(toArgument, "to");
        Sharing.Visible source = lookup.require(user, from, "from_lookup");
        if (move && !source.view().writable()) {
            throw DropboxLookup.route("from_write", DropboxErrors.tag("no_write_permission"));
        }
        String fromKey = PathKeys.of(source.path());
        String toKey = PathKeys.of(to);
        if (source.file().isDir() && toKey.startsWith(fromKey + "/")) {
            throw DropboxApiException.route(DropboxErrors.tag("cant_move_folder_into_itself"));
        }
        if (SyncPath.isRoot(to)) {
            throw DropboxLookup.route("to", DropboxErrors.nested("conflict", DropboxErrors.tag("folder")));
        }
        var existing = lookup.at(user, to);
        boolean self = existing.isPresent()
                && existing.get().file().getId().equals(source.file().getId());
        if (existing.isPresent() && !self) {
            if (!autorename) {
                throw DropboxLookup.route(
                        "to", DropboxLookup.conflict(existing.get().file().isDir()));
            }
            to = free(user, to);
        }
        return new Relocation(source, to);
    }

    /** {@code files/move_v2}: the entry at its new path. */
    Map<String, Object> move(CurrentUser user, Relocation relocation) {
        Sharing.Visible source = relocation.source();
        String fileId = source.file().getId();
        if (!source.view().owner() && fileId.equals(source.view().grant().rootFileId())) {
            throw DropboxApiException.route(DropboxErrors.tag("cant_move_shared_folder"));
        }
        Sharing.Location target;
        try {
            target = sharing.locateForWrite(user.userId(), relocation.to());
        } catch (SyncboxException e) {
            throw lookup.write("to", user, relocation.to(), e);
        }
        if (target.namespaceId() != source.file().namespaceId()) {
            if (source.file().isDir() && holdsSharedItem(source.file())) {
                // Its shares would not follow a copy: Dropbox refuses to nest shared folders, and so does this.
                throw DropboxApiException.route(DropboxErrors.tag("cant_nest_shared_folder"));
            }
            // Into or out of a shared folder: the entry changes owner, so it is copied to the destination's owner
            // and the original goes to the trash (its id and history stay with the original).
            Map<String, Object> copied = copies.copy(user, relocation);
            try {
                trash.delete(user, fileId, true);
            } catch (SyncboxException e) {
                throw DropboxErrors.write("from_write", e);
            }
            return copied;
        }
        try {
            tree.move(user, null, fileId, relocation.to());
        } catch (SyncboxException e) {
            throw switch (e.code()) {
                case NOT_FOUND -> DropboxLookup.notFound("from_lookup");
                case PERMISSION_DENIED -> DropboxLookup.route("from_write", DropboxErrors.tag("no_write_permission"));
                case INVALID_REQUEST -> DropboxApiException.route(DropboxErrors.tag("cant_move_folder_into_itself"));
                default -> lookup.write("to", user, relocation.to(), e);
            };
        }
        Sharing.Visible moved = sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> DropboxLookup.notFound("from_lookup"));
        return DropboxWire.metadata(moved.file(), moved.path());
    }

    /** Whether a folder is, or holds, an item its owner shares. */
    private boolean holdsSharedItem(FileEntity folder) {
        String key = PathKeys.of(folder.path());
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM shared_roots r JOIN files f ON f.namespace_id = r.namespace_id"
                        + " AND f.file_id = r.file_id WHERE r.namespace_id = ? AND NOT f.is_deleted"
                        + " AND (f.file_id = ? OR (f.path_key >= ? AND f.path_key < ?)))",
                Boolean.class,
                folder.namespaceId(),
                folder.getId(),
                key + "/",
                key + "0"));
    }

    /**
     * A free path for {@code path}, as Dropbox's autorename picks it: {@code path} itself, else {@code name (1).ext},
     * {@code name (2).ext}, … — looked up {@value #CANDIDATES} at a time.
     */
    String free(CurrentUser user, String path) {
        String parent = SyncPath.parent(path);
        String name = SyncPath.name(path);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Sharing.Location location;
        try {
            location = sharing.locate(user.userId(), path);
        } catch (SyncboxException e) {
            return path;
        }
        if (SyncPath.isRoot(location.path())
                || location.path().equals(location.view().rootPath())) {
            // A mount point (the shared item itself) is not renamed into: the write answers.
            return path;
        }
        String namespaceParent = SyncPath.parent(location.path());
        for (int start = 0; start < 100 * CANDIDATES; start += CANDIDATES) {
            List<String> keys = new ArrayList<>();
            for (int n = start; n < start + CANDIDATES; n++) {
                keys.add(PathKeys.of(
                        SyncPath.child(namespaceParent, n == 0 ? name : stem + " (" + n + ")" + extension)));
            }
            Set<String> taken = new HashSet<>();
            files.findLiveIn(location.namespaceId(), keys).forEach(f -> taken.add(PathKeys.of(f.path())));
            for (int n = start; n < start + CANDIDATES; n++) {
                if (!taken.contains(keys.get(n - start))) {
                    return SyncPath.child(parent, n == 0 ? name : stem + " (" + n + ")" + extension);
                }
            }
        }
        throw new SyncboxException(ErrorCode.PATH_CONFLICT, "No free name for " + path);
    }
}
