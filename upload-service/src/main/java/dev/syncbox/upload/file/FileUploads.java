package dev.syncbox.upload.file;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.UploadMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Streams an uploaded file into blocks, then commits it as the file's new version. */
@Service
public class FileUploads {

    record Upload(String path, Long declaredSize, String parentVersionId, CommitMode mode) {}

    private final ContentIngest ingest;
    private final VersionCommitter committer;
    private final Sharing sharing;
    private final JdbcTemplate jdbc;
    private final UploadMetrics metrics;

    FileUploads(
            ContentIngest ingest,
            VersionCommitter committer,
            Sharing sharing,
            JdbcTemplate jdbc,
            UploadMetrics metrics) {
        this.ingest = ingest;
        this.committer = committer;
        this.sharing = sharing;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    UploadResponse upload(CurrentUser user, Upload upload, InputStream content) throws IOException {
        // In a folder shared with the caller, the owner's quota applies; a read-only share stops here.
        Sharing.Location location = sharing.locateForWrite(user.userId(), upload.path());
        StoredContent stored = store(location, upload.declaredSize(), content);
        Committed committed = committer.commit(
                CommitRequest.upload(user.userId(), user.deviceId(), upload.path(), upload.parentVersionId(), stored)
                        .withMode(upload.mode()),
                location);
        return UploadResponse.of(committed);
    }

    /**
     * Streams {@code content} into blocks for a file at {@code location}, refused once it outgrows the quota that
     * applies there (or {@code declaredSize}, when given); the Dropbox adapter commits it as its write mode says.
     */
    public StoredContent store(Sharing.Location location, Long declaredSize, InputStream content) throws IOException {
        long allowance = allowance(location);
        if (declaredSize != null && declaredSize > allowance) {
            throw quotaExceeded();
        }
        long limit = declaredSize != null ? declaredSize : allowance;
        StoredContent stored = ingest.store(
                content,
                limit,
                () -> declaredSize != null && declaredSize <= allowance ? sizeMismatch(declaredSize) : quotaExceeded());
        if (declaredSize != null && stored.size() != declaredSize) {
            throw sizeMismatch(declaredSize);
        }
        metrics.received(stored.size());
        return stored;
    }

    /**
     * Refuses, with {@code quota_exceeded}, a file of {@code size} bytes at {@code location} that does not fit: the
     * check a declared {@code file_size} gets before a byte is stored; {@code replacing} counts the space of the
     * file there as free, since the upload would take its place.
     */
    public void requireFits(Sharing.Location location, long size, boolean replacing) {
        if (size > (replacing ? allowance(location) : free(location))) {
            throw quotaExceeded();
        }
    }

    private long free(Sharing.Location location) {
        List<Long> free = jdbc.queryForList(
                "SELECT greatest(max_space_bytes - used_space_bytes, 0) FROM users WHERE user_id = ?",
                Long.class,
                location.ownerId());
        if (free.isEmpty()) {
            throw new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user");
        }
        return free.get(0);
    }

    /**
     * Bytes this upload may occupy: free space plus what the file it replaces uses now. Two statements, the owner's
     * row and the file's, so that each runs on one shard when the metadata is distributed.
     */
    private long allowance(Sharing.Location location) {
        long free = free(location);
        List<Long> replaced = jdbc.queryForList(
                "SELECT size_bytes FROM files WHERE namespace_id = ? AND path_key = ? AND NOT is_deleted AND NOT is_dir",
                Long.class,
                location.namespaceId(),
                PathKeys.of(location.path()));
        return free + (replaced.isEmpty() ? 0 : replaced.get(0));
    }

    private static SyncboxException quotaExceeded() {
        return new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
    }

    private static SyncboxException sizeMismatch(long declared) {
        return new SyncboxException(ErrorCode.SIZE_MISMATCH, "The content does not match file_size " + declared);
    }
}
