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
 * {@code 400 invalid_cursor}. Version 3 names stored listings by id and ordinal, never by path.
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
                "3",
                Long.toString(c.userId()),
                Long.toString(c.namespaceId()),
                Long.toString(c.seq()),
                listing(c.listing()),
                Long.toString(c.includesDone()),
                c.include() == null
                        ? "-"
                        : c.include().id() + "~" + listing(c.include().listing()),
                mounts(c.mounts()));
        byte[] body = fields.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(body) + "." + B64.encodeToString(mac(body));
    }

    /**
     * The cursor, checked for its signature and user. Versions 1 and 2 (listings paged live, before
     * listings were stored) still decode in their journal phase; in the middle of a listing they are
     * {@code 409 reset}, because what they were paging can't be continued consistently.
     */
    Cursor decode(String cursor, long userId) {
        String[] f;
        try {
            int dot = cursor.indexOf('.');
            byte[] body = B64D.decode(cursor.substring(0, dot));
            byte[] mac = B64D.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, mac(body))) {
                throw invalid();
            }
            f = new String(body, StandardCharsets.UTF_8).split("\\|", -1);
            if (Long.parseLong(f[1]) != userId) {
                throw invalid();
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw invalid();
        }
        try {
            if (f.length == 8 && f[0].equals("3")) {
                return new Cursor(
                        userId,
                        Long.parseLong(f[2]),
                        Long.parseLong(f[3]),
                        listing(f[4]),
                        Long.parseLong(f[5]),
                        include(f[6]),
                        mounts(f[7]));
            }
            boolean v1 = f.length == 8 && f[0].equals("1");
            if (!v1 && (f.length != 9 || !f[0].equals("2"))) {
                throw invalid();
            }
            // Version 1 cursors (before sharing) carry no shared items: they start them as new.
            List<Cursor.Mount> mounts = v1 ? List.of() : legacyMounts(f[8]);
            if (fromText(f[4]) != null || Long.parseLong(f[6]) != 0 || mounts == null) {
                throw ChangeFeed.reset();
            }
            return new Cursor(
                    userId, Long.parseLong(f[2]), Long.parseLong(f[3]), null, Long.parseLong(f[5]), null, mounts);
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

    private static String listing(Cursor.Listing listing) {
        return listing == null ? "-" : listing.id() + "~" + listing.after();
    }

    private static Cursor.Listing listing(String field) {
        if (field.equals("-")) {
            return null;
        }
        String[] p = field.split("~", -1);
        if (p.length != 2) {
            throw new IllegalArgumentException("bad listing");
        }
        return new Cursor.Listing(Long.parseLong(p[0]), Long.parseLong(p[1]));
    }

    private static Cursor.Include include(String field) {
        if (field.equals("-")) {
            return null;
        }
        int tilde = field.indexOf('~');
        Cursor.Listing listing = listing(field.substring(tilde + 1));
        if (tilde < 0 || listing == null) {
            throw new IllegalArgumentException("bad include");
        }
        return new Cursor.Include(Long.parseLong(field.substring(0, tilde)), listing);
    }

    /** {@code namespace:seq:listing:mountPath:d|f}, comma-separated; the mount path as {@link #text}. */
    private static String mounts(List<Cursor.Mount> mounts) {
        return mounts.stream()
                .map(m -> m.namespaceId() + ":" + m.seq() + ":" + listing(m.listing()) + ":" + text(m.mountPath()) + ":"
                        + (m.dir() ? "d" : "f"))
                .collect(Collectors.joining(","));
    }

    private static List<Cursor.Mount> mounts(String field) {
        List<Cursor.Mount> mounts = new ArrayList<>();
        for (String[] m : parts(field)) {
            mounts.add(new Cursor.Mount(
                    Long.parseLong(m[0]), Long.parseLong(m[1]), listing(m[2]), fromText(m[3]), m[4].equals("d")));
        }
        return mounts;
    }

    /** Version 2's shared items ({@code namespace:seq:snapshotAfter:mountPath:d|f}); null if one is mid-snapshot. */
    private static List<Cursor.Mount> legacyMounts(String field) {
        List<Cursor.Mount> mounts = new ArrayList<>();
        for (String[] m : parts(field)) {
            if (fromText(m[2]) != null) {
                return null;
            }
            mounts.add(new Cursor.Mount(
                    Long.parseLong(m[0]), Long.parseLong(m[1]), null, fromText(m[3]), m[4].equals("d")));
        }
        return mounts;
    }

    private static List<String[]> parts(String field) {
        List<String[]> parts = new ArrayList<>();
        if (field.isEmpty()) {
            return parts;
        }
        for (String part : field.split(",", -1)) {
            String[] m = part.split(":", -1);
            if (m.length != 5 || !(m[4].equals("d") || m[4].equals("f"))) {
                throw new IllegalArgumentException("bad mount");
            }
            parts.add(m);
        }
        return parts;
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
