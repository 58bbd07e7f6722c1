package dev.syncbox.server.content;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One upload's content as a two-stage pipeline over a bounded set of reusable buffers. The reading thread
 * cuts the stream (FastCDC), feeds the content hash and copies each block into a free buffer; writer threads
 * store the blocks (hash, claim, PUT, mark) and give the buffers back. With all {@code inFlight} buffers out
 * the reader waits, so S3 round trips overlap with reading while memory stays at most the chunker's buffer
 * (2 × max block) plus {@code inFlight} × max block, whatever the content's size. Block ids come back in
 * content order.
 */
final class BlockPipeline {

    /** Stores one block from {@code data[off, off + len)}; the bytes are only valid until it returns. */
    interface Sink {
        BlockWriter.Written write(byte[] data, int off, int len);
    }

    private final Chunker chunker;
    private final Executor writers;
    private final int inFlight;

    BlockPipeline(Chunker chunker, Executor writers, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1");
        }
        this.chunker = chunker;
        this.writers = writers;
        this.inFlight = inFlight;
    }

    StoredContent run(InputStream in, long limit, Supplier<SyncboxException> overLimit, Sink sink) throws IOException {
        Buffers buffers =
                new Buffers(inFlight, chunker.spec().minSize(), chunker.spec().maxSize());
        List<CompletableFuture<BlockWriter.Written>> blocks = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ContentHasher contentHash = new ContentHasher();
        try {
            chunker.chunk(in, (buf, off, len) -> {
                if (contentHash.size() + len > limit) {
                    throw overLimit.get();
                }
                contentHash.update(buf, off, len);
                byte[] block = buffers.take(len);
                System.arraycopy(buf, off, block, 0, len);
                blocks.add(CompletableFuture.supplyAsync(() -> sink.write(block, 0, len), writers)
                        .whenComplete((written, failure) -> {
                            if (failure != null) {
                                failed.compareAndSet(null, failure);
                            }
                            buffers.give(block);
                        }));
                if (failed.get() != null) {
                    // Stop reading as soon as a block could not be stored (S3 down): nothing will be committed.
                    blocks.forEach(BlockPipeline::join);
                }
            });
        } catch (RuntimeException | IOException e) {
            blocks.forEach(b -> b.cancel(false));
            throw e;
        }
        List<String> ids = new ArrayList<>(blocks.size());
        List<Integer> sizes = new ArrayList<>(blocks.size());
        long newBytes = 0;
        for (CompletableFuture<BlockWriter.Written> block : blocks) {
            BlockWriter.Written written = join(block);
            ids.add(written.blockId());
            sizes.add(written.size());
            newBytes += written.newlyStored() ? written.size() : 0;
        }
        return new StoredContent(
                ids, sizes, contentHash.size(), contentHash.hexDigest(), contentHash.blockDigests(), newBytes);
    }

    private static BlockWriter.Written join(CompletableFuture<BlockWriter.Written> block) {
        try {
            return block.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new SyncboxException(ErrorCode.INTERNAL, "A block could not be stored", e);
        }
    }

    /**
     * At most {@code slots} block buffers out at once. Full-size buffers ({@code maxSize}) are kept and reused;
     * a block under {@code minSize} (only the last one of a content, or a small file) gets a buffer of its
     * own size, so a 4 KiB upload does not allocate 4 MiB.
     */
    static final class Buffers {

        private final Semaphore slots;
        private final int minSize;
        private final int maxSize;
        private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

        Buffers(int slots, int minSize, int maxSize) {
            this.slots = new Semaphore(slots);
            this.minSize = minSize;
            this.maxSize = maxSize;
        }

        /** A buffer of at least {@code len} bytes; waits while every slot is out. */
        byte[] take(int len) {
            slots.acquireUninterruptibly();
            if (len < minSize) {
                return new byte[len];
            }
            byte[] reused = free.poll();
            return reused != null ? reused : new byte[Math.max(len, maxSize)];
        }

        void give(byte[] buffer) {
            if (buffer.length >= maxSize) {
                free.add(buffer);
            }
            slots.release();
        }
    }
}
