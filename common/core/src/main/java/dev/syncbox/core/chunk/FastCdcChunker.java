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
        int normalEnd = off + Math.min(limit, spec.avgSize());
        int end = off + limit;
        long[] gear = Gear.TABLE;
        long small = maskS;
        long large = maskL;
        long fp = 0;
        int i = off + spec.minSize();
        for (; i < normalEnd; i++) {
            fp = (fp << 1) + gear[data[i] & 0xFF];
            if ((fp & small) == 0) {
                return i - off;
            }
        }
        for (; i < end; i++) {
            fp = (fp << 1) + gear[data[i] & 0xFF];
            if ((fp & large) == 0) {
                return i - off;
            }
        }
        return limit;
    }
}
