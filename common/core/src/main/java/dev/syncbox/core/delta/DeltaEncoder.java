package dev.syncbox.core.delta;

import static dev.syncbox.core.delta.WindowIndex.WINDOW;

/**
 * Finds what a target shares with the bases: first the longest common prefix and suffix against their concatenation
 * (one overwrite, insert, delete or append costs nothing more), then, in between, windows of the bases found by a
 * rolling hash of the target and extended both ways. Matches shorter than {@link #MIN_MATCH} stay literal.
 */
final class DeltaEncoder {

    static final int MIN_MATCH = WINDOW;

    private final Bases bases;
    private final byte[] target;
    private final DeltaWriter writer;

    private DeltaEncoder(Bases bases, byte[] target, int expectedSize) {
        this.bases = bases;
        this.target = target;
        this.writer = new DeltaWriter(bases, expectedSize);
    }

    static byte[] encode(Bases bases, byte[] target, int off, int len) {
        DeltaEncoder encoder = new DeltaEncoder(bases, target, Math.min(len, 1024) + 64);
        encoder.run(off, off + len);
        return encoder.writer.finish();
    }

    private void run(int from, int to) {
        int prefix = bases.matchForward(target, from, to, 0);
        if (prefix < MIN_MATCH) {
            prefix = 0;
        }
        int suffix = bases.matchBackward(target, from + prefix, to, bases.total());
        if (suffix < MIN_MATCH) {
            suffix = 0;
        }
        writer.copy(0, prefix);
        scan(from + prefix, to - suffix);
        writer.copy(bases.total() - suffix, suffix);
    }

    /** Encodes {@code target[from, to)} with copies of indexed base windows and literals for the rest. */
    private void scan(int from, int to) {
        int literalStart = from;
        if (to - from >= MIN_MATCH && bases.total() >= WINDOW) {
            WindowIndex index = new WindowIndex(bases);
            int i = from;
            long h = WindowIndex.hash(target, i);
            while (true) {
                long v = index.find(h);
                if (v >= 0) {
                    int forward = bases.matchForward(target, i, to, v);
                    if (forward >= MIN_MATCH) {
                        int backward = bases.matchBackward(target, literalStart, i, v);
                        writer.literal(target, literalStart, i - backward - literalStart);
                        writer.copy(v - backward, (long) backward + forward);
                        i += forward;
                        literalStart = i;
                        if (to - i < WINDOW) {
                            break;
                        }
                        h = WindowIndex.hash(target, i);
                        continue;
                    }
                }
                if (i + WINDOW >= to) {
                    break;
                }
                h = WindowIndex.roll(h, target[i], target[i + WINDOW]);
                i++;
            }
        }
        writer.literal(target, literalStart, to - literalStart);
    }
}
