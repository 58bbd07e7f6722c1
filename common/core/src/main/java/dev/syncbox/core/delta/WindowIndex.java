package dev.syncbox.core.delta;

/**
 * Where each {@link #WINDOW}-byte window of the bases starts, for windows at block offsets that are multiples of
 * {@link #WINDOW}, keyed by a polynomial rolling hash so the encoder can probe every target position cheaply. Keeps the
 * first window of each hash. A blocked Bloom filter in front of the table answers most misses from cache.
 */
final class WindowIndex {

    static final int WINDOW = 32;

    private static final long PRIME = 0x5851F42D4C957F2DL;
    /** {@code POWERS[k] = PRIME^k}; byte {@code k} of a window has weight {@code PRIME^(WINDOW - 1 - k)}. */
    private static final long[] POWERS = powers(PRIME, WINDOW + 1);
    /** {@code PRIME^WINDOW}: the weight of the byte that leaves the window. */
    private static final long OUTGOING = POWERS[WINDOW];

    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final int MIN_TABLE_BITS = 4;
    /** log2 of the filter bits per table slot: 8 bits per slot, at least 16 per window; each window sets 3 of them. */
    private static final int FILTER_BITS_PER_SLOT = 3;
    /** At most 1 MiB of filter, so that it stays in a core's L2 cache. */
    private static final int MAX_FILTER_BITS = 23;

    private static final long MAX_WINDOWS = 1L << 28;

    /**
     * Open addressing with linear probing. Slot {@code s} holds the high half of the hash at {@code 2s} and the window
     * number + 1 at {@code 2s+1} (0 when empty); windows start at multiples of {@link #WINDOW} within a block.
     */
    private final int[] table;

    private final int tableShift;
    /** Where window number {@code w} starts in the concatenated bases. */
    private final long[] windowStarts;

    private final long[] filter;
    private final int filterWordShift;

    WindowIndex(Bases bases) {
        long windows = 0;
        for (int k = 0; k < bases.count(); k++) {
            windows += bases.block(k).length / WINDOW;
        }
        if (windows > MAX_WINDOWS) {
            throw new IllegalArgumentException("bases of " + bases.total() + " bytes are too large to index");
        }
        int tableBits = Math.max(MIN_TABLE_BITS, 64 - Long.numberOfLeadingZeros(Math.max(1, 2 * windows - 1)));
        int filterBits = Math.min(MAX_FILTER_BITS, tableBits + FILTER_BITS_PER_SLOT);
        table = new int[2 << tableBits];
        windowStarts = new long[(int) windows];
        tableShift = 64 - tableBits;
        filter = new long[Math.max(1, (1 << filterBits) >>> 6)];
        filterWordShift = 64 - Integer.numberOfTrailingZeros(filter.length);
        int window = 0;
        for (int k = 0; k < bases.count(); k++) {
            byte[] block = bases.block(k);
            long start = bases.start(k);
            for (int off = 0; off + WINDOW <= block.length; off += WINDOW) {
                windowStarts[window] = start + off;
                add(hash(block, off), ++window);
            }
        }
    }

    /** The hash of {@code data[off, off + WINDOW)}. */
    static long hash(byte[] data, int off) {
        // Independent products rather than Horner's rule, which would chain 32 multiplications.
        long h = 0;
        for (int k = 0; k < WINDOW; k++) {
            h += (data[off + k] & 0xFF) * POWERS[WINDOW - 1 - k];
        }
        return h;
    }

    /** The hash of the window one byte further on, given the byte that leaves it and the byte that enters it. */
    static long roll(long h, byte out, byte in) {
        return h * PRIME + (in & 0xFF) - (out & 0xFF) * OUTGOING;
    }

    /** The virtual position of a base window with hash {@code h}, or -1. The caller verifies the bytes. */
    long find(long h) {
        long mixed = h * MIX;
        long bits = filterBits(mixed);
        if ((filter[filterWord(mixed)] & bits) != bits) {
            return -1;
        }
        int key = (int) (h >>> 32);
        int mask = table.length - 1;
        for (int i = (int) (mixed >>> tableShift) << 1; ; i = (i + 2) & mask) {
            int window = table[i + 1];
            if (window == 0) {
                return -1;
            }
            if (table[i] == key) {
                return windowStarts[window - 1];
            }
        }
    }

    private void add(long h, int windowPlusOne) {
        long mixed = h * MIX;
        filter[filterWord(mixed)] |= filterBits(mixed);
        int key = (int) (h >>> 32);
        int mask = table.length - 1;
        for (int i = (int) (mixed >>> tableShift) << 1; ; i = (i + 2) & mask) {
            if (table[i + 1] == 0) {
                table[i] = key;
                table[i + 1] = windowPlusOne;
                return;
            }
            if (table[i] == key) {
                return;
            }
        }
    }

    private int filterWord(long mixed) {
        return filterWordShift == 64 ? 0 : (int) (mixed >>> filterWordShift);
    }

    /** Three bits taken from the middle of the mixed hash, away from the top bits that pick the word and the slot. */
    private static long filterBits(long mixed) {
        return (1L << (mixed >>> 20)) | (1L << (mixed >>> 26)) | (1L << (mixed >>> 32));
    }

    private static long[] powers(long base, int count) {
        long[] powers = new long[count];
        powers[0] = 1;
        for (int i = 1; i < count; i++) {
            powers[i] = powers[i - 1] * base;
        }
        return powers;
    }
}
