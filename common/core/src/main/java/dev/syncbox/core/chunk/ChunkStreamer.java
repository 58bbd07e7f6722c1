package dev.syncbox.core.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Feeds a stream through a chunker with a buffer that grows on demand to at most twice the largest chunk. */
final class ChunkStreamer {

    private static final int INITIAL_BUFFER = 64 * 1024;

    private ChunkStreamer() {}

    static void run(Chunker chunker, InputStream in, ChunkConsumer consumer) throws IOException {
        int max = chunker.spec().maxSize();
        int capacity = 2 * max;
        byte[] buf = new byte[Math.min(INITIAL_BUFFER, capacity)];
        int start = 0;
        int end = 0;
        boolean eof = false;
        while (true) {
            // nextBoundary needs maxSize bytes in view, or everything that is left.
            while (!eof && end - start < max) {
                if (end == buf.length) {
                    if (start > 0) {
                        System.arraycopy(buf, start, buf, 0, end - start);
                        end -= start;
                        start = 0;
                    } else {
                        buf = Arrays.copyOf(buf, Math.min(2 * buf.length, capacity));
                    }
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            }
            if (start == end) {
                return;
            }
            int length = chunker.nextBoundary(buf, start, end - start);
            consumer.accept(buf, start, length);
            start += length;
        }
    }
}
