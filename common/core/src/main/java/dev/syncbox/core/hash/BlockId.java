package dev.syncbox.core.hash;

/** A block id is the lowercase hex SHA-256 of the block's bytes: exactly 64 characters of {@code [0-9a-f]}. */
public final class BlockId {

    public static final int LENGTH = 64;

    private BlockId() {}

    public static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The block id of {@code data[off, off + len)}. */
    public static String of(byte[] data, int off, int len) {
        return Sha256.hex(data, off, len);
    }
}
