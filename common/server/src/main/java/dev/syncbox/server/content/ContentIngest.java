package dev.syncbox.server.content;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.config.SyncboxProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Streams content into the block store: chunks it, hashes it, and writes the blocks the store does
 * not have, up to {@value #IN_FLIGHT} at a time per upload so that S3 round trips overlap with
 * reading the next chunk. Memory stays bounded — the chunker's buffer plus at most {@value
 * #IN_FLIGHT} block copies — whatever the content's size.
 */
@Component
public class ContentIngest implements DisposableBean {

    static final int IN_FLIGHT = 4;

    private final BlockWriter writer;
    private final Chunker chunker;
    private final ExecutorService writers = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "block-writer");
        thread.setDaemon(true);
        return thread;
    });

    ContentIngest(BlockWriter writer, SyncboxProperties properties) {
        this.writer = writer;
        this.chunker = Chunker.of(properties.chunking().spec());
    }

    public Chunker chunker() {
        return chunker;
    }

    /**
     * Stores {@code in} and returns its block list once every block is stored. Throws the exception
     * from {@code overLimit} as soon as more than {@code limit} bytes arrive.
     */
    public StoredContent store(InputStream in, long limit, Supplier<SyncboxException> overLimit) throws IOException {
        List<CompletableFuture<BlockWriter.Written>> blocks = new ArrayList<>();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ContentHasher contentHash = new ContentHasher();
        try {
            chunker.chunk(in, (buf, off, len) -> {
                if (contentHash.size() + len > limit) {
                    throw overLimit.get();
                }
                contentHash.update(buf, off, len);
                byte[] block = Arrays.copyOfRange(buf, off, off + len);
                slots.acquireUninterruptibly();
                blocks.add(CompletableFuture.supplyAsync(() -> writer.write(block, 0, block.length), writers)
                        .whenComplete((written, failure) -> {
                            if (failure != null) {
                                failed.compareAndSet(null, failure);
                            }
                            slots.release();
                        }));
                if (failed.get() != null) {
                    // Stop reading as soon as a block could not be stored (S3 down): nothing will be committed.
                    blocks.forEach(ContentIngest::join);
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

    @Override
    public void destroy() {
        writers.shutdownNow();
    }
}
