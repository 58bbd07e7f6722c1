package dev.syncbox.core.chunk;

import java.io.IOException;

/** Receives one chunk; {@code buf} belongs to the chunker and may be overwritten once this call returns. */
@FunctionalInterface
public interface ChunkConsumer {

    void accept(byte[] buf, int off, int len) throws IOException;
}
