package dev.syncbox.core.delta;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

/** Content that can be read at any position, such as the local copy of a file's previous version. */
public interface RandomAccessContent {

    long size();

    /**
     * Reads up to {@code len} bytes at {@code position} into {@code buf[off, off + len)}; returns how many were read,
     * at least 1 when {@code len > 0} and {@code position < size()}, or -1 at the end.
     */
    int read(long position, byte[] buf, int off, int len) throws IOException;

    /** Reads exactly {@code len} bytes at {@code position}, or throws {@link EOFException}. */
    default void readFully(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        while (len > 0) {
            int n = read(position, buf, off, len);
            if (n <= 0) {
                throw new EOFException("content ends before position " + (position + len));
            }
            position += n;
            off += n;
            len -= n;
        }
    }

    /** Content held in memory; {@code data} is not copied. */
    static RandomAccessContent of(byte[] data) {
        Objects.requireNonNull(data, "data");
        return new RandomAccessContent() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public int read(long position, byte[] buf, int off, int len) {
                Objects.checkFromIndexSize(off, len, buf.length);
                if (position < 0) {
                    throw new IndexOutOfBoundsException("negative position " + position);
                }
                if (position >= data.length) {
                    return len == 0 ? 0 : -1;
                }
                int n = (int) Math.min(len, data.length - position);
                System.arraycopy(data, (int) position, buf, off, n);
                return n;
            }
        };
    }
}
