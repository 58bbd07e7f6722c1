package dev.syncbox.client.api;

import dev.syncbox.client.local.Inodes;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.sync.ContentSource;
import dev.syncbox.client.sync.RemoteSide;
import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.ChunkedDigest;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The server as the reconciler sees it. An upload cuts the file into content-defined blocks (FastCDC, 256 KiB / 1 MiB
 * / 4 MiB, as the server stores them), asks which the server lacks, sends only those, and commits the block list in
 * {@code auto} mode so a stale parent becomes a merge or a conflicted copy on the server. A download fetches only the
 * blocks the local copy does not already hold and checks every block and the whole file against their hashes.
 * Memory stays at a block or two whatever the file's size.
 */
public final class HttpRemote implements RemoteSide, ContentSource {

    /** Ids per {@code /blocks/check} request (the server takes 10 000). */
    static final int CHECK_BATCH = 5_000;

    private final ServerClient server;
    private final LocalFolder folder;
    private final String deviceId;
    private final Chunker chunker = Chunker.of(ChunkingSpec.fastCdcDefault());

    public HttpRemote(ServerClient server, LocalFolder folder, String deviceId) {
        this.server = server;
        this.folder = folder;
        this.deviceId = deviceId;
    }

    /** A file cut into blocks: where each lies, and the content hash of the whole. */
    record Cut(List<ChunkRef> blocks, String contentHash, long size) {}

    @Override
    public Committed upload(String path, String parentVersionId) throws IOException {
        Path file = folder.resolve(path);
        long inode = Inodes.of(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Cut cut = cut(file);
        sendMissing(file, cut.blocks());
        if (!Files.getLastModifiedTime(file).equals(modified)
                || Files.size(file) != cut.size()
                || Inodes.of(file) != inode) {
            throw new Refused(0, "changed_while_reading", path + " changed while it was read; it is read again");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file_path", path);
        body.put("parent_version_id", parentVersionId);
        body.put("blocks", cut.blocks().stream().map(ChunkRef::blockId).toList());
        body.put("size", cut.size());
        body.put("content_hash", cut.contentHash());
        body.put("device_id", deviceId);
        body.put("mode", "auto");
        JsonNode committed = server.post("/files/commit", body);
        String fileId = committed.path("file_id").asString();
        boolean conflict = committed.hasNonNull("conflict");
        String at = path;
        if (conflict) {
            // A conflicted copy has a path of its own; a merge keeps the file's.
            at = server.get("/files/" + fileId + "/metadata").path("path").asString(path);
        }
        return new Committed(fileId, at, committed.path("version_id").asString(), cut.contentHash(), inode, conflict);
    }

    @Override
    public String mkdir(String path) throws IOException {
        return server.post("/files/folder", Map.of("path", path))
                .path("file_id")
                .asString();
    }

    @Override
    public void move(String fileId, String toPath) throws IOException {
        server.post("/files/move", Map.of("file_id", fileId, "to_path", toPath));
    }

    @Override
    public void delete(String fileId) throws IOException {
        server.post("/files/" + fileId + "/delete", Map.of("move_to_trash", true));
    }

    @Override
    public void fetch(String fileId, String versionId, String contentHash, Path previous, Path target)
            throws IOException {
        JsonNode list = server.get("/files/download/" + fileId + "/blocks?version=" + ServerClient.query(versionId));
        Map<String, ChunkRef> held = new HashMap<>();
        List<ChunkRef> before = List.of();
        if (previous != null && Files.isRegularFile(previous)) {
            before = cut(previous).blocks();
            for (ChunkRef ref : before) {
                held.putIfAbsent(ref.blockId(), ref);
            }
        }
        ContentHasher hasher = new ContentHasher();
        try (OutputStream out =
                        Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                RandomAccessFile local =
                        previous != null && !held.isEmpty() ? new RandomAccessFile(previous.toFile(), "r") : null) {
            for (JsonNode block : list.path("blocks")) {
                String id = block.path("block_id").asString();
                int size = block.path("size").asInt();
                byte[] bytes = held.containsKey(id)
                        ? readLocal(local, held.get(id))
                        : readChanged(id, size, block.path("offset").asLong(), before, local);
                if (bytes == null
                        || bytes.length != size
                        || !BlockId.of(bytes, 0, bytes.length).equals(id)) {
                    bytes = readRemote(id, size);
                }
                hasher.update(bytes);
                out.write(bytes);
            }
        }
        if (!hasher.hexDigest().equals(contentHash)) {
            throw new IOException(
                    "the download of " + fileId + " does not match its content hash; it is fetched again");
        }
    }

    private byte[] readLocal(RandomAccessFile local, ChunkRef ref) throws IOException {
        if (local.length() < ref.offset() + ref.length()) {
            return null;
        }
        byte[] bytes = new byte[ref.length()];
        local.seek(ref.offset());
        local.readFully(bytes);
        return bytes;
    }

    /**
     * A block the local copy does not hold: as a delta against the local block at the same offset (an edit changes a
     * block in place), else whole. A delta that does not rebuild the block is dropped for the whole block.
     */
    private byte[] readChanged(String id, int size, long offset, List<ChunkRef> before, RandomAccessFile local)
            throws IOException {
        ChunkRef base = local == null ? null : at(before, offset);
        if (base != null) {
            try {
                byte[] baseBytes = readLocal(local, base);
                byte[] delta;
                try (InputStream in = server.stream("/blocks/" + id + "/delta?base=" + base.blockId())) {
                    delta = in.readAllBytes();
                }
                if (baseBytes != null) {
                    byte[] bytes = BlockDelta.apply(List.of(baseBytes), delta, Math.max(size, 1));
                    if (bytes.length == size
                            && BlockId.of(bytes, 0, bytes.length).equals(id)) {
                        return bytes;
                    }
                }
            } catch (Refused | RuntimeException e) {
                // The server cannot make one (an older server, a base it no longer has): the whole block instead.
            }
        }
        return readRemote(id, size);
    }

    /** The block of {@code blocks} (in content order) that covers {@code offset}, or null. */
    static ChunkRef at(List<ChunkRef> blocks, long offset) {
        int low = 0;
        int high = blocks.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            ChunkRef ref = blocks.get(mid);
            if (offset < ref.offset()) {
                high = mid - 1;
            } else if (offset >= ref.offset() + ref.length()) {
                low = mid + 1;
            } else {
                return ref;
            }
        }
        return null;
    }

    private byte[] readRemote(String id, int size) throws IOException {
        byte[] bytes;
        try (InputStream in = server.stream("/blocks/" + id)) {
            bytes = in.readNBytes(size + 1);
        }
        if (bytes.length != size || !BlockId.of(bytes, 0, bytes.length).equals(id)) {
            throw new IOException("block " + id + " arrived damaged; it is fetched again");
        }
        return bytes;
    }

    /** The file's blocks and content hash, read once (on two threads for a large file). */
    Cut cut(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ChunkedDigest.Result r = ChunkedDigest.of(in, chunker, Files.size(file));
            return new Cut(r.blocks(), r.contentHash(), r.size());
        }
    }

    /** Sends the blocks the server does not hold, each once, read again from the file at its offset. */
    private void sendMissing(Path file, List<ChunkRef> blocks) throws IOException {
        Map<String, ChunkRef> unique = new LinkedHashMap<>();
        blocks.forEach(b -> unique.putIfAbsent(b.blockId(), b));
        List<String> ids = List.copyOf(unique.keySet());
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (int from = 0; from < ids.size(); from += CHECK_BATCH) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + CHECK_BATCH));
                JsonNode check = server.post("/blocks/check", Map.of("block_hashes", batch));
                for (JsonNode missing : check.path("missing")) {
                    ChunkRef ref = unique.get(missing.asString());
                    if (ref == null) {
                        continue;
                    }
                    byte[] bytes = readLocal(in, ref);
                    if (bytes == null || !BlockId.of(bytes, 0, bytes.length).equals(ref.blockId())) {
                        throw new Refused(0, "changed_while_reading", file + " changed while it was read");
                    }
                    server.put("/blocks/" + ref.blockId(), bytes, 0, bytes.length);
                }
            }
        }
    }
}
