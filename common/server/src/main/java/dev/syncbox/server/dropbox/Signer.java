package dev.syncbox.server.dropbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque tokens a client holds and gives back unchanged (temporary links, Dropbox cursors and job ids): the body, then
 * its HMAC-SHA256, in base64url. Each purpose signs with its own key, derived from the services' token key, so a
 * token made for one purpose is never taken for another.
 */
public final class Signer {

    private static final int MAC_LENGTH = 32;

    private final SecretKeySpec key;

    private Signer(SecretKeySpec key) {
        this.key = key;
    }

    /** The signer for {@code purpose} (e.g. {@code "syncbox temporary links v1"}). */
    public static Signer derive(SecretKey tokenSigningKey, String purpose) {
        return new Signer(
                new SecretKeySpec(hmac(tokenSigningKey, purpose.getBytes(StandardCharsets.UTF_8)), "HmacSHA256"));
    }

    public String seal(byte[] body) {
        byte[] out = Arrays.copyOf(body, body.length + MAC_LENGTH);
        System.arraycopy(hmac(key, body), 0, out, body.length, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The body {@code token} carries, or null when it is not base64url, holds no body, or was not signed here. */
    public byte[] open(String token) {
        if (token == null) {
            return null;
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (signed.length <= MAC_LENGTH) {
            return null;
        }
        byte[] body = Arrays.copyOf(signed, signed.length - MAC_LENGTH);
        byte[] mac = Arrays.copyOfRange(signed, signed.length - MAC_LENGTH, signed.length);
        return MessageDigest.isEqual(mac, hmac(key, body)) ? body : null;
    }

    private static byte[] hmac(SecretKey key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
