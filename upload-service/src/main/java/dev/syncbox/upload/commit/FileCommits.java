package dev.syncbox.upload.commit;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.CommitRequest;
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
import java.util.function.Function;
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

    /** A commit body whose path, mode and block ids are well-formed, with where its path lives. */
    record Parsed(CommitController.CommitBody body, String path, CommitMode mode, Sharing.Location location) {}

    CommitController.CommitResponse commit(CurrentUser user, CommitController.CommitBody body) {
        Parsed parsed = parse(user, body);
        StoredContent content =
                content(parsed, access.permitted(user.userId(), body.blocks()), registry.sizes(body.blocks()));
        return CommitController.CommitResponse.of(committer.commit(request(user, parsed, content), parsed.location()));
    }

    /** Checks what needs no block: path, mode, device and block ids; locates the path for writing. */
    Parsed parse(CurrentUser user, CommitController.CommitBody body) {
        return parse(user, body, path -> sharing.locateForWrite(user.userId(), path));
    }

    /** {@link #parse}, locating with {@code locator} (which may serve many bodies of one user). */
    Parsed parse(CurrentUser user, CommitController.CommitBody body, Function<String, Sharing.Location> locator) {
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
        return new Parsed(body, path, mode, locator.apply(path));
    }

    /**
     * The content a body names, given the blocks the caller may name and the sizes of stored blocks
     * (both looked up for many bodies at once by a batch): every block there, the sizes adding up, the
     * declared content hash right.
     */
    StoredContent content(Parsed parsed, Set<String> permitted, Map<String, Integer> stored) {
        CommitController.CommitBody body = parsed.body();
        List<String> hidden = body.blocks().stream()
                .distinct()
                .filter(id -> !permitted.contains(id))
                .toList();
        if (!hidden.isEmpty()) {
            throw registry.missing(hidden);
        }
        List<String> missing = body.blocks().stream()
                .distinct()
                .filter(id -> !stored.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            throw registry.missing(missing);
        }
        List<Integer> blockSizes = new ArrayList<>(body.blocks().size());
        body.blocks().forEach(id -> blockSizes.add(stored.get(id)));
        List<BlockSpan> layout = ContentReader.layout(body.blocks(), blockSizes);
        long size = blockSizes.stream().mapToLong(Integer::longValue).sum();
        if (size != body.size()) {
            throw new SyncboxException(
                    ErrorCode.SIZE_MISMATCH, "The blocks hold " + size + " bytes, not " + body.size());
        }
        byte[] windows;
        try {
            windows = windows(parsed.location(), body.parentVersionId(), layout);
        } catch (BlockMissingException e) {
            // Collected while we read it (its row may not be gone yet): the client uploads it again.
            throw registry.missing(List.of(e.blockId()));
        }
        String contentHash = ContentHasher.ofConcatenatedDigests(windows);
        if (!contentHash.equals(body.contentHash())) {
            throw new SyncboxException(
                    ErrorCode.CONTENT_HASH_MISMATCH, "The blocks do not hash to content_hash " + body.contentHash());
        }
        return new StoredContent(body.blocks(), blockSizes, size, contentHash, windows, 0);
    }

    CommitRequest request(CurrentUser user, Parsed parsed, StoredContent content) {
        return new CommitRequest(
                user.userId(),
                user.deviceId(),
                parsed.path(),
                parsed.body().parentVersionId(),
                false,
                content,
                parsed.mode());
    }

    /** Window digests, reusing those of the parent (or else the current) version at the path. */
    private byte[] windows(Sharing.Location location, String parentVersionId, List<BlockSpan> layout) {
        if (ContentHashes.wholeBlockWindows(layout)) {
            // Nothing to read and nothing to reuse: no need to look up the version it is based on.
            return hashes.windows(layout);
        }
        FileVersionEntity reference = files.findLive(location.namespaceId(), PathKeys.of(location.path()))
                .filter(f -> !f.isDir())
                .flatMap(f -> versions.findOf(f, parentVersionId != null ? parentVersionId : f.currentVersionId()))
                .filter(v -> v.hashWindows() != null)
                .orElse(null);
        if (reference == null) {
            return hashes.windows(layout);
        }
        return hashes.windows(layout, reader.layout(reference), reference.hashWindows());
    }
}
