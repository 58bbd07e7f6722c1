package dev.syncbox.server.files;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.conflict.ConflictLog;
import dev.syncbox.server.conflict.ConflictResolver;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.share.Sharing;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes stored content the current version of a file in one transaction: the version row, block
 * refcounts, quota, the file's {@code current_version_id} and the journal entry (ARCHITECTURE.md
 * decision 3). Missing parent folders are created as they would be by a desktop client.
 */
@Service
public class VersionCommitter {

    private final UserRepository users;
    private final Sharing sharing;
    private final FileRepository files;
    private final FileVersionRepository versions;
    private final Journal journal;
    private final Folders folders;
    private final VersionAppender appender;
    private final ConflictResolver resolver;
    private final ConflictLog conflicts;
    private final HotCache cache;
    private final Clock clock;

    VersionCommitter(
            UserRepository users,
            Sharing sharing,
            FileRepository files,
            FileVersionRepository versions,
            Journal journal,
            Folders folders,
            VersionAppender appender,
            ConflictResolver resolver,
            ConflictLog conflicts,
            HotCache cache,
            Clock clock) {
        this.users = users;
        this.sharing = sharing;
        this.files = files;
        this.versions = versions;
        this.journal = journal;
        this.folders = folders;
        this.appender = appender;
        this.resolver = resolver;
        this.conflicts = conflicts;
        this.cache = cache;
        this.clock = clock;
    }

    @Transactional
    public Committed commit(CommitRequest request) {
        requireFilePath(request.path());
        // The caller's path may lie in an item shared with them: the file then lives in the owner's
        // namespace and counts against the owner's quota.
        Sharing.Location location = sharing.locateForWrite(request.userId(), request.path());
        long namespaceId = location.namespaceId();
        journal.lock(namespaceId);
        if (location.shared()) {
            // Resolved before the lock: the share may have been revoked or its folder renamed since.
            location = sharing.locateForWrite(request.userId(), request.path());
            if (location.namespaceId() != namespaceId) {
                throw new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + request.path());
            }
        }
        long ownerId = location.ownerId();
        Instant now = clock.instant();

        String path = folders.ensureParents(ownerId, namespaceId, location.path(), request.deviceId(), now);
        FileEntity file =
                files.findLiveForUpdate(namespaceId, PathKeys.of(path)).orElse(null);
        boolean created = file == null;
        if (file != null && file.isDir()) {
            throw new SyncboxException(
                    ErrorCode.PATH_CONFLICT,
                    "A folder exists at " + location.view().path(path));
        }
        boolean stale = request.parentVersionId() == null
                ? !created && !request.overwrite()
                : created || !request.parentVersionId().equals(file.currentVersionId());
        if (stale) {
            FileVersionEntity base = created || request.parentVersionId() == null
                    ? null
                    : versions.findByIdAndFileId(request.parentVersionId(), file.getId())
                            .orElse(null);
            if (base != null && request.mode() == CommitMode.AUTO) {
                return resolver.resolve(file, base, request, now);
            }
            Map<String, Object> properties = conflictProperties(file);
            if (base != null) {
                properties.put(
                        "conflict_id",
                        conflicts.recordApart(
                                new ConflictLog.Entry(
                                        file.getId(),
                                        null,
                                        file.currentVersionId(),
                                        base.getId(),
                                        request.deviceId(),
                                        "OPEN",
                                        "REJECTED",
                                        null,
                                        null),
                                now));
            }
            throw new SyncboxException(
                    ErrorCode.CONFLICT, "The file changed since version " + request.parentVersionId(), properties);
        }
        long previousSize = created ? 0 : file.sizeBytes();
        if (users.charge(ownerId, request.content().size() - previousSize) == 0) {
            throw new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
        }
        if (created) {
            file = files.save(
                    new FileEntity(Ids.newId(), namespaceId, ownerId, path, SyncPath.parent(path), false, now));
        }
        FileVersionEntity version = appender.save(
                appender.prepare(file, file.currentVersionId(), request.deviceId(), request.content(), now));
        appender.advance(file, version, created ? Operation.CREATE : Operation.UPDATE, request.deviceId(), now);
        if (!created) {
            conflicts.settledBy(file.getId(), version.parentVersionId(), request.deviceId(), version.getId(), now);
        }
        conflicts.committed();
        cache.evictAfterCommit(List.of(CacheKeys.fileMetadata(file.getId())));
        return new Committed(file.getId(), version.getId(), version.contentHash(), version.sizeBytes(), now, created);
    }

    /** The root is the user's folder: no file can live at "/". */
    public static void requireFilePath(String path) {
        if (SyncPath.isRoot(path)) {
            throw new SyncboxException(ErrorCode.INVALID_PATH, "The root folder cannot be a file");
        }
    }

    private static Map<String, Object> conflictProperties(FileEntity current) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("conflict", true);
        properties.put("current_version_id", current == null ? null : current.currentVersionId());
        return properties;
    }
}
