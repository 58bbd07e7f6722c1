package dev.syncbox.core.delta;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The base blocks of a delta seen as one virtual concatenation, with matching helpers that work across blocks. */
final class Bases {

    private static final int BACKWARD_STEP = 256;

    private final byte[][] blocks;
    private final long[] starts;
    private final long total;

    Bases(List<byte[]> bases) {
        Objects.requireNonNull(bases, "bases");
        blocks = new byte[bases.size()][];
        starts = new long[bases.size() + 1];
        long position = 0;
        for (int k = 0; k < blocks.length; k++) {
            blocks[k] = Objects.requireNonNull(bases.get(k), "base block");
            starts[k] = position;
            position += blocks[k].length;
        }
        starts[blocks.length] = position;
        total = position;
    }

    long total() {
        return total;
    }

    int count() {
        return blocks.length;
    }

    byte[] block(int index) {
        return blocks[index];
    }

    long start(int index) {
        return starts[index];
    }

    /** The block holding virtual position {@code v}, {@code 0 <= v < total()}; empty blocks hold nothing. */
    int blockAt(long v) {
        int lo = 0;
        int hi = blocks.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= v) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** How many bytes {@code target[from, limit)} has in common with the bases from virtual position {@code v} on. */
    int matchForward(byte[] target, int from, int limit, long v) {
        int matched = 0;
        int t = from;
        if (v >= total || t >= limit) {
            return 0;
        }
        int k = blockAt(v);
        int local = (int) (v - starts[k]);
        while (t < limit && k < blocks.length) {
            byte[] block = blocks[k];
            int n = Math.min(limit - t, block.length - local);
            if (n > 0) {
                int mismatch = Arrays.mismatch(target, t, t + n, block, local, local + n);
                if (mismatch >= 0) {
                    return matched + mismatch;
                }
                matched += n;
                t += n;
            }
            k++;
            local = 0;
        }
        return matched;
    }

    /**
     * How many bytes just before {@code target[end]} (not below {@code floor}) equal the bytes just before virtual
     * position {@code v}.
     */
    int matchBackward(byte[] target, int floor, int end, long v) {
        int matched = 0;
        int t = end;
        if (v <= 0 || t <= floor) {
            return 0;
        }
        int k = blockAt(v - 1);
        int local = (int) (v - starts[k]);
        while (t > floor) {
            if (local == 0) {
                if (--k < 0) {
                    return matched;
                }
                local = blocks[k].length;
                continue;
            }
            byte[] block = blocks[k];
            int n = Math.min(Math.min(t - floor, local), BACKWARD_STEP);
            if (Arrays.equals(target, t - n, t, block, local - n, local)) {
                matched += n;
                t -= n;
                local -= n;
                continue;
            }
            while (target[t - 1] == block[local - 1]) {
                matched++;
                t--;
                local--;
            }
            return matched;
        }
        return matched;
    }
}
