package dev.syncbox.server.files;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes stored content the current version of a file in one transaction: the version row, block
 * refcounts, quota, the file's {@code current_version_id} and the journal entry (ARCHITECTURE.md
 * decision 3). Missing parent folders are created as they would be by a desktop client.
 */
@Service
public class VersionCommitter {

    private final UserRepository users;
    private final FileRepository files;
    private final FileVersionRepository versions;
    private final BlockRegistry blocks;
    private final Journal journal;
    private final HotCache cache;
    private final Clock clock;

    VersionCommitter(
            UserRepository users,
            FileRepository files,
            FileVersionRepository versions,
            BlockRegistry blocks,
            Journal journal,
            HotCache cache,
            Clock clock) {
        this.users = users;
        this.files = files;
        this.versions = versions;
        this.blocks = blocks;
        this.journal = journal;
        this.cache = cache;
        this.clock = clock;
    }

    @Transactional
    public Committed commit(CommitRequest request) {
        UserEntity user = users.findById(request.userId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"));
        long namespaceId = user.rootNamespaceId();
        journal.lock(namespaceId);
        Instant now = clock.instant();

        ensureParentFolders(user, namespaceId, request, now);
        FileEntity file = files.findLiveForUpdate(namespaceId, PathKeys.of(request.path()))
                .orElse(null);
        boolean created = file == null;
        if (file != null && file.isDir()) {
            throw new SyncboxException(ErrorCode.PATH_CONFLICT, "A folder exists at " + request.path());
        }
        boolean stale = request.parentVersionId() == null
                ? !created && !request.overwrite()
                : created || !request.parentVersionId().equals(file.currentVersionId());
        if (stale) {
            throw new SyncboxException(
                    ErrorCode.CONFLICT,
                    "The file changed since version " + request.parentVersionId(),
                    conflictProperties(file));
        }
        long previousSize = created ? 0 : file.sizeBytes();
        if (users.charge(user.id(), request.content().size() - previousSize) == 0) {
            throw new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The upload does not fit in the remaining quota");
        }
        if (created) {
            file = files.save(new FileEntity(
                    Ids.newId(), namespaceId, user.id(), request.path(), SyncPath.parent(request.path()), false, now));
        }
        FileVersionEntity version = versions.save(new FileVersionEntity(
                Ids.newId(),
                file.getId(),
                request.deviceId(),
                file.currentVersionId(),
                request.content().contentHash(),
                request.content().size(),
                request.content().blockIds(),
                request.content().hashWindows(),
                now));
        blocks.reference(request.content().blockIds());
        file.advanceTo(version, now);
        files.save(file);
        journal.append(
                namespaceId,
                new JournalEntry(
                        file.getId(),
                        created ? Operation.CREATE : Operation.UPDATE,
                        file.path(),
                        null,
                        version.getId(),
                        version.sizeBytes(),
                        version.contentHash(),
                        false,
                        request.deviceId(),
                        now));
        evictAfterCommit(file.getId());
        return new Committed(file.getId(), version.getId(), version.contentHash(), version.sizeBytes(), now, created);
    }

    private void ensureParentFolders(UserEntity user, long namespaceId, CommitRequest request, Instant now) {
        List<String> ancestors = new ArrayList<>();
        for (String p = SyncPath.parent(request.path()); p != null && !SyncPath.isRoot(p); p = SyncPath.parent(p)) {
            ancestors.add(0, p);
        }
        if (ancestors.isEmpty()) {
            return;
        }
        Map<String, FileEntity> existing =
                files
                        .findLiveIn(
                                namespaceId,
                                ancestors.stream().map(PathKeys::of).toList())
                        .stream()
                        .collect(Collectors.toMap(f -> PathKeys.of(f.path()), Function.identity()));
        for (String folder : ancestors) {
            FileEntity entry = existing.get(PathKeys.of(folder));
            if (entry != null && !entry.isDir()) {
                throw new SyncboxException(ErrorCode.PATH_CONFLICT, "A file exists at " + entry.path());
            }
            if (entry == null) {
                FileEntity created = files.save(new FileEntity(
                        Ids.newId(), namespaceId, user.id(), folder, SyncPath.parent(folder), true, now));
                journal.append(
                        namespaceId,
                        new JournalEntry(
                                created.getId(),
                                Operation.CREATE,
                                folder,
                                null,
                                null,
                                null,
                                null,
                                true,
                                request.deviceId(),
                                now));
            }
        }
    }

    private static Map<String, Object> conflictProperties(FileEntity current) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("conflict", true);
        properties.put("current_version_id", current == null ? null : current.currentVersionId());
        return properties;
    }

    private void evictAfterCommit(String fileId) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                cache.delete(List.of(CacheKeys.fileMetadata(fileId)));
            }
        });
    }
}
