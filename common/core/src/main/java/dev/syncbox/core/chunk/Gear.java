package dev.syncbox.core.chunk;

/**
 * The FastCDC Gear table. Clients and servers must cut at the same places, so this table is part of the wire
 * contract and must never change: entry {@code i} is the {@code (i+1)}-th output of SplitMix64 started from
 * {@link #SEED}, the ASCII bytes of "syncbox1".
 */
final class Gear {

    static final long SEED = 0x73796E63626F7831L;

    static final long[] TABLE = build();

    private Gear() {}

    private static long[] build() {
        long[] table = new long[256];
        long state = SEED;
        for (int i = 0; i < table.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }
}
