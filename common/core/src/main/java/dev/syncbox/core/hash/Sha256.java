package dev.syncbox.core.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers; every Java runtime is required to provide SHA-256. */
public final class Sha256 {

    public static final int DIGEST_LENGTH = 32;

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static String hex(byte[] data) {
        return hex(data, 0, data.length);
    }

    public static String hex(byte[] data, int off, int len) {
        MessageDigest digest = newDigest();
        digest.update(data, off, len);
        return Hex.encode(digest.digest());
    }
}
