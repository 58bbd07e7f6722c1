package dev.syncbox.conflict.engine.commit;

import dev.syncbox.conflict.engine.merge.TextMerge;
import dev.syncbox.conflict.engine.record.ConflictLog;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.files.Folders;
import dev.syncbox.server.files.VersionAppender;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.DeviceRepository;
import dev.syncbox.server.metadata.FileDirectory;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.UserRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolves a commit whose parent is no longer current ({@code mode: auto}) in two steps, so that no
 * content is read or written while the namespace is locked (docs/conflicts.md). {@link #prepare},
 * outside any transaction, reads the three versions and, for text, merges them and stores the result;
 * {@link #apply}, under the lock, writes only metadata. Text: a 3-way merge (base = the parent, ours =
 * the upload, theirs = the current version) committed on top of the current version, the upload kept
 * as a version beside the main line. Anything else: the current version stays and the upload becomes
 * a new file, a conflicted copy. Either way nothing uploaded is lost, and everything is journaled.
 */
@Component
class ConflictResolver {

    /** What to write for a stale commit, worked out against one current version. */
    sealed interface Plan permits MergePlan, CopyPlan {

        /** Whether the plan still holds for a file whose current version is {@code currentVersionId}. */
        boolean fits(String currentVersionId);
    }

    /** A merged text, already stored, to commit on top of {@code theirsVersionId}. */
    record MergePlan(String theirsVersionId, StoredContent merged, boolean hasConflicts) implements Plan {

        @Override
        public boolean fits(String currentVersionId) {
            return theirsVersionId.equals(currentVersionId);
        }
    }

    /** The upload as a conflicted copy: needs no content, so it fits whatever is current. */
    record CopyPlan() implements Plan {

        @Override
        public boolean fits(String currentVersionId) {
            return true;
        }
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final FileRepository files;
    private final UserRepository users;
    private final DeviceRepository devices;
    private final ContentReader reader;
    private final ContentIngest ingest;
    private final VersionAppender appender;
    private final Folders folders;
    private final FileDirectory directory;
    private final ConflictLog log;
    private final int textLimit;

    ConflictResolver(
            FileRepository files,
            UserRepository users,
            DeviceRepository devices,
            ContentReader reader,
            ContentIngest ingest,
            VersionAppender appender,
            Folders folders,
            FileDirectory directory,
            ConflictLog log,
            SyncboxProperties properties) {
        this.directory = directory;
        this.files = files;
        this.users = users;
        this.devices = devices;
        this.reader = reader;
        this.ingest = ingest;
        this.appender = appender;
        this.folders = folders;
        this.log = log;
        this.textLimit = properties.conflict().textMergeLimit();
    }

    /**
     * Outside any transaction: merges the upload with {@code theirs} (the current version) when all
     * three versions are text, storing the merged content; otherwise plans a conflicted copy.
     */
    Plan prepare(FileVersionEntity base, FileVersionEntity theirs, CommitRequest request) {
        StoredContent ours = request.content();
        if (base.sizeBytes() > textLimit || theirs.sizeBytes() > textLimit || ours.size() > textLimit) {
            return new CopyPlan();
        }
        byte[] baseBytes = read(reader.layout(base), base.sizeBytes());
        byte[] theirBytes = read(reader.layout(theirs), theirs.sizeBytes());
        byte[] ourBytes = read(ContentReader.layout(ours.blockIds(), ours.blockSizes()), ours.size());
        if (!TextMerge.isText(baseBytes) || !TextMerge.isText(theirBytes) || !TextMerge.isText(ourBytes)) {
            return new CopyPlan();
        }
        TextMerge.Merged merged = TextMerge.merge(
                baseBytes, ourBytes, theirBytes, deviceName(request.deviceId()), deviceName(theirs.deviceId()));
        return new MergePlan(theirs.getId(), store(merged.content()), merged.hasConflicts());
    }

    /**
     * Under the namespace lock, with {@code file} locked and {@code plan} fitting its current version
     * {@code theirs}: writes the versions, the conflict record and the journal entries. No content I/O.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Committed apply(
            Plan plan,
            FileEntity file,
            FileVersionEntity base,
            FileVersionEntity theirs,
            CommitRequest request,
            Instant now) {
        if (plan instanceof MergePlan merge) {
            return merge(merge, file, base, theirs, request, now);
        }
        return conflictedCopy(file, base, theirs, request, now);
    }

    private Committed merge(
            MergePlan plan,
            FileEntity file,
            FileVersionEntity base,
            FileVersionEntity theirs,
            CommitRequest request,
            Instant now) {
        FileVersionEntity aside =
                appender.save(appender.prepare(file, base.getId(), request.deviceId(), request.content(), now)
                        .markConflict());
        charge(file.ownerId(), plan.merged().size() - file.sizeBytes());
        FileVersionEntity result = appender.prepare(file, theirs.getId(), request.deviceId(), plan.merged(), now)
                .mergedFrom(List.of(theirs.getId(), aside.getId()));
        if (plan.hasConflicts()) {
            result.markConflict();
        }
        result = appender.save(result);
        appender.advance(file, result, Operation.UPDATE, request.deviceId(), now);
        String status = plan.hasConflicts() ? "OPEN" : "RESOLVED";
        String resolution = plan.hasConflicts() ? "MERGED_WITH_MARKERS" : "MERGED";
        String conflictId = log.record(
                new ConflictLog.Entry(
                        file.namespaceId(),
                        file.getId(),
                        aside.getId(),
                        theirs.getId(),
                        base.getId(),
                        request.deviceId(),
                        status,
                        resolution,
                        result.getId(),
                        null),
                now);
        return new Committed(
                file.getId(),
                result.getId(),
                result.contentHash(),
                result.sizeBytes(),
                now,
                false,
                new Committed.ConflictOutcome(conflictId, resolution, status));
    }

    private Committed conflictedCopy(
            FileEntity file, FileVersionEntity base, FileVersionEntity theirs, CommitRequest request, Instant now) {
        String copyPath = freeCopyPath(file, deviceName(request.deviceId()), now);
        charge(file.ownerId(), request.content().size());
        FileEntity copy = files.save(new FileEntity(
                Ids.newId(), file.namespaceId(), file.ownerId(), copyPath, SyncPath.parent(copyPath), false, now));
        directory.created(copy.namespaceId(), List.of(copy.getId()));
        FileVersionEntity version =
                appender.save(appender.prepare(copy, null, request.deviceId(), request.content(), now));
        appender.advance(copy, version, Operation.CREATE, request.deviceId(), now);
        String conflictId = log.record(
                new ConflictLog.Entry(
                        file.namespaceId(),
                        file.getId(),
                        version.getId(),
                        theirs.getId(),
                        base.getId(),
                        request.deviceId(),
                        "OPEN",
                        "CONFLICTED_COPY",
                        null,
                        copy.getId()),
                now);
        return new Committed(
                copy.getId(),
                version.getId(),
                version.contentHash(),
                version.sizeBytes(),
                now,
                true,
                new Committed.ConflictOutcome(conflictId, "CONFLICTED_COPY", "OPEN"));
    }

    /** "name (conflicted copy <device> <yyyy-mm-dd>).ext", numbered if even that is taken. */
    private String freeCopyPath(FileEntity file, String device, Instant now) {
        return folders.freeSibling(
                file.namespaceId(), file.path(), "conflicted copy " + device.replace('/', '-') + " " + DAY.format(now));
    }

    private void charge(long userId, long delta) {
        if (users.charge(userId, delta) == 0) {
            throw new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
        }
    }

    private String deviceName(String deviceId) {
        return deviceId == null
                ? "unknown device"
                : devices.findById(deviceId).map(d -> d.name()).orElse("unknown device");
    }

    private StoredContent store(byte[] content) {
        try {
            return ingest.store(
                    new ByteArrayInputStream(content),
                    Long.MAX_VALUE,
                    () -> new SyncboxException(ErrorCode.INTERNAL, "no limit"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] read(List<ContentReader.BlockSpan> layout, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        try {
            if (size > 0) {
                reader.write(layout, 0, size - 1, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
