package dev.syncbox.core.chunk;

import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Cuts content into blocks, names each by its SHA-256 and takes the Dropbox {@code content_hash} of the whole, in one
 * read. That is a boundary scan and two full SHA-256 passes with different boundaries, so from {@value
 * #TWO_THREADS_FROM} bytes two threads share it. The caller reads the stream {@value #SEGMENT} bytes at a time into
 * buffers that are used again, and finds the cuts in them as it goes (skipping, as FastCDC does, what cannot hold one);
 * every block's SHA-256 and every 4 MiB window's SHA-256 is a task that reads the buffers in place. Blocks and windows
 * do not depend on each other, so either thread may run any task (only the final hash over the window digests is
 * ordered): the caller hands tasks to a second thread and runs tasks itself whenever more than {@value #IN_FLIGHT}
 * wait, so the two threads end up with even shares of the work and memory stays at a few blocks whatever the size.
 */
public final class ChunkedDigest {

    /** The blocks in order and the content hash of the whole (null from {@link #blocks}). */
    public record Result(List<ChunkRef> blocks, String contentHash, long size) {}

    static final int IN_FLIGHT = 4;

    /** Below this size one thread does everything: starting a second costs more than it saves. */
    static final long TWO_THREADS_FROM = 8L * 1024 * 1024;

    /** Bytes read at a time on the two-thread path. */
    static final int SEGMENT = 1024 * 1024;

    /** Bytes of the stream before kept in front of each segment's: a fingerprint looks 64 bytes back. */
    private static final int OVERLAP = Long.SIZE;

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
        return of(in, chunker, sizeHint, window, SEGMENT);
    }

    /** As {@link #of(InputStream, Chunker, long, int)}, reading {@code segment} bytes at a time (tests). */
    static Result of(InputStream in, Chunker chunker, long sizeHint, int window, int segment) throws IOException {
        if (sizeHint < TWO_THREADS_FROM || !(chunker instanceof FastCdcChunker || chunker instanceof FixedChunker)) {
            return oneThread(in, chunker, window);
        }
        return new TwoThreads(chunker, window, segment).run(in);
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

    /** Stream offsets {@code [base, base + length)}, at {@code [OVERLAP, OVERLAP + length)} of its buffer. */
    private record Segment(long base, Buffer buffer, int length) {
        long end() {
            return base + length;
        }
    }

    /** One two-thread run: the caller's side of it. */
    private static final class TwoThreads implements FastCdcChunker.Held {
        private final FastCdcChunker.Cutter contentDefined;
        private final int maxSize;
        private final int segment;
        private final Windows windows;
        private final BlockingDeque<FutureTask<?>> waiting = new LinkedBlockingDeque<>();
        /** Read, from the one holding {@link #start} to {@link #known}. */
        private final ArrayDeque<Segment> held = new ArrayDeque<>();

        private final List<ChunkSpan> spans = new ArrayList<>();
        private final List<Future<byte[]>> windowDigests = new ArrayList<>();
        /** Segment buffers no one reads any more, for the next segments: a run allocates only the few it needs. */
        private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();
        /** Where the block being cut starts, and how much of the stream is read. */
        private long start;

        private long known;

        TwoThreads(Chunker chunker, int window, int segment) {
            if (segment < OVERLAP) {
                throw new IllegalArgumentException("segment must be >= " + OVERLAP + ", got " + segment);
            }
            this.contentDefined = chunker instanceof FastCdcChunker fast ? fast.cutter() : null;
            this.maxSize = chunker.spec().maxSize();
            this.segment = segment;
            this.windows = window > 0 ? new Windows(window) : null;
        }

        Result run(InputStream in) throws IOException {
            Thread helper = new Thread(() -> runUntilEnd(waiting), "chunked-digest");
            helper.setDaemon(true);
            helper.start();
            try {
                byte[] tail = new byte[OVERLAP];
                for (long offset = 0; ; ) {
                    byte[] bytes = free.poll();
                    if (bytes == null) {
                        bytes = new byte[OVERLAP + segment];
                    }
                    System.arraycopy(tail, 0, bytes, 0, OVERLAP);
                    int length = in.readNBytes(bytes, OVERLAP, segment);
                    if (length > 0) {
                        read(new Segment(offset, new Buffer(bytes, free), length));
                        offset += length;
                    }
                    if (length < segment) {
                        break;
                    }
                    System.arraycopy(bytes, segment, tail, 0, OVERLAP);
                }
                cut(true);
                if (windows != null) {
                    windows.finish(last -> windowDigests.add(submit(waiting, () -> digest(last))));
                }
                for (FutureTask<?> task; (task = waiting.pollFirst()) != null; ) {
                    task.run();
                }
                List<ChunkRef> blocks = new ArrayList<>(spans.size());
                for (ChunkSpan span : spans) {
                    blocks.add(new ChunkRef(
                            span.offset(), span.length(), span.blockId().get()));
                }
                if (windows == null) {
                    return new Result(List.copyOf(blocks), null, known);
                }
                MessageDigest overall = Sha256.newDigest();
                for (Future<byte[]> digest : windowDigests) {
                    overall.update(digest.get());
                }
                return new Result(List.copyOf(blocks), Hex.encode(overall.digest()), known);
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

        private void read(Segment read) {
            held.addLast(read);
            known = read.end();
            if (windows != null) {
                windows.add(
                        read.buffer(),
                        OVERLAP,
                        OVERLAP + read.length(),
                        full -> windowDigests.add(submit(waiting, () -> digest(full))));
            }
            cut(false);
        }

        /** Cuts every block the stream read so far decides and hands out its hashing. */
        private void cut(boolean ended) {
            while (known > start) {
                long end = contentDefined != null ? contentDefined.next(start, known, ended, this) : fixedEnd(ended);
                if (end < 0) {
                    return;
                }
                List<Piece> pieces = new ArrayList<>();
                for (Segment part : held) {
                    long from = Math.max(start, part.base());
                    long to = Math.min(end, part.end());
                    if (from < to) {
                        pieces.add(new Piece(
                                part.buffer().retain(), OVERLAP + (int) (from - part.base()), (int) (to - from)));
                    }
                }
                spans.add(new ChunkSpan(start, (int) (end - start), submit(waiting, () -> Hex.encode(digest(pieces)))));
                start = end;
                while (!held.isEmpty() && held.peekFirst().end() <= start) {
                    held.pollFirst().buffer().release();
                }
            }
        }

        /** Where the fixed-size block being cut ends, or -1 until it is all read. */
        private long fixedEnd(boolean ended) {
            if (known - start >= maxSize) {
                return start + maxSize;
            }
            return ended ? known : -1;
        }

        @Override
        public int byteAt(long position) {
            for (Segment part : held) {
                if (position < part.end()) {
                    return part.buffer().bytes()[OVERLAP + (int) (position - part.base())] & 0xFF;
                }
            }
            throw new IllegalStateException("offset " + position + " is past the stream read");
        }

        @Override
        public long scan(long from, long to, long mask) {
            for (Segment part : held) {
                if (from >= to) {
                    break;
                }
                if (from < part.end()) {
                    int off = OVERLAP + (int) (from - part.base());
                    int cut = FastCdcChunker.scan(
                            part.buffer().bytes(), off, off + (int) (Math.min(to, part.end()) - from), mask);
                    if (cut >= 0) {
                        return part.base() + cut - OVERLAP;
                    }
                    from = part.end();
                }
            }
            return -1;
        }
    }

    /** A block cut on the two-thread path, its id still being taken. */
    private record ChunkSpan(long offset, int length, Future<String> blockId) {}

    /** A segment's bytes, back to its run's free list once the reader and every task reading them are done. */
    private static final class Buffer {
        private final byte[] bytes;
        private final Queue<byte[]> free;
        private final AtomicInteger users = new AtomicInteger(1);

        Buffer(byte[] bytes, Queue<byte[]> free) {
            this.bytes = bytes;
            this.free = free;
        }

        byte[] bytes() {
            return bytes;
        }

        Buffer retain() {
            users.incrementAndGet();
            return this;
        }

        void release() {
            if (users.decrementAndGet() == 0) {
                free.offer(bytes);
            }
        }
    }

    /** A stretch of a segment (held for it): what a block or a content-hash window covers of it, in order. */
    private record Piece(Buffer buffer, int off, int len) {}

    private static byte[] digest(List<Piece> pieces) {
        MessageDigest sha = Sha256.newDigest();
        for (Piece piece : pieces) {
            sha.update(piece.buffer().bytes(), piece.off(), piece.len());
            piece.buffer().release();
        }
        return sha.digest();
    }

    /** Splits the stream of segments into content-hash windows without copying. */
    private static final class Windows {
        private final int size;
        private List<Piece> pieces = new ArrayList<>();
        private int filled;

        Windows(int size) {
            this.size = size;
        }

        void add(Buffer buffer, int off, int end, Consumer<List<Piece>> onFull) {
            while (off < end) {
                int n = Math.min(end - off, size - filled);
                pieces.add(new Piece(buffer.retain(), off, n));
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
