package dev.syncbox.core.delta;

import static dev.syncbox.core.delta.BlockDelta.malformed;

import java.util.List;

/** Parses and checks a delta; with an output array it also rebuilds the target. One use per instance. */
final class DeltaReader {

    private static final int MAX_VARINT_BYTES = 5;

    private final byte[] delta;
    private final List<byte[]> bases;
    private final long maxOutput;
    private int pos;
    private long literals;

    /** {@code bases} may be null to check only the structure. */
    DeltaReader(byte[] delta, List<byte[]> bases, long maxOutput) {
        this.delta = delta;
        this.bases = bases;
        this.maxOutput = maxOutput;
    }

    long literalBytes() {
        run(null);
        return literals;
    }

    /** Walks every op and returns the output size; writes the output into {@code out} when it is not null. */
    long run(byte[] out) {
        if (delta.length < BlockDelta.MAGIC.length) {
            throw malformed("shorter than the magic bytes");
        }
        for (int i = 0; i < BlockDelta.MAGIC.length; i++) {
            if (delta[i] != BlockDelta.MAGIC[i]) {
                throw malformed("bad magic bytes");
            }
        }
        pos = BlockDelta.MAGIC.length;
        long size = 0;
        while (true) {
            if (pos >= delta.length) {
                throw malformed("missing END");
            }
            byte op = delta[pos++];
            switch (op) {
                case BlockDelta.OP_END -> {
                    if (pos != delta.length) {
                        throw malformed((delta.length - pos) + " bytes after END");
                    }
                    return size;
                }
                case BlockDelta.OP_COPY -> {
                    int baseIndex = varint("COPY base index");
                    int offset = varint("COPY offset");
                    int length = length("COPY", size);
                    if (bases != null) {
                        if (baseIndex >= bases.size()) {
                            throw malformed("COPY of base " + baseIndex + " but there are " + bases.size());
                        }
                        byte[] base = bases.get(baseIndex);
                        if (offset > base.length || length > base.length - offset) {
                            throw malformed("COPY of [" + offset + ", " + ((long) offset + length) + ") outside base "
                                    + baseIndex + " of " + base.length + " bytes");
                        }
                        if (out != null) {
                            System.arraycopy(base, offset, out, (int) size, length);
                        }
                    }
                    size += length;
                }
                case BlockDelta.OP_LITERAL -> {
                    int length = length("LITERAL", size);
                    if (length > delta.length - pos) {
                        throw malformed("LITERAL of " + length + " bytes but " + (delta.length - pos) + " remain");
                    }
                    if (out != null) {
                        System.arraycopy(delta, pos, out, (int) size, length);
                    }
                    pos += length;
                    literals += length;
                    size += length;
                }
                default -> throw malformed("unknown op 0x" + Integer.toHexString(op & 0xFF) + " at " + (pos - 1));
            }
        }
    }

    private int length(String op, long sizeSoFar) {
        int length = varint(op + " length");
        if (length == 0) {
            throw malformed(op + " of zero bytes");
        }
        if (length > maxOutput - sizeSoFar) {
            throw malformed("output exceeds the limit of " + maxOutput + " bytes");
        }
        return length;
    }

    private int varint(String what) {
        long value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (pos >= delta.length) {
                throw malformed("truncated varint (" + what + ")");
            }
            int b = delta[pos++] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value > Integer.MAX_VALUE) {
                    throw malformed("varint over 2^31 - 1 (" + what + ")");
                }
                return (int) value;
            }
        }
        throw malformed("varint longer than " + MAX_VARINT_BYTES + " bytes (" + what + ")");
    }
}
