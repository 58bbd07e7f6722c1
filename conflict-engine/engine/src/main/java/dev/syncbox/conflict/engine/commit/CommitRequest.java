package dev.syncbox.conflict.engine.commit;

import dev.syncbox.server.content.StoredContent;
import java.time.Instant;
import java.util.Objects;

/**
 * A new version of the file at {@code path}, whose blocks are already stored.
 *
 * @param parentVersionId the version the writer started from; {@code null} for a new file
 * @param overwrite with no parent: replace whatever is current (a plain upload) instead of requiring
 *     that no file exists at the path
 * @param mode what to do when {@code parentVersionId} is no longer current
 * @param clientModifiedAt when the client says the content was last modified (WebDAV's {@code X-OC-Mtime},
 *     Dropbox's {@code client_modified}); {@code null} when it gave none
 */
public record CommitRequest(
        long userId,
        String deviceId,
        String path,
        String parentVersionId,
        boolean overwrite,
        StoredContent content,
        CommitMode mode,
        Instant clientModifiedAt) {

    public CommitRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(mode, "mode");
    }

    /** A commit without a client modification time. */
    public CommitRequest(
            long userId,
            String deviceId,
            String path,
            String parentVersionId,
            boolean overwrite,
            StoredContent content,
            CommitMode mode) {
        this(userId, deviceId, path, parentVersionId, overwrite, content, mode, null);
    }

    /** A commit that refuses a stale parent. */
    public CommitRequest(
            long userId,
            String deviceId,
            String path,
            String parentVersionId,
            boolean overwrite,
            StoredContent content) {
        this(userId, deviceId, path, parentVersionId, overwrite, content, CommitMode.REJECT);
    }

    /** A plain upload: based on {@code parentVersionId} when given, else overwriting. */
    public static CommitRequest upload(
            long userId, String deviceId, String path, String parentVersionId, StoredContent content) {
        return new CommitRequest(userId, deviceId, path, parentVersionId, parentVersionId == null, content);
    }

    public CommitRequest withMode(CommitMode newMode) {
        return new CommitRequest(
                userId, deviceId, path, parentVersionId, overwrite, content, newMode, clientModifiedAt);
    }

    public CommitRequest withClientModifiedAt(Instant time) {
        return new CommitRequest(userId, deviceId, path, parentVersionId, overwrite, content, mode, time);
    }
}
