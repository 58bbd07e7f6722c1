package dev.syncbox.server.content;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.config.SyncboxProperties;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Streams content into the block store: chunks it, hashes each chunk and writes only blocks the store
 * does not have. Memory stays bounded by the chunker's buffer whatever the content's size.
 */
@Component
public class ContentIngest {

    private final BlockStore store;
    private final BlockRegistry registry;
    private final Chunker chunker;

    ContentIngest(BlockStore store, BlockRegistry registry, SyncboxProperties properties) {
        this.store = store;
        this.registry = registry;
        this.chunker = Chunker.of(properties.chunking().spec());
    }

    /**
     * Stores {@code in} and returns its block list. Throws the exception from {@code overLimit} as soon
     * as more than {@code limit} bytes arrive.
     */
    public StoredContent store(InputStream in, long limit, Supplier<SyncboxException> overLimit) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Set<String> written = new HashSet<>();
        ContentHasher contentHash = new ContentHasher();
        MessageDigest sha = Sha256.newDigest();
        long[] newBytes = {0};
        chunker.chunk(in, (buf, off, len) -> {
            if (contentHash.size() + len > limit) {
                throw overLimit.get();
            }
            contentHash.update(buf, off, len);
            sha.update(buf, off, len);
            byte[] digest = sha.digest();
            String id = Hex.encode(digest);
            if (!written.contains(id) && !registry.exists(id)) {
                store.put(id, digest, buf, off, len);
                newBytes[0] += len;
            }
            written.add(id);
            ids.add(id);
            sizes.add(len);
        });
        return new StoredContent(ids, sizes, contentHash.size(), contentHash.hexDigest(), newBytes[0]);
    }
}
