package dev.syncbox.server.content;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.metadata.FileVersionEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Writes bytes {@code [from, toInclusive]} of the content laid out by {@code spans}. */
    public void write(List<BlockSpan> spans, long from, long toInclusive, OutputStream out) throws IOException {
        for (BlockSpan span : spans) {
            long end = span.offset() + span.size() - 1;
            if (span.size() == 0 || end < from || span.offset() > toInclusive) {
                continue;
            }
            long start = Math.max(from, span.offset()) - span.offset();
            long stop = Math.min(toInclusive, end) - span.offset();
            try (InputStream in = store.open(span.blockId(), start, stop)) {
                in.transferTo(out);
            }
        }
    }

    public record BlockSpan(String blockId, long offset, int size) {}
}
