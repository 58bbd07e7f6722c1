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
import dev.syncbox.upload.UploadMetrics;
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
        metrics.received(data.length, written.newlyStored() ? data.length : 0);
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
        metrics.received(data.length, written.newlyStored() ? data.length : 0);
        return new BlockController.BlockStored(blockId, data.length, written.newlyStored());
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
