package dev.syncbox.server.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dropbox's tagged unions for errors, and syncbox's error codes in their terms. A union member without a value is
 * {@code {".tag": t}}; one whose value is a union or a primitive nests it under its own name ({@code {".tag": "path",
 * "path": {".tag": "not_found"}}}); one whose value is a struct carries the struct's fields beside the tag.
 */
public final class DropboxErrors {

    private DropboxErrors() {}

    /** {@code {".tag": tag}}. */
    public static Map<String, Object> tag(String tag) {
        Map<String, Object> union = new LinkedHashMap<>();
        union.put(".tag", tag);
        return union;
    }

    /** {@code {".tag": tag, tag: value}}: a member whose value is a union or a primitive. */
    public static Map<String, Object> nested(String tag, Object value) {
        Map<String, Object> union = tag(tag);
        union.put(tag, value);
        return union;
    }

    /** {@code {".tag": tag, ...fields}}: a member whose value is a struct. */
    public static Map<String, Object> flat(String tag, Map<String, ?> fields) {
        Map<String, Object> union = tag(tag);
        union.putAll(fields);
        return union;
    }

    /**
     * The {@code error_summary} Dropbox gives beside an error: the tags from the outside in, each followed by a slash,
     * then {@code ..} ({@code path/not_found/..}).
     */
    static String summary(Map<String, Object> error) {
        StringBuilder summary = new StringBuilder();
        Object current = error;
        while (current instanceof Map<?, ?> union) {
            Object next = null;
            if (union.get(".tag") instanceof String tag) {
                summary.append(tag).append('/');
                next = union.get(tag);
            }
            if (next == null) {
                // A struct (a member's, or the error itself): its first field that is a union goes on, as
                // UploadError's path/{reason: conflict/file} reads path/conflict/file/.. and a RateLimitError's
                // {reason: too_many_requests} reads too_many_requests/..
                next = union.values().stream()
                        .filter(value -> value instanceof Map<?, ?> inner && inner.containsKey(".tag"))
                        .findFirst()
                        .orElse(null);
            }
            current = next;
        }
        return summary.append("..").toString();
    }

    /** The route error {@code {".tag": member, member: LookupError}} for a failed read of a path. */
    public static DropboxApiException lookup(String member, SyncboxException e) {
        DropboxApiException general = general(e);
        return general != null ? general : DropboxApiException.route(nested(member, lookupError(e)));
    }

    /** The route error {@code {".tag": member, member: WriteError}} for a failed write at a path. */
    public static DropboxApiException write(String member, SyncboxException e) {
        DropboxApiException general = general(e);
        return general != null ? general : DropboxApiException.route(nested(member, writeError(e)));
    }

    /**
     * Any syncbox error as Dropbox would answer it when the route names no better member: bad input, auth, rate limits
     * and outages in their HTTP forms, the rest as the {@code path} member most routes' errors start with.
     */
    public static DropboxApiException of(SyncboxException e) {
        DropboxApiException general = general(e);
        if (general != null) {
            return general;
        }
        return switch (e.code()) {
            case NOT_FOUND -> DropboxApiException.route(nested("path", tag("not_found")));
            case PATH_CONFLICT, PERMISSION_DENIED, QUOTA_EXCEEDED, CROSS_NAMESPACE_MOVE ->
                DropboxApiException.route(nested("path", writeError(e)));
            default -> DropboxApiException.route(tag("other"));
        };
    }

    /** LookupError: {@code not_found}, {@code not_file}, {@code not_folder}, {@code malformed_path}, ... */
    public static Map<String, Object> lookupError(SyncboxException e) {
        return switch (e.code()) {
            case NOT_FOUND -> tag("not_found");
            case INVALID_PATH -> nested("malformed_path", e.detail());
            case PATH_CONFLICT -> tag("not_folder");
            case PERMISSION_DENIED -> tag("restricted_content");
            default -> tag("other");
        };
    }

    /** WriteError: {@code conflict}, {@code no_write_permission}, {@code insufficient_space}, ... */
    public static Map<String, Object> writeError(SyncboxException e) {
        return switch (e.code()) {
            case PATH_CONFLICT, CONFLICT -> nested("conflict", tag("file"));
            case PERMISSION_DENIED -> tag("no_write_permission");
            case QUOTA_EXCEEDED -> tag("insufficient_space");
            case INVALID_PATH -> nested("malformed_path", e.detail());
            default -> tag("other");
        };
    }

    /** Errors that are not a route's: null for those that are. */
    private static DropboxApiException general(SyncboxException e) {
        ErrorCode code = e.code();
        return switch (code) {
            case INVALID_REQUEST, INVALID_CURSOR, BLOCK_HASH_MISMATCH, MISSING_BLOCKS, SIZE_MISMATCH ->
                DropboxApiException.badInput(e.detail());
            case UNAUTHORIZED, INVALID_CREDENTIALS -> DropboxApiException.auth("invalid_access_token");
            case TOO_MANY_ATTEMPTS -> DropboxApiException.rateLimited(retryAfter(e));
            case STORAGE_UNAVAILABLE, SERVICE_UNAVAILABLE, SEARCH_UNAVAILABLE ->
                DropboxApiException.unavailable(e.detail(), retryAfter(e));
            case INTERNAL -> DropboxApiException.internal(e.detail());
            default -> null;
        };
    }

    private static long retryAfter(SyncboxException e) {
        return e.properties().get("retry_after") instanceof Number seconds ? seconds.longValue() : 1;
    }
}
