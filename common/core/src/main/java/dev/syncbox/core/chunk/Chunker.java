package dev.syncbox.core.chunk;

import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Cuts content into chunks; the same spec gives the same chunks on every client and server. Stateless and thread-safe. */
public interface Chunker {

    static Chunker of(ChunkingSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return switch (spec.kind()) {
            case FASTCDC -> new FastCdcChunker(spec);
            case FIXED -> new FixedChunker(spec);
        };
    }

    ChunkingSpec spec();

    /**
     * The length of the chunk that starts at {@code off}, given the {@code len} bytes available there. {@code len}
     * must be at least {@code maxSize} unless the input ends within it. Returns 0 only when {@code len} is 0.
     */
    int nextBoundary(byte[] data, int off, int len);

    /**
     * Reads {@code in} to its end and hands each chunk, in order, to {@code consumer}. Memory use is bounded by about
     * twice {@code maxSize}, whatever the input length. Does not close {@code in}.
     */
    default void chunk(InputStream in, ChunkConsumer consumer) throws IOException {
        ChunkStreamer.run(this, in, consumer);
    }

    /** Chunks an in-memory input and names every chunk by its block id. */
    default List<ChunkRef> split(byte[] data) {
        List<ChunkRef> refs = new ArrayList<>();
        MessageDigest digest = Sha256.newDigest();
        int off = 0;
        while (off < data.length) {
            int length = nextBoundary(data, off, data.length - off);
            digest.update(data, off, length);
            refs.add(new ChunkRef(off, length, Hex.encode(digest.digest())));
            off += length;
        }
        return refs;
    }
}
