package dev.syncbox.core.hash;

import java.util.Objects;

/** Lowercase hexadecimal encoding of bytes. */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    public static String encode(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xFF;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0F];
        }
        return new String(out);
    }

    /** Decodes upper- or lower-case hex; throws {@link IllegalArgumentException} on odd length or a non-hex char. */
    public static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has odd length " + hex.length());
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(hex, 2 * i) << 4 | digit(hex, 2 * i + 1));
        }
        return out;
    }

    private static int digit(String hex, int index) {
        int value = Character.digit(hex.charAt(index), 16);
        if (value < 0) {
            throw new IllegalArgumentException("not a hex digit at index " + index + ": '" + hex.charAt(index) + "'");
        }
        return value;
    }
}
