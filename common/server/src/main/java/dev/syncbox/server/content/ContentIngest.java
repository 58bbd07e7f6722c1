package dev.syncbox.server.content;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Streams content into the block store: chunks it, hashes it, and writes the blocks the store does not
 * have, up to {@code syncbox.upload.blocks-in-flight} at a time per upload on a shared pool of
 * {@code syncbox.upload.block-writers} threads (see {@link BlockPipeline}). Memory per upload stays bounded
 * — the chunker's buffer plus one max-size buffer per block in flight — whatever the content's size.
 */
@Component
public class ContentIngest implements DisposableBean {

    private final BlockWriter writer;
    private final Chunker chunker;
    private final ExecutorService writers;
    private final BlockPipeline pipeline;

    ContentIngest(BlockWriter writer, SyncboxProperties properties) {
        this.writer = writer;
        this.chunker = Chunker.of(properties.chunking().spec());
        this.writers = Executors.newFixedThreadPool(properties.upload().blockWriters(), runnable -> {
            Thread thread = new Thread(runnable, "block-writer");
            thread.setDaemon(true);
            return thread;
        });
        this.pipeline = new BlockPipeline(chunker, writers, properties.upload().blocksInFlight());
    }

    public Chunker chunker() {
        return chunker;
    }

    /**
     * Stores {@code in} and returns its block list once every block is stored. Throws the exception
     * from {@code overLimit} as soon as more than {@code limit} bytes arrive.
     */
    public StoredContent store(InputStream in, long limit, Supplier<SyncboxException> overLimit) throws IOException {
        return pipeline.run(in, limit, overLimit, writer::write);
    }

    @Override
    public void destroy() {
        writers.shutdownNow();
    }
}
