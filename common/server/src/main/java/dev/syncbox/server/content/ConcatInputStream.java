package dev.syncbox.server.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Streams one after another, each opened only when the previous one is exhausted. Unlike {@link
 * java.io.SequenceInputStream}, closing it early never opens the streams that were not reached
 * (each of which may be an S3 request).
 */
public final class ConcatInputStream extends InputStream {

    private final Iterator<Supplier<InputStream>> next;
    private InputStream current;

    public ConcatInputStream(Iterator<Supplier<InputStream>> streams) {
        this.next = streams;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (current == null) {
                if (!next.hasNext()) {
                    return -1;
                }
                current = next.next().get();
            }
            int n = current.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            current.close();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
