package dev.syncbox.sync.feed;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Cursors are {@code base64url(fields) "." base64url(HMAC-SHA256(fields))[0..16]}, keyed from the
 * service secret: tamper-proof and bound to their user, so a forged, altered or foreign cursor is
 * {@code 400 invalid_cursor}.
 */
@Component
class CursorCodec {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;

    CursorCodec(SyncboxProperties properties) {
        byte[] secret = ("cursor:" + properties.auth().jwtSecret()).getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String encode(Cursor c) {
        String fields = String.join(
                "|",
                "2",
                Long.toString(c.userId()),
                Long.toString(c.namespaceId()),
                Long.toString(c.seq()),
                text(c.snapshotAfter()),
                Long.toString(c.includesDone()),
                Long.toString(c.includeId()),
                text(c.includeAfter()),
                mounts(c.mounts()));
        byte[] body = fields.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(body) + "." + B64.encodeToString(mac(body));
    }

    Cursor decode(String cursor, long userId) {
        try {
            int dot = cursor.indexOf('.');
            byte[] body = B64D.decode(cursor.substring(0, dot));
            byte[] mac = B64D.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, mac(body))) {
                throw invalid();
            }
            String[] f = new String(body, StandardCharsets.UTF_8).split("\\|", -1);
            // Version 1 cursors (before sharing) carry no shared items: they start them as new.
            boolean v1 = f.length == 8 && f[0].equals("1");
            if (!v1 && (f.length != 9 || !f[0].equals("2"))) {
                throw invalid();
            }
            Cursor decoded = new Cursor(
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    fromText(f[4]),
                    Long.parseLong(f[5]),
                    Long.parseLong(f[6]),
                    fromText(f[7]),
                    v1 ? List.of() : mounts(f[8]));
            if (decoded.userId() != userId) {
                throw invalid();
            }
            return decoded;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw invalid();
        }
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(body), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code namespace:seq:snapshotAfter:mountPath:d|f}, comma-separated; text fields as {@link #text}. */
    private static String mounts(List<Cursor.Mount> mounts) {
        return mounts.stream()
                .map(m -> m.namespaceId() + ":" + m.seq() + ":" + text(m.snapshotAfter()) + ":" + text(m.mountPath())
                        + ":" + (m.dir() ? "d" : "f"))
                .collect(Collectors.joining(","));
    }

    private static List<Cursor.Mount> mounts(String field) {
        if (field.isEmpty()) {
            return List.of();
        }
        List<Cursor.Mount> mounts = new ArrayList<>();
        for (String part : field.split(",", -1)) {
            String[] m = part.split(":", -1);
            if (m.length != 5 || !(m[4].equals("d") || m[4].equals("f"))) {
                throw new IllegalArgumentException("bad mount");
            }
            mounts.add(new Cursor.Mount(
                    Long.parseLong(m[0]), Long.parseLong(m[1]), fromText(m[2]), fromText(m[3]), m[4].equals("d")));
        }
        return mounts;
    }

    /** Path keys may hold any character but '|' is ours: encode them. Null is "-", a value "=" + b64. */
    private static String text(String value) {
        return value == null ? "-" : "=" + B64.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromText(String field) {
        if (field.equals("-")) {
            return null;
        }
        if (!field.startsWith("=")) {
            throw new IllegalArgumentException("bad text field");
        }
        return new String(B64D.decode(field.substring(1)), StandardCharsets.UTF_8);
    }

    private static SyncboxException invalid() {
        return new SyncboxException(ErrorCode.INVALID_CURSOR, "The cursor is not one this server issued to you");
    }
}
