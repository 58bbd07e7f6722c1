package dev.syncbox.sync.version;

import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads a file's history and restores versions. A restore appends a new version naming the old
 * version's blocks (their refcounts rise; nothing is copied), so history stays linear and nothing
 * in it is ever rewritten.
 */
@Service
public class VersionHistory {

    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final BlockRegistry blocks;
    private final VersionCommitter committer;
    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;

    VersionHistory(
            Sharing sharing,
            FileVersionRepository versions,
            BlockRegistry blocks,
            VersionCommitter committer,
            JdbcTemplate jdbc,
            MeterRegistry registry) {
        this.sharing = sharing;
        this.versions = versions;
        this.blocks = blocks;
        this.committer = committer;
        this.jdbc = jdbc;
        this.registry = registry;
        restored("user");
        restored("corruption");
    }

    public VersionController.VersionPage page(CurrentUser user, String fileId, int limit, String startingAfter) {
        FileEntity file = liveFile(user, fileId).file();
        Object[] args;
        String after = "";
        if (startingAfter == null) {
            args = new Object[] {file.namespaceId(), file.getId(), limit + 1};
        } else {
            FileVersionEntity anchor = versions.findOf(file, startingAfter)
                    .orElseThrow(() -> new SyncboxException(ErrorCode.INVALID_REQUEST, "Unknown starting_after"));
            after = " AND (created_at, version_id) < (?, ?)";
            args = new Object[] {
                file.namespaceId(), file.getId(), Timestamp.from(anchor.createdAt()), anchor.getId(), limit + 1
            };
        }
        List<VersionController.VersionView> page = jdbc.query(
                "SELECT version_id, size_bytes, content_hash, device_id, created_at, is_conflict FROM file_versions"
                        + " WHERE namespace_id = ? AND file_id = ?" + after
                        + " ORDER BY created_at DESC, version_id DESC LIMIT ?",
                (rs, n) -> new VersionController.VersionView(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getBoolean(6)),
                args);
        boolean more = page.size() > limit;
        List<VersionController.VersionView> shown = more ? page.subList(0, limit) : page;
        return new VersionController.VersionPage(
                shown, more ? shown.get(shown.size() - 1).id() : null, more);
    }

    public VersionController.Restored restore(CurrentUser user, String fileId, String versionId) {
        Sharing.Visible visible = liveFile(user, fileId).writable();
        FileEntity file = visible.file();
        FileVersionEntity old = versions.findOf(file, versionId)
                .orElseThrow(
                        () -> new SyncboxException(ErrorCode.NOT_FOUND, "No version " + versionId + " of " + fileId));
        Map<String, Integer> sizes = blocks.requireStored(old.blockIds());
        StoredContent content = new StoredContent(
                old.blockIds(),
                old.blockIds().stream().map(sizes::get).toList(),
                old.sizeBytes(),
                old.contentHash(),
                old.hashWindows(),
                0);
        // A rollback incident (the seed's "emergency version restore"): the version it replaces is corrupt.
        List<String> replaced = file.currentVersionId() == null
                ? List.of()
                : versions.findOf(file, file.currentVersionId())
                        .map(FileVersionEntity::blockIds)
                        .orElse(List.of());
        boolean rollback = !replaced.isEmpty()
                && Boolean.TRUE.equals(jdbc.queryForObject(
                        "SELECT EXISTS (SELECT 1 FROM corrupt_blocks WHERE block_id = ANY(?::bpchar[]))",
                        Boolean.class,
                        (Object) replaced.toArray(String[]::new)));
        Committed committed = committer.commit(new CommitRequest(
                user.userId(), user.deviceId(), visible.path(), file.currentVersionId(), false, content));
        restored(rollback ? "corruption" : "user").increment();
        return new VersionController.Restored(
                committed.fileId(),
                committed.versionId(),
                old.getId(),
                committed.size(),
                committed.contentHash(),
                committed.timestamp());
    }

    private Counter restored(String reason) {
        return Counter.builder("syncbox.versions.restored")
                .description(
                        "Old versions restored: by a user's choice, or over a corrupt version (a rollback incident)")
                .tag("reason", reason)
                .register(registry);
    }

    private Sharing.Visible liveFile(CurrentUser user, String fileId) {
        return sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted() && !v.file().isDir())
                .orElseThrow(() -> Sharing.notFound(fileId));
    }
}
