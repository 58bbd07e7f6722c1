package dev.syncbox.server.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a WebDAV request URI points: the caller's tree is served at {@code /remote.php/dav/files/{email}/}
 * (Nextcloud's layout; the segment is the account's email, compared without case), {@code /remote.php/webdav/}
 * (Nextcloud's older one) and {@code /dav/}. A target is the route's prefix as the client wrote it, so hrefs in
 * answers use the client's own form, and the decoded path in syncbox's terms.
 */
public final class DavPaths {

    /** Nextcloud's files route: the user segment follows. */
    public static final String FILES = "/remote.php/dav/files/";

    public static final String LEGACY = "/remote.php/webdav";
    public static final String PLAIN = "/dav";

    /** Nextcloud's chunked-upload area: {@code /remote.php/dav/uploads/{email}/{transfer}/{chunk}}. */
    public static final String UPLOADS = "/remote.php/dav/uploads/";

    /** A request URI resolved: its route prefix (raw, no trailing slash) and the path in the caller's tree. */
    public record Target(String prefix, String path) {

        /** The href of {@code path} under this target's prefix, a collection's with a trailing slash. */
        public String href(String path, boolean collection) {
            return DavPaths.href(prefix, path, collection);
        }

        public boolean root() {
            return SyncPath.isRoot(path);
        }
    }

    private DavPaths() {}

    /**
     * The target of a raw (still percent-encoded) request URI for the caller whose email is {@code email}: a
     * {@code not_found} for another user's segment or a URI outside the routes, {@code invalid_path} for a path
     * syncbox does not allow.
     */
    public static Target target(String rawUri, String email) {
        String uri = stripQuery(rawUri);
        String prefix;
        String rest;
        if (uri.startsWith(FILES)) {
            int slash = uri.indexOf('/', FILES.length());
            String user = decode(slash < 0 ? uri.substring(FILES.length()) : uri.substring(FILES.length(), slash));
            if (!user.toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))) {
                throw new SyncboxException(ErrorCode.NOT_FOUND, "No such user's files here");
            }
            prefix = slash < 0 ? uri : uri.substring(0, slash);
            rest = slash < 0 ? "" : uri.substring(slash);
        } else if (uri.equals(LEGACY) || uri.startsWith(LEGACY + "/")) {
            prefix = LEGACY;
            rest = uri.substring(LEGACY.length());
        } else if (uri.equals(PLAIN) || uri.startsWith(PLAIN + "/")) {
            prefix = PLAIN;
            rest = uri.substring(PLAIN.length());
        } else {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "Not a WebDAV route");
        }
        return new Target(prefix, path(rest));
    }

    /**
     * The target a {@code Destination} header names: an absolute URL or an absolute path, on one of the same
     * routes. A URL naming another host (its port aside) is refused (502 in RFC 4918; here a 400, as nothing is
     * proxied). {@code host} is the request's {@code Host} header.
     */
    public static Target destination(String header, String host, String email) {
        if (header == null || header.isBlank()) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A Destination header is required");
        }
        String raw = header.strip();
        if (!raw.startsWith("/")) {
            try {
                URI uri = new URI(raw);
                if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
                    throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Destination has no path");
                }
                if (host != null && uri.getHost() != null && !uri.getHost().equalsIgnoreCase(hostName(host))) {
                    throw new SyncboxException(
                            ErrorCode.INVALID_REQUEST, "Destination is on another server: " + uri.getHost());
                }
                raw = uri.getRawPath();
            } catch (URISyntaxException e) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Destination is not a URL");
            }
        }
        return target(raw, email);
    }

    /**
     * The name in a {@code Host} header, without its port: the gateway passes the name alone, a client's
     * Destination carries the port it used, and both name the same server.
     */
    static String hostName(String host) {
        String h = host.strip();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** A raw path below a route prefix ({@code ""}, {@code "/"} or {@code "/a/b/"}) as a path in syncbox's terms. */
    static String path(String rawRest) {
        if (rawRest.isEmpty() || rawRest.equals("/")) {
            return SyncPath.ROOT;
        }
        String decoded = decode(rawRest);
        if (decoded.endsWith("/")) {
            decoded = decoded.substring(0, decoded.length() - 1);
        }
        return SyncPath.normalize(decoded);
    }

    /** The href of {@code path} below {@code prefix}: each segment percent-encoded, a collection's ending in "/". */
    public static String href(String prefix, String path, boolean collection) {
        StringBuilder href = new StringBuilder(prefix);
        if (!SyncPath.isRoot(path)) {
            for (String segment : path.substring(1).split("/")) {
                href.append('/').append(encode(segment));
            }
        }
        if (collection || SyncPath.isRoot(path)) {
            href.append('/');
        }
        return href.toString();
    }

    /** A path segment percent-encoded: everything but RFC 3986's unreserved characters and a few safe ones. */
    public static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '!'
                    || c == '$'
                    || c == '\''
                    || c == '('
                    || c == ')'
                    || c == '*'
                    || c == ','
                    || c == '='
                    || c == ':'
                    || c == '@') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Percent-decoding as URIs have it ({@code +} stays a plus), the bytes taken as UTF-8; anything else is a 400. */
    public static String decode(String raw) {
        if (raw.chars().allMatch(c -> c < 0x80 && c != '%')) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw badEncoding();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw badEncoding();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x100) {
                // A raw byte the container passed through as a Latin-1 character.
                bytes.write(c);
            } else {
                int codePoint = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw badEncoding();
        }
    }

    private static String stripQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static SyncboxException badEncoding() {
        return new SyncboxException(ErrorCode.INVALID_PATH, "The path is not percent-encoded UTF-8");
    }
}
