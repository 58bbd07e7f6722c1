package dev.syncbox.server.content;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.metadata.FileVersionEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** Reads a version's bytes back from its blocks, whole or a byte range, as a stream. */
@Component
public class ContentReader {

    private final BlockStore store;
    private final BlockRegistry registry;

    ContentReader(BlockStore store, BlockRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Where each block of a version starts. One query whatever the number of blocks. */
    public List<BlockSpan> layout(FileVersionEntity version) {
        List<String> ids = version.blockIds();
        Map<String, Integer> sizes = registry.sizes(ids);
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

    /** Bytes {@code [from, toExclusive)} as a stream that opens each block only when it gets to it. */
    public InputStream open(List<BlockSpan> spans, long from, long toExclusive) {
        Iterator<BlockSpan> overlapping = spans.stream()
                .filter(s -> s.size() > 0 && s.offset() + s.size() > from && s.offset() < toExclusive)
                .iterator();
        return new ConcatInputStream(new Iterator<Supplier<InputStream>>() {
            @Override
            public boolean hasNext() {
                return overlapping.hasNext();
            }

            @Override
            public Supplier<InputStream> next() {
                BlockSpan span = overlapping.next();
                long start = Math.max(from, span.offset()) - span.offset();
                long stop = Math.min(toExclusive, span.offset() + span.size()) - 1 - span.offset();
                return () -> store.open(span.blockId(), start, stop);
            }
        });
    }

    /** A whole block's bytes. */
    public byte[] readBlock(String blockId, int size) throws IOException {
        if (size == 0) {
            return new byte[0];
        }
        try (InputStream in = store.open(blockId, 0, size - 1)) {
            return in.readAllBytes();
        }
    }

    public record BlockSpan(String blockId, long offset, int size) {}
}
