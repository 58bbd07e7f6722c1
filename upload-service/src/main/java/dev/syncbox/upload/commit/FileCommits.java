package dev.syncbox.upload.commit;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.blockstore.BlockMissingException;
import dev.syncbox.server.content.BlockAccess;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.ContentHashes;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Commits a version whose blocks the client uploaded before. Checks that every block is stored, that
 * the sizes add up, and that the declared content hash is right — re-reading only the 4 MiB windows
 * not shared with the version it is based on — then commits with compare-and-set on the parent.
 */
@Service
class FileCommits {

    private final BlockRegistry registry;
    private final BlockAccess access;
    private final ContentReader reader;
    private final ContentHashes hashes;
    private final VersionCommitter committer;
    private final Sharing sharing;
    private final FileRepository files;
    private final FileVersionRepository versions;

    FileCommits(
            BlockRegistry registry,
            BlockAccess access,
            ContentReader reader,
            ContentHashes hashes,
            VersionCommitter committer,
            Sharing sharing,
            FileRepository files,
            FileVersionRepository versions) {
        this.registry = registry;
        this.access = access;
        this.reader = reader;
        this.hashes = hashes;
        this.committer = committer;
        this.sharing = sharing;
        this.files = files;
        this.versions = versions;
    }

    CommitController.CommitResponse commit(CurrentUser user, CommitController.CommitBody body) {
        String path = SyncPath.normalize(body.filePath());
        CommitMode mode = CommitMode.parse(body.mode());
        if (body.deviceId() != null && !body.deviceId().equals(user.deviceId())) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "device_id is not the device of the token");
        }
        body.blocks().forEach(id -> {
            if (!BlockId.isValid(id)) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Not a block id: '" + id + "'");
            }
        });
        Sharing.Location location = sharing.locateForWrite(user.userId(), path);
        Set<String> permitted = access.permitted(user.userId(), body.blocks());
        List<String> hidden = body.blocks().stream()
                .distinct()
                .filter(id -> !permitted.contains(id))
                .toList();
        if (!hidden.isEmpty()) {
            throw registry.missing(hidden);
        }
        Map<String, Integer> sizes = registry.requireStored(body.blocks());
        List<Integer> blockSizes = new ArrayList<>(body.blocks().size());
        body.blocks().forEach(id -> blockSizes.add(sizes.get(id)));
        List<BlockSpan> layout = ContentReader.layout(body.blocks(), blockSizes);
        long size = blockSizes.stream().mapToLong(Integer::longValue).sum();
        if (size != body.size()) {
            throw new SyncboxException(
                    ErrorCode.SIZE_MISMATCH, "The blocks hold " + size + " bytes, not " + body.size());
        }
        byte[] windows;
        try {
            windows = windows(location, body.parentVersionId(), layout);
        } catch (BlockMissingException e) {
            // Collected while we read it (its row may not be gone yet): the client uploads it again.
            throw registry.missing(List.of(e.blockId()));
        }
        String contentHash = ContentHasher.ofConcatenatedDigests(windows);
        if (!contentHash.equals(body.contentHash())) {
            throw new SyncboxException(
                    ErrorCode.CONTENT_HASH_MISMATCH, "The blocks do not hash to content_hash " + body.contentHash());
        }
        Committed committed = committer.commit(new CommitRequest(
                user.userId(),
                user.deviceId(),
                path,
                body.parentVersionId(),
                false,
                new StoredContent(body.blocks(), blockSizes, size, contentHash, windows, 0),
                mode));
        return CommitController.CommitResponse.of(committed);
    }

    /** Window digests, reusing those of the parent (or else the current) version at the path. */
    private byte[] windows(Sharing.Location location, String parentVersionId, List<BlockSpan> layout) {
        FileVersionEntity reference = files.findLive(location.namespaceId(), PathKeys.of(location.path()))
                .filter(f -> !f.isDir())
                .flatMap(f -> versions.findByIdAndFileId(
                        parentVersionId != null ? parentVersionId : f.currentVersionId(), f.getId()))
                .filter(v -> v.hashWindows() != null)
                .orElse(null);
        if (reference == null) {
            return hashes.windows(layout);
        }
        return hashes.windows(layout, reader.layout(reference), reference.hashWindows());
    }
}
