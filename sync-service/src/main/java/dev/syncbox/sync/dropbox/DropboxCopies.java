package dev.syncbox.sync.dropbox;

import dev.syncbox.conflict.engine.commit.BatchCommitter;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.files.Folders;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileDirectory;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code files/copy_v2}, which syncbox has no route of its own for: a copied file is a new file whose version names
 * the original's blocks (their reference counts rise; nothing is copied in the block store), committed as any upload
 * is, to the destination's owner. A folder's copy makes its folders in one batch of inserts and commits its files in
 * batches through {@link BatchCommitter}.
 */
@Service
public class DropboxCopies {

    /** Dropbox refuses copies of more entries than this ({@code too_many_files}). */
    static final int MAX_ENTRIES = 10_000;

    private static final int COMMIT_BATCH = 500;

    private final Sharing sharing;
    private final DropboxLookup lookup;
    private final FileRepository files;
    private final FileVersionRepository versions;
    private final BlockRegistry blocks;
    private final VersionCommitter committer;
    private final BatchCommitter batches;
    private final Folders folders;
    private final FileDirectory directory;
    private final Journal journal;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DropboxCopies(
            Sharing sharing,
            DropboxLookup lookup,
            FileRepository files,
            FileVersionRepository versions,
            BlockRegistry blocks,
            VersionCommitter committer,
            BatchCommitter batches,
            Folders folders,
            FileDirectory directory,
            Journal journal,
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sharing = sharing;
        this.lookup = lookup;
        this.files = files;
        this.versions = versions;
        this.blocks = blocks;
        this.committer = committer;
        this.batches = batches;
        this.folders = folders;
        this.directory = directory;
        this.journal = journal;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** FileMetadata of version {@code versionId} of a file (its content then, its path now). */
    Map<String, Object> versionMetadata(Sharing.Visible file, String versionId) {
        FileVersionEntity version =
                versions.findOf(file.file(), versionId).orElseThrow(() -> DropboxLookup.notFound("path"));
        return DropboxWire.file(
                file.path(),
                file.file().getId(),
                version.getId(),
                version.sizeBytes(),
                version.contentHash(),
                version.createdAt());
    }

    /** Copies the relocation's source to its destination; the copy's metadata. */
    Map<String, Object> copy(CurrentUser user, DropboxFiles.Relocation relocation) {
        Sharing.Location target;
        try {
            target = sharing.locateForWrite(user.userId(), relocation.to());
        } catch (SyncboxException e) {
            throw lookup.write("to", user, relocation.to(), e);
        }
        String copied;
        try {
            copied = copy(user, relocation.source(), target, relocation.to());
        } catch (SyncboxException e) {
            throw switch (e.code()) {
                case PAYLOAD_TOO_LARGE -> DropboxApiException.route(DropboxErrors.tag("too_many_files"));
                case NOT_FOUND -> DropboxLookup.notFound("from_lookup");
                default -> lookup.write("to", user, relocation.to(), e);
            };
        }
        Sharing.Visible copy = sharing.find(user.userId(), copied).orElseThrow(() -> DropboxLookup.notFound("to"));
        return DropboxWire.metadata(copy.file(), copy.path());
    }

    /**
     * Copies {@code source} to {@code to} of the caller's tree, located for writing at {@code at}: a file as a new
     * file naming the same blocks, a folder with everything beneath it. The copy's id. Failures are syncbox's own
     * errors: {@code payload_too_large} for more than {@value #MAX_ENTRIES} entries, {@code not_found} when the
     * source's content is gone, {@code path_conflict} when something is at {@code to}.
     */
    public String copy(CurrentUser user, Sharing.Visible source, Sharing.Location at, String to) {
        return source.file().isDir() ? copyFolder(user, source, at) : copyFile(user, source, at, to);
    }

    private String copyFile(CurrentUser user, Sharing.Visible visible, Sharing.Location at, String to) {
        var source = visible.file();
        FileVersionEntity version = versions.findOf(source, source.currentVersionId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "The source has no content"));
        Map<String, Integer> sizes = blocks.requireStored(version.blockIds());
        Committed committed = committer.commit(
                new CommitRequest(user.userId(), user.deviceId(), to, null, false, content(version, sizes)), at);
        return committed.fileId();
    }

    /** Version {@code version} as a new file at {@code path} (the caller's): what restore does for a lost file. */
    Map<String, Object> recreate(CurrentUser user, String path, FileVersionEntity version) {
        Map<String, Integer> sizes = blocks.requireStored(version.blockIds());
        Committed committed;
        try {
            committed = committer.commit(
                    new CommitRequest(user.userId(), user.deviceId(), path, null, false, content(version, sizes)));
        } catch (SyncboxException e) {
            throw lookup.write("path_write", user, path, e);
        }
        Sharing.Visible file = sharing.find(user.userId(), committed.fileId())
                .orElseThrow(() -> DropboxLookup.notFound("path_lookup"));
        return DropboxWire.metadata(file.file(), file.path());
    }

    /** A file of the folder being copied: its path below the folder and its current version. */
    private record Copied(String relative, String versionId) {}

    /** The new folder (as the caller sees it) and the files still to commit under it. */
    private record Made(String fileId, String path, List<Copied> files) {}

    private String copyFolder(CurrentUser user, Sharing.Visible source, Sharing.Location at) {
        Made made = transactions.execute(status -> makeFolders(user, source, at));
        if (!made.files().isEmpty()) {
            commitFiles(user, made);
        }
        return made.fileId();
    }

    /**
     * Under the destination's namespace lock: the destination folder and every folder below the source, in one batch
     * of inserts, journaled; the source's files, read in one query.
     */
    private Made makeFolders(CurrentUser user, Sharing.Visible source, Sharing.Location at) {
        long namespaceId = at.namespaceId();
        journal.lock(namespaceId);
        if (files.findLive(namespaceId, PathKeys.of(at.path())).isPresent()) {
            throw new SyncboxException(ErrorCode.PATH_CONFLICT, "Something exists at " + at.path());
        }
        Instant now = clock.instant();
        String root = folders.ensureParents(at.ownerId(), namespaceId, at.path(), user.deviceId(), now);
        String from = source.file().path();
        String fromKey = PathKeys.of(from);
        List<String> folderPaths = new ArrayList<>(List.of(root));
        List<Copied> copied = new ArrayList<>();
        jdbc.query(
                "SELECT file_path, is_dir, current_version_id FROM files WHERE namespace_id = ? AND NOT is_deleted"
                        + " AND path_key >= ? AND path_key < ? ORDER BY path_key LIMIT ?",
                rs -> {
                    String relative = rs.getString(1).substring(from.length());
                    if (rs.getBoolean(2)) {
                        folderPaths.add(root + relative);
                    } else {
                        copied.add(new Copied(relative, rs.getString(3)));
                    }
                },
                source.file().namespaceId(),
                fromKey + "/",
                fromKey + "0",
                MAX_ENTRIES + 1);
        if (folderPaths.size() + copied.size() > MAX_ENTRIES) {
            throw new SyncboxException(ErrorCode.PAYLOAD_TOO_LARGE, "More than " + MAX_ENTRIES + " entries to copy");
        }
        List<String> ids = folderPaths.stream().map(p -> Ids.newId()).toList();
        Timestamp stamp = Timestamp.from(now);
        jdbc.batchUpdate(
                "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, parent_dir_path, parent_key,"
                        + " is_dir, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, true, ?, ?)",
                java.util.stream.IntStream.range(0, ids.size()).boxed().toList(),
                COMMIT_BATCH,
                (ps, i) -> {
                    String path = folderPaths.get(i);
                    String parent = SyncPath.parent(path);
                    ps.setString(1, ids.get(i));
                    ps.setLong(2, namespaceId);
                    ps.setLong(3, at.ownerId());
                    ps.setString(4, path);
                    ps.setString(5, PathKeys.of(path));
                    ps.setString(6, parent);
                    ps.setString(7, PathKeys.of(parent));
                    ps.setTimestamp(8, stamp);
                    ps.setTimestamp(9, stamp);
                });
        directory.created(namespaceId, ids);
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            entries.add(new JournalEntry(
                    ids.get(i),
                    Operation.CREATE,
                    folderPaths.get(i),
                    null,
                    null,
                    null,
                    null,
                    true,
                    user.deviceId(),
                    now));
        }
        journal.appendAll(namespaceId, entries);
        return new Made(ids.get(0), at.view().path(root), copied);
    }

    /** Commits the copied files in batches; the first failure, once all were tried, is the answer. */
    private void commitFiles(CurrentUser user, Made made) {
        Map<String, FileVersionEntity> byId =
                versions.findByIdIn(made.files().stream().map(Copied::versionId).toList()).stream()
                        .collect(Collectors.toMap(FileVersionEntity::getId, Function.identity()));
        LinkedHashSet<String> blockIds = new LinkedHashSet<>();
        byId.values().forEach(v -> blockIds.addAll(v.blockIds()));
        Map<String, Integer> sizes = blocks.requireStored(blockIds);
        List<CommitRequest> requests = new ArrayList<>();
        for (Copied file : made.files()) {
            FileVersionEntity version = byId.get(file.versionId());
            if (version != null) {
                requests.add(new CommitRequest(
                        user.userId(),
                        user.deviceId(),
                        made.path() + file.relative(),
                        null,
                        false,
                        content(version, sizes)));
            }
        }
        SyncboxException failure = null;
        for (int start = 0; start < requests.size(); start += COMMIT_BATCH) {
            for (BatchCommitter.Outcome outcome :
                    batches.commit(requests.subList(start, Math.min(requests.size(), start + COMMIT_BATCH)))) {
                if (outcome instanceof BatchCommitter.Failure f && failure == null) {
                    failure = f.problem();
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A version's content as a commit takes it: the same blocks, already stored. */
    private static StoredContent content(FileVersionEntity version, Map<String, Integer> sizes) {
        return new StoredContent(
                version.blockIds(),
                version.blockIds().stream().map(sizes::get).toList(),
                version.sizeBytes(),
                version.contentHash(),
                version.hashWindows(),
                0);
    }
}
