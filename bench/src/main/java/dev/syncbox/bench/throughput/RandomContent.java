package dev.syncbox.bench.throughput;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * {@code size} pseudo-random bytes from a seed, made as they are read: the same seed gives the same bytes to
 * syncbox and to raw S3, and 1 GiB costs a buffer, not a GiB of memory. Random, so nothing compresses or dedups.
 */
final class RandomContent extends InputStream {

    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int wordBytes;

    RandomContent(long seed, long size) {
        this.random = new SplittableRandom(seed);
        this.remaining = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = off; i < off + n; i++) {
            if (wordBytes == 0) {
                word = random.nextLong();
                wordBytes = 8;
            }
            b[i] = (byte) word;
            word >>>= 8;
            wordBytes--;
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
}
