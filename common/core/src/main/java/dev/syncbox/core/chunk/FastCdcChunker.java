package dev.syncbox.core.chunk;

import java.util.Objects;

/**
 * FastCDC with normalized chunking, level 2 (Xia et al., "FastCDC", USENIX ATC 2016, Algorithm 1). Starting at
 * {@code minSize} (cut-point skipping), a Gear fingerprint {@code fp = (fp << 1) + GEAR[byte]} is rolled over each
 * byte {@code i}; the chunk ends before byte {@code i} when {@code fp & mask == 0}. Below {@code avgSize} the mask
 * has {@code log2(avgSize) + 2} one-bits (cuts are rarer), from there on {@code log2(avgSize) - 2} (cuts are more
 * likely), and a chunk never exceeds {@code maxSize}. Mask bits are spread over bits 16..63 by {@link #mask(int)}.
 */
final class FastCdcChunker implements Chunker {

    private static final int MASK_SPAN = 48;
    /** Bytes per lane of the two-lane scan: small enough that a hit costs little rework, large enough to amortize. */
    private static final int LANE = 4096;

    private final ChunkingSpec spec;
    private final long maskS;
    private final long maskL;

    FastCdcChunker(ChunkingSpec spec) {
        this.spec = spec;
        int bits = Integer.numberOfTrailingZeros(spec.avgSize());
        this.maskS = mask(bits + 2);
        this.maskL = mask(bits - 2);
    }

    /**
     * A mask with {@code ones} one-bits spread evenly over the top 48 bits: bit {@code 63 - floor(k * 48 / ones)} for
     * k = 0..ones-1. High bits of a Gear fingerprint depend on more of the preceding bytes (up to 64) than low bits.
     */
    static long mask(int ones) {
        if (ones < 1 || ones > MASK_SPAN) {
            throw new IllegalArgumentException("mask needs 1.." + MASK_SPAN + " one-bits, got " + ones);
        }
        long mask = 0;
        for (int k = 0; k < ones; k++) {
            mask |= 1L << (63 - (k * MASK_SPAN) / ones);
        }
        return mask;
    }

    @Override
    public ChunkingSpec spec() {
        return spec;
    }

    @Override
    public int nextBoundary(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (len <= spec.minSize()) {
            return len;
        }
        int limit = Math.min(len, spec.maxSize());
        int start = off + spec.minSize();
        int normalEnd = off + Math.min(limit, spec.avgSize());
        int end = off + limit;
        // The first 64 fingerprints of a scan still include its zero start; compute them one by one.
        int warmEnd = Math.min(start + Long.SIZE, end);
        long[] gear = Gear.TABLE;
        long fp = 0;
        for (int i = start; i < warmEnd; i++) {
            fp = (fp << 1) + gear[data[i] & 0xFF];
            if ((fp & (i < normalEnd ? maskS : maskL)) == 0) {
                return i - off;
            }
        }
        int largeFrom = Math.max(warmEnd, normalEnd);
        int cut = scan(data, warmEnd, largeFrom, maskS);
        if (cut < 0) {
            cut = scan(data, largeFrom, end, maskL);
        }
        return cut < 0 ? limit : cut - off;
    }

    /**
     * The first {@code i} in {@code [from, to)} whose fingerprint has no bit of {@code mask} set, or -1. Requires the
     * 64 bytes before {@code from} to belong to the scan. Each step shifts the fingerprint left by one, so it only
     * remembers the last 64 bytes: it is a function of that window alone, and can be computed at two places at once.
     * Two interleaved lanes, {@link #LANE} bytes apart, let the CPU overlap two dependency chains; a hit in the second
     * lane only counts once the first lane has caught up with it.
     */
    private static int scan(byte[] data, int from, int to, long mask) {
        if (from >= to) {
            return -1;
        }
        long[] gear = Gear.TABLE;
        long fa = window(data, from - 1);
        int a = from;
        for (; to - a >= 2 * LANE; a += 2 * LANE) {
            int b = a + LANE;
            long fb = window(data, b - 1);
            for (int i = a; i < b; i++) {
                fa = (fa << 1) + gear[data[i] & 0xFF];
                fb = (fb << 1) + gear[data[i + LANE] & 0xFF];
                if ((fa & mask) == 0) {
                    return i;
                }
                if ((fb & mask) == 0) {
                    int earlier = serial(data, i + 1, i + LANE, fa, mask);
                    return earlier >= 0 ? earlier : i + LANE;
                }
            }
            fa = fb;
        }
        return serial(data, a, to, fa, mask);
    }

    /** Like {@link #scan}, one byte at a time, continuing from the fingerprint {@code fp} of the byte before. */
    private static int serial(byte[] data, int from, int to, long fp, long mask) {
        long[] gear = Gear.TABLE;
        for (int i = from; i < to; i++) {
            fp = (fp << 1) + gear[data[i] & 0xFF];
            if ((fp & mask) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The fingerprint at {@code position} of any scan that started at least 64 bytes earlier. */
    private static long window(byte[] data, int position) {
        long[] gear = Gear.TABLE;
        long fp = 0;
        for (int i = position - (Long.SIZE - 1); i <= position; i++) {
            fp = (fp << 1) + gear[data[i] & 0xFF];
        }
        return fp;
    }
}
