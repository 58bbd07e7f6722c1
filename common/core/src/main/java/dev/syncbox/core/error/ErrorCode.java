package dev.syncbox.core.error;

/**
 * Every error a client can see: a stable snake_case {@code code} for machines, the HTTP status, and a short
 * human title (the RFC 9457 {@code title}). Codes are part of the wire contract; never rename one.
 */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", 400, "Invalid request"),
    INVALID_PATH("invalid_path", 400, "Invalid path"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    INVALID_CREDENTIALS("invalid_credentials", 401, "Invalid credentials"),
    PERMISSION_DENIED("permission_denied", 403, "Permission denied"),
    NOT_FOUND("not_found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "Method not allowed"),
    EMAIL_TAKEN("email_taken", 409, "Email already registered"),
    PATH_CONFLICT("path_conflict", 409, "Path conflict"),
    CONFLICT("conflict", 409, "Conflict"),
    ALREADY_SHARED("already_shared", 409, "Already shared"),
    CROSS_NAMESPACE_MOVE("cross_namespace_move", 409, "Move across a shared folder boundary"),
    RESET("reset", 409, "Cursor reset required"),
    INCORRECT_OFFSET("incorrect_offset", 409, "Incorrect offset"),
    PRECONDITION_FAILED("precondition_failed", 412, "Precondition failed"),
    LOCKED("locked", 423, "Locked"),
    INVALID_CURSOR("invalid_cursor", 400, "Invalid cursor"),
    BLOCK_HASH_MISMATCH("block_hash_mismatch", 400, "Block hash mismatch"),
    MISSING_BLOCKS("missing_blocks", 400, "Missing blocks"),
    CONTENT_HASH_MISMATCH("content_hash_mismatch", 400, "Content hash mismatch"),
    SIZE_MISMATCH("size_mismatch", 400, "Size mismatch"),
    BLOCK_TOO_LARGE("block_too_large", 413, "Block too large"),
    PAYLOAD_TOO_LARGE("payload_too_large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "Unsupported media type"),
    NOT_AN_IMAGE("not_an_image", 415, "Not an image"),
    IMAGE_UNDECODABLE("image_undecodable", 422, "Image cannot be decoded"),
    IMAGE_TOO_LARGE("image_too_large", 422, "Image too large"),
    RANGE_NOT_SATISFIABLE("range_not_satisfiable", 416, "Range not satisfiable"),
    TOO_MANY_ATTEMPTS("too_many_attempts", 429, "Too many attempts"),
    QUOTA_EXCEEDED("quota_exceeded", 507, "Quota exceeded"),
    STORAGE_UNAVAILABLE("storage_unavailable", 503, "Storage unavailable"),
    SERVICE_UNAVAILABLE("service_unavailable", 503, "Service unavailable"),
    SEARCH_UNAVAILABLE("search_unavailable", 503, "Search unavailable"),
    INTERNAL("internal", 500, "Internal error");

    private final String code;
    private final int status;
    private final String title;

    ErrorCode(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    /** The machine-readable wire code, e.g. {@code path_conflict}. */
    public String code() {
        return code;
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }

    /** A short human-readable summary, the same for every occurrence of this code. */
    public String title() {
        return title;
    }

    /** The constant whose wire {@link #code()} is {@code code}, or {@code null} when there is none. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode candidate : values()) {
            if (candidate.code.equals(code)) {
                return candidate;
            }
        }
        return null;
    }
}
