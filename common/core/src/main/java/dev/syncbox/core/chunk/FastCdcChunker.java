package dev.syncbox.core.chunk;

import java.util.Objects;

/**
 * FastCDC with normalized chunking, level 2 (Xia et al., "FastCDC", USENIX ATC 2016, Algorithm 1). Starting at
 * {@code minSize} (cut-point skipping), a Gear fingerprint {@code fp = (fp << 1) + GEAR[byte]} is rolled over each
 * byte {@code i}; the chunk ends before byte {@code i} when {@code fp & mask == 0}. Below {@code avgSize} the mask
 * has {@code log2(avgSize) + 2} one-bits (cuts are rarer), from there on {@code log2(avgSize) - 2} (cuts are more
 * likely), and a chunk never exceeds {@code maxSize}. Mask bits are spread over bits 16..63 by {@link #mask(int)}.
 * {@link #nextBoundary} finds exactly these cut points, but not one byte at a time: see {@link #scan}. So does a
 * {@link Cutter}, for a stream held in separate arrays.
 */
final class FastCdcChunker implements Chunker {

    private static final int MASK_SPAN = 48;
    /** Bytes per lane of the two-lane scan (a multiple of 8): short enough to waste little, long enough to amortize. */
    private static final int LANE = 4096;
    /** {@code 1 - GEAR[b]}, which steps the complement of the fingerprint; see {@link #twoLanes}. */
    private static final long[] COMPLEMENT_GEAR = complementGear();

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
     * 64 bytes before {@code from} to belong to the scan.
     *
     * <p>Each step shifts the fingerprint left by one, so it only remembers the last 64 bytes: from 64 bytes into a
     * scan it is a function of that window alone, and can be computed at two places at once. Two lanes, {@link #LANE}
     * bytes apart, give the CPU two independent dependency chains; when a group of either lane has a cut, the first
     * lane's remaining bytes are checked before the second lane's, so the cut found is the first one.
     */
    static int scan(byte[] data, int from, int to, long mask) {
        int a = from;
        for (; to - a >= 2 * LANE; a += 2 * LANE) {
            int group = twoLanes(data, a, ~window(data, a - 1), ~window(data, a + LANE - 1), mask);
            if (group >= 0) {
                int cut = serial(data, group, a + LANE, window(data, group - 1), mask);
                return cut >= 0 ? cut : serial(data, group + LANE, a + 2 * LANE, window(data, group + LANE - 1), mask);
            }
        }
        return a < to ? serial(data, a, to, window(data, a - 1), mask) : -1;
    }

    /** The stream so far, as a {@link Cutter} reads it. */
    interface Held {

        /** The byte at stream offset {@code position}. */
        int byteAt(long position);

        /**
         * The first offset in {@code [from, to)} whose fingerprint passes {@code mask}, as {@link #scan} finds it in
         * the arrays that hold that stretch, or -1.
         */
        long scan(long from, long to, long mask);
    }

    /** A cutter for one stream that arrives a stretch at a time. */
    Cutter cutter() {
        return new Cutter();
    }

    /**
     * Cuts a stream exactly as {@link #nextBoundary} cuts it, as far as the bytes seen so far decide, without going over
     * a byte twice: between calls it remembers how far the block being cut has been searched.
     */
    final class Cutter {
        private long searched;

        private Cutter() {}

        /**
         * Where the block that starts at {@code start} (where the last one cut ended) ends, or -1 when the stream up to
         * {@code known} ({@code ended} once that is all of it) does not decide it yet or nothing is left.
         */
        long next(long start, long known, boolean ended, Held held) {
            long available = known - start;
            if (available == 0 || ended && available <= spec.minSize()) {
                return available == 0 ? -1 : cutAt(known);
            }
            long limit = ended ? Math.min(available, spec.maxSize()) : spec.maxSize();
            long from = start + spec.minSize();
            long normalEnd = start + Math.min(limit, spec.avgSize());
            long end = start + limit;
            long warmEnd = Math.min(from + Long.SIZE, end);
            if (warmEnd > known) {
                return -1;
            }
            if (searched < warmEnd) {
                long fp = 0;
                for (long i = from; i < warmEnd; i++) {
                    fp = (fp << 1) + Gear.TABLE[held.byteAt(i)];
                    if ((fp & (i < normalEnd ? maskS : maskL)) == 0) {
                        return cutAt(i);
                    }
                }
                searched = warmEnd;
            }
            if (searched < normalEnd) {
                long to = Math.min(normalEnd, known);
                long cut = held.scan(searched, to, maskS);
                if (cut >= 0) {
                    return cutAt(cut);
                }
                searched = to;
                if (searched < normalEnd) {
                    return -1;
                }
            }
            long to = Math.min(end, known);
            if (searched < to) {
                long cut = held.scan(searched, to, maskL);
                if (cut >= 0) {
                    return cutAt(cut);
                }
                searched = to;
            }
            return end <= known ? cutAt(end) : -1;
        }

        private long cutAt(long cut) {
            searched = cut;
            return cut;
        }
    }

    /**
     * Steps lanes {@code [a, a + LANE)} and {@code [a + LANE, a + 2 * LANE)} eight bytes at a time, starting from the
     * complemented fingerprints {@code na} and {@code nb} of the byte before each; returns the first-lane index of the
     * first group of eight in which either lane has a cut, or -1. Complemented because {@code ~(2fp + g) = 2(~fp) + (1
     * - g)} steps just as cheaply with {@link #COMPLEMENT_GEAR}, and the cut test {@code (~nf & mask) == 0} is then a
     * single ANDN instruction. Unrolled eight times, which also keeps this method above C2's inlining size limit: inlined
     * into {@link #scan}, the loop runs short of registers and loses a third of its speed.
     */
    private static int twoLanes(byte[] data, int a, long na, long nb, long mask) {
        long[] gear = COMPLEMENT_GEAR;
        for (int i = a; i < a + LANE; i += 8) {
            long a0 = (na << 1) + gear[data[i] & 0xFF];
            long b0 = (nb << 1) + gear[data[i + LANE] & 0xFF];
            long a1 = (a0 << 1) + gear[data[i + 1] & 0xFF];
            long b1 = (b0 << 1) + gear[data[i + 1 + LANE] & 0xFF];
            long a2 = (a1 << 1) + gear[data[i + 2] & 0xFF];
            long b2 = (b1 << 1) + gear[data[i + 2 + LANE] & 0xFF];
            long a3 = (a2 << 1) + gear[data[i + 3] & 0xFF];
            long b3 = (b2 << 1) + gear[data[i + 3 + LANE] & 0xFF];
            long a4 = (a3 << 1) + gear[data[i + 4] & 0xFF];
            long b4 = (b3 << 1) + gear[data[i + 4 + LANE] & 0xFF];
            long a5 = (a4 << 1) + gear[data[i + 5] & 0xFF];
            long b5 = (b4 << 1) + gear[data[i + 5 + LANE] & 0xFF];
            long a6 = (a5 << 1) + gear[data[i + 6] & 0xFF];
            long b6 = (b5 << 1) + gear[data[i + 6 + LANE] & 0xFF];
            na = (a6 << 1) + gear[data[i + 7] & 0xFF];
            nb = (b6 << 1) + gear[data[i + 7 + LANE] & 0xFF];
            if ((~a0 & mask) == 0
                    || (~b0 & mask) == 0
                    || (~a1 & mask) == 0
                    || (~b1 & mask) == 0
                    || (~a2 & mask) == 0
                    || (~b2 & mask) == 0
                    || (~a3 & mask) == 0
                    || (~b3 & mask) == 0
                    || (~a4 & mask) == 0
                    || (~b4 & mask) == 0
                    || (~a5 & mask) == 0
                    || (~b5 & mask) == 0
                    || (~a6 & mask) == 0
                    || (~b6 & mask) == 0
                    || (~na & mask) == 0
                    || (~nb & mask) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** One byte at a time from {@code from}, continuing from the fingerprint {@code fp} of the byte before. */
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

    private static long[] complementGear() {
        long[] table = new long[Gear.TABLE.length];
        for (int i = 0; i < table.length; i++) {
            table[i] = 1 - Gear.TABLE[i];
        }
        return table;
    }
}
