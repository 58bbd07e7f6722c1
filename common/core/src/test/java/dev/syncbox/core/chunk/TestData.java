package dev.syncbox.core.chunk;

import java.io.InputStream;
import java.util.Random;

/** Reproducible inputs, defined simply enough to regenerate in any language. */
final class TestData {

    private TestData() {}

    /** {@code size} bytes: SplitMix64 outputs from {@code seed}, each written little-endian. */
    static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        long state = seed;
        for (int i = 0; i < size; i += 8) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            for (int b = 0; b < 8 && i + b < size; b++) {
                data[i + b] = (byte) (z >>> (8 * b));
            }
        }
        return data;
    }

    /** A stream over {@code data} that returns between 1 and {@code maxRead} bytes per read, like a socket. */
    static InputStream shortReads(byte[] data, int maxRead, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (pos == data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + random.nextInt(maxRead)), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
