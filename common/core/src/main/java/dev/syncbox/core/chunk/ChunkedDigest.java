package dev.syncbox.core.chunk;

import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Consumer;

/**
 * Cuts content into blocks, names each by its SHA-256 and takes the Dropbox {@code content_hash} of the whole, in one
 * read. That is two full SHA-256 passes with different boundaries beside the boundary scan, so from {@value
 * #TWO_THREADS_FROM} bytes two threads share it: the caller reads and scans, and every block's SHA-256 and every 4 MiB
 * window's SHA-256 is a task of its own that either thread may run (blocks and windows do not depend on each other;
 * only the final hash over the window digests is ordered). The caller hands tasks to a second thread and runs tasks
 * itself whenever more than {@value #IN_FLIGHT} wait, so the two threads end up with even shares of the work and
 * memory stays at a few blocks whatever the size.
 */
public final class ChunkedDigest {

    /** The blocks in order and the content hash of the whole (null from {@link #blocks}). */
    public record Result(List<ChunkRef> blocks, String contentHash, long size) {}

    static final int IN_FLIGHT = 4;

    /** Below this size one thread does everything: starting a second costs more than it saves. */
    static final long TWO_THREADS_FROM = 8L * 1024 * 1024;

    private static final FutureTask<?> END = new FutureTask<>(() -> null);

    private ChunkedDigest() {}

    /** The blocks and content hash of {@code in}, which holds about {@code sizeHint} bytes. */
    public static Result of(InputStream in, Chunker chunker, long sizeHint) throws IOException {
        return of(in, chunker, sizeHint, ContentHasher.BLOCK_SIZE);
    }

    /**
     * The blocks of {@code in} alone, without the content hash ({@link Result#contentHash()} is null): for a caller
     * that took the content hash when it noticed the change and needs only the blocks to upload.
     */
    public static Result blocks(InputStream in, Chunker chunker, long sizeHint) throws IOException {
        return of(in, chunker, sizeHint, 0);
    }

    /**
     * As {@link #of(InputStream, Chunker, long)}, with content-hash windows of {@code window} bytes (tests), or
     * none when {@code window} is 0.
     */
    static Result of(InputStream in, Chunker chunker, long sizeHint, int window) throws IOException {
        if (sizeHint < TWO_THREADS_FROM) {
            return oneThread(in, chunker, window);
        }
        BlockingDeque<FutureTask<?>> waiting = new LinkedBlockingDeque<>();
        Thread helper = new Thread(() -> runUntilEnd(waiting), "chunked-digest");
        helper.setDaemon(true);
        helper.start();
        List<Future<String>> blockIds = new ArrayList<>();
        List<Future<byte[]>> windowDigests = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        Windows windows = window > 0 ? new Windows(window) : null;
        try {
            long[] offset = {0};
            chunker.chunk(in, (buf, off, len) -> {
                byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                spans.add(new long[] {offset[0], len});
                blockIds.add(submit(waiting, () -> BlockId.of(copy, 0, len)));
                if (windows != null) {
                    windows.add(copy, full -> windowDigests.add(submit(waiting, () -> digest(full))));
                }
                offset[0] += len;
            });
            if (windows != null) {
                windows.finish(last -> windowDigests.add(submit(waiting, () -> digest(last))));
            }
            for (FutureTask<?> task; (task = waiting.pollFirst()) != null; ) {
                task.run();
            }
            List<ChunkRef> blocks = new ArrayList<>(spans.size());
            for (int i = 0; i < spans.size(); i++) {
                blocks.add(new ChunkRef(
                        spans.get(i)[0], (int) spans.get(i)[1], blockIds.get(i).get()));
            }
            if (windows == null) {
                return new Result(List.copyOf(blocks), null, offset[0]);
            }
            MessageDigest overall = Sha256.newDigest();
            for (Future<byte[]> digest : windowDigests) {
                overall.update(digest.get());
            }
            return new Result(List.copyOf(blocks), Hex.encode(overall.digest()), offset[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        } finally {
            waiting.clear();
            waiting.addLast(END);
        }
    }

    private static Result oneThread(InputStream in, Chunker chunker, int window) throws IOException {
        MessageDigest windowDigest = Sha256.newDigest();
        MessageDigest overall = Sha256.newDigest();
        List<ChunkRef> blocks = new ArrayList<>();
        long[] offset = {0};
        int[] inWindow = {0};
        chunker.chunk(in, (buf, off, len) -> {
            blocks.add(new ChunkRef(offset[0], len, BlockId.of(buf, off, len)));
            offset[0] += len;
            while (window > 0 && len > 0) {
                int n = Math.min(len, window - inWindow[0]);
                windowDigest.update(buf, off, n);
                inWindow[0] += n;
                off += n;
                len -= n;
                if (inWindow[0] == window) {
                    overall.update(windowDigest.digest());
                    inWindow[0] = 0;
                }
            }
        });
        if (inWindow[0] > 0) {
            overall.update(windowDigest.digest());
        }
        String contentHash = window > 0 ? Hex.encode(overall.digest()) : null;
        return new Result(List.copyOf(blocks), contentHash, offset[0]);
    }

    /** Queues a task; past {@link #IN_FLIGHT} waiting tasks the caller runs the oldest itself. */
    private static <T> Future<T> submit(BlockingDeque<FutureTask<?>> waiting, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        waiting.addLast(task);
        while (waiting.size() > IN_FLIGHT) {
            FutureTask<?> oldest = waiting.pollFirst();
            if (oldest != null) {
                oldest.run();
            }
        }
        return task;
    }

    private static void runUntilEnd(BlockingDeque<FutureTask<?>> waiting) {
        try {
            for (FutureTask<?> task = waiting.takeFirst(); task != END; task = waiting.takeFirst()) {
                task.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A content-hash window: the pieces of block copies it covers, in order. */
    private record Piece(byte[] bytes, int off, int len) {}

    private static byte[] digest(List<Piece> pieces) {
        MessageDigest sha = Sha256.newDigest();
        for (Piece piece : pieces) {
            sha.update(piece.bytes(), piece.off(), piece.len());
        }
        return sha.digest();
    }

    /** Splits the stream of block copies into content-hash windows without copying again. */
    private static final class Windows {
        private final int size;
        private List<Piece> pieces = new ArrayList<>();
        private int filled;

        Windows(int size) {
            this.size = size;
        }

        void add(byte[] block, Consumer<List<Piece>> onFull) {
            int off = 0;
            while (off < block.length) {
                int n = Math.min(block.length - off, size - filled);
                pieces.add(new Piece(block, off, n));
                filled += n;
                off += n;
                if (filled == size) {
                    onFull.accept(pieces);
                    pieces = new ArrayList<>();
                    filled = 0;
                }
            }
        }

        void finish(Consumer<List<Piece>> onLast) {
            if (filled > 0) {
                onLast.accept(pieces);
            }
        }
    }
}
