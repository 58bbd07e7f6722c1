package dev.syncbox.core.delta;

import java.util.Arrays;

/** Appends ops in the {@link BlockDelta} format, merging adjacent copies and splitting copies at base boundaries. */
final class DeltaWriter {

    private final Bases bases;
    private byte[] out;
    private int size;
    private int copyBase = -1;
    private long copyOffset;
    private long copyLength;

    DeltaWriter(Bases bases, int expectedSize) {
        this.bases = bases;
        this.out = new byte[Math.max(64, expectedSize)];
        append(BlockDelta.MAGIC, 0, BlockDelta.MAGIC.length);
    }

    /** Copies {@code length} bytes of the bases from virtual position {@code v}. */
    void copy(long v, long length) {
        while (length > 0) {
            int k = bases.blockAt(v);
            long local = v - bases.start(k);
            long n = Math.min(length, bases.block(k).length - local);
            copyOf(k, local, n);
            v += n;
            length -= n;
        }
    }

    /** Copies {@code length} bytes of base {@code k} from {@code offset}, merged into a copy that ends there. */
    void copyOf(int k, long offset, long length) {
        if (k == copyBase && offset == copyOffset + copyLength) {
            copyLength += length;
        } else {
            flushCopy();
            copyBase = k;
            copyOffset = offset;
            copyLength = length;
        }
    }

    void literal(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        flushCopy();
        ensure(1 + 5 + len);
        out[size++] = BlockDelta.OP_LITERAL;
        varint(len);
        append(data, off, len);
    }

    byte[] finish() {
        flushCopy();
        ensure(1);
        out[size++] = BlockDelta.OP_END;
        return Arrays.copyOf(out, size);
    }

    private void flushCopy() {
        if (copyBase < 0) {
            return;
        }
        ensure(1 + 3 * 5);
        out[size++] = BlockDelta.OP_COPY;
        varint(copyBase);
        varint(copyOffset);
        varint(copyLength);
        copyBase = -1;
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[size++] = (byte) value;
    }

    private void append(byte[] data, int off, int len) {
        ensure(len);
        System.arraycopy(data, off, out, size, len);
        size += len;
    }

    private void ensure(int extra) {
        if (out.length - size < extra) {
            out = Arrays.copyOf(out, (int)
                    Math.min(Integer.MAX_VALUE - 8, Math.max(2L * out.length, (long) size + extra)));
        }
    }

    /** Which bases a well-formed delta copies from; {@code count} is the number of bases it was encoded against. */
    static boolean[] usedBases(byte[] delta, int count) {
        boolean[] used = new boolean[count];
        Cursor in = new Cursor(delta);
        for (byte op = in.next(); op != BlockDelta.OP_END; op = in.next()) {
            if (op == BlockDelta.OP_COPY) {
                used[in.varint()] = true;
                in.varint();
                in.varint();
            } else {
                in.skip(in.varint());
            }
        }
        return used;
    }

    /** A well-formed delta with each COPY's base index {@code i} replaced by {@code newIndex[i]}. */
    static byte[] renumberBases(byte[] delta, int[] newIndex) {
        DeltaWriter writer = new DeltaWriter(null, delta.length);
        Cursor in = new Cursor(delta);
        for (byte op = in.next(); op != BlockDelta.OP_END; op = in.next()) {
            if (op == BlockDelta.OP_COPY) {
                writer.copyBase = newIndex[in.varint()];
                writer.copyOffset = in.varint();
                writer.copyLength = in.varint();
                writer.flushCopy();
            } else {
                int length = in.varint();
                writer.literal(delta, in.pos, length);
                in.skip(length);
            }
        }
        return writer.finish();
    }

    /** Reads ops of a delta this package wrote, so without checks. */
    private static final class Cursor {

        private final byte[] data;
        private int pos = BlockDelta.MAGIC.length;

        Cursor(byte[] data) {
            this.data = data;
        }

        byte next() {
            return data[pos++];
        }

        void skip(int n) {
            pos += n;
        }

        int varint() {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                int b = data[pos++] & 0xFF;
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }
    }
}
