package dev.syncbox.server.content;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.config.SyncboxProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Streams content into the block store: chunks it, hashes each chunk and writes only blocks the store
 * does not have. Memory stays bounded by the chunker's buffer whatever the content's size.
 */
@Component
public class ContentIngest {

    private final BlockWriter writer;
    private final Chunker chunker;

    ContentIngest(BlockWriter writer, SyncboxProperties properties) {
        this.writer = writer;
        this.chunker = Chunker.of(properties.chunking().spec());
    }

    public Chunker chunker() {
        return chunker;
    }

    /**
     * Stores {@code in} and returns its block list. Throws the exception from {@code overLimit} as soon
     * as more than {@code limit} bytes arrive.
     */
    public StoredContent store(InputStream in, long limit, Supplier<SyncboxException> overLimit) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        ContentHasher contentHash = new ContentHasher();
        long[] newBytes = {0};
        chunker.chunk(in, (buf, off, len) -> {
            if (contentHash.size() + len > limit) {
                throw overLimit.get();
            }
            contentHash.update(buf, off, len);
            BlockWriter.Written written = writer.write(buf, off, len);
            if (written.newlyStored()) {
                newBytes[0] += len;
            }
            ids.add(written.blockId());
            sizes.add(len);
        });
        return new StoredContent(
                ids, sizes, contentHash.size(), contentHash.hexDigest(), contentHash.blockDigests(), newBytes[0]);
    }
}
