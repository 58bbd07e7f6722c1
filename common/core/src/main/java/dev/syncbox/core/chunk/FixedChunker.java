package dev.syncbox.core.chunk;

import java.util.Objects;

/** Blocks of exactly {@code maxSize} bytes; only the last block of a file is shorter. */
final class FixedChunker implements Chunker {

    private final ChunkingSpec spec;

    FixedChunker(ChunkingSpec spec) {
        this.spec = spec;
    }

    @Override
    public ChunkingSpec spec() {
        return spec;
    }

    @Override
    public int nextBoundary(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        return Math.min(len, spec.maxSize());
    }
}
