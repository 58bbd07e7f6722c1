package dev.syncbox.upload.file;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.UploadMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Service;

/** Streams an uploaded file into blocks, then commits it as the file's new version. */
@Service
class FileUploads {

    record Upload(String path, Long declaredSize, String parentVersionId, CommitMode mode) {}

    private final ContentIngest ingest;
    private final VersionCommitter committer;
    private final UserRepository users;
    private final Sharing sharing;
    private final FileRepository files;
    private final Timer latency;
    private final UploadMetrics metrics;

    FileUploads(
            ContentIngest ingest,
            VersionCommitter committer,
            UserRepository users,
            Sharing sharing,
            FileRepository files,
            UploadMetrics metrics,
            MeterRegistry registry) {
        this.ingest = ingest;
        this.committer = committer;
        this.users = users;
        this.sharing = sharing;
        this.files = files;
        this.latency = Timer.builder("syncbox.upload.latency")
                .description("Time to store and commit an uploaded file")
                .register(registry);
        this.metrics = metrics;
    }

    UploadResponse upload(CurrentUser user, Upload upload, InputStream content) throws IOException {
        Timer.Sample sample = Timer.start();
        long allowance = allowance(user, upload.path());
        if (upload.declaredSize() != null && upload.declaredSize() > allowance) {
            throw quotaExceeded();
        }
        long limit = upload.declaredSize() != null ? upload.declaredSize() : allowance;
        StoredContent stored = ingest.store(
                content,
                limit,
                () -> upload.declaredSize() != null && upload.declaredSize() <= allowance
                        ? sizeMismatch(upload.declaredSize())
                        : quotaExceeded());
        if (upload.declaredSize() != null && stored.size() != upload.declaredSize()) {
            throw sizeMismatch(upload.declaredSize());
        }
        metrics.received(stored.size(), stored.newBytes());
        Committed committed = committer.commit(
                CommitRequest.upload(user.userId(), user.deviceId(), upload.path(), upload.parentVersionId(), stored)
                        .withMode(upload.mode()));
        sample.stop(latency);
        return UploadResponse.of(committed);
    }

    /** Bytes this upload may occupy: free space plus what the file it replaces uses now. */
    private long allowance(CurrentUser user, String path) {
        // In a folder shared with the caller, the owner's quota applies; a read-only share stops here.
        Sharing.Location location = sharing.locateForWrite(user.userId(), path);
        UserEntity account = users.findById(location.ownerId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"));
        long replaced = files.findLive(location.namespaceId(), PathKeys.of(location.path()))
                .filter(f -> !f.isDir())
                .map(FileEntity::sizeBytes)
                .orElse(0L);
        return Math.max(0, account.maxSpaceBytes() - account.usedSpaceBytes()) + replaced;
    }

    private static SyncboxException quotaExceeded() {
        return new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
    }

    private static SyncboxException sizeMismatch(long declared) {
        return new SyncboxException(ErrorCode.SIZE_MISMATCH, "The content does not match file_size " + declared);
    }
}
