package dev.syncbox.core.chunk;

import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Cuts content into blocks, names each by its SHA-256 and takes the Dropbox {@code content_hash} of the whole, in one
 * read. Those are two full SHA-256 passes with different boundaries, so they run on two threads: the caller's cuts and
 * names the blocks, a second takes the content hash of the same bytes, handed over a queue of at most {@value
 * #IN_FLIGHT} blocks (memory stays at a few blocks whatever the size).
 */
public final class ChunkedDigest {

    /** The blocks in order and the content hash of the whole. */
    public record Result(List<ChunkRef> blocks, String contentHash, long size) {}

    static final int IN_FLIGHT = 4;
    private static final byte[] END = new byte[0];

    private ChunkedDigest() {}

    /** Below this size one thread does both: starting a second costs more than it saves. */
    static final long TWO_THREADS_FROM = 8L * 1024 * 1024;

    /** The blocks and content hash of {@code in}, which holds about {@code sizeHint} bytes. */
    public static Result of(InputStream in, Chunker chunker, long sizeHint) throws IOException {
        if (sizeHint < TWO_THREADS_FROM) {
            ContentHasher hasher = new ContentHasher();
            List<ChunkRef> blocks = new ArrayList<>();
            long[] offset = {0};
            chunker.chunk(in, (buf, off, len) -> {
                blocks.add(new ChunkRef(offset[0], len, BlockId.of(buf, off, len)));
                hasher.update(buf, off, len);
                offset[0] += len;
            });
            return new Result(List.copyOf(blocks), hasher.hexDigest(), offset[0]);
        }
        BlockingQueue<byte[]> handed = new ArrayBlockingQueue<>(IN_FLIGHT);
        CompletableFuture<String> contentHash = CompletableFuture.supplyAsync(() -> hashAll(handed), runnable -> {
            Thread thread = new Thread(runnable, "content-hash");
            thread.setDaemon(true);
            thread.start();
        });
        List<ChunkRef> blocks = new ArrayList<>();
        long[] offset = {0};
        try {
            chunker.chunk(in, (buf, off, len) -> {
                byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                put(handed, copy);
                blocks.add(new ChunkRef(offset[0], len, BlockId.of(copy, 0, len)));
                offset[0] += len;
            });
        } finally {
            put(handed, END);
        }
        return new Result(List.copyOf(blocks), contentHash.join(), offset[0]);
    }

    private static String hashAll(BlockingQueue<byte[]> handed) {
        ContentHasher hasher = new ContentHasher();
        try {
            for (byte[] next = handed.take(); next != END; next = handed.take()) {
                hasher.update(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return hasher.hexDigest();
    }

    private static void put(BlockingQueue<byte[]> handed, byte[] block) throws IOException {
        try {
            handed.put(block);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
