package dev.syncbox.upload.tus;

import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.file.FileUploads;
import dev.syncbox.upload.session.UploadSessions;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Service;

/**
 * tus uploads as upload sessions with a destination: created with their length and path (refused before a byte is
 * stored when the path cannot be written or the length does not fit the quota), appended at their offset, committed
 * through the conflict-aware commit by the append that brings the last byte, and terminated like an abandoned session.
 */
@Service
class TusUploads {

    /** Free names tried for {@code mode add} before the conflict stands. */
    private static final int RENAME_ATTEMPTS = 100;

    private final UploadSessions sessions;
    private final FileUploads uploads;
    private final Sharing sharing;
    private final VersionCommitter committer;

    TusUploads(UploadSessions sessions, FileUploads uploads, Sharing sharing, VersionCommitter committer) {
        this.sessions = sessions;
        this.uploads = uploads;
        this.sharing = sharing;
        this.committer = committer;
    }

    /** The largest upload the caller may create ({@code Tus-Max-Size}). */
    long maxSize(CurrentUser user) {
        return sessions.maxSize(user);
    }

    /**
     * A new upload of {@code length} bytes for {@code metadata}'s path, with its first bytes when {@code body} is
     * given (creation-with-upload). A zero-length upload is committed at once.
     */
    UploadSessions.Session create(
            CurrentUser user, long length, String rawMetadata, UploadMetadata metadata, InputStream body)
            throws IOException {
        if (length > sessions.maxSize(user)) {
            throw new SyncboxException(
                    ErrorCode.PAYLOAD_TOO_LARGE, "Upload-Length " + length + " is over Tus-Max-Size");
        }
        // A read-only share or a path that cannot be written stops here, as does a file that cannot fit.
        Sharing.Location location = sharing.locateForWrite(user.userId(), metadata.path());
        uploads.requireFits(location, length, metadata.overwrite());
        UploadSessions.Session session = sessions.start(
                user,
                new UploadSessions.Destination(
                        length, metadata.path(), metadata.overwrite(), metadata.clientModified(), rawMetadata));
        if (body == null && length > 0) {
            return session;
        }
        try {
            return append(user, session.id(), 0, body == null ? InputStream.nullInputStream() : body);
        } catch (RuntimeException e) {
            // Refused (too long, or the commit of an empty file failed): the client never learns of this upload.
            sessions.drop(user, session.id());
            throw e;
        }
    }

    UploadSessions.Session find(CurrentUser user, String id) {
        return sessions.findWithDestination(user, id);
    }

    /** Appends at {@code offset}; the append that brings the last byte commits. */
    UploadSessions.Session append(CurrentUser user, String id, long offset, InputStream body) throws IOException {
        return sessions.appendToDestination(
                user, id, offset, body, (destination, content) -> commit(user, destination, content));
    }

    /** Terminates an upload: the session goes, its stored blocks are garbage. A committed file stays. */
    void terminate(CurrentUser user, String id) {
        sessions.drop(user, id);
    }

    private Committed commit(CurrentUser user, UploadSessions.Destination destination, StoredContent content) {
        String path = destination.path();
        CommitRequest request = new CommitRequest(user.userId(), user.deviceId(), path, null, true, content)
                .withClientModifiedAt(destination.clientModifiedAt());
        if (destination.overwrite()) {
            return committer.commit(request);
        }
        try {
            return committer.commit(request(request, path));
        } catch (SyncboxException e) {
            if ((e.code() != ErrorCode.CONFLICT && e.code() != ErrorCode.PATH_CONFLICT)
                    || sharing.at(user.userId(), path).isEmpty()) {
                // Not a name taken (a file where a folder is needed, say): no other name helps.
                throw e;
            }
            for (int n = 1; n <= RENAME_ATTEMPTS; n++) {
                String candidate = SyncPath.child(SyncPath.parent(path), renamed(SyncPath.name(path), n));
                if (sharing.at(user.userId(), candidate).isPresent()) {
                    continue;
                }
                try {
                    return committer.commit(request(request, candidate));
                } catch (SyncboxException again) {
                    if (again.code() != ErrorCode.CONFLICT && again.code() != ErrorCode.PATH_CONFLICT) {
                        throw again;
                    }
                }
            }
            throw e;
        }
    }

    /** {@code request} at {@code path}, refused rather than replacing a file there. */
    private static CommitRequest request(CommitRequest request, String path) {
        return new CommitRequest(
                        request.userId(), request.deviceId(), path, null, false, request.content(), request.mode())
                .withClientModifiedAt(request.clientModifiedAt());
    }

    /** {@code a.jpg} as {@code a (n).jpg}; a name without an extension (or only a leading dot) gets it at the end. */
    static String renamed(String name, int n) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return stem + " (" + n + ")" + extension;
    }
}
