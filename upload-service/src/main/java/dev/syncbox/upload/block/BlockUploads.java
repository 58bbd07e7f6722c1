package dev.syncbox.upload.block;

import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.server.blockstore.BlockMissingException;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.BlockAccess;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlockWriter;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.server.web.Problems;
import dev.syncbox.upload.UploadMetrics;
import dev.syncbox.upload.file.MultipartUpload;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Checks and stores individual blocks for clients that chunk on their side. */
@Service
class BlockUploads {

    record Check(List<String> existing, List<String> missing) {}

    /** Most blocks a delta may copy from. */
    static final int MAX_BASES = 8;

    /** Most parts of one {@code /blocks/upload_batch}. */
    static final int MAX_BATCH_BLOCKS = 1000;

    /** Blocks of a batch written together; a group holds at most {@value #GROUP_BYTES} bytes. */
    static final int GROUP_BLOCKS = 64;

    static final int GROUP_BYTES = 16 * 1024 * 1024;

    private final BlockRegistry registry;
    private final BlockWriter writer;
    private final ContentReader reader;
    private final UploadMetrics metrics;
    private final BlockAccess access;
    private final int maxBlockSize;

    BlockUploads(
            BlockRegistry registry,
            BlockWriter writer,
            ContentReader reader,
            UploadMetrics metrics,
            BlockAccess access,
            SyncboxProperties properties) {
        this.registry = registry;
        this.writer = writer;
        this.reader = reader;
        this.metrics = metrics;
        this.access = access;
        this.maxBlockSize = properties.upload().maxBlockSize();
    }

    /**
     * Splits the hashes into stored and missing, keeping the caller's order. A stored block the
     * caller may not name is missing to them.
     */
    Check check(CurrentUser user, List<String> hashes) {
        hashes.forEach(BlockUploads::requireBlockId);
        Set<String> found = registry.existing(hashes);
        found.retainAll(access.permitted(user.userId(), found));
        List<String> existing = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String hash : hashes) {
            (found.contains(hash) ? existing : missing).add(hash);
        }
        return new Check(existing, missing);
    }

    BlockController.BlockStored upload(CurrentUser user, String blockId, InputStream body) throws IOException {
        requireBlockId(blockId);
        byte[] data = readLimited(body, maxBlockSize);
        BlockWriter.Written written = writer.writeVerified(blockId, data, 0, data.length);
        access.grant(user.userId(), List.of(blockId));
        metrics.received(data.length);
        return new BlockController.BlockStored(blockId, data.length, written.newlyStored());
    }

    /** Rebuilds a block from a delta against stored blocks, then stores it like a plain upload. */
    BlockController.BlockStored uploadDelta(CurrentUser user, String blockId, List<String> baseIds, InputStream body)
            throws IOException {
        requireBlockId(blockId);
        if (baseIds.isEmpty() || baseIds.size() > MAX_BASES) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A delta names 1 to " + MAX_BASES + " base blocks");
        }
        baseIds.forEach(BlockUploads::requireBlockId);
        byte[] delta = readLimited(body, maxBlockSize + 1024);
        Set<String> permitted = access.permitted(user.userId(), baseIds);
        List<String> hidden =
                baseIds.stream().filter(id -> !permitted.contains(id)).toList();
        if (!hidden.isEmpty()) {
            throw registry.missing(hidden);
        }
        Map<String, Integer> sizes = registry.requireStored(baseIds);
        List<byte[]> bases = new ArrayList<>(baseIds.size());
        try {
            for (String id : baseIds) {
                bases.add(reader.readBlock(id, sizes.get(id)));
            }
        } catch (BlockMissingException e) {
            // Collected while we read it: the client sends the block whole, or another base.
            throw registry.missing(List.of(e.blockId()));
        }
        byte[] data = BlockDelta.apply(bases, delta, maxBlockSize);
        BlockWriter.Written written = writer.writeVerified(blockId, data, 0, data.length);
        access.grant(user.userId(), List.of(blockId));
        metrics.delta(delta.length, data.length);
        return new BlockController.BlockStored(blockId, data.length, written.newlyStored());
    }

    /**
     * Stores the blocks of a batch: parts are read in turn and written {@value #GROUP_BLOCKS} at a
     * time (at most {@value #GROUP_BYTES} bytes held), each group claimed, put and marked in one go.
     */
    List<Object> uploadBatch(CurrentUser user, MultipartUpload multipart) throws IOException {
        List<Object> answers = new ArrayList<>();
        List<Integer> groupAt = new ArrayList<>();
        List<BlockWriter.Named> group = new ArrayList<>();
        long groupBytes = 0;
        for (MultipartUpload.Part part = multipart.next(); part != null; part = multipart.next()) {
            String blockId = part.name();
            try (InputStream in = part.content()) {
                if (answers.size() >= MAX_BATCH_BLOCKS) {
                    throw new SyncboxException(
                            ErrorCode.INVALID_REQUEST, "A batch holds at most " + MAX_BATCH_BLOCKS + " blocks");
                }
                requireBlockId(blockId);
                byte[] data = readLimited(in, maxBlockSize);
                groupAt.add(answers.size());
                answers.add(null);
                group.add(new BlockWriter.Named(blockId, data));
                groupBytes += data.length;
            } catch (SyncboxException e) {
                answers.add(Problems.of(e));
            }
            if (group.size() == GROUP_BLOCKS || groupBytes >= GROUP_BYTES) {
                writeGroup(user, group, groupAt, answers);
                groupBytes = 0;
            }
        }
        writeGroup(user, group, groupAt, answers);
        return answers;
    }

    private void writeGroup(
            CurrentUser user, List<BlockWriter.Named> group, List<Integer> groupAt, List<Object> answers) {
        if (group.isEmpty()) {
            return;
        }
        List<Object> written = writer.writeAllVerified(group);
        List<String> granted = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < written.size(); i++) {
            Object outcome = written.get(i);
            if (outcome instanceof BlockWriter.Written w) {
                granted.add(w.blockId());
                bytes += w.size();
                answers.set(
                        groupAt.get(i),
                        new BlockController.BatchBlock(w.blockId(), w.newlyStored() ? "stored" : "existing"));
            } else {
                answers.set(groupAt.get(i), Problems.of((SyncboxException) outcome));
            }
        }
        if (!granted.isEmpty()) {
            access.grant(user.userId(), granted);
        }
        metrics.received(bytes);
        group.clear();
        groupAt.clear();
    }

    static void requireBlockId(String id) {
        if (id == null || !BlockId.isValid(id)) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "A block id is 64 lowercase hex characters (SHA-256): '" + id + "'");
        }
    }

    private static byte[] readLimited(InputStream in, int limit) throws IOException {
        byte[] data = in.readNBytes(limit + 1);
        if (data.length > limit) {
            throw new SyncboxException(ErrorCode.BLOCK_TOO_LARGE, "A block may hold at most " + limit + " bytes");
        }
        return data;
    }
}
