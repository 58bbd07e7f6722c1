package dev.syncbox.server.content;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.metadata.FileVersionEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Reads a version's bytes back from its blocks, whole or a byte range, as a stream. Content of more
 * than one block is read ahead: the next blocks are fetched in the background while one is sent (see
 * {@link ReadAheadInputStream}), within a budget of blocks shared by the process.
 */
@Component
public class ContentReader implements DisposableBean {

    private final BlockReads reads;
    private final BlockRegistry registry;
    private final int readAhead;
    private final Semaphore budget;
    private final ExecutorService readers;

    @Autowired
    ContentReader(BlockReads reads, BlockRegistry registry, SyncboxProperties properties) {
        this(
                reads,
                registry,
                properties.download().readAhead(),
                properties.download().readAheadBudget());
    }

    /** Without read-ahead: every block is opened when the stream gets to it. */
    ContentReader(BlockStore store, BlockRegistry registry) {
        this(new BlockReads(store), registry, 0, 0);
    }

    ContentReader(BlockReads reads, BlockRegistry registry, int readAhead, int budget) {
        this.reads = reads;
        this.registry = registry;
        this.readAhead = budget > 0 ? readAhead : 0;
        this.budget = new Semaphore(Math.max(0, budget));
        this.readers = this.readAhead > 0
                ? Executors.newFixedThreadPool(budget, runnable -> {
                    Thread thread = new Thread(runnable, "block-read-ahead");
                    thread.setDaemon(true);
                    return thread;
                })
                : null;
    }

    @Override
    public void destroy() {
        if (readers != null) {
            readers.shutdownNow();
        }
    }

    /** Where each block of a version starts. One query whatever the number of blocks. */
    public List<BlockSpan> layout(FileVersionEntity version) {
        return layout(version, registry.sizes(version.blockIds()));
    }

    /** Where each block of a version starts, from block sizes already read (several versions' at once). */
    public static List<BlockSpan> layout(FileVersionEntity version, Map<String, Integer> sizes) {
        List<String> ids = version.blockIds();
        List<BlockSpan> spans = new ArrayList<>(ids.size());
        long offset = 0;
        for (String id : ids) {
            Integer size = sizes.get(id);
            if (size == null) {
                throw new SyncboxException(
                        ErrorCode.INTERNAL, "Version " + version.getId() + " names an unknown block");
            }
            spans.add(new BlockSpan(id, offset, size));
            offset += size;
        }
        return spans;
    }

    /** Lays out blocks of known sizes one after another. */
    public static List<BlockSpan> layout(List<String> blockIds, List<Integer> sizes) {
        List<BlockSpan> spans = new ArrayList<>(blockIds.size());
        long offset = 0;
        for (int i = 0; i < blockIds.size(); i++) {
            spans.add(new BlockSpan(blockIds.get(i), offset, sizes.get(i)));
            offset += sizes.get(i);
        }
        return spans;
    }

    /** Writes bytes {@code [from, toInclusive]} of the content laid out by {@code spans}. */
    public void write(List<BlockSpan> spans, long from, long toInclusive, OutputStream out) throws IOException {
        try (InputStream in = open(spans, from, toInclusive + 1)) {
            in.transferTo(out);
        }
    }

    /**
     * Bytes {@code [from, toExclusive)} as a stream that opens each block only when it gets to it, or,
     * for content of more than one block, reads the next blocks ahead (see {@link ReadAheadInputStream}).
     */
    public InputStream open(List<BlockSpan> spans, long from, long toExclusive) {
        List<BlockSpan> parts = spans.stream()
                .filter(s -> s.size() > 0 && s.offset() + s.size() > from && s.offset() < toExclusive)
                .toList();
        BlockReads.Located where =
                reads.locate(parts.stream().map(BlockSpan::blockId).toList());
        return new ReadAheadInputStream<>(
                parts,
                span -> reads.open(
                        where, span.blockId(), span.size(), firstByte(span, from), lastByte(span, toExclusive)),
                span -> (int) (lastByte(span, toExclusive) - firstByte(span, from) + 1),
                readers,
                budget,
                parts.size() > 1 ? readAhead : 0);
    }

    /** The first byte of {@code span}, counted in the block, that is at or after {@code from}. */
    private static long firstByte(BlockSpan span, long from) {
        return Math.max(from, span.offset()) - span.offset();
    }

    /** The last byte of {@code span}, counted in the block, that is before {@code toExclusive}. */
    private static long lastByte(BlockSpan span, long toExclusive) {
        return Math.min(toExclusive, span.offset() + span.size()) - 1 - span.offset();
    }

    /** A whole block's bytes. */
    public byte[] readBlock(String blockId, int size) throws IOException {
        return reads.read(blockId, size);
    }

    public record BlockSpan(String blockId, long offset, int size) {}
}
