package dev.syncbox.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * Pseudo-random bytes of any length, streamed without holding them in memory. Within one test run the
 * bytes depend only on the seed, not on how reads are sliced; each run salts the seeds, so content
 * is new to a database that earlier runs left behind.
 */
public final class RandomContent extends InputStream {

    private static final long RUN_SALT = System.nanoTime();

    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int wordBytesLeft;

    public RandomContent(long seed, long length) {
        this.random = new SplittableRandom(seed ^ RUN_SALT);
        this.remaining = length;
    }

    public static byte[] bytes(long seed, int length) {
        try (RandomContent in = new RandomContent(seed, length)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        remaining--;
        return nextByte();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) nextByte();
        }
        remaining -= n;
        return n;
    }

    private int nextByte() {
        if (wordBytesLeft == 0) {
            word = random.nextLong();
            wordBytesLeft = 8;
        }
        int value = (int) (word & 0xff);
        word >>>= 8;
        wordBytesLeft--;
        return value;
    }
}
