package dev.syncbox.upload.update;

import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.content.BlockWriter;
import dev.syncbox.server.content.ConcatInputStream;
import dev.syncbox.server.content.ContentHashes;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.UploadMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Writes bytes at an offset of a file's current version. Only the region from the block holding the
 * offset to the first chunk boundary past the edit that matches an old boundary is re-chunked;
 * blocks before and after are reused as they are, and only the 4 MiB windows the edit touches are
 * re-hashed.
 */
@Service
class FileUpdates {

    record Edit(long startOffset, byte[] delta, String checksum, String parentVersionId) {}

    record Result(String versionId, long size, String contentHash) {}

    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final ContentReader reader;
    private final ContentHashes hashes;
    private final BlockWriter writer;
    private final Chunker chunker;
    private final VersionCommitter committer;
    private final UploadMetrics metrics;

    FileUpdates(
            Sharing sharing,
            FileVersionRepository versions,
            ContentReader reader,
            ContentHashes hashes,
            BlockWriter writer,
            ContentIngest ingest,
            VersionCommitter committer,
            UploadMetrics metrics) {
        this.sharing = sharing;
        this.versions = versions;
        this.reader = reader;
        this.hashes = hashes;
        this.writer = writer;
        this.chunker = ingest.chunker();
        this.committer = committer;
        this.metrics = metrics;
    }

    Result update(CurrentUser user, String fileId, Edit edit) throws IOException {
        Sharing.Visible visible = sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted() && !v.file().isDir())
                .orElseThrow(() -> Sharing.notFound(fileId))
                .writable();
        FileEntity file = visible.file();
        String baseId = edit.parentVersionId() != null ? edit.parentVersionId() : file.currentVersionId();
        FileVersionEntity base = versions.findOf(file, baseId)
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No version " + baseId + " of " + fileId));
        if (edit.checksum() != null && !edit.checksum().equals(Sha256.hex(edit.delta()))) {
            throw new SyncboxException(ErrorCode.CONTENT_HASH_MISMATCH, "checksum is not the SHA-256 of the delta");
        }
        if (edit.startOffset() > base.sizeBytes()) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST,
                    "start_offset " + edit.startOffset() + " is beyond the end of the file (" + base.sizeBytes()
                            + " bytes)");
        }
        List<BlockSpan> old = reader.layout(base);
        Rechunked rechunked = rechunk(old, base.sizeBytes(), edit);
        byte[] windows = base.hashWindows() == null
                ? hashes.windows(rechunked.layout())
                : hashes.windows(rechunked.layout(), old, base.hashWindows());
        String contentHash = ContentHasher.ofConcatenatedDigests(windows);
        long size = Math.max(base.sizeBytes(), edit.startOffset() + edit.delta().length);
        List<String> ids = rechunked.layout().stream().map(BlockSpan::blockId).toList();
        List<Integer> sizes = rechunked.layout().stream().map(BlockSpan::size).toList();
        metrics.delta(edit.delta().length, size);
        Committed committed = committer.commit(new CommitRequest(
                user.userId(),
                user.deviceId(),
                visible.path(),
                base.getId(),
                false,
                new StoredContent(ids, sizes, size, contentHash, windows, rechunked.newBytes())));
        return new Result(committed.versionId(), committed.size(), committed.contentHash());
    }

    private record Rechunked(List<BlockSpan> layout, long newBytes) {}

    /** Thrown by the chunk consumer once the new chunks line up with the old ones again. */
    private static final class Resynchronized extends RuntimeException {
        Resynchronized() {
            super(null, null, false, false);
        }
    }

    private Rechunked rechunk(List<BlockSpan> old, long oldSize, Edit edit) throws IOException {
        long editStart = edit.startOffset();
        long editEnd = editStart + edit.delta().length;
        int first = firstAffected(old, editStart);
        long regionStart = first < old.size() ? old.get(first).offset() : oldSize;
        Set<Long> oldEnds = new HashSet<>();
        old.forEach(s -> oldEnds.add(s.offset() + s.size()));

        List<Supplier<InputStream>> parts = List.of(
                () -> reader.open(old, regionStart, editStart),
                () -> new ByteArrayInputStream(edit.delta()),
                () -> reader.open(old, Math.min(editEnd, oldSize), oldSize));
        List<BlockSpan> layout = new ArrayList<>(old.subList(0, first));
        long[] position = {regionStart};
        long[] newBytes = {0};
        try (InputStream region = new ConcatInputStream(parts.iterator())) {
            chunker.chunk(region, (buf, off, len) -> {
                BlockWriter.Written written = writer.write(buf, off, len);
                layout.add(new BlockSpan(written.blockId(), position[0], len));
                position[0] += len;
                if (written.newlyStored()) {
                    newBytes[0] += len;
                }
                if (position[0] >= editEnd && position[0] < oldSize && oldEnds.contains(position[0])) {
                    throw new Resynchronized();
                }
            });
        } catch (Resynchronized e) {
            old.stream().filter(s -> s.offset() >= position[0]).forEach(layout::add);
        }
        return new Rechunked(layout, newBytes[0]);
    }

    /** The index of the old block holding {@code offset}; an append re-chunks the last block. */
    private static int firstAffected(List<BlockSpan> old, long offset) {
        for (int i = 0; i < old.size(); i++) {
            BlockSpan span = old.get(i);
            if (offset < span.offset() + span.size()) {
                return i;
            }
        }
        return Math.max(0, old.size() - 1);
    }
}
