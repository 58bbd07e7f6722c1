package dev.syncbox.sync.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.sync.dav.DavResources.Resource;
import dev.syncbox.sync.dropbox.DropboxCopies;
import dev.syncbox.sync.trash.Trash;
import dev.syncbox.sync.tree.TreeOperations;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * MKCOL, DELETE, MOVE and COPY with RFC 4918's answers, done by syncbox's tree operations, trash and copies: this
 * class checks first what those would do differently from WebDAV (create missing parents, refuse an existing
 * destination) and answers as WebDAV does (409 for a missing parent, 412 for Overwrite: F, 204 for a replaced one).
 */
@Service
class DavTree {

    /** What a MOVE or COPY did: {@code created} true for 201, false when it replaced something (204). */
    record Outcome(boolean created) {}

    private final DavResources resources;
    private final DavGuards guards;
    private final DavProperties properties;
    private final Sharing sharing;
    private final TreeOperations tree;
    private final Trash trash;
    private final DropboxCopies copies;

    DavTree(
            DavResources resources,
            DavGuards guards,
            DavProperties properties,
            Sharing sharing,
            TreeOperations tree,
            Trash trash,
            DropboxCopies copies) {
        this.resources = resources;
        this.guards = guards;
        this.properties = properties;
        this.sharing = sharing;
        this.tree = tree;
        this.trash = trash;
        this.copies = copies;
    }

    /** MKCOL: 405 when something is there, 409 when the parent is not a folder, 415 for a body. */
    void mkcol(DavCall call) {
        if (call.hasBody()) {
            throw new SyncboxException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "MKCOL takes no body");
        }
        String path = call.path();
        if (SyncPath.isRoot(path) || resources.find(call.userId(), path).isPresent()) {
            throw new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, "Something exists at " + path);
        }
        requireParent(call, path);
        guards.conditions(call);
        guards.locks(call, path, true, false);
        tree.createFolder(call.user(), path);
    }

    /** DELETE: the entry and everything beneath it to syncbox's trash; its locks released. */
    void delete(DavCall call) {
        Resource r = resources.require(call.userId(), call.path());
        if (r.root()) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "The root cannot be deleted");
        }
        guards.conditions(call);
        guards.locks(call, r.path(), true, r.dir());
        trash.delete(call.user(), r.fileId(), true);
        guards.release(r.namespaceId(), r.namespacePath());
    }

    /** MOVE or COPY to the Destination header's target. */
    Outcome relocate(DavCall call, String destinationHeader, String overwriteHeader, String depthHeader, boolean move) {
        Resource source = resources.require(call.userId(), call.path());
        if (source.root()) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "The root cannot be moved or copied");
        }
        DavPaths.Target destination = DavPaths.destination(destinationHeader, call.host(), call.email());
        String to = destination.path();
        if (SyncPath.isRoot(to) || to.equals(source.path())) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "The destination is the source");
        }
        boolean sameEntry = PathKeys.of(to).equals(PathKeys.of(source.path()));
        if (source.dir() && SyncPath.isUnder(PathKeys.of(to), PathKeys.of(source.path())) && !sameEntry) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "A folder cannot go into itself");
        }
        if (SyncPath.isUnder(PathKeys.of(source.path()), PathKeys.of(to)) && !sameEntry) {
            // Overwriting would first send the source itself to the trash with the folder that holds it.
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "The destination holds the source");
        }
        boolean overwrite = overwriteHeader == null || !overwriteHeader.strip().equalsIgnoreCase("F");
        boolean shallow = false;
        if (!move && depthHeader != null) {
            String depth = depthHeader.strip();
            if (depth.equals("0")) {
                shallow = true;
            } else if (!depth.equalsIgnoreCase("infinity")) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "COPY takes Depth 0 or infinity");
            }
        }
        requireParent(call, to);
        Optional<Resource> existing = sameEntry ? Optional.empty() : resources.find(call.userId(), to);
        if (existing.isPresent() && !overwrite) {
            throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "Something exists at " + to);
        }
        guards.conditions(call);
        if (move) {
            guards.locks(call, source.path(), true, source.dir());
        }
        guards.locks(call, to, true, true);
        Sharing.Location target = sharing.locateForWrite(call.userId(), to);
        if (existing.isPresent()) {
            trash.delete(call.user(), existing.get().fileId(), true);
            guards.release(existing.get().namespaceId(), existing.get().namespacePath());
        }
        if (move) {
            if (target.namespaceId() == source.namespaceId()) {
                tree.move(call.user(), null, source.fileId(), to);
            } else {
                // Into or out of a share: the entry changes owner, so it is copied to the destination's owner and
                // the original goes to the trash, as syncbox's Dropbox routes do.
                copy(call, source, target, to, false);
                trash.delete(call.user(), source.fileId(), true);
            }
            guards.release(source.namespaceId(), source.namespacePath());
        } else {
            copy(call, source, target, to, shallow);
        }
        return new Outcome(existing.isEmpty());
    }

    private void copy(DavCall call, Resource source, Sharing.Location target, String to, boolean shallow) {
        if (source.dir() && shallow) {
            tree.createFolder(call.user(), to);
        } else {
            Sharing.Visible visible = sharing.at(call.userId(), source.path())
                    .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + source.path()));
            copies.copy(call.user(), visible, target, to);
        }
        properties.copy(source.namespaceId(), source.namespacePath(), target.namespaceId(), target.path());
    }

    /** A property change's checks: the If header, and the locks covering the entry. */
    void guardsFor(DavCall call, Resource r) {
        guards.conditions(call);
        guards.locks(call, r.path(), false, false);
    }

    /** 409 unless the parent of {@code path} is a folder of the caller's tree. */
    private void requireParent(DavCall call, String path) {
        String parent = SyncPath.parent(path);
        if (parent != null
                && !resources.find(call.userId(), parent).map(Resource::dir).orElse(false)) {
            throw new SyncboxException(ErrorCode.CONFLICT, "The parent of " + path + " is not a folder");
        }
    }
}
