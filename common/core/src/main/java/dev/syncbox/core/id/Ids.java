package dev.syncbox.core.id;

import com.github.f4b6a3.ulid.UlidCreator;

/** ULID ids: 26 Crockford base32 characters, sortable by creation time, monotonic within this JVM. */
public final class Ids {

    private static final int LENGTH = 26;

    private Ids() {}

    /** A new monotonic ULID in canonical (upper-case) form. */
    public static String newId() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    /**
     * Whether {@code value} is a ULID in the canonical form {@link #newId()} produces: 26 upper-case Crockford base32
     * characters (no I, L, O, U) whose first character is 0–7 so the value fits 128 bits.
     */
    public static boolean isUlid(String value) {
        if (value == null || value.length() != LENGTH || value.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (!isCrockford(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCrockford(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
    }
}
