package dev.syncbox.core.chunk;

import java.util.Locale;

/**
 * How content is cut into blocks. For {@link Kind#FASTCDC} the sizes bound a content-defined chunk (the last chunk
 * of a file may be shorter than {@code minSize}); for {@link Kind#FIXED} every block is {@code maxSize} bytes except
 * the last. Invalid values throw {@link IllegalArgumentException}.
 */
public record ChunkingSpec(Kind kind, int minSize, int avgSize, int maxSize) {

    public static final int MIN_SIZE_FLOOR = 64;
    public static final int MAX_SIZE_CEILING = 64 * 1024 * 1024;

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    public enum Kind {
        FASTCDC,
        FIXED
    }

    public ChunkingSpec {
        if (kind == null) {
            throw new IllegalArgumentException("chunking kind is required");
        }
        if (minSize < MIN_SIZE_FLOOR) {
            throw new IllegalArgumentException("minSize must be >= " + MIN_SIZE_FLOOR + ", got " + minSize);
        }
        if (minSize > avgSize || avgSize > maxSize) {
            throw new IllegalArgumentException(
                    "need minSize <= avgSize <= maxSize, got " + minSize + " / " + avgSize + " / " + maxSize);
        }
        if (maxSize > MAX_SIZE_CEILING) {
            throw new IllegalArgumentException("maxSize must be <= " + MAX_SIZE_CEILING + ", got " + maxSize);
        }
        if (kind == Kind.FASTCDC && Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("FASTCDC avgSize must be a power of two, got " + avgSize);
        }
    }

    /** FastCDC with 256 KiB / 1 MiB / 4 MiB: the syncbox default. */
    public static ChunkingSpec fastCdcDefault() {
        return new ChunkingSpec(Kind.FASTCDC, 256 * KIB, MIB, 4 * MIB);
    }

    /** Fixed 4 MiB blocks, as in the seed design (and Dropbox's content_hash block size). */
    public static ChunkingSpec fixed4MiB() {
        return fixed(4 * MIB);
    }

    public static ChunkingSpec fixed(int blockSize) {
        return new ChunkingSpec(Kind.FIXED, blockSize, blockSize, blockSize);
    }

    /** Builds a spec from configuration values; {@code kind} is a {@link Kind} name in any case. */
    public static ChunkingSpec parse(String kind, int min, int avg, int max) {
        return new ChunkingSpec(parseKind(kind), min, avg, max);
    }

    private static Kind parseKind(String kind) {
        String wanted = kind == null ? "" : kind.trim().toUpperCase(Locale.ROOT);
        for (Kind candidate : Kind.values()) {
            if (candidate.name().equals(wanted)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("unknown chunking kind '" + kind + "', expected fastcdc or fixed");
    }
}
