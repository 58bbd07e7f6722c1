package dev.syncbox.core.path;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Canonical paths. A canonical path starts with {@code /}, is Unicode NFC (so names typed on macOS and Windows are
 * one path), has no empty, {@code .} or {@code ..} segments, no control characters, no trailing {@code /} except the
 * root, and keeps its case. Methods other than {@link #normalize(String)} expect an already canonical path.
 */
public final class SyncPath {

    public static final String ROOT = "/";
    public static final int MAX_PATH_BYTES = 1024;
    public static final int MAX_SEGMENT_BYTES = 255;

    private SyncPath() {}

    /** The canonical form of {@code raw}; throws {@link ErrorCode#INVALID_PATH} with the reason when it has none. */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("path is empty");
        }
        checkCharacters(raw);
        if (raw.charAt(0) != '/') {
            throw invalid("path must start with '/': " + quote(raw));
        }
        String path = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
            if (path.equals(ROOT)) {
                throw invalid("path contains an empty segment ('//')");
            }
        }
        int pathBytes = utf8Length(path);
        if (pathBytes > MAX_PATH_BYTES) {
            throw invalid("path is " + pathBytes + " bytes in UTF-8, the limit is " + MAX_PATH_BYTES);
        }
        if (!path.equals(ROOT)) {
            for (String segment : path.substring(1).split("/", -1)) {
                checkSegment(segment);
            }
        }
        return path;
    }

    public static boolean isRoot(String path) {
        return ROOT.equals(path);
    }

    /** The folder containing {@code path}: {@code "/a/b"} gives {@code "/a"}, {@code "/a"} gives {@code "/"}, root gives {@code null}. */
    public static String parent(String path) {
        if (isRoot(path)) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? ROOT : path.substring(0, slash);
    }

    /** The last segment of {@code path}: {@code "/a/b.txt"} gives {@code "b.txt"}; root gives {@code ""}. */
    public static String name(String path) {
        return isRoot(path) ? "" : path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether {@code path} is {@code folder} itself or anything inside it ({@code "/ab"} is not under {@code "/a"}). */
    public static boolean isUnder(String path, String folder) {
        if (path.equals(folder) || isRoot(folder)) {
            return true;
        }
        return path.length() > folder.length() && path.startsWith(folder) && path.charAt(folder.length()) == '/';
    }

    /** The canonical path of the entry {@code name} inside {@code folder}; {@code name} must be a single segment. */
    public static String child(String folder, String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw invalid("name must be a single non-empty segment without '/': " + quote(name));
        }
        return normalize(isRoot(folder) ? ROOT + name : folder + "/" + name);
    }

    private static void checkCharacters(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
                throw invalid(String.format("path contains control character U+%04X at index %d", (int) c, i));
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        && i + 1 < path.length()
                        && Character.isLowSurrogate(path.charAt(i + 1));
                if (!paired) {
                    throw invalid("path contains an unpaired surrogate at index " + i);
                }
                i++;
            }
        }
    }

    private static void checkSegment(String segment) {
        if (segment.isEmpty()) {
            throw invalid("path contains an empty segment ('//')");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw invalid("path segments '.' and '..' are not allowed");
        }
        if (segment.isBlank()) {
            throw invalid("a name must not be made only of spaces");
        }
        if (segment.endsWith(" ")) {
            throw invalid("a name must not end with a space: " + quote(segment));
        }
        int bytes = utf8Length(segment);
        if (bytes > MAX_SEGMENT_BYTES) {
            throw invalid("a name is " + bytes + " bytes in UTF-8, the limit is " + MAX_SEGMENT_BYTES);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        int cut = 80;
        if (s.length() <= cut) {
            return "'" + s + "'";
        }
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return "'" + s.substring(0, cut) + "…'";
    }

    private static SyncboxException invalid(String reason) {
        return new SyncboxException(ErrorCode.INVALID_PATH, reason);
    }
}
