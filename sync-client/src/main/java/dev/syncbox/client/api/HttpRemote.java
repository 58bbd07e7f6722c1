package dev.syncbox.client.api;

import dev.syncbox.client.local.Inodes;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.sync.ContentSource;
import dev.syncbox.client.sync.LocalBlocks;
import dev.syncbox.client.sync.RemoteSide;
import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.ChunkedDigest;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.delta.BlockSignature;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    private volatile Progress progress = Progress.NONE;
    private final LocalBlocks local;

    public HttpRemote(ServerClient server, LocalFolder folder, String deviceId) {
        this(server, folder, deviceId, LocalBlocks.NONE);
    }

    /** With {@code local}, what this folder's files already hold, so downloads fetch only what is not here. */
    public HttpRemote(ServerClient server, LocalFolder folder, String deviceId, LocalBlocks local) {
        this.server = server;
        this.folder = folder;
        this.deviceId = deviceId;
        this.local = local;
    }

    /** Where transfers of single files report how far they have come. */
    public void progress(Progress progress) {
        this.progress = progress;
    }

    /** A file cut into blocks: where each lies, and the content hash of the whole. */
    record Cut(List<ChunkRef> blocks, String contentHash, long size) {}

    @Override
    public Committed upload(String path, String fileId, String parentVersionId) throws IOException {
        return upload(new Upload(path, fileId, parentVersionId));
    }

    /**
     * Cuts the file and sends what the server lacks. With the scan's content hash the file is read for its blocks
     * alone (one SHA-256 pass instead of two); should the file have changed between the scan and the cut, the server
     * finds the blocks do not add up to that hash and nothing is committed: the next scan reads the file again.
     */
    @Override
    public Committed upload(Upload u) throws IOException {
        Sent sent = send(u);
        remember(sent.cut());
        return sent.committed();
    }

    /** What {@link #send} did: the commit, and the cut it committed. */
    private record Sent(Committed committed, Cut cut) {}

    /**
     * The block list of content now here, for downloads to take blocks from; on the caller's thread, since the state is
     * written by the thread that holds its transaction.
     */
    private void remember(Cut cut) {
        local.record(cut.contentHash(), cut.blocks());
    }

    private Sent send(Upload u) throws IOException {
        Path file = folder.resolve(u.path());
        long inode = Inodes.of(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Cut cut = u.contentHash() == null ? cut(file) : cutBlocks(file, u.contentHash());
        sendMissing(u.path(), file, cut.blocks(), previousBlocks(u.fileId(), u.parentVersionId()));
        if (!unchanged(file, modified, cut.size(), inode)) {
            throw changedWhileReading(u.path());
        }
        JsonNode answer;
        try {
            answer = server.post("/files/commit", commitBody(u.path(), u.parentVersionId(), cut));
        } catch (Refused refused) {
            if (u.contentHash() != null && "content_hash_mismatch".equals(refused.code())) {
                throw changedWhileReading(u.path());
            }
            throw refused;
        }
        return new Sent(committed(u.path(), answer, cut, inode), cut);
    }

    /** Files up to this size go through the batch requests (a few blocks at most); larger ones one at a time. */
    static final int SMALL_FILE = 4 * 1024 * 1024;

    /** A file up to this size is one block (the chunker's least), so an edit of it has nothing to send a delta of. */
    static final int ONE_BLOCK = 256 * 1024;

    /** Files (and blocks) per batch request: the server's limit for both. */
    static final int BATCH_FILES = 1_000;

    /** File bytes held for one batch. */
    static final long BATCH_BYTES = 16L * 1024 * 1024;

    /** Larger files sent at once: each streams its blocks, so this bounds connections, not memory. */
    static final int PARALLEL_LARGE = 2;

    /** A small file read whole for a batch, and what it was when read. */
    private record Small(int index, Upload upload, byte[] bytes, Cut cut, long inode, FileTime modified) {}

    /**
     * Small files in batches, as a folder of them should go: their blocks checked together, the missing ones sent
     * by {@code POST /blocks/upload_batch}, the commits made by {@code POST /files/commit_batch} — three requests for
     * up to a thousand files instead of three each. A batch holds at most {@link #BATCH_BYTES} of content; larger
     * files go one at a time. A file that changed after it was read is not committed, as with one upload.
     */
    @Override
    public List<Uploaded> uploadAll(List<Upload> uploads) {
        Uploaded[] done = new Uploaded[uploads.size()];
        List<Small> batch = new ArrayList<>();
        long held = 0;
        Future<?> sending = null;
        Map<Integer, Future<Sent>> large = new LinkedHashMap<>();
        try {
            for (int i = 0; i < uploads.size(); i++) {
                Upload u = uploads.get(i);
                try {
                    Small small = readSmall(i, u);
                    if (small == null) {
                        // Larger files on threads of their own, a few at a time, while the small ones go on here.
                        large.put(i, largeSenders.submit(() -> send(u)));
                        continue;
                    }
                    if (batch.size() == BATCH_FILES || held + small.bytes().length > BATCH_BYTES) {
                        // While the server stores this batch, the next one is read and cut.
                        await(sending);
                        List<Small> full = batch;
                        sending = batchSender.submit(() -> sendBatch(full, done));
                        batch = new ArrayList<>();
                        held = 0;
                    }
                    batch.add(small);
                    held += small.bytes().length;
                } catch (IOException e) {
                    done[i] = new Uploaded(null, e);
                }
            }
        } finally {
            await(sending);
        }
        sendBatch(batch, done);
        for (Map.Entry<Integer, Future<Sent>> f : large.entrySet()) {
            done[f.getKey()] = sent(f.getValue());
        }
        return Arrays.asList(done);
    }

    /** Waits for a larger file's upload; what it did, with its block list remembered here, on the caller's thread. */
    private Uploaded sent(Future<Sent> sending) {
        try {
            Sent sent = uninterruptibly(sending);
            remember(sent.cut());
            return new Uploaded(sent.committed(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                return new Uploaded(null, io);
            }
            return new Uploaded(null, new IOException(String.valueOf(cause.getMessage()), cause));
        }
    }

    /** The task's result, waiting through interrupts (the thread's interrupt is set again afterwards). */
    private static <T> T uninterruptibly(Future<T> task) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends larger files, {@link #PARALLEL_LARGE} at a time. */
    private final ExecutorService largeSenders = Executors.newFixedThreadPool(PARALLEL_LARGE, runnable -> {
        Thread thread = new Thread(runnable, "syncbox-upload");
        thread.setDaemon(true);
        return thread;
    });

    /** Sends batches, one at a time, while the caller reads the next. */
    private final ExecutorService batchSender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "syncbox-batch-sender");
        thread.setDaemon(true);
        return thread;
    });

    /** Waits for the batch being sent; its files' outcomes are in place afterwards. */
    private static void await(Future<?> sending) {
        if (sending == null) {
            return;
        }
        try {
            uninterruptibly(sending);
        } catch (ExecutionException e) {
            // sendBatch records every failure in its files' outcomes; anything else is a bug shown as such.
            throw new IllegalStateException("sending a batch failed", e.getCause());
        }
    }

    /** The file read whole and cut, or null when it is too large for a batch. */
    private Small readSmall(int index, Upload u) throws IOException {
        Path file = folder.resolve(u.path());
        long inode = Inodes.of(file);
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        if (size > SMALL_FILE || (u.parentVersionId() != null && size > ONE_BLOCK)) {
            // Large, or an edit of a file of several blocks: alone, where changed blocks can go as deltas.
            return null;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(SMALL_FILE + 1);
        }
        if (bytes.length > SMALL_FILE) {
            return null;
        }
        ChunkedDigest.Result r = ChunkedDigest.of(new ByteArrayInputStream(bytes), chunker, bytes.length);
        Cut cut = new Cut(r.blocks(), r.contentHash(), r.size());
        remember(cut);
        return new Small(index, u, bytes, cut, inode, modified);
    }

    private void sendBatch(List<Small> batch, Uploaded[] done) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            Map<String, Refused> refusedBlocks = sendMissing(batch);
            List<Small> committing = new ArrayList<>();
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Small s : batch) {
                Refused refused = s.cut().blocks().stream()
                        .map(b -> refusedBlocks.get(b.blockId()))
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(null);
                Path file = folder.resolve(s.upload().path());
                if (refused == null && !unchanged(file, s.modified(), s.cut().size(), s.inode())) {
                    refused = changedWhileReading(s.upload().path());
                }
                if (refused != null) {
                    done[s.index()] = new Uploaded(null, refused);
                } else {
                    committing.add(s);
                    entries.add(commitBody(s.upload().path(), s.upload().parentVersionId(), s.cut()));
                }
            }
            if (entries.isEmpty()) {
                return;
            }
            JsonNode answers = server.post("/files/commit_batch", Map.of("entries", entries))
                    .path("entries");
            for (int i = 0; i < committing.size(); i++) {
                Small s = committing.get(i);
                try {
                    done[s.index()] =
                            new Uploaded(committed(s.upload().path(), answers.path(i), s.cut(), s.inode()), null);
                } catch (IOException e) {
                    done[s.index()] = new Uploaded(null, e);
                }
            }
        } catch (IOException e) {
            for (Small s : batch) {
                if (done[s.index()] == null) {
                    done[s.index()] = new Uploaded(null, e);
                }
            }
        }
    }

    /** Sends the blocks of the batch the server lacks; answers the blocks it refused, with why. */
    private Map<String, Refused> sendMissing(List<Small> batch) throws IOException {
        Map<String, Small> owner = new HashMap<>();
        Map<String, ChunkRef> refs = new LinkedHashMap<>();
        for (Small s : batch) {
            for (ChunkRef b : s.cut().blocks()) {
                if (owner.putIfAbsent(b.blockId(), s) == null) {
                    refs.put(b.blockId(), b);
                }
            }
        }
        Map<String, Refused> refused = new HashMap<>();
        List<Map.Entry<String, byte[]>> parts = new ArrayList<>();
        long bytes = 0;
        for (ChunkRef ref : missing(refs)) {
            if (parts.size() == BATCH_FILES || bytes + ref.length() > BATCH_BYTES) {
                putBlocks(parts, refused);
                parts.clear();
                bytes = 0;
            }
            int at = (int) ref.offset();
            parts.add(Map.entry(
                    ref.blockId(), Arrays.copyOfRange(owner.get(ref.blockId()).bytes(), at, at + ref.length())));
            bytes += ref.length();
        }
        putBlocks(parts, refused);
        return refused;
    }

    /** The blocks of {@code unique} (by id) the server does not hold, asked {@link #CHECK_BATCH} ids at a time. */
    private List<ChunkRef> missing(Map<String, ChunkRef> unique) throws IOException {
        List<String> ids = List.copyOf(unique.keySet());
        List<ChunkRef> missing = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHECK_BATCH) {
            List<String> some = ids.subList(from, Math.min(ids.size(), from + CHECK_BATCH));
            for (JsonNode id :
                    server.post("/blocks/check", Map.of("block_hashes", some)).path("missing")) {
                ChunkRef ref = unique.get(id.asString());
                if (ref != null) {
                    missing.add(ref);
                }
            }
        }
        return missing;
    }

    private void putBlocks(List<Map.Entry<String, byte[]>> parts, Map<String, Refused> refused) throws IOException {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode answers = server.postParts("/blocks/upload_batch", parts).path("blocks");
        for (int i = 0; i < parts.size(); i++) {
            JsonNode answer = answers.path(i);
            if (answer.hasNonNull("code") || !answer.hasNonNull("block_id")) {
                refused.put(parts.get(i).getKey(), problem(answer));
            }
        }
    }

    private static boolean unchanged(Path file, FileTime modified, long size, long inode) throws IOException {
        return Files.getLastModifiedTime(file).equals(modified) && Files.size(file) == size && Inodes.of(file) == inode;
    }

    private static Refused changedWhileReading(String path) {
        return new Refused(0, "changed_while_reading", path + " changed while it was read; it is read again");
    }

    private Map<String, Object> commitBody(String path, String parentVersionId, Cut cut) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file_path", path);
        body.put("parent_version_id", parentVersionId);
        body.put("blocks", cut.blocks().stream().map(ChunkRef::blockId).toList());
        body.put("size", cut.size());
        body.put("content_hash", cut.contentHash());
        body.put("device_id", deviceId);
        body.put("mode", "auto");
        return body;
    }

    /** What a commit's answer says happened; a problem answer (an entry of a batch) is thrown as it. */
    private Committed committed(String path, JsonNode answer, Cut cut, long inode) throws IOException {
        if (!answer.hasNonNull("file_id")) {
            throw problem(answer);
        }
        String fileId = answer.path("file_id").asString();
        boolean conflict = answer.hasNonNull("conflict");
        String at = path;
        if (conflict) {
            // A conflicted copy has a path of its own; a merge keeps the file's.
            at = server.get("/files/" + fileId + "/metadata").path("path").asString(path);
        }
        return new Committed(fileId, at, answer.path("version_id").asString(), cut.contentHash(), inode, conflict);
    }

    /** A problem object of a batch answer; a missing one (an answer shorter than the request) is a server fault. */
    private static Refused problem(JsonNode answer) {
        if (answer.isMissingNode() || !answer.hasNonNull("code")) {
            return new Refused(502, "bad_batch_answer", "the server's batch answer has no entry for this item");
        }
        return new Refused(
                answer.path("status").asInt(0),
                answer.path("code").asString(),
                answer.hasNonNull("detail") ? answer.path("detail").asString() : null);
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
    public boolean leave(String fileId) throws IOException {
        for (JsonNode item : server.get("/shared").path("items")) {
            if (item.path("file_id").asString().equals(fileId)) {
                server.delete(
                        "/files/" + fileId + "/share/" + item.path("share_id").asString());
                return true;
            }
        }
        return false;
    }

    /**
     * A file of one block with no local copy comes whole in one request. Otherwise the version's block list decides:
     * each block is read from the local copy at {@code previous} if it holds it, else from any other file of the folder
     * that holds it (both checked against the block's hash), else fetched — as a delta against the local copy's block
     * at the same offset where there is one. A new file none of whose blocks is here comes whole in one request.
     */
    @Override
    public List<ChunkRef> fetch(
            String path, String fileId, String versionId, String contentHash, long size, Path previous, Path target)
            throws IOException {
        boolean hasPrevious = previous != null && Files.isRegularFile(previous);
        if (!hasPrevious && size <= ONE_BLOCK) {
            fetchWhole(path, fileId, versionId, contentHash, target);
            return List.of();
        }
        List<ChunkRef> blocks = blockList(fileId, versionId);
        List<ChunkRef> before = hasPrevious ? cut(previous).blocks() : List.of();
        Map<String, ChunkRef> held = new HashMap<>();
        for (ChunkRef ref : before) {
            held.putIfAbsent(ref.blockId(), ref);
        }
        Map<String, List<LocalBlocks.Held>> elsewhere = new HashMap<>();
        for (ChunkRef block : blocks) {
            String id = block.blockId();
            if (!held.containsKey(id) && !elsewhere.containsKey(id)) {
                List<LocalBlocks.Held> leads = leads(id);
                if (!leads.isEmpty()) {
                    elsewhere.put(id, leads);
                }
            }
        }
        if (!hasPrevious && elsewhere.isEmpty()) {
            fetchWhole(path, fileId, versionId, contentHash, target);
            return blocks;
        }
        long total = blocks.stream().mapToLong(ChunkRef::length).sum();
        long done = 0;
        ContentHasher hasher = new ContentHasher();
        try (OutputStream out =
                        Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                RandomAccessFile copy = held.isEmpty() ? null : new RandomAccessFile(previous.toFile(), "r")) {
            for (ChunkRef block : blocks) {
                String id = block.blockId();
                int length = block.length();
                byte[] bytes = held.containsKey(id) ? readLocal(copy, held.get(id)) : null;
                if (!isBlock(bytes, id, length) && elsewhere.containsKey(id)) {
                    bytes = readElsewhere(elsewhere.get(id), id, length);
                }
                if (!isBlock(bytes, id, length)) {
                    bytes = readChanged(id, length, block.offset(), before, copy);
                }
                hasher.update(bytes);
                out.write(bytes);
                done += bytes.length;
                progress.update(false, path, done, total);
            }
        }
        checkContentHash(hasher, contentHash, fileId);
        return blocks;
    }

    /** Where else in the folder the block may lie; none when the state cannot say. */
    private List<LocalBlocks.Held> leads(String blockId) {
        try {
            return local.block(blockId);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The block read from the first of the files said to hold it that really does; null if none does. */
    private byte[] readElsewhere(List<LocalBlocks.Held> leads, String id, int length) {
        for (LocalBlocks.Held lead : leads) {
            if (lead.size() != length) {
                continue;
            }
            try (RandomAccessFile file =
                    new RandomAccessFile(folder.resolve(lead.path()).toFile(), "r")) {
                byte[] bytes = readLocal(file, new ChunkRef(lead.offset(), length, id));
                if (isBlock(bytes, id, length)) {
                    return bytes;
                }
            } catch (IOException | RuntimeException gone) {
                // Moved, deleted or unreadable since it was hashed: the next lead, or the server.
            }
        }
        return null;
    }

    private static boolean isBlock(byte[] bytes, String id, int length) {
        return bytes != null
                && bytes.length == length
                && BlockId.of(bytes, 0, length).equals(id);
    }

    private void fetchWhole(String path, String fileId, String versionId, String contentHash, Path target)
            throws IOException {
        ContentHasher hasher = new ContentHasher();
        long done = 0;
        try (InputStream in = server.stream("/files/download/" + fileId + "?version=" + ServerClient.query(versionId));
                OutputStream out =
                        Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
                out.write(buffer, 0, n);
                done += n;
                progress.update(false, path, done, -1);
            }
        }
        progress.update(false, path, done, done);
        checkContentHash(hasher, contentHash, fileId);
    }

    /**
     * New files in one request ({@code POST /files/download_batch}): the answer's parts, in the order asked, are
     * each written to their file and checked against the content hash as they stream in. A part the server answers
     * with a problem fails its file alone; an answer that breaks off fails the files it did not bring, which the
     * caller fetches again one by one.
     */
    @Override
    public List<IOException> fetchAll(List<Whole> files) {
        IOException[] failures = new IOException[files.size()];
        int done = 0;
        List<Map<String, String>> entries = new ArrayList<>(files.size());
        for (Whole f : files) {
            entries.add(Map.of("file_id", f.fileId(), "version_id", f.versionId()));
        }
        try {
            HttpResponse<InputStream> answer =
                    server.postForStream("/files/download_batch", Map.of("entries", entries));
            String boundary = MultipartReader.boundary(
                    answer.headers().firstValue("Content-Type").orElse(null));
            try (MultipartReader parts = new MultipartReader(answer.body(), boundary == null ? "" : boundary)) {
                if (boundary == null) {
                    throw new IOException("the batch download is not a multipart answer");
                }
                byte[] buffer = new byte[64 * 1024];
                for (; done < files.size(); done++) {
                    Whole f = files.get(done);
                    Map<String, String> headers = parts.next();
                    if (headers == null) {
                        throw new IOException(
                                "the batch download ended after " + done + " of " + files.size() + " files");
                    }
                    if (!f.fileId().equals(headers.get("x-syncbox-file-id"))) {
                        throw new IOException("the batch download answered for another file than " + f.fileId());
                    }
                    if (String.valueOf(headers.get("content-type")).startsWith("application/problem+json")) {
                        String problem = new String(parts.readAll(), StandardCharsets.UTF_8);
                        failures[done] = ServerClient.refused(
                                ServerClient.JSON
                                        .readTree(problem)
                                        .path("status")
                                        .asInt(500),
                                problem);
                        continue;
                    }
                    failures[done] = writePart(parts, buffer, f);
                }
                if (parts.next() != null) {
                    throw new IOException("the batch download has more parts than files asked for");
                }
            }
        } catch (IOException | RuntimeException e) {
            IOException failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            for (int i = done; i < files.size(); i++) {
                if (failures[i] == null) {
                    failures[i] = failure;
                }
            }
        }
        return Arrays.asList(failures);
    }

    /** One part into its file; null when it matches the content hash, otherwise why not. */
    private IOException writePart(MultipartReader parts, byte[] buffer, Whole f) throws IOException {
        ContentHasher hasher = new ContentHasher();
        long written = 0;
        try (OutputStream out =
                Files.newOutputStream(f.target(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = parts.read(buffer, 0, buffer.length)) > 0; ) {
                hasher.update(buffer, 0, n);
                out.write(buffer, 0, n);
                written += n;
            }
        }
        progress.update(false, f.path(), written, written);
        try {
            checkContentHash(hasher, f.contentHash(), f.fileId());
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static void checkContentHash(ContentHasher hasher, String contentHash, String fileId) throws IOException {
        if (!hasher.hexDigest().equals(contentHash)) {
            throw new IOException(
                    "the download of " + fileId + " does not match its content hash; it is fetched again");
        }
    }

    /** A version's blocks in content order, where each lies ({@code GET /files/download/{id}/blocks}). */
    private List<ChunkRef> blockList(String fileId, String versionId) throws IOException {
        List<ChunkRef> blocks = new ArrayList<>();
        for (JsonNode block : server.get(
                        "/files/download/" + fileId + "/blocks?version=" + ServerClient.query(versionId))
                .path("blocks")) {
            blocks.add(new ChunkRef(
                    block.path("offset").asLong(),
                    block.path("size").asInt(),
                    block.path("block_id").asString()));
        }
        return blocks;
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

    /** The previous version's blocks, where they lie; none for a new file or when the server cannot say. */
    private List<ChunkRef> previousBlocks(String fileId, String parentVersionId) {
        if (fileId == null || parentVersionId == null) {
            return List.of();
        }
        try {
            return blockList(fileId, parentVersionId);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Sends a changed block as a delta against the previous version's block at the same offset, made from that block's
     * signature ({@code GET /blocks/{id}/signature}) since the old bytes are gone from the file: an edit in place
     * costs about its own size instead of the block's. False when there is no such block, the delta would not be
     * much smaller, or the server refuses it (the caller then sends the block whole).
     */
    private boolean sentAsDelta(ChunkRef ref, byte[] bytes, ChunkRef base) {
        if (base == null || base.blockId().equals(ref.blockId()) || base.length() < BlockSignature.WINDOW) {
            return false;
        }
        try {
            byte[] signature;
            try (InputStream in = server.stream("/blocks/" + base.blockId() + "/signature")) {
                signature = in.readAllBytes();
            }
            byte[] delta = BlockSignature.delta(signature, bytes);
            if (delta.length > bytes.length / 2) {
                return false;
            }
            server.put("/blocks/" + ref.blockId() + "/delta?base=" + base.blockId(), delta, 0, delta.length);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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

    /** The file's blocks, read once (on two threads for a large file), and the content hash the scan took of it. */
    private Cut cutBlocks(Path file, String contentHash) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ChunkedDigest.Result r = ChunkedDigest.blocks(in, chunker, Files.size(file));
            return new Cut(r.blocks(), contentHash, r.size());
        }
    }

    /**
     * Sends the blocks the server does not hold, each once, read again from the file at its offset: a block that
     * replaced one of {@code before} at its offset as a delta where that pays, any other whole.
     */
    private void sendMissing(String path, Path file, List<ChunkRef> blocks, List<ChunkRef> before) throws IOException {
        Map<String, ChunkRef> unique = new LinkedHashMap<>();
        blocks.forEach(b -> unique.putIfAbsent(b.blockId(), b));
        List<ChunkRef> missing = missing(unique);
        long total = missing.stream().mapToLong(ChunkRef::length).sum();
        long done = 0;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (ChunkRef ref : missing) {
                byte[] bytes = readLocal(in, ref);
                if (bytes == null || !BlockId.of(bytes, 0, bytes.length).equals(ref.blockId())) {
                    throw new Refused(0, "changed_while_reading", file + " changed while it was read");
                }
                if (!sentAsDelta(ref, bytes, at(before, ref.offset()))) {
                    server.put("/blocks/" + ref.blockId(), bytes, 0, bytes.length);
                }
                done += bytes.length;
                progress.update(true, path, done, total);
            }
        }
        progress.update(true, path, total, total);
    }
}
