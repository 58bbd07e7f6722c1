package dev.syncbox.server.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.FileEntity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * syncbox's ids, versions, paths and times in the forms Dropbox's API uses, and back. The forms are pinned: a
 * {@code rev} is a version id's 128 bits as 32 lowercase hex characters, an {@code id} is {@code id:} and the file id,
 * the root is {@code ""}, times are whole seconds in UTC.
 */
public final class DropboxWire {

    /** The root folder, as Dropbox names it. */
    public static final String ROOT = "";

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String ACCOUNT_PREFIX = "dbid:AA";
    private static final int ACCOUNT_ID_LENGTH = 40;

    private DropboxWire() {}

    /** A version id (a ULID) as a {@code rev}: its 128 bits, 32 lowercase hex characters. */
    public static String rev(String versionId) {
        if (versionId == null) {
            return null;
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < versionId.length(); i++) {
            value = value.shiftLeft(5).or(BigInteger.valueOf(CROCKFORD.indexOf(versionId.charAt(i))));
        }
        String hex = value.toString(16);
        return "0".repeat(32 - hex.length()) + hex;
    }

    /** The version id a {@code rev} names, or null when {@code rev} is not 32 lowercase hex characters. */
    public static String versionId(String rev) {
        if (rev == null || rev.length() != 32) {
            return null;
        }
        for (int i = 0; i < rev.length(); i++) {
            char c = rev.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        BigInteger value = new BigInteger(rev, 16);
        char[] out = new char[26];
        for (int i = 25; i >= 0; i--) {
            out[i] = CROCKFORD.charAt(value.intValue() & 31);
            value = value.shiftRight(5);
        }
        String id = new String(out);
        return Ids.isUlid(id) ? id : null;
    }

    /** A file id as Dropbox's {@code id}. */
    public static String id(String fileId) {
        return "id:" + fileId;
    }

    /** A time as Dropbox writes it: whole seconds, UTC, {@code 2026-12-06T02:00:00Z}. */
    public static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A syncbox path ({@code /} for the root) as a Dropbox path ({@code ""} for the root). */
    public static String path(String syncboxPath) {
        return SyncPath.isRoot(syncboxPath) ? ROOT : syncboxPath;
    }

    /** Dropbox's {@code path_lower}. */
    public static String pathLower(String syncboxPath) {
        return path(syncboxPath).toLowerCase(Locale.ROOT);
    }

    /** What a Dropbox path argument names: a path, a file by id ({@code id:…}) or a version ({@code rev:…}). */
    public record Target(String path, String fileId, String versionId) {

        public boolean byPath() {
            return path != null;
        }
    }

    /**
     * Parses a Dropbox path argument: {@code ""} (the root), {@code /a/b}, {@code id:<file id>} or {@code
     * rev:<rev>}. Anything else, or a path syncbox's rules refuse, is {@link ErrorCode#INVALID_PATH} (Dropbox's
     * {@code malformed_path}).
     */
    public static Target target(String argument) {
        if (argument == null) {
            throw new SyncboxException(ErrorCode.INVALID_PATH, "A path is required");
        }
        if (argument.isEmpty()) {
            return new Target(SyncPath.ROOT, null, null);
        }
        if (argument.startsWith("/")) {
            return new Target(SyncPath.normalize(argument), null, null);
        }
        if (argument.startsWith("id:") && Ids.isUlid(argument.substring(3))) {
            return new Target(null, argument.substring(3), null);
        }
        if (argument.startsWith("rev:") && versionId(argument.substring(4)) != null) {
            return new Target(null, null, versionId(argument.substring(4)));
        }
        throw new SyncboxException(
                ErrorCode.INVALID_PATH, "'" + argument + "' is not a path (\"\" or /…), an id:… or a rev:…");
    }

    /** {@code FileMetadata} ({@code .tag} {@code file}) at {@code path} as the caller sees it. */
    public static Map<String, Object> file(
            String path, String fileId, String versionId, long size, String contentHash, Instant modified) {
        return file(path, fileId, versionId, size, contentHash, modified, null);
    }

    /**
     * {@code FileMetadata} whose {@code client_modified} is the time the client gave for the version ({@code
     * clientModified}), or the server's when it gave none.
     */
    public static Map<String, Object> file(
            String path,
            String fileId,
            String versionId,
            long size,
            String contentHash,
            Instant modified,
            Instant clientModified) {
        Map<String, Object> metadata = named("file", path);
        metadata.put("id", id(fileId));
        metadata.put("client_modified", time(clientModified != null ? clientModified : modified));
        metadata.put("server_modified", time(modified));
        metadata.put("rev", rev(versionId));
        metadata.put("size", size);
        metadata.put("is_downloadable", true);
        metadata.put("content_hash", contentHash);
        return metadata;
    }

    /** {@code FolderMetadata} ({@code .tag} {@code folder}). */
    public static Map<String, Object> folder(String path, String fileId) {
        Map<String, Object> metadata = named("folder", path);
        metadata.put("id", id(fileId));
        return metadata;
    }

    /** {@code DeletedMetadata} ({@code .tag} {@code deleted}). */
    public static Map<String, Object> deleted(String path) {
        return named("deleted", path);
    }

    /** A live entry's metadata, shown at {@code viewPath} (the caller's path for it). */
    public static Map<String, Object> metadata(FileEntity entry, String viewPath) {
        return entry.isDir()
                ? folder(viewPath, entry.getId())
                : file(
                        viewPath,
                        entry.getId(),
                        entry.currentVersionId(),
                        entry.sizeBytes(),
                        entry.contentHash(),
                        entry.modifiedAt(),
                        entry.clientModifiedAt());
    }

    private static Map<String, Object> named(String tag, String path) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(".tag", tag);
        metadata.put("name", SyncPath.isRoot(path) ? "" : SyncPath.name(path));
        metadata.put("path_lower", pathLower(path));
        metadata.put("path_display", path(path));
        return metadata;
    }

    /** A user's {@code account_id}: {@code dbid:AA} and the user id, zero-padded to Dropbox's 40 characters. */
    public static String accountId(long userId) {
        String digits = Long.toString(userId);
        return ACCOUNT_PREFIX + "0".repeat(ACCOUNT_ID_LENGTH - ACCOUNT_PREFIX.length() - digits.length()) + digits;
    }

    /** The user an {@code account_id} names, or null when it is not one of ours. */
    public static Long userId(String accountId) {
        if (accountId == null
                || accountId.length() != ACCOUNT_ID_LENGTH
                || !accountId.startsWith(ACCOUNT_PREFIX)
                || !accountId.substring(ACCOUNT_PREFIX.length()).chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(accountId.substring(ACCOUNT_PREFIX.length()));
    }

    /**
     * JSON for a header ({@code Dropbox-API-Result}): every character outside printable ASCII as a {@code \}{@code
     * uXXXX} escape, as Dropbox sends it.
     */
    public static String headerJson(JsonMapper json, Object value) {
        String text = json.writeValueAsString(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Writes {@code e} as Dropbox would answer it, for code outside a {@link DropboxApi} controller (a filter). */
    public static void writeError(JsonMapper json, DropboxApiException e, HttpServletResponse response)
            throws IOException {
        DropboxAdvice.write(json, e, response);
    }
}
