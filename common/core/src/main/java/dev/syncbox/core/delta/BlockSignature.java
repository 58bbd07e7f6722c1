package dev.syncbox.core.delta;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An rsync signature of a block, and the {@link BlockDelta} of new bytes made from it alone: what a client sends when it
 * no longer has the old bytes of a block it changed (an edit in place). The signature holds, for every whole window of
 * {@link #WINDOW} bytes of the base, rsync's rolling checksum and the first 8 bytes of the window's SHA-256; the delta
 * copies every window of the base found anywhere in the new bytes and carries the rest as literals. A 1 MiB block
 * signs in about 6 KB. A strong-hash collision can only produce a delta that does not rebuild the block, which the
 * receiver refuses by the block's SHA-256.
 *
 * <p>Format {@code SBS1}: the magic, the window size and the base length (4 bytes each, big-endian), then per window
 * its rolling checksum (4 bytes) and strong hash (8 bytes).
 */
public final class BlockSignature {

    /** Bytes per signed window. */
    public static final int WINDOW = 2048;

    static final byte[] MAGIC = {'S', 'B', 'S', '1'};
    private static final int HEADER = MAGIC.length + 8;
    private static final int ENTRY = 12;

    private BlockSignature() {}

    /** The signature of {@code base}. */
    public static byte[] of(byte[] base) {
        Objects.requireNonNull(base, "base");
        int windows = base.length / WINDOW;
        ByteBuffer out = ByteBuffer.allocate(HEADER + windows * ENTRY);
        out.put(MAGIC).putInt(WINDOW).putInt(base.length);
        MessageDigest sha = Sha256.newDigest();
        for (int w = 0; w < windows; w++) {
            out.putInt(weak(base, w * WINDOW, WINDOW));
            sha.update(base, w * WINDOW, WINDOW);
            out.put(sha.digest(), 0, 8);
        }
        return out.array();
    }

    /**
     * A delta, in the {@link BlockDelta} format against the one base the signature describes, that rebuilds
     * {@code target}. A malformed signature is {@link ErrorCode#INVALID_REQUEST}.
     */
    public static byte[] delta(byte[] signature, byte[] target) {
        Objects.requireNonNull(target, "target");
        Parsed sig = parse(signature);
        DeltaWriter out = new DeltaWriter(null, Math.min(target.length, 1 << 16) + 64);
        int n = target.length;
        int w = sig.window;
        int pos = 0;
        int literalFrom = 0;
        int weak = n >= w ? weak(target, 0, w) : 0;
        MessageDigest sha = Sha256.newDigest();
        while (w > 0 && pos + w <= n) {
            List<Integer> candidates = sig.byWeak.get(weak);
            int matched = candidates == null ? -1 : match(sig, candidates, target, pos, sha);
            if (matched >= 0) {
                out.literal(target, literalFrom, pos - literalFrom);
                out.copyOf(0, (long) matched * w, w);
                pos += w;
                literalFrom = pos;
                if (pos + w <= n) {
                    weak = weak(target, pos, w);
                }
                continue;
            }
            if (pos + w < n) {
                weak = roll(weak, target[pos], target[pos + w], w);
            }
            pos++;
        }
        out.literal(target, literalFrom, n - literalFrom);
        return out.finish();
    }

    private static int match(Parsed sig, List<Integer> candidates, byte[] target, int pos, MessageDigest sha) {
        sha.update(target, pos, sig.window);
        byte[] strong = sha.digest();
        for (int window : candidates) {
            if (ByteBuffer.wrap(strong, 0, 8).getLong() == sig.strong[window]) {
                return window;
            }
        }
        return -1;
    }

    /** rsync's checksum of {@code len} bytes: a = sum of the bytes, b = sum of a over the prefixes, each mod 2^16. */
    static int weak(byte[] data, int off, int len) {
        int a = 0;
        int b = 0;
        for (int i = 0; i < len; i++) {
            a += data[off + i] & 0xFF;
            b += (len - i) * (data[off + i] & 0xFF);
        }
        return (a & 0xFFFF) | (b << 16);
    }

    /** The checksum of the window one byte on: {@code out} leaves it, {@code in} enters. */
    static int roll(int weak, byte out, byte in, int len) {
        int a = weak & 0xFFFF;
        int b = weak >>> 16;
        a = (a - (out & 0xFF) + (in & 0xFF)) & 0xFFFF;
        b = (b - len * (out & 0xFF) + a) & 0xFFFF;
        return a | (b << 16);
    }

    private record Parsed(int window, int baseLength, long[] strong, Map<Integer, List<Integer>> byWeak) {}

    private static Parsed parse(byte[] signature) {
        Objects.requireNonNull(signature, "signature");
        if (signature.length < HEADER || !java.util.Arrays.equals(signature, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Not a block signature (SBS1)");
        }
        ByteBuffer in = ByteBuffer.wrap(signature, MAGIC.length, signature.length - MAGIC.length);
        int window = in.getInt();
        int baseLength = in.getInt();
        if (window <= 0 || baseLength < 0 || signature.length != HEADER + (long) (baseLength / window) * ENTRY) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A block signature of the wrong length");
        }
        int windows = baseLength / window;
        long[] strong = new long[windows];
        Map<Integer, List<Integer>> byWeak = new HashMap<>();
        for (int w = 0; w < windows; w++) {
            byWeak.computeIfAbsent(in.getInt(), k -> new ArrayList<>(1)).add(w);
            strong[w] = in.getLong();
        }
        return new Parsed(window, baseLength, strong, byWeak);
    }
}
