package dev.syncbox.upload.dropbox;

import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Commits uploaded content as a {@code CommitInfo} says: {@code add} never replaces a file, {@code overwrite} does,
 * {@code update} only the version its {@code rev} names. A conflict is a {@code WriteError}, or with {@code
 * autorename} a new file beside the old one ({@code a (1).txt}; {@code a (conflicted copy).txt} for {@code update}).
 * Content identical to the file already there is no conflict: its metadata is the answer and nothing is written.
 */
@Service
class DropboxCommits {

    /** Renamed names tried before a conflict stands. */
    private static final int RENAME_ATTEMPTS = 100;

    /** A write that failed for a reason in Dropbox's {@code WriteError} union. */
    static final class WriteFailed extends RuntimeException {

        private final transient Map<String, Object> reason;

        WriteFailed(Map<String, Object> reason) {
            super(String.valueOf(reason.get(".tag")), null, false, false);
            this.reason = reason;
        }

        Map<String, Object> reason() {
            return reason;
        }
    }

    private final Sharing sharing;
    private final VersionCommitter committer;

    DropboxCommits(Sharing sharing, VersionCommitter committer) {
        this.sharing = sharing;
        this.committer = committer;
    }

    /** The path of the caller's tree a commit names: a path, or {@code id:…} for a live file's current path. */
    String path(CurrentUser user, Commit commit) {
        try {
            DropboxWire.Target target = DropboxWire.target(commit.path());
            if (target.byPath()) {
                VersionCommitter.requireFilePath(target.path());
                return target.path();
            }
            if (target.fileId() != null) {
                return sharing.find(user.userId(), target.fileId())
                        .filter(v -> !v.file().isDeleted() && !v.file().isDir())
                        .map(Sharing.Visible::path)
                        .orElseThrow(() -> new SyncboxException(
                                ErrorCode.INVALID_PATH, "No file " + commit.path() + " to write to"));
            }
            throw new SyncboxException(ErrorCode.INVALID_PATH, "A rev: names a version, not a place to write");
        } catch (SyncboxException e) {
            throw failure(user, null, e);
        }
    }

    /** Where the caller may write {@code path} (a shared folder's owner's namespace, say). */
    Sharing.Location locate(CurrentUser user, String path) {
        try {
            return sharing.locateForWrite(user.userId(), path);
        } catch (SyncboxException e) {
            throw failure(user, path, e);
        }
    }

    /** Commits {@code content} at {@code path}: the new file's {@code FileMetadata}, or {@link WriteFailed}. */
    Map<String, Object> commit(CurrentUser user, Commit commit, String path, StoredContent content) {
        Optional<Sharing.Visible> existing = sharing.at(user.userId(), path);
        if (existing.isPresent()
                && !existing.get().file().isDir()
                && content.contentHash().equals(existing.get().file().contentHash())) {
            return result(
                    DropboxWire.metadata(existing.get().file(), existing.get().path()));
        }
        String parent = null;
        boolean overwrite = commit.mode().equals("overwrite");
        if (commit.update() && (existing.isPresent() || commit.strictConflict())) {
            parent = DropboxWire.versionId(commit.rev());
            if (parent == null) {
                // No version of ours has this rev: as stale as any other.
                return conflicted(user, commit, path, content);
            }
        }
        try {
            return committed(
                    user,
                    committer.commit(new CommitRequest(user.userId(), user.deviceId(), path, parent, overwrite, content)
                            .withClientModifiedAt(commit.clientModified())),
                    commit.clientModified());
        } catch (SyncboxException e) {
            if (e.code() != ErrorCode.CONFLICT && e.code() != ErrorCode.PATH_CONFLICT) {
                throw failure(user, path, e);
            }
            return conflicted(user, commit, path, content);
        }
    }

    /** A conflict at {@code path}: refused, or with autorename written under the first free renamed name. */
    private Map<String, Object> conflicted(CurrentUser user, Commit commit, String path, StoredContent content) {
        Map<String, Object> conflict = conflict(user, path);
        if (!commit.autorename() || "file_ancestor".equals(((Map<?, ?>) conflict.get("conflict")).get(".tag"))) {
            throw new WriteFailed(conflict);
        }
        for (int n = 1; n <= RENAME_ATTEMPTS; n++) {
            String candidate = SyncPath.child(SyncPath.parent(path), renamed(SyncPath.name(path), commit.update(), n));
            if (sharing.at(user.userId(), candidate).isPresent()) {
                continue;
            }
            try {
                return committed(
                        user,
                        committer.commit(
                                new CommitRequest(user.userId(), user.deviceId(), candidate, null, false, content)
                                        .withClientModifiedAt(commit.clientModified())),
                        commit.clientModified());
            } catch (SyncboxException e) {
                if (e.code() != ErrorCode.CONFLICT && e.code() != ErrorCode.PATH_CONFLICT) {
                    throw failure(user, candidate, e);
                }
            }
        }
        throw new WriteFailed(conflict);
    }

    /** {@code a.txt} as {@code a (n).txt}, or {@code a (conflicted copy).txt} (then {@code … copy n}) for update. */
    static String renamed(String name, boolean update, int n) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String mark = update ? (n == 1 ? "conflicted copy" : "conflicted copy " + n) : Integer.toString(n);
        return stem + " (" + mark + ")" + extension;
    }

    /**
     * A syncbox error of a write at {@code path} as Dropbox answers it: bad input, auth and outages as such, the
     * rest as a {@link WriteFailed} whose conflicts say what is in the way.
     */
    RuntimeException failure(CurrentUser user, String path, SyncboxException e) {
        DropboxApiException general = DropboxErrors.write("path", e);
        if (general.status() != 409) {
            return general;
        }
        if (path != null && (e.code() == ErrorCode.CONFLICT || e.code() == ErrorCode.PATH_CONFLICT)) {
            return new WriteFailed(conflict(user, path));
        }
        return new WriteFailed(DropboxErrors.writeError(e));
    }

    /** {@code WriteError.conflict}: a folder at the path, a file above it, or a file at it. */
    private Map<String, Object> conflict(CurrentUser user, String path) {
        Optional<Sharing.Visible> there = sharing.at(user.userId(), path);
        String kind = there.isPresent() ? (there.get().file().isDir() ? "folder" : "file") : null;
        for (String p = SyncPath.parent(path);
                kind == null && p != null && !SyncPath.isRoot(p);
                p = SyncPath.parent(p)) {
            if (sharing.at(user.userId(), p).filter(v -> !v.file().isDir()).isPresent()) {
                kind = "file_ancestor";
            }
        }
        return DropboxErrors.nested("conflict", DropboxErrors.tag(kind == null ? "file" : kind));
    }

    private Map<String, Object> committed(CurrentUser user, Committed committed, Instant clientModified) {
        String path = sharing.find(user.userId(), committed.fileId())
                .map(Sharing.Visible::path)
                .orElseThrow(() -> Sharing.notFound(committed.fileId()));
        return result(DropboxWire.file(
                path,
                committed.fileId(),
                committed.versionId(),
                committed.size(),
                committed.contentHash(),
                committed.timestamp(),
                clientModified));
    }

    /** {@code FileMetadata} as a route's result: without the {@code .tag} it has inside a {@code Metadata}. */
    static Map<String, Object> result(Map<String, Object> metadata) {
        Map<String, Object> result = new LinkedHashMap<>(metadata);
        result.remove(".tag");
        return result;
    }
}
