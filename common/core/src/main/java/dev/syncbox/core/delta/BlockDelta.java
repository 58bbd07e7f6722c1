package dev.syncbox.core.delta;

import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.util.List;
import java.util.Objects;

/**
 * A changed block as a delta against blocks the server already has (the bases), so that the bytes sent track the size
 * of the edit rather than the size of the block.
 *
 * <h2>Wire format, version 1 (stable)</h2>
 *
 * <pre>
 * delta   = magic op* end
 * magic   = "SBD1"                                   (0x53 0x42 0x44 0x31)
 * op      = 0x01 varint(baseIndex) varint(offset) varint(length)   COPY: bases[baseIndex][offset, offset + length)
 *         | 0x02 varint(length) byte{length}                       LITERAL: the bytes themselves
 * end     = 0x00                                     nothing may follow
 * varint  = unsigned LEB128: 7 bits per byte, least significant group first, high bit set on all but the last byte;
 *           at most 5 bytes, value at most 2^31 - 1
 * </pre>
 *
 * The target is the concatenation of the ops' bytes in order. Every length is at least 1, and a COPY lies within one
 * base. {@link #apply} rejects anything else with {@link ErrorCode#INVALID_REQUEST}, and checks every declared length
 * against its output limit before allocating, so a hostile delta can neither exhaust memory nor loop.
 */
public final class BlockDelta {

    /** The default output limit of {@link #apply(List, byte[])}: the largest block any chunking spec allows. */
    public static final int DEFAULT_MAX_OUTPUT = ChunkingSpec.MAX_SIZE_CEILING;

    static final byte[] MAGIC = {'S', 'B', 'D', '1'};
    static final byte OP_END = 0x00;
    static final byte OP_COPY = 0x01;
    static final byte OP_LITERAL = 0x02;

    private BlockDelta() {}

    /** A compact delta that rebuilds {@code target} from {@code bases}, which may be empty. */
    public static byte[] encode(List<byte[]> bases, byte[] target) {
        return encode(bases, target, 0, target.length);
    }

    /** A compact delta that rebuilds {@code target[off, off + len)} from {@code bases}. */
    public static byte[] encode(List<byte[]> bases, byte[] target, int off, int len) {
        Objects.checkFromIndexSize(off, len, target.length);
        return DeltaEncoder.encode(new Bases(bases), target, off, len);
    }

    /** Rebuilds the target from the same bases, in the same order, as {@link #encode}; at most 64 MiB. */
    public static byte[] apply(List<byte[]> bases, byte[] delta) {
        return apply(bases, delta, DEFAULT_MAX_OUTPUT);
    }

    /**
     * Rebuilds the target, refusing with {@link ErrorCode#INVALID_REQUEST} a malformed delta or one whose output would
     * exceed {@code maxOutput} bytes.
     */
    public static byte[] apply(List<byte[]> bases, byte[] delta, int maxOutput) {
        Objects.requireNonNull(bases, "bases");
        Objects.requireNonNull(delta, "delta");
        if (maxOutput < 0) {
            throw new IllegalArgumentException("maxOutput must be >= 0, got " + maxOutput);
        }
        for (byte[] base : bases) {
            Objects.requireNonNull(base, "base block");
        }
        // The first pass validates everything, so nothing is allocated for a delta that would be refused.
        int size = (int) new DeltaReader(delta, bases, maxOutput).run(null);
        byte[] out = new byte[size];
        new DeltaReader(delta, bases, maxOutput).run(out);
        return out;
    }

    /** How many literal bytes {@code delta} carries (what the edit cost on the wire, less framing). */
    public static long literalBytes(byte[] delta) {
        Objects.requireNonNull(delta, "delta");
        return new DeltaReader(delta, null, Long.MAX_VALUE).literalBytes();
    }

    static SyncboxException malformed(String detail) {
        return new SyncboxException(ErrorCode.INVALID_REQUEST, "malformed block delta: " + detail);
    }
}
